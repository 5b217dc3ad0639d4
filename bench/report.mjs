/**
 * Writes BENCHMARKS.md (repository root), bench/benchmarks.svg and docs/benchmarks-summary.md from the results of
 * one `npm run bench`.
 *
 *   import { writeReport } from './report.mjs';
 *   await writeReport({ srp, signin, token, adapters, jwt }, { machine: describeMachine() });
 *
 * `results` maps a bench name (`srp`, `signin`, `token`, `adapters`, `jwt`; a file name such as `srp.bench.mjs`
 * works too) to what that file's `run()` returned. A missing or unreadable result becomes "not measured in this
 * run" instead of failing the report. Any other bench (e.g. the fleet's) is rendered through the `report` and
 * `headlines` functions its file exports (`options.renderers`). Every ratio in the report compares figures
 * measured in the same run on the same machine, side by side; every figure in the summary comes from this run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, arch, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The machine facts printed at the top of the report. */
export function describeMachine() {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} (${arch()})`,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}

/**
 * @param {Record<string, unknown>} results  bench name → `run()` result
 * @param {{ machine?: ReturnType<typeof describeMachine>, outcomes?: { file: string, ok: boolean, seconds: number }[],
 *           markdownPath?: string, svgPath?: string }} [options]
 * @returns {Promise<{ markdownPath: string, svgPath: string }>}
 */
export async function writeReport(results, options = {}) {
  const byName = normalize(results);
  const machine = { ...describeMachine(), ...(options.machine ?? {}) };
  const renderers = normalize(options.renderers ?? {});
  const markdownPath = options.markdownPath ?? join(ROOT, 'BENCHMARKS.md');
  const svgPath = options.svgPath ?? join(ROOT, 'bench', 'benchmarks.svg');
  const summaryPath = options.summaryPath ?? join(ROOT, 'docs', 'benchmarks-summary.md');
  const svgLink = relative(dirname(markdownPath), svgPath).split('\\').join('/');
  await writeFile(svgPath, renderSvg(byName));
  await writeFile(markdownPath, renderMarkdown(byName, machine, svgLink, options.outcomes, renderers));
  await mkdir(dirname(summaryPath), { recursive: true });
  await writeFile(summaryPath, renderSummary(byName, machine, renderers));
  return { markdownPath, svgPath, summaryPath };
}

function normalize(results) {
  const out = {};
  for (const [key, value] of Object.entries(results ?? {})) out[key.replace(/\.bench\.mjs$/, '')] = value;
  return out;
}

// ---------------------------------------------------------------------------------------------- markdown

export function renderMarkdown(results, machine, svgLink = 'bench/benchmarks.svg', outcomes = undefined, renderers = {}) {
  const parts = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (started ${machine.startedAt ?? machine.date}). Every comparison is measured side by side ` +
      'in one process, in rounds that alternate which side goes first; figures are medians over rounds with their ' +
      'interquartile range (IQR), ratios are paired per round, and a verdict is given only when the whole IQR is on ' +
      'one side of the line ("within noise" otherwise). CPU figures are process CPU time (`process.cpuUsage`, user + ' +
      'system, all threads); latency figures are wall-clock time; each is labelled. Absolute numbers depend on the ' +
      'machine and on what else it was doing: see the load below.',
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${machine.cpu}, ${machine.cores} cores available |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| OS | ${machine.os} |`,
    `| Node | ${machine.node} (V8 ${machine.v8}, OpenSSL ${machine.openssl}) |`,
    `| load average at start (1, 5, 15 min) | ${(machine.loadAtStart ?? [machine.loadAverage1m]).join(', ')} |`,
    `| load average (1 min) at report time | ${machine.loadAverage1m} |`,
    `| date | ${machine.date} |`,
  ];
  if (machine.rerun !== undefined) {
    parts.push(
      `| re-measured | ${machine.rerun.files.join(', ')} on ${machine.rerun.date}, load at start ${machine.rerun.loadAtStart?.join(', ')} |`,
    );
  }
  parts.push(
    '',
    `![SRP sign-in CPU cost and adapter overhead](${svgLink})`,
    '',
    section('SRP sign-in math: cognito-srp-auth vs amazon-cognito-identity-js', 'srp', results.srp, srpSection),
    section('A whole sign-in, end to end: client CPU and event-loop blocking', 'signin', results.signin, signinSection),
    section('JWT verification: cognito-srp-auth vs aws-jwt-verify', 'jwt', results.jwt, jwtSection),
    section('getToken() hot path and refresh fan-in', 'token', results.token, tokenSection),
    section('Adapter overhead per HTTP client', 'adapters', results.adapters, adaptersSection),
  );
  // Bench files the report does not know (e.g. fleet.bench.mjs) render themselves through their exports.
  for (const [name, result] of Object.entries(results)) {
    if (BUILT_IN.includes(name)) continue;
    const renderer = renderers[name] ?? {};
    const render = typeof renderer.report === 'function' ? (r) => renderer.report(r) : (r) => ['```json', JSON.stringify(r, null, 2), '```'];
    parts.push(section(renderer.title ?? name, name, result, render));
  }
  if (outcomes?.some((o) => !o.ok)) {
    parts.push('## Bench files that failed in this run', '');
    for (const o of outcomes.filter((x) => !x.ok)) parts.push(`- \`${o.file}\``);
    parts.push('');
  }
  if (outcomes?.length) {
    parts.push('## Run time', '', ...table(['bench file', 'seconds'], outcomes.map((o) => [`\`${o.file}\``, num(o.seconds, 1)])), '');
  }
  parts.push(
    '## Reproduce',
    '',
    '```sh',
    'npm run bench                              # builds, runs bench/*.bench.mjs, rewrites this file, the chart and docs/benchmarks-summary.md',
    'node bench/srp.bench.mjs                   # one benchmark, printed only (after npm run build)',
    'BENCH_WRITE=1 node bench/run.mjs signin    # re-measure one file and merge it into the last full run (bench/results.json)',
    '```',
    '',
  );
  return parts.join('\n');
}

