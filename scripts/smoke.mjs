#!/usr/bin/env node
/**
 * Packed-tarball smoke test: what a user installs, not what the repo holds.
 *
 *   1. `npm pack` (its prepack runs the build) into a temporary folder;
 *   2. the tarball holds only dist/, README.md, LICENSE and package.json, every exports target and bin;
 *   3. a throw-away project installs the tarball plus the peers (axios, got, undici, at the versions
 *      installed in this repo) and @types/node;
 *   4. every subpath is loaded with `import` (.mjs) and with `require` (.cjs), and each name listed in
 *      scripts/public-exports.mjs is checked to be a class or a function; ESM and CJS export the same names;
 *   5. tsc checks a .mts and a .cts file that use every name, with the declarations shipped in the tarball,
 *      for each module setting in TS_MODULES;
 *   6. the README's quick starts run as written in a project with only the tarball, axios and ioredis
 *      (scripts/smoke-readme.mjs).
 *
 * Usage: npm run smoke            (SMOKE_KEEP=1 keeps the temporary folder)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PUBLIC_EXPORTS, SMOKE_PEERS } from './public-exports.mjs';
import { runReadmeQuickStarts } from './smoke-readme.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TS_MODULES = ['node16', 'nodenext'];
const ALLOWED_IN_TARBALL = [
  /^package\/(package\.json|README\.md|LICENSE)$/,
  /^package\/dist\/(esm|cjs)\/package\.json$/,
  /^package\/dist\/(esm|cjs)\/(src|adapters)\/[\w./-]+\.(js|d\.ts)$/,
];

const failures = [];
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'cognito-srp-auth-smoke-'));
console.log(`smoke: node ${process.version}, working in a temporary folder`);

try {
  const tarball = phase('pack', packTarball);
  phase('contents', () => checkTarballContents(tarball));
  const project = phase('install', () => installIntoThrowAwayProject(tarball));
  const esm = phase('import (ESM)', () => loadEverySubpath(project, 'mjs'));
  const cjs = phase('require (CJS)', () => loadEverySubpath(project, 'cjs'));
  phase('ESM and CJS export the same names', () => compareExportNames(esm, cjs));
  // The tsc runs are the slow part (the shipped declarations are checked with skipLibCheck off): run them side by side.
  await phase(`types (tsc, module ${TS_MODULES.join(' and ')}, .mts and .cts)`, () =>
    Promise.all(TS_MODULES.map((module) => checkTypes(project, module))),
  );
  await phase('README quick starts, as written (tarball + axios + ioredis only)', () =>
    runReadmeQuickStarts({
      tarball,
      work,
      npm,
      versions: { axios: installedVersion('axios'), ioredis: installedVersion('ioredis') },
      failures,
    }),
  );
} finally {
  if (failures.length === 0 && !process.env.SMOKE_KEEP) rmSync(work, { recursive: true, force: true });
  else console.log(`smoke: kept ${work}`);
}

const total = `${((performance.now() - started) / 1000).toFixed(1)} s`;
if (failures.length > 0) {
  console.error(`\nsmoke: FAILED (${failures.length} problem(s), ${total}):`);
  for (const failure of failures) console.error(`  - ${failure}`);
  process.exit(1);
}
console.log(`smoke: all checks passed (${total})`);

function phase(name, fn) {
  const t0 = performance.now();
  const before = failures.length;
  const report = () => {
    const status = failures.length === before ? 'ok' : 'FAILED';
    console.log(`smoke: ${name}: ${status} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  const result = fn();
  if (result instanceof Promise) return result.then((value) => (report(), value));
  report();
  return result;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

function runAsync(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolvePromise({ status: 1, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (status) => resolvePromise({ status: status ?? 1, stdout, stderr }));
  });
}

function mustRun(command, args, options) {
  const result = run(command, args, options);
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`smoke: ${command} ${args.join(' ')} exited with ${result.status} ${result.error ?? ''}`);
  }
  return result;
}

function packTarball() {
  mustRun(npm, ['pack', '--pack-destination', work, '--loglevel=warn'], { cwd: root });
  const tarballs = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`smoke: expected one tarball, found ${tarballs.join(', ') || 'none'}`);
  return join(work, tarballs[0] ?? '');
}

/** Minimal reader for the ustar/pax archive npm writes: path, mode and content of each file. */
function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const entries = [];
  let paxPath;
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    const prefix = field(345, 155);
    const path = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    paxPath = undefined;
    if (type === '0') entries.push({ path, mode: Number.parseInt(field(100, 8).trim(), 8), body });
  }
  return entries;
}

