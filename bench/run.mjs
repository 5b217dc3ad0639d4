#!/usr/bin/env node
/**
 * Runs every bench/*.bench.mjs in turn (`npm run bench` builds first, so bench files may import dist/).
 *
 * Convention for a bench file:
 *   export async function run({ print = true } = {}) { ...; if (print) console.table(rows); return rows; }
 * and, so that it also works as `node bench/x.bench.mjs`, it calls run() itself only when it is the main module:
 *   if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
 *
 * A bench file may also export `report(result)` → markdown lines for its section of BENCHMARKS.md, `title`, and
 * `headlines(result)` → lines for docs/benchmarks-summary.md; bench/report.mjs renders the built-in benches itself
 * and any other file through these exports.
 *
 * FLEET HOOK: the fleet benchmark is added by dropping `bench/fleet.bench.mjs` here, following the convention
 * above and exporting `title`, `report(result)` and `headlines(result)`: it is discovered, run and written into
 * BENCHMARKS.md (section "fleet", after the built-in ones) and the summary without any change to this file.
 *
 * Usage: node bench/run.mjs [name-filter...]   e.g. `node bench/run.mjs srp token`
 * A failing bench file is reported and the others still run; the exit code is 1 if any failed.
 * An unfiltered run writes BENCHMARKS.md, bench/benchmarks.svg and docs/benchmarks-summary.md (bench/report.mjs).
 * `BENCH_WRITE=1 node bench/run.mjs srp` re-measures some files and merges them into the last full run's results
 * (bench/results.json) before writing the reports.
 */
import { readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, writeReport } from './report.mjs';

// The AWS SDK prints a multi-line Node-version notice on Node 20; it is noise in a benchmark report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsPath = join(benchDir, 'results.json');
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
const startedAt = new Date().toISOString();
const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

printMachine();

if (files.length === 0) {
  console.log(`\nNo bench/*.bench.mjs file${filters.length > 0 ? ` matches ${filters.join(', ')}` : ''}.`);
  process.exit(filters.length > 0 ? 1 : 0);
}

const outcomes = [];
const results = {};
/** Per file: `{ title, report, headlines }` exports (the hook for bench files the report does not know). */
const renderers = {};
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const started = performance.now();
  try {
    results[file] = await runInOwnProcess(file);
    const mod = await import(pathToFileURL(join(benchDir, file)).href);
    renderers[file] = { title: mod.title, report: mod.report, headlines: mod.headlines };
    outcomes.push({ file, ok: true, seconds: elapsed(started) });
  } catch (error) {
    console.error(`\n${file} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    outcomes.push({ file, ok: false, seconds: elapsed(started) });
  }
}

console.log('\n## Summary\n');
for (const { file, ok, seconds } of outcomes) {
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${file} (${seconds.toFixed(1)} s)`);
}
// A filtered run measures only part of the suite: it rewrites the reports only when asked to (BENCH_WRITE=1), merging
// its results into those of the last full run, whose machine and load figures it keeps beside its own.
const merge = filters.length > 0 && process.env.BENCH_WRITE === '1';
if (filters.length === 0 || merge) {
  const machine = { ...describeMachine(), loadAtStart, startedAt };
  let all = { results, machine, outcomes };
  if (merge) {
    const previous = JSON.parse(await readFile(resultsPath, 'utf8').catch(() => '{}'));
    all = {
      results: { ...(previous.results ?? {}), ...results },
      machine: { ...(previous.machine ?? machine), rerun: { files: Object.keys(results), ...machine } },
      outcomes: [...(previous.outcomes ?? []).filter((o) => !(o.file in results)), ...outcomes],
    };
  }
  for (const file of Object.keys(all.results)) {
    if (file in renderers || !files.concat(readdirSync(benchDir)).includes(file)) continue;
    const mod = await import(pathToFileURL(join(benchDir, file)).href);
    renderers[file] = { title: mod.title, report: mod.report, headlines: mod.headlines };
  }
  await writeFile(resultsPath, `${JSON.stringify(all, null, 1)}\n`);
  const paths = await writeReport(all.results, { machine: all.machine, outcomes: all.outcomes, renderers });
  console.log(`\nwrote ${Object.values(paths).join(', ')}`);
}
const failed = outcomes.filter((outcome) => !outcome.ok).length;
if (failed > 0) {
  console.error(`\n${failed} of ${outcomes.length} bench file(s) failed.`);
  process.exitCode = 1;
}

function printMachine() {
  const cpuList = cpus();
  console.log('# cognito-srp-auth benchmarks\n');
  console.log(`date:    ${new Date().toISOString()}`);
  console.log(`cpu:     ${cpuList[0]?.model.trim() ?? 'unknown'} (${availableParallelism()} cores available)`);
  console.log(`memory:  ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(`os:      ${platform()} ${release()}`);
  console.log(`node:    ${process.version} (V8 ${process.versions.v8})`);
  console.log(`load:    ${loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min averages at start)`);
}

/** One bench file in a fresh node process: no file measures another's garbage (GC pauses) or warm caches. */
async function runInOwnProcess(file) {
  const out = join(await mkdtemp(join(tmpdir(), 'bench-')), 'result.json');
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(benchDir, 'lib', 'run-one.mjs'), file, out], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (status, signal) => resolve(status ?? signal));
  });
  if (code !== 0) throw new Error(`${file} exited ${code}`);
  const result = JSON.parse(await readFile(out, 'utf8'));
  await rm(dirname(out), { recursive: true, force: true });
  return result;
}

function elapsed(started) {
  return (performance.now() - started) / 1000;
}