const BUILT_IN = ['srp', 'signin', 'jwt', 'token', 'adapters'];

function section(title, name, result, render) {
  const head = [`## ${title}`, ''];
  if (result === undefined || result === null) return [...head, `Not measured in this run (\`bench/${name}.bench.mjs\`).`, ''].join('\n');
  try {
    return [...head, ...render(result), ''].join('\n');
  } catch (error) {
    return [...head, `The result of \`bench/${name}.bench.mjs\` could not be read (${error.message}).`, ''].join('\n');
  }
}

const dash = '–';
function num(value, digits = 2) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return dash;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.min(digits, 1) });
}
/** "median (IQR q1–q3)" of a spread from bench/lib/stats.mjs, scaled by `scale`. */
function med(s, digits = 2, scale = 1) {
  if (s === undefined || typeof s.median !== 'number') return dash;
  return `${num(s.median * scale, digits)} (IQR ${num(s.q1 * scale, digits)}–${num(s.q3 * scale, digits)})`;
}
function verdictCell(text) {
  if (text === 'met') return 'met';
  if (text === 'missed') return '**missed**';
  return text ?? dash;
}
function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
function need(value, what) {
  if (value === undefined || value === null) throw new Error(`no ${what}`);
  return value;
}

function srpSection(r) {
  const c = need(r.cpuMs, 'cpuMs');
  return [
    'The client-side computation of one USER_SRP_AUTH sign-in (a, A, then the PASSWORD_VERIFIER answer: u, x, S, ' +
      'HKDF, signature), checked by the server side before timing, no network. Our secret exponent a is 448 bits ' +
      '(RFC 3526 sizing for this group); amazon-cognito-identity-js draws 1024 bits. Both effects are shown apart: ' +
      'the same-exponent row is the like-for-like comparison of the two implementations.',
    '',
    ...table(
      ['', 'CPU ms per sign-in computation', 'amazon-cognito-identity-js ÷ this row (paired per round)'],
      [
        ['cognito-srp-auth as shipped (448-bit a)', med(c.ours), `${med(r.ratio?.acijOverOurs, 1)}×`],
        ['cognito-srp-auth with a 1024-bit a (equal exponents)', med(c.ours1024), `${med(r.ratio?.acijOverOurs1024, 1)}×`],
        ['cognito-srp-auth, g^x kept by a VerifierCache (a repeat sign-in)', med(c.oursVerifierCached), dash],
        ['amazon-cognito-identity-js (1024-bit a)', med(c.acij), '1×'],
      ],
    ),
    '',
    `Critical-path **latency** of the answer step when A is already computed (taken from a warm EphemeralPool): ` +
      `${med(r.answerLatencyWithReadyAMs)} ms wall-clock. This is latency, not CPU: computing A still costs its CPU, ` +
      'only before the sign-in starts.',
    '',
    `${r.rounds} rounds alternating the sides (${r.perRound?.ours} computations of ours and ${r.perRound?.acij} of ` +
      'amazon-cognito-identity-js per round).',
  ];
}

