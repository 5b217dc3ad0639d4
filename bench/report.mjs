/**
 * Writes BENCHMARKS.md (repository root) and bench/benchmarks.svg from the results of one `npm run bench`.
 *
 *   import { writeReport } from './report.mjs';
 *   await writeReport({ srp, token, adapters, jwt }, { machine: describeMachine() });
 *
 * `results` maps a bench name (`srp`, `token`, `adapters`, `jwt`; a file name such as `srp.bench.mjs` works
 * too) to what that file's `run()` returned. A missing or unreadable result becomes "not measured in this
 * run" instead of failing the report, so a partial run (`node bench/run.mjs srp`) still writes a valid file.
 * Every ratio in the report compares figures measured in the same run on the same machine.
 */
import { writeFile } from 'node:fs/promises';
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
  const markdownPath = options.markdownPath ?? join(ROOT, 'BENCHMARKS.md');
  const svgPath = options.svgPath ?? join(ROOT, 'bench', 'benchmarks.svg');
  const svgLink = relative(dirname(markdownPath), svgPath).split('\\').join('/');
  await writeFile(svgPath, renderSvg(byName));
  await writeFile(markdownPath, renderMarkdown(byName, machine, svgLink, options.outcomes));
  return { markdownPath, svgPath };
}

function normalize(results) {
  const out = {};
  for (const [key, value] of Object.entries(results ?? {})) out[key.replace(/\.bench\.mjs$/, '')] = value;
  return out;
}

// ---------------------------------------------------------------------------------------------- markdown

export function renderMarkdown(results, machine, svgLink = 'bench/benchmarks.svg', outcomes = undefined) {
  const parts = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${machine.date}. Each comparison is between figures measured in the same run on the ` +
      'same machine; absolute numbers depend on the machine and on what else it was doing (load average below).',
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${machine.cpu}, ${machine.cores} cores available |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| OS | ${machine.os} |`,
    `| Node | ${machine.node} (V8 ${machine.v8}, OpenSSL ${machine.openssl}) |`,
    `| load average (1 min) at report time | ${machine.loadAverage1m} |`,
    `| date | ${machine.date} |`,
    '',
    `![SRP sign-in CPU cost and adapter overhead](${svgLink})`,
    '',
    section('SRP sign-in: cognito-srp-auth vs amazon-cognito-identity-js', 'srp', results.srp, srpSection),
    section('getToken() hot path and refresh fan-in', 'token', results.token, tokenSection),
    section('Adapter overhead per HTTP client', 'adapters', results.adapters, adaptersSection),
    section('JWT verification: cognito-srp-auth vs aws-jwt-verify', 'jwt', results.jwt, jwtSection),
  ];
  if (outcomes?.some((o) => !o.ok)) {
    parts.push('## Bench files that failed in this run', '');
    for (const o of outcomes.filter((x) => !x.ok)) parts.push(`- \`${o.file}\``);
    parts.push('');
  }
  parts.push(
    '## Reproduce',
    '',
    '```sh',
    'npm run bench              # builds, runs bench/*.bench.mjs, rewrites this file and bench/benchmarks.svg',
    'node bench/srp.bench.mjs   # one benchmark, printed only (after npm run build)',
    '```',
    '',
  );
  return parts.join('\n');
}

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
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}
function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : undefined;
}
function met(flag) {
  return flag === true ? 'met' : flag === false ? '**missed**' : dash;
}
function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
function need(value, what) {
  if (value === undefined || value === null) throw new Error(`no ${what}`);
  return value;
}