function checkTarballContents(tarball) {
  const entries = readTarball(tarball);
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  for (const { path } of entries) {
    if (!ALLOWED_IN_TARBALL.some((pattern) => pattern.test(path))) failures.push(`tarball holds an unexpected file: ${path}`);
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!byPath.has(`package/${required}`)) failures.push(`tarball lacks ${required}`);
  }
  for (const target of exportTargets(pkg.exports)) {
    if (!byPath.has(`package/${target.replace(/^\.\//, '')}`)) failures.push(`tarball lacks exports target ${target}`);
  }
  for (const [name, target] of Object.entries(pkg.bin ?? {})) {
    const entry = byPath.get(`package/${target.replace(/^\.\//, '')}`);
    if (!entry) failures.push(`tarball lacks bin "${name}" (${target})`);
    else {
      if ((entry.mode & 0o111) === 0) failures.push(`bin "${name}" (${target}) is not executable in the tarball`);
      if (!entry.body.toString('utf8').startsWith('#!/usr/bin/env node')) failures.push(`bin "${name}" has no node shebang`);
    }
  }
  const size = entries.reduce((sum, entry) => sum + entry.body.length, 0);
  console.log(`smoke: tarball has ${entries.length} files, ${(size / 1024).toFixed(0)} KiB unpacked`);
}

function exportTargets(value) {
  if (typeof value === 'string') return value.endsWith('package.json') ? [] : [value];
  return Object.values(value ?? {}).flatMap(exportTargets);
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    throw new Error(`smoke: ${name} is not installed in this repo (run npm ci first)`);
  }
}

function installIntoThrowAwayProject(tarball) {
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'smoke-project', private: true }, null, 2)}\n`);
  const extras = [...SMOKE_PEERS, '@types/node'].map((name) => `${name}@${installedVersion(name)}`);
  console.log(`smoke: installing the tarball with ${extras.join(', ')}`);
  mustRun(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball, ...extras], {
    cwd: project,
  });
  for (const name of Object.keys(pkg.bin ?? {})) {
    if (!existsSync(join(project, 'node_modules', '.bin', name))) failures.push(`npm did not link bin "${name}"`);
  }
  return project;
}

function specifierOf(subpath) {
  return subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
}

/** Runs a generated .mjs or .cjs file that loads each subpath and reports its exports as JSON. */
function loadEverySubpath(project, extension) {
  const load = extension === 'mjs' ? '(specifier) => import(specifier)' : 'async (specifier) => require(specifier)';
  const script = `