function signinSection(r) {
  const c = need(r.clientCpuMs, 'clientCpuMs');
  const e = r.eventLoop ?? {};
  const row = (name, x) => [
    name,
    num(x?.longestTimerGapMs),
    num(x?.longestTimerGapCpuMs),
    num(x?.longestBlockMs),
    num(x?.maxDelayMs),
    num(x?.p99DelayMs),
  ];
  return [
    `${r.what}. The emulator runs in a child process, so the CPU below is the client's alone (process.cpuUsage ` +
      'of the bench process). Each sign-in uses a new provider, as the first sign-in of a process does (no g^x kept, ' +
      'a new TCP connection unless the shared keep-alive pool has one); amazon-cognito-identity-js signs in with a new ' +
      'CognitoUser on a shared pool object. The SRP math row is the same sign-in\'s client-side computation alone (A, ' +
      'then the PASSWORD_VERIFIER answer, no network), measured in the same rounds, so "beyond the math" is a paired ' +
      'difference.',
    '',
    ...table(
      ['', 'client CPU ms per sign-in', 'target'],
      [
        ['cognito-srp-auth CognitoTokenProvider', med(c.ours), `≤ ${r.targets?.cpuMs} ms: ${verdictCell(r.targets?.cpuVerdict)}`],
        ['its SRP math alone (3 modular exponentiations and the hashes around them)', med(c.math), dash],
        ['beyond the math: transport, JSON, token verification, provider (paired difference)', med(r.beyondMathMs), dash],
        [
          'sign-in ÷ its math (paired)',
          `${med(r.overMath)}×`,
          `≤ ${num(r.targets?.overMathUpTo)}× (the issue's ${r.targets?.cpuMs} ms over its ${r.targets?.issueMathMs} ms of math): ${verdictCell(r.targets?.overMathVerdict)}`,
        ],
        [
          'same sign-in through the AWS SDK (a `cognitoClient`, one client kept across providers)',
          med(c.oursSdk),
          `${med(r.sdkOverOurs)}× ours (paired)`,
        ],
        ['a refresh by a signed-in provider (GetTokensFromRefreshToken, both tokens verified)', med(c.refresh), dash],
        ['amazon-cognito-identity-js CognitoUser.authenticateUser', med(c.acij), dash],
        ['ratio amazon-cognito-identity-js ÷ cognito-srp-auth (paired)', `${med(r.ratio, 1)}×`, dash],
      ],
    ),
    '',
    `${r.rounds} rounds alternating the clients (${r.perRound?.ours} sign-ins of ours, ${r.perRound?.acij} of theirs per round).`,
    '',
    '**Longest event-loop block during sign-ins through the real provider**, beside the idle noise floor. A 1 ms ' +
      'interval timer records each gap between its ticks (wall-clock, which includes time the OS gave to other ' +
      'processes) and the CPU this process used within it (which includes GC and libuv threads). The loop was blocked ' +
      'at most for the smaller of the two: "longest block" is the largest such bound over all gaps. The histogram is ' +
      '`perf_hooks.monitorEventLoopDelay`. The SRP steps (a refill of the ephemeral pool, the answer to a challenge) ' +
      'run one per event-loop turn.',
    '',
    ...table(
      ['', 'longest gap, wall ms', 'most CPU within a gap, ms', 'longest block, ms', 'max delay, ms', 'p99 delay, ms'],
      [
        row('idle (noise floor)', e.idle),
        row(`${e.sequential?.signIns} sign-ins, one at a time`, e.sequential),
        row(`${e.concurrent?.signIns} sign-ins at once`, e.concurrent),
      ],
    ),
    '',
    `Target: longest block ≤ ${r.targets?.maxBlockMs} ms: ${verdictCell(r.targets?.maxBlockVerdict)}.`,
  ];
}