function srpSection(r) {
  const ours = need(r.ours, 'ours');
  const pooled = r.oursWithWarmEphemeralPool ?? {};
  const acij = need(r.amazonCognitoIdentityJs, 'amazonCognitoIdentityJs');
  const cpuRatio = r.cpuRatio ?? ratio(acij.cpuMsPerSignIn, ours.cpuMsPerSignIn);
  const lines = [
    'The client-side computation of one USER_SRP_AUTH sign-in (a, A, then the PASSWORD_VERIFIER answer: u, x, S, ' +
      'HKDF, signature), checked by the server side before timing.',
    '',
    ...table(
      ['', 'cognito-srp-auth', 'same, A from a warm pool', 'amazon-cognito-identity-js'],
      [
        ['CPU ms per sign-in (mean)', num(ours.cpuMsPerSignIn), num(pooled.cpuMsPerSignIn), num(acij.cpuMsPerSignIn)],
        ['CPU ms, median', num(ours.medianCpuMs), num(pooled.medianCpuMs), num(acij.medianCpuMs)],
        ['wall ms, median', num(ours.medianMs), num(pooled.medianMs), num(acij.medianMs)],
        ['wall ms, p95', num(ours.p95Ms), num(pooled.p95Ms), num(acij.p95Ms)],
        ['iterations', num(ours.iterations, 0), num(pooled.iterations, 0), num(acij.iterations, 0)],
      ],
    ),
    '',
    `**amazon-cognito-identity-js needs ${num(cpuRatio, 1)}× the CPU time of cognito-srp-auth per sign-in**` +
      (r.targets?.ratio === undefined ? '.' : ` (target ≥ ${r.targets.ratio}×: ${met(r.targets.ratioMet)}).`),
  ];
  if (r.targets?.medianMs !== undefined) {
    lines.push(`Median per sign-in ${num(ours.medianCpuMs)} ms CPU (target ≤ ${r.targets.medianMs} ms: ${met(r.targets.medianCpuMet ?? r.targets.medianMet)}).`);
  }
  if (r.eventLoop !== undefined) {
    const e = r.eventLoop;
    lines.push(
      `Event loop with ${num(e.signIns, 0)} concurrent sign-ins (async API): longest block ${num(e.maxBlockMs)} ms` +
        `${r.targets?.maxBlockMs === undefined ? '' : ` (target ≤ ${r.targets.maxBlockMs} ms: ${met(r.targets.maxBlockMet)})`}, ` +
        `longest 1 ms-timer gap ${num(e.longestTimerGapCpuMs)} ms of CPU.`,
    );
  }
  return lines;
}

function tokenSection(r) {
  const lines = [];
  if (Array.isArray(r.rows) && r.rows.length > 0) {
    lines.push(...table(['measure', 'value', 'target', ''], r.rows.map((row) => [row.measure, row.value, row.target, met(row.ok)])));
  } else {
    lines.push(
      ...table(
        ['measure', 'value'],
        [
          ['getToken() with a fresh token', `${num(need(r.getTokenCallsPerSecond, 'getTokenCallsPerSecond') / 1e6, 1)} M calls/s`],
          ['peekToken()', `${num(r.peekTokenCallsPerSecond / 1e6, 1)} M calls/s`],
        ],
      ),
    );
  }
  const fan = r.refreshFanIn;
  if (fan !== undefined) {
    lines.push(
      '',
      `Refresh fan-in: ${num(fan.callers, 0)} concurrent getToken() calls after invalidate() → ${num(fan.refreshes, 0)} refresh, ` +
        `${num(fan.distinctTokens, 0)} distinct token, ${num(fan.ms, 0)} ms (counted by the emulator).`,
    );
  }
  return lines;
}

/** Reads the adapters bench rows (column names as that file prints them). */
export function adapterRows(result) {
  const rows = Array.isArray(result) ? result : result?.rows;
  if (!Array.isArray(rows)) throw new Error('no rows');
  // Exact column names first (as adapters.bench.mjs prints them), then a prefix match.
  const pick = (row, name) => (name in row ? row[name] : row[Object.keys(row).find((k) => k.startsWith(name))]);
  return rows.map((row) => ({
    client: row.client,
    plainRate: pick(row, 'without adapter (req/s)'),
    adapterRate: pick(row, 'with adapter (req/s)'),
    overheadPercent: pick(row, 'throughput overhead %'),
    cpuWithout: pick(row, 'client CPU µs/req without'),
    cpuWith: pick(row, 'client CPU µs/req with'),
    cpuOverheadPercent: pick(row, 'CPU overhead %'),
    target: pick(row, 'target'),
    targetLabel: Object.keys(row).find((k) => k.startsWith('target')),
  }));
}

