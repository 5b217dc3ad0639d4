#!/usr/bin/env node
/**
 * Dual build with plain tsc, no bundler:
 *   dist/esm  ES modules          (tsconfig.build.json)
 *   dist/cjs  CommonJS modules    (same sources, module nodenext in a "type":"commonjs" scope)
 * each with its own package.json stamping the module type, and declarations for both.
 *
 * Why the CJS half compiles a staged copy: with `module: nodenext` tsc picks the output format from the
 * nearest package.json, and ours says "type":"module". Copying the sources under a package.json that says
 * "commonjs" gives CommonJS output with the same resolution rules as the ESM build (exports maps, ESM-only
 * packages through require(esm) on Node >= 20.19) and keeps every dynamic `import()` a real `import()`,
 * which `module: commonjs` would rewrite into `require()`.
 *
 * Files named by package.json "bin" are built as ES modules only (they may use top-level await); the
 * "bin" field must point into dist/esm.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const esmOut = join(dist, 'esm');
const cjsOut = join(dist, 'cjs');
const cjsStage = join(dist, '.cjs-stage');
const sourceDirs = ['src', 'adapters'];
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const started = performance.now();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binTargets = Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}));

rmSync(dist, { recursive: true, force: true });

step('esm', () => runTsc(['-p', join(root, 'tsconfig.build.json')]));
writeModuleType(esmOut, 'module');

step('cjs', () => {
  stageCommonJsSources();
  runTsc(['-p', join(cjsStage, 'tsconfig.json')]);
  rmSync(cjsStage, { recursive: true, force: true });
});
writeModuleType(cjsOut, 'commonjs');

step('bin', markBinsExecutable);
step('resolve', checkRelativeSpecifiersResolve);

console.log(`build: done in ${seconds(performance.now() - started)}`);

function step(name, fn) {
  const t0 = performance.now();
  fn();
  console.log(`build: ${name} ok (${seconds(performance.now() - t0)})`);
}

function runTsc(args) {
  const result = spawnSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`tsc ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function writeModuleType(dir, type) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}

/** Bin sources (ESM-only entry points) relative to the root, e.g. src/testing/cli.ts. */
function binSources() {
  return binTargets.map((target) => {
    const rel = relative(esmOut, resolve(root, target));
    if (rel.startsWith('..')) fail(`package.json bin "${target}" must point into dist/esm`);
    return rel.replace(/\.js$/, '.ts').split(sep).join('/');
  });
}

function stageCommonJsSources() {
  mkdirSync(cjsStage, { recursive: true });
  for (const dir of sourceDirs) {
    cpSync(join(root, dir), join(cjsStage, dir), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  }
  writeFileSync(join(cjsStage, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  const config = {
    extends: relative(cjsStage, join(root, 'tsconfig.build.json')).split(sep).join('/'),
    compilerOptions: {
      rootDir: '.',
      outDir: relative(cjsStage, cjsOut).split(sep).join('/'),
      module: 'nodenext',
      moduleResolution: 'nodenext',
    },
    include: sourceDirs,
    exclude: binSources(),
  };
  writeFileSync(join(cjsStage, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
}

function markBinsExecutable() {
  for (const target of binTargets) {
    const file = resolve(root, target);
    if (!existsSync(file)) {
      // The entry may not exist yet while its issue is open; the smoke test fails on it.
      console.warn(`build: warning: bin target ${target} was not built`);
      continue;
    }
    if (!readFileSync(file, 'utf8').startsWith('#!')) fail(`bin target ${target} has no shebang line`);
    chmodSync(file, 0o755);
  }
}

/** Every relative specifier in the emitted JS must name a file that exists (catches a missing `.js`). */
function checkRelativeSpecifiersResolve() {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
  const problems = [];
  let checked = 0;
  for (const file of walk(dist)) {
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(specifier)) {
      const target = resolve(dirname(file), match[2] ?? '');
      const exists = file.endsWith('.d.ts')
        ? [target, target.replace(/\.js$/, '.d.ts')].some(isFile)
        : isFile(target);
      checked += 1;
      if (!exists) problems.push(`${relative(root, file)}: "${match[2]}" does not resolve`);
    }
  }
  if (problems.length > 0) fail(`unresolved relative imports in dist:\n  ${problems.join('\n  ')}`);
  console.log(`build: ${checked} relative specifiers resolve`);
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}