function jwtSection(r) {
  const cpu = need(r.cpuMicrosPerVerification, 'cpuMicrosPerVerification');
  const inFlight = r.wallMicrosPerVerificationInFlight ?? {};
  return [
    `Verifying one ${r.token ?? 'Cognito access token'} with the keys in memory: RS256 signature, iss, exp, token_use, client_id.`,
    '',
    ...table(
      ['verifier', 'CPU µs per verification, one at a time', `latency: wall µs per verification with ${r.concurrency} in flight`],
      Object.keys(cpu).map((name) => [name, med(cpu[name], 1), med(inFlight[name], 1)]),
    ),
    '',
    `CPU per verification, cognito-srp-auth ÷ aws-jwt-verify (verify), paired per round: **${med(r.cpuRatio)}×** ` +
      `(target ≤ ${r.target?.cpuRatioUpTo}×: ${verdictCell(r.target?.verdict)}); ÷ verifySync: ${med(r.cpuRatioVsVerifySync)}×. ` +
      `With ${r.concurrency} in flight, wall time per verification ours ÷ theirs: ${med(r.inFlightLatencyRatio)}× ` +
      '(a latency figure on this machine, not CPU).',
    '',
    `${r.rounds} rounds of ${r.opsPerRound} verifications per verifier, alternating.`,
  ];
}

function tokenSection(r) {
  const hot = need(r.hot, 'hot');
  const c = hot.callsPerSecond;
  const m = (s) => (s === undefined ? dash : `${num(s.median / 1e6, 1)} M (IQR ${num(s.q1 / 1e6, 1)}–${num(s.q3 / 1e6, 1)})`);
  const lines = [
    'A provider holding a fresh token: `getToken()` returns the same settled promise after one clock check. Measured ' +
      'against a baseline that only hands out a promise, in alternating rounds.',
    '',
    ...table(
      ['measure', 'calls/s', 'baseline', 'baseline calls/s', 'ratio to baseline (paired)'],
      [
        ['`provider.getToken()` (the synchronous part)', m(c.getToken), '`Promise.resolve(token)`', m(c.baseline), `${med(hot.syncRatio)}×`],
        ['`await provider.getToken()`', m(c.awaitedGetToken), '`await Promise.resolve(token)`', m(c.awaitedBaseline), `${med(hot.awaitedRatio)}×`],
        ['`provider.peekToken()`', m(c.peekToken), dash, dash, dash],
      ],
    ),
    '',
    `Target ≥ 10 M calls/s for the synchronous part: ${verdictCell(hot.verdict)} (${hot.rounds} rounds of ` +
      `${num(hot.callsPerRound?.sync, 0)} calls; awaited: ${num(hot.callsPerRound?.awaited, 0)} calls per round).`,
  ];
  if (r.coldFanIn !== undefined && r.refreshFanIn !== undefined) {
    lines.push(
      '',
      `Fan-in, counted by the emulator: ${num(r.coldFanIn.callers, 0)} concurrent getToken() calls on a cold provider → ` +
        `${num(r.coldFanIn.signIns, 0)} sign-in, ${num(r.coldFanIn.distinctTokens, 0)} distinct token; after invalidate() → ` +
        `${num(r.refreshFanIn.refreshes, 0)} refresh, ${num(r.refreshFanIn.distinctTokens, 0)} distinct token.`,
    );
  }
  return lines;
}

/** Reads the adapters bench rows (column names as that file prints them). */
export function adapterRows(result) {
  const rows = Array.isArray(result) ? result : result?.rows;
  if (!Array.isArray(rows)) throw new Error('no rows');
  const pick = (row, name) => (name in row ? row[name] : row[Object.keys(row).find((k) => k.startsWith(name))]);
  return rows.map((row) => ({
    client: row.client,
    plainRate: pick(row, 'without adapter (req/s)'),
    adapterRate: pick(row, 'with adapter (req/s)'),
    overhead: row.overhead,
    cpuOverhead: row.cpuOverhead,
    cpuWithout: pick(row, 'client CPU µs/req without'),
    cpuWith: pick(row, 'client CPU µs/req with'),
    target: pick(row, 'target'),
    targetLabel: Object.keys(row).find((k) => k.startsWith('target')),
  }));
}