function adaptersSection(result) {
  const rows = adapterRows(result);
  const targetLabel = rows[0]?.targetLabel ?? 'target';
  return [
    'Requests per second against a keep-alive loopback server, without the adapter (the same header set statically) ' +
      'and with it (token from a provider holding a fresh token); medians of paired, interleaved samples.',
    '',
    ...table(
      ['client', 'req/s without', 'req/s with', 'throughput overhead', 'client CPU µs/req without', 'with', 'CPU overhead', targetLabel],
      rows.map((r) => [
        r.client,
        num(r.plainRate, 0),
        num(r.adapterRate, 0),
        `${num(r.overheadPercent, 1)} %`,
        num(r.cpuWithout, 1),
        num(r.cpuWith, 1),
        `${num(r.cpuOverheadPercent, 1)} %`,
        r.target === 'MISSED' ? '**missed**' : (r.target ?? dash),
      ]),
    ),
    '',
    'The "undici vs pass-through interceptor" row compares the adapter with an interceptor that does nothing, both ' +
      "composed with `Agent.compose()`: it isolates the adapter's own cost from what undici's `compose()` costs any " +
      'interceptor (the difference between the "undici" and "undici vs pass-through" rows).',
  ];
}

function jwtSection(r) {
  const rows = need(r.rows, 'rows');
  const keys = Object.keys(rows[0] ?? {});
  return [
    `Verifying one ${r.token ?? 'Cognito access token'} with the keys in memory: signature, issuer, exp, token_use, client_id.`,
    '',
    ...table(keys, rows.map((row) => keys.map((k) => (typeof row[k] === 'number' ? num(row[k], 1) : String(row[k]))))),
    '',
    `cognito-srp-auth / aws-jwt-verify: **${num(r.ratioSequential)}×** the verifications per second one at a time, ` +
      `**${num(r.ratioConcurrent)}×** with ${num(r.concurrency, 0)} in flight (above 1: ours is faster)` +
      (r.ours?.sequential?.cpuMicrosPerOp === undefined || r.peer?.sequential?.cpuMicrosPerOp === undefined
        ? '.'
        : `; CPU per verification: ${num(r.ours.sequential.cpuMicrosPerOp, 1)} µs ours, ${num(r.peer.sequential.cpuMicrosPerOp, 1)} µs aws-jwt-verify.`),
  ];
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
  const srpBars = [
    { label: 'cognito-srp-auth', value: srp?.ours?.cpuMsPerSignIn, color: COLORS.ours },
    { label: 'cognito-srp-auth, A from a warm pool', value: srp?.oursWithWarmEphemeralPool?.cpuMsPerSignIn, color: COLORS.pooled },
    { label: 'amazon-cognito-identity-js', value: srp?.amazonCognitoIdentityJs?.cpuMsPerSignIn, color: COLORS.peer },
  ];
  const srpRatio = srp?.cpuRatio ?? ratio(srpBars[2].value, srpBars[0].value);
  if (srpRatio !== undefined) srpBars[2].note = ` (${num(srpRatio, 1)}×)`;
  const first = barPanel({ title: 'SRP sign-in: client CPU ms per sign-in (lower is better)', unit: 'ms', bars: srpBars, y: 10, width });

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
          { label: r.client, value: r.overheadPercent, color: COLORS.ours, digits: 1 },
          { label: '', value: r.cpuOverheadPercent, color: COLORS.cpu, digits: 1 },
        ]);
  const second = barPanel({
    title: 'Adapter overhead per client, % (lower is better)',
    unit: '%',
    bars: adapterBars,
    y: first.bottom + 20,
    width,
    target: rows.length === 0 ? undefined : 5,
    legend: rows.length === 0 ? [] : [{ label: 'throughput (requests/s)', color: COLORS.ours }, { label: 'client CPU per request', color: COLORS.cpu }],
  });
  const height = Math.ceil(second.bottom + 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="cognito-srp-auth benchmarks">
  <style>text { font: 12px -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; fill: #111827; } .title { font-weight: 600; font-size: 13px; } .muted { fill: #6b7280; } .target { fill: ${COLORS.target}; font-size: 11px; }</style>
  <rect width="100%" height="100%" fill="#ffffff"/>
  ${first.svg}
  ${second.svg}
</svg>
`;
}