const expected = ${JSON.stringify(PUBLIC_EXPORTS)};
const load = ${load};
const isClass = (value) => /^class[\\s{]/.test(Function.prototype.toString.call(value));
(async () => {
  const report = {};
  for (const [subpath, names] of Object.entries(expected)) {
    const specifier = subpath === '.' ? ${JSON.stringify(pkg.name)} : ${JSON.stringify(pkg.name)} + '/' + subpath.slice(2);
    try {
      const mod = await load(specifier);
      const problems = [];
      for (const [name, kind] of Object.entries(names)) {
        const value = mod[name];
        if (value === undefined) problems.push(name + ' is missing');
        else if (typeof value !== 'function') problems.push(name + ' is a ' + typeof value + ', expected a ' + kind);
        else if (kind === 'class' && !isClass(value)) problems.push(name + ' is a function, expected a class');
      }
      report[subpath] = { names: Object.keys(mod).filter((key) => key !== 'default').sort(), problems };
    } catch (error) {
      report[subpath] = { error: String(error && error.stack || error).split('\\n').slice(0, 3).join(' | ') };
    }
  }
  process.stdout.write(JSON.stringify(report));
})();
`;
  const file = join(project, `load-every-subpath.${extension}`);
  writeFileSync(file, script);
  const result = run(process.execPath, [file], { cwd: project });
  if (result.stderr.trim()) process.stderr.write(result.stderr);
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    failures.push(`${extension}: loader crashed (exit ${result.status}): ${result.stdout.slice(0, 500)}`);
    return {};
  }
  for (const [subpath, outcome] of Object.entries(report)) {
    const label = `${extension === 'mjs' ? 'import' : 'require'}('${specifierOf(subpath)}')`;
    if (outcome.error) failures.push(`${label} threw: ${outcome.error}`);
    else for (const problem of outcome.problems) failures.push(`${label}: ${problem}`);
    const ok = !outcome.error && outcome.problems.length === 0;
    console.log(`smoke:   ${ok ? 'ok  ' : 'FAIL'} ${label}${outcome.names ? ` -> ${outcome.names.length} exports` : ''}`);
  }
  return report;
}

function compareExportNames(esm, cjs) {
  for (const subpath of Object.keys(PUBLIC_EXPORTS)) {
    const esmNames = esm[subpath]?.names;
    const cjsNames = cjs[subpath]?.names;
    if (!esmNames || !cjsNames) continue;
    const onlyEsm = esmNames.filter((name) => !cjsNames.includes(name));
    const onlyCjs = cjsNames.filter((name) => !esmNames.includes(name));
    if (onlyEsm.length + onlyCjs.length > 0) {
      failures.push(`${specifierOf(subpath)}: ESM-only names [${onlyEsm}], CJS-only names [${onlyCjs}]`);
    }
  }
}

/** Writes a .mts and a .cts that use every public name with its kind, then runs this repo's tsc on them. */
async function checkTypes(project, module) {
  const lines = [
    'type AnyClass = abstract new (...args: never[]) => unknown;',
    'type AnyFunction = (...args: never[]) => unknown;',
  ];
  Object.entries(PUBLIC_EXPORTS).forEach(([subpath, names], index) => {
    lines.unshift(`import * as m${index} from '${specifierOf(subpath)}';`);
    for (const [name, kind] of Object.entries(names)) {
      lines.push(`export const ${name}_${index}: ${kind === 'class' ? 'AnyClass' : 'AnyFunction'} = m${index}.${name};`);
    }
  });
  const source = `${lines.join('\n')}\n`;
  writeFileSync(join(project, 'uses-every-name.mts'), source);
  writeFileSync(join(project, 'uses-every-name.cts'), source);
  const config = {
    compilerOptions: {
      module,
      moduleResolution: module,
      target: 'es2022',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
    },
    files: ['uses-every-name.mts', 'uses-every-name.cts'],
  };
  const configFile = join(project, `tsconfig.${module}.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await runAsync(process.execPath, [tsc, '-p', configFile, '--pretty', 'false'], { cwd: project });
  if (result.status !== 0) {
    const errors = `${result.stdout}${result.stderr}`.trim().replaceAll(project, '<project>').split('\n');
    for (const error of errors.slice(0, 20)) failures.push(`tsc (module ${module}): ${error}`);
    if (errors.length > 20) failures.push(`tsc (module ${module}): ... ${errors.length - 20} more lines`);
    if (errors.some((line) => /TS1541|TS1479/.test(line))) {
      failures.push(
        `hint: a CommonJS declaration imports an ESM-only package; in the source write type-only imports of it as ` +
          `\`import type { X } from 'pkg' with { 'resolution-mode': 'import' };\``,
      );
    }
  }
}
