/**
 * Module hooks for source-loader.mjs: resolve `./x.js` to `./x.ts`, transpile `.ts` to ESM with TypeScript's
 * `transpileModule` (no type check); `cognito-srp-auth` and its subpaths resolve to their sources, so code written
 * as a user writes it (the README's examples) runs without a build. Output is cached on disk by path, size and mtime, so the many child
 * processes of a test (a fleet of 8 or 16) pay for TypeScript once.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'cognito-srp-auth-test-transpiled');
let typescript;

const ROOT = new URL('../../', import.meta.url);
/** `cognito-srp-auth[/sub]` → its TypeScript source, from the package.json exports (dist/esm/x.js → x.ts). */
const SELF = await (async () => {
  const { name, exports } = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8'));
  const map = new Map();
  for (const [subpath, target] of Object.entries(exports)) {
    const built = target?.import?.default;
    if (typeof built !== 'string') continue;
    const source = built.replace(/^\.\/dist\/esm\//, './').replace(/\.js$/, '.ts');
    map.set(subpath === '.' ? name : `${name}/${subpath.slice(2)}`, new URL(source, ROOT).href);
  }
  return map;
})();

export async function resolve(specifier, context, next) {
  const self = SELF.get(specifier);
  if (self !== undefined) return { url: self, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const { size, mtimeMs } = await stat(fileName);
  const cached = join(CACHE, `${createHash('sha256').update(`${fileName}:${size}:${mtimeMs}`).digest('hex')}.js`);
  const hit = await readFile(cached, 'utf8').catch(() => undefined);
  if (hit !== undefined) return { format: 'module', source: hit, shortCircuit: true };
  typescript ??= (await import('typescript')).default;
  const { outputText } = typescript.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      inlineSourceMap: true,
    },
  });
  // Written whole, then renamed: a concurrent reader never sees half a file.
  await mkdir(CACHE, { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  await writeFile(partial, outputText);
  await rename(partial, cached).catch(() => undefined);
  return { format: 'module', source: outputText, shortCircuit: true };
}
