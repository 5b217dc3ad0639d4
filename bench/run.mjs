#!/usr/bin/env node
/**
 * Runs every bench/*.bench.mjs in turn (`npm run bench` builds first, so bench files may import dist/).
 *
 * Convention for a bench file:
 *   export async function run({ print = true } = {}) { ...; if (print) console.table(rows); return rows; }
 * and, so that it also works as `node bench/x.bench.mjs`, it calls run() itself only when it is the main module:
 *   if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
 *
 * Usage: node bench/run.mjs [name-filter...]   e.g. `node bench/run.mjs srp token`
 * A failing bench file is reported and the others still run; the exit code is 1 if any failed.
 * An unfiltered run writes BENCHMARKS.md and bench/benchmarks.svg (bench/report.mjs).
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, writeReport } from './report.mjs';

// The AWS SDK prints a multi-line Node-version notice on Node 20; it is noise in a benchmark report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const benchDir = dirname(fileURLToPath(import.meta.url));
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
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const started = performance.now();
  try {
    const mod = await import(pathToFileURL(join(benchDir, file)).href);
    if (typeof mod.run !== 'function') throw new TypeError(`${file} exports no run() function`);
    results[file] = await mod.run({ print: true });
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
// A filtered run measures only part of the suite: it does not rewrite BENCHMARKS.md.
if (filters.length === 0) {
  const { markdownPath, svgPath } = await writeReport(results, { machine: describeMachine(), outcomes });
  console.log(`\nwrote ${markdownPath} and ${svgPath}`);
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
}

function elapsed(started) {
  return (performance.now() - started) / 1000;
}