function adaptersSection(result) {
  const rows = adapterRows(result);
  const targetLabel = rows[0]?.targetLabel ?? 'target';
  return [
    'Requests per second against a keep-alive loopback server (in a child process) without the adapter (the same ' +
      'header set statically) and with it (token from a source holding a fresh token). Overheads are the median of ' +
      'per-pair figures with their IQR; when the IQR includes 0 the overhead is "within noise" (not measurable on ' +
      'this machine in this run), and the target verdict needs the whole IQR on one side of 5 %.',
    '',
    ...table(
      ['client', 'req/s without (median)', 'req/s with (median)', 'throughput overhead %', 'client CPU µs/req without', 'with', 'CPU overhead %', targetLabel],
      rows.map((r) => [
        r.client,
        num(r.plainRate, 0),
        num(r.adapterRate, 0),
        med(r.overhead, 1),
        num(r.cpuWithout, 1),
        num(r.cpuWith, 1),
        med(r.cpuOverhead, 1),
        verdictCell(r.target),
      ]),
    ),
    '',
    'The "undici vs pass-through interceptor" row compares the adapter with an interceptor that does nothing, both ' +
      "composed with `Agent.compose()`: it isolates the adapter's own cost from what undici's `compose()` costs any " +
      'interceptor.',
  ];
}

// ---------------------------------------------------------------------------------------------- summary

