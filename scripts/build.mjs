#!/usr/bin/env node
/**
 * Dual build with the TypeScript compiler API, no bundler, one program:
 *   dist/esm  ES modules          (tsconfig.build.json, with declarations)
 *   dist/cjs  CommonJS modules    (each source transpiled again as CommonJS; the same declarations)
 * each with its own package.json stamping the module type.
 *
 * Why one program: building the program (parsing the AWS SDK typings) is most of the cost;
 * a second tsc run for CommonJS doubled it. The CommonJS output comes from `transpileModule` with
 * `module: nodenext` and the file presented as `.cts`, which is exactly what tsc emits for a `.ts` file in a
 * "type":"commonjs" scope: `require()` for static imports, while every dynamic `import()` stays a real
 * `import()` (ESM-only packages load through it, or through require(esm) on Node >= 20.19). The sources are
 * `isolatedModules`-clean (tsconfig.json), so per-file transpiling is exact. The declarations do not depend on
 * the module format, so dist/cjs gets a copy of dist/esm's.
 *
 * Files named by package.json "bin" are built as ES modules only (they may use top-level await); the
 * "bin" field must point into dist/esm.
 *
 * No type checking by default (`noCheck`: declarations are still emitted, byte for byte the same): that halves
 * the build, and `npm run typecheck` (CI, prepack) reports type errors. `--check` type-checks too.
 * `--if-stale`: do nothing when dist/ is newer than every source and config file (used by `npm run demo` and
 * jest's global set-up).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const esmOut = join(dist, 'esm');
const cjsOut = join(dist, 'cjs');
const stamp = join(dist, '.built');
const buildConfig = join(root, 'tsconfig.build.json');
const inputs = ['src', 'adapters', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

const started = performance.now();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binTargets = Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}));

if (process.argv.includes('--if-stale') && isCurrent()) {
  console.log('build: dist/ is current, nothing to do');
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });

const check = process.argv.includes('--check');
const config = loadConfig();
const options = check ? config.options : { ...config.options, noCheck: true };
const program = step('program', () => ts.createProgram({ rootNames: config.fileNames, options }));
if (check) step('check', () => report(ts.getPreEmitDiagnostics(program)));
const declarations = new Set();
step('esm', () => {
  const result = program.emit(undefined, (file, text, bom) => {
    if (file.endsWith('.d.ts')) declarations.add(file);
    ts.sys.writeFile(file, text, bom);
  });
  if (check) report(result.diagnostics);
});
writeModuleType(esmOut, 'module');

step('cjs', () => emitCommonJs(config.options));
writeModuleType(cjsOut, 'commonjs');

step('bin', markBinsExecutable);
step('resolve', checkRelativeSpecifiersResolve);
writeFileSync(stamp, `${new Date().toISOString()}\n`);

console.log(`build: done in ${seconds(performance.now() - started)}`);

function step(name, fn) {
  const t0 = performance.now();
  const value = fn();
  console.log(`build: ${name} ok (${seconds(performance.now() - t0)})`);
  return value;
}

function loadConfig() {
  const parsed = ts.getParsedCommandLineOfConfigFile(buildConfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]),
  });
  if (parsed === undefined) fail(`cannot read ${relative(root, buildConfig)}`);
  report(parsed.errors);
  return parsed;
}

function report(diagnostics) {
  if (diagnostics.length === 0) return;
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  fail(`${diagnostics.length} TypeScript error(s)`);
}

/** Every non-bin source of the program again, as CommonJS, next to a copy of its declaration. */
function emitCommonJs(options) {
  const bins = new Set(binSources().map((rel) => join(root, rel)));
  const compilerOptions = { ...options, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, declaration: false, sourceMap: false };
  for (const file of config.fileNames) {
    const source = resolve(file);
    if (bins.has(source) || source.endsWith('.d.ts')) continue;
    const rel = relative(root, source);
    const out = join(cjsOut, rel.replace(/\.ts$/, '.js'));
    const result = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions,
      fileName: source.replace(/\.ts$/, '.cts'),
      reportDiagnostics: true,
    });
    if (check) report(result.diagnostics ?? []);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, result.outputText);
    const declaration = join(esmOut, rel.replace(/\.ts$/, '.d.ts'));
    if (declarations.has(declaration)) writeFileSync(out.replace(/\.js$/, '.d.ts'), readFileSync(declaration));
  }
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

/** dist/ was built after the last change to any input (by modification time). */
function isCurrent() {
  if (!isFile(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  const newest = Math.max(...inputs.map((input) => newestMtime(join(root, input))));
  return newest < builtAt;
}

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
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
