/**
 * Jest global set-up: makes sure dist/ is built and current, since some tests run the built executables
 * (package.json "bin") as real child processes. `scripts/build.mjs --if-stale` does nothing when dist/ is newer
 * than every source; otherwise it builds (a few seconds; type errors are `npm run typecheck`'s job). Its output is
 * shown only when it fails, so `npm test` prints jest's own output and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = dirname(fileURLToPath(import.meta.url));
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    throw new Error(`jest global set-up: the build failed (${why}):\n${result.stdout}${result.stderr}`);
  }
}