/** The headline figures for the README, each taken from this run's results (docs/benchmarks-summary.md). */
export function renderSummary(results, machine, renderers = {}) {
  const lines = [
    '# Benchmark headlines',
    '',
    `Generated by \`npm run bench\` with [BENCHMARKS.md](../BENCHMARKS.md) (started ${machine.startedAt ?? machine.date}; ` +
      `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average at start ` +
      `${(machine.loadAtStart ?? [machine.loadAverage1m]).join(', ')}). Every figure below is produced by the bench; ` +
      'medians over alternating rounds, IQR in BENCHMARKS.md. Copy these lines, not older numbers, into the README.',
    '',
  ];
  const add = (name, render) => {
    const r = results[name];
    if (r === undefined || r === null) {
      lines.push(`- ${name}: not measured in this run.`);
      return;
    }
    try {
      lines.push(...render(r).map((l) => `- ${l}`));
    } catch (error) {
      lines.push(`- ${name}: result unreadable (${error.message}).`);
    }
  };
  add('signin', (r) => [
    `A whole SRP sign-in costs **${num(r.clientCpuMs.ours.median)} ms of client CPU** end to end against the local ` +
      `emulator (target ≤ ${r.targets.cpuMs} ms: ${r.targets.cpuVerdict}); its SRP math alone costs ${num(r.clientCpuMs.math.median)} ms on ` +
      `this machine, so the sign-in costs **${num(r.overMath.median)}× its math** (the issue's target read like for like: ` +
      `≤ ${num(r.targets.overMathUpTo)}×: ${r.targets.overMathVerdict}). Through the AWS SDK as transport: ${num(r.clientCpuMs.oursSdk.median)} ms. ` +
      `amazon-cognito-identity-js doing the same sign-in: ${num(r.clientCpuMs.acij.median, 1)} ms (${num(r.ratio.median, 1)}×). ` +
      `A refresh costs ${num(r.clientCpuMs.refresh?.median)} ms of client CPU.`,
    `Longest event-loop block during sign-ins through the provider: ${num(Math.max(r.eventLoop.sequential.longestBlockMs, r.eventLoop.concurrent.longestBlockMs))} ms ` +
      `(target ≤ ${r.targets.maxBlockMs} ms: ${r.targets.maxBlockVerdict}); idle noise floor ${num(r.eventLoop.idle.longestTimerGapMs)} ms wall.`,
  ]);
  add('srp', (r) => [
    `SRP math per sign-in: ${num(r.cpuMs.ours.median)} ms CPU; amazon-cognito-identity-js needs ` +
      `**${num(r.ratio.acijOverOurs.median, 1)}×** that as shipped (our 448-bit vs their 1024-bit exponent) and ` +
      `**${num(r.ratio.acijOverOurs1024.median, 1)}×** with equal 1024-bit exponents.`,
  ]);
  add('jwt', (r) => [
    `JWT verification: ${num(r.cpuMicrosPerVerification[Object.keys(r.cpuMicrosPerVerification)[0]].median, 1)} µs CPU per token, ` +
      `**${num(r.cpuRatio.median)}×** aws-jwt-verify's CPU (target ≤ ${r.target.cpuRatioUpTo}×: ${r.target.verdict}).`,
  ]);
  add('token', (r) => [
    `\`getToken()\` with a fresh token: ${num(r.hot.callsPerSecond.getToken.median / 1e6, 1)} M calls/s ` +
      `(${num(r.hot.syncRatio.median)}× a bare \`Promise.resolve(token)\`); awaited: ${num(r.hot.callsPerSecond.awaitedGetToken.median / 1e6, 1)} M/s ` +
      `(${num(r.hot.awaitedRatio.median)}× \`await Promise.resolve(token)\`). ${num(r.refreshFanIn.callers, 0)} concurrent callers → ` +
      `${num(r.refreshFanIn.refreshes, 0)} refresh.`,
  ]);
  add('adapters', (result) => {
    const rows = adapterRows(result);
    const passThrough = rows.find((r) => r.client === 'undici vs pass-through interceptor');
    return rows
      .filter((r) => r !== passThrough)
      .map((r) => {
        const line =
          `${r.client} adapter: throughput overhead ${num(r.overhead?.median, 1)} % (IQR ${num(r.overhead?.q1, 1)} to ` +
          `${num(r.overhead?.q3, 1)} %): ${r.target}`;
        // Any undici interceptor costs its compose() hop: the adapter's own share is against one that does nothing.
        if (r.client !== 'undici' || passThrough === undefined) return `${line}.`;
        return (
          `${line}; against a pass-through interceptor (the cost of any interceptor removed) ` +
          `${num(passThrough.overhead?.median, 1)} % (IQR ${num(passThrough.overhead?.q1, 1)} to ${num(passThrough.overhead?.q3, 1)} %): ` +
          `${passThrough.target}.`
        );
      });
  });
  for (const [name, result] of Object.entries(results)) {
    if (BUILT_IN.includes(name) || result === undefined || result === null) continue;
    const headlines = renderers[name]?.headlines;
    if (typeof headlines === 'function') add(name, (r) => headlines(r));
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------- SVG chart

const COLORS = { ours: '#2563eb', pooled: '#60a5fa', peer: '#9ca3af', cpu: '#f59e0b', target: '#dc2626' };

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/**
 * Horizontal bars; values may be negative (drawn left of the zero line, with room kept for their labels).
 * A bar with an empty label continues the group above it (e.g. a client's second measure).
 */
function barPanel({ title, unit, bars, y, width, target, legend = [] }) {
  const labelWidth = 240;
  const valueWidth = 150;
  const barHeight = 16;
  const gap = 6;
  const groupGap = 8;
  const values = bars.map((b) => b.value).filter((v) => Number.isFinite(v));
  const max = Math.max(0, ...values, target ?? 0);
  const min = Math.min(0, ...values);
  const negativeRoom = min < 0 ? 60 : 0;
  const plotLeft = labelWidth + negativeRoom;
  const plotWidth = width - plotLeft - valueWidth;
  const span = max - min || 1;
  const x = (v) => plotLeft + ((v - min) / span) * plotWidth;
  const out = [`<text x="10" y="${y + 16}" class="title">${escapeXml(title)}</text>`];
  let legendX = width - 10;
  for (const item of [...legend].reverse()) {
    out.push(`<text x="${legendX}" y="${y + 16}" text-anchor="end" class="muted">${escapeXml(item.label)}</text>`);
    legendX -= item.label.length * 6.2 + 6;
    out.push(`<rect x="${(legendX - 12).toFixed(1)}" y="${y + 6}" width="12" height="12" fill="${item.color}"/>`);
    legendX -= 24;
  }
  let top = y + 30;
  for (const [index, bar] of bars.entries()) {
    if (index > 0 && bar.label !== '') top += groupGap;
    if (bar.label !== '') out.push(`<text x="${labelWidth - 8}" y="${top + 12}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    if (!Number.isFinite(bar.value)) {
      out.push(`<text x="${plotLeft}" y="${top + 12}" class="muted">not measured in this run</text>`);
    } else {
      const x0 = Math.min(x(0), x(bar.value));
      const w = Math.max(1, Math.abs(x(bar.value) - x(0)));
      const text = escapeXml(`${num(bar.value, bar.digits ?? 2)} ${unit}${bar.note ?? ''}`);
      const valueLabel =
        bar.value < 0
          ? `<text x="${(x0 - 4).toFixed(1)}" y="${top + 12}" text-anchor="end">${text}</text>`
          : `<text x="${(x0 + w + 4).toFixed(1)}" y="${top + 12}">${text}</text>`;
      out.push(`<rect x="${x0.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.color}"/>`, valueLabel);
    }
    top += barHeight + gap;
  }
  const axisBottom = top - gap + 4;
  out.push(`<line x1="${x(0).toFixed(1)}" y1="${y + 26}" x2="${x(0).toFixed(1)}" y2="${axisBottom}" stroke="#374151"/>`);
  if (target !== undefined) {
    out.push(
      `<line x1="${x(target).toFixed(1)}" y1="${y + 26}" x2="${x(target).toFixed(1)}" y2="${axisBottom}" stroke="${COLORS.target}" stroke-dasharray="4 3"/>`,
      `<text x="${(x(target) + 4).toFixed(1)}" y="${axisBottom + 12}" class="target">target: throughput overhead &lt; ${target} ${escapeXml(unit)}</text>`,
    );
  }
  return { svg: out.join('\n  '), bottom: axisBottom + (target === undefined ? 8 : 20) };
}

export function renderSvg(results) {
  const width = 760;
  const srp = results.srp;
  const signin = results.signin;
  const srpBars = [
    { label: 'sign-in end to end, ours', value: signin?.clientCpuMs?.ours?.median, color: COLORS.ours },
    { label: 'same, AWS SDK as transport', value: signin?.clientCpuMs?.oursSdk?.median, color: COLORS.pooled },
    { label: 'SRP math, ours (448-bit a)', value: srp?.cpuMs?.ours?.median, color: COLORS.ours },
    { label: 'SRP math, ours, 1024-bit a', value: srp?.cpuMs?.ours1024?.median, color: COLORS.pooled },
  ];
  const peerBars = [
    { label: 'sign-in end to end, acij', value: signin?.clientCpuMs?.acij?.median, color: COLORS.peer, note: signin ? ` (${num(signin.ratio?.median, 1)}×)` : '' },
    { label: 'SRP math, acij (1024-bit a)', value: srp?.cpuMs?.acij?.median, color: COLORS.peer, note: srp ? ` (${num(srp.ratio?.acijOverOurs?.median, 1)}× / ${num(srp.ratio?.acijOverOurs1024?.median, 1)}× equal a)` : '' },
  ];
  const first = barPanel({ title: 'Client CPU ms per sign-in, medians (lower is better)', unit: 'ms', bars: srpBars, y: 10, width });
  const firstPeer = barPanel({ title: 'amazon-cognito-identity-js (acij), same measures', unit: 'ms', bars: peerBars, y: first.bottom + 10, width });

  let rows = [];
  try {
    rows = adapterRows(results.adapters);
  } catch {
    rows = [];
  }
  const adapterBars =
    rows.length === 0
      ? [{ label: 'adapters', value: Number.NaN, color: COLORS.ours }]
      : rows.flatMap((r) => [
          { label: r.client, value: r.overhead?.median, color: COLORS.ours, digits: 1, note: ` (IQR ${num(r.overhead?.q1, 1)}…${num(r.overhead?.q3, 1)})` },
          { label: '', value: r.cpuOverhead?.median, color: COLORS.cpu, digits: 1, note: ` (IQR ${num(r.cpuOverhead?.q1, 1)}…${num(r.cpuOverhead?.q3, 1)})` },
        ]);
  const second = barPanel({
    title: 'Adapter overhead per client, % median (IQR), lower is better',
    unit: '%',
    bars: adapterBars,
    y: firstPeer.bottom + 20,
    width,
    target: rows.length === 0 ? undefined : 5,
    legend: rows.length === 0 ? [] : [{ label: 'throughput (requests/s)', color: COLORS.ours }, { label: 'client CPU per request', color: COLORS.cpu }],
  });
  const height = Math.ceil(second.bottom + 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="cognito-srp-auth benchmarks">
  <style>text { font: 12px -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; fill: #111827; } .title { font-weight: 600; font-size: 13px; } .muted { fill: #6b7280; } .target { fill: ${COLORS.target}; font-size: 11px; }</style>
  <rect width="100%" height="100%" fill="#ffffff"/>
  ${first.svg}
  ${firstPeer.svg}
  ${second.svg}
</svg>
`;
}
