#!/usr/bin/env node
/**
 * SRP sign-in CPU cost: this library (OpenSSL exponentiations) vs amazon-cognito-identity-js (jsbn), side by side.
 *
 *   node bench/srp.bench.mjs            (after `npm run build`; imports ../dist/esm/src/index.js)
 *
 * One "sign-in computation" is everything the client computes for USER_SRP_AUTH: a fresh ephemeral (a, A),
 * then the PASSWORD_VERIFIER answer (u, x, S, HKDF key, TIMESTAMP, signature) for a fixed challenge.
 * Also measured: the same answer with A taken from a warm EphemeralPool (the critical path of a sign-in),
 * and the longest event-loop block while 50 sign-ins run concurrently, interleaved with timers.
 *
 * Exports `run({ print })` (the bench/run.mjs convention): returns a plain object of results and prints a table
 * unless `print` is false. Runs itself when executed directly.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { srp } from '../dist/esm/src/index.js';

const require = createRequire(import.meta.url);
// jsbn (inside amazon-cognito-identity-js) picks its multiply routine by sniffing `navigator` when it loads; Node 21+
// defines one, which selects jsbn's slowest routine (~25x slower). Load it as on Node 20, so the peer is measured at
// its best on every Node version.
const navigatorDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper.js').default;
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', navigatorDescriptor);
// The package signs with @aws-crypto/sha256-js; resolve it the way the package itself does.
const { Sha256 } = createRequire(require.resolve('amazon-cognito-identity-js'))('@aws-crypto/sha256-js');

const OURS_ITERATIONS = 200;
const ACIJ_ITERATIONS = 10;
const WARMUP = { ours: 20, acij: 2 };
const CONCURRENT_SIGN_INS = 50;
const POOL_SIZE = 32;
const TARGETS = { medianMs: 5, ratio: 30, maxBlockMs: 10 };

const POOL_NAME = 'AbC123xyz';
const USER_ID = '3f1b6c2e-8a9d-4e5f-9a7b-0c1d2e3f4a5b';
const PASSWORD = 'Correct-horse-battery-staple-1!';

/** A fixed PASSWORD_VERIFIER challenge, made with our server-side functions (as the emulator does). */
function fixedChallenge() {
  const saltHex = '5d3c1b2a998877665544332211aabbcc';
  const v = srp.computeVerifier(srp.parseSignedHex(saltHex, 'SALT'), POOL_NAME, USER_ID, PASSWORD);
  const server = srp.createServerEphemeral(v, BigInt(`0x${'9b'.repeat(128)}`));
  return { saltHex, srpB: srp.toHex(server.B), secretBlock: Buffer.alloc(1024, 7).toString('base64'), v, server };
}

function oursSignIn(challenge, ephemeral = srp.createEphemeral()) {
  const claim = srp.computePasswordClaim({
    poolName: POOL_NAME,
    userId: USER_ID,
    password: PASSWORD,
    ephemeral,
    salt: challenge.saltHex,
    srpB: challenge.srpB,
    secretBlock: challenge.secretBlock,
  });
  return { srpA: ephemeral.srpA, ...claim };
}

/** What amazon-cognito-identity-js's CognitoUser does for the same step, minus the network. */
function acijSignIn(challenge) {
  const helper = new AuthenticationHelper(POOL_NAME); // draws a and computes A
  let srpA = '';
  helper.getLargeAValue((err, A) => {
    if (err) throw err;
    srpA = A.toString(16);
  });
  let hkdf;
  helper.getPasswordAuthenticationKey(
    USER_ID,
    PASSWORD,
    new BigInteger(challenge.srpB, 16),
    new BigInteger(challenge.saltHex, 16),
    (err, key) => {
      if (err) throw err;
      hkdf = key;
    },
  );
  const timestamp = new DateHelper().getNowString();
  const hmac = new Sha256(hkdf);
  hmac.update(
    Buffer.concat([
      Buffer.from(POOL_NAME, 'utf8'),
      Buffer.from(USER_ID, 'utf8'),
      Buffer.from(challenge.secretBlock, 'base64'),
      Buffer.from(timestamp, 'utf8'),
    ]),
  );
  return { srpA, signature: Buffer.from(hmac.digestSync()).toString('base64'), timestamp, secretBlock: challenge.secretBlock };
}

/** Server-side check that an answer is right, so the benchmark cannot time a broken computation. */
function assertAccepted(challenge, answer, label) {
  const A = srp.parseSignedHex(answer.srpA, 'SRP_A');
  const { B, b } = challenge.server;
  const key = srp.deriveKey(srp.computeU(A, B), srp.computeServerS({ A, B, b, v: challenge.v }));
  const ok = srp.verifyPasswordClaim({
    poolName: POOL_NAME,
    userId: USER_ID,
    secretBlock: answer.secretBlock,
    timestamp: answer.timestamp,
    signature: answer.signature,
    key,
  });
  if (!ok) throw new Error(`${label}: the server rejected the computed PASSWORD_CLAIM_SIGNATURE`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function cpuMsSince(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** `samples` are wall-clock ms per sign-in (performance.now), `cpuSamples` CPU ms per sign-in (process.cpuUsage). */
function summarize(samples, cpuSamples, cpuMicros, wallMs) {
  const iterations = samples.length;
  samples.sort((x, y) => x - y);
  cpuSamples.sort((x, y) => x - y);
  return {
    iterations,
    cpuMsPerSignIn: round(cpuMicros / 1000 / iterations),
    medianCpuMs: round(percentile(cpuSamples, 50)),
    wallMsPerSignIn: round(wallMs / iterations),
    medianMs: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    minMs: round(samples[0]),
    maxMs: round(samples[samples.length - 1]),
  };
}

/** Times `iterations` calls of `fn`, each on its own (performance.now) and together (process.cpuUsage). */
function measure(iterations, warmup, fn) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  const cpuSamples = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
    cpuSamples.push(cpuMsSince(c0));
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  return summarize(samples, cpuSamples, cpu.user + cpu.system, wallMs);
}

/** Like `measure`, but takes A from a warm EphemeralPool; refills happen between timed batches, untimed. */
async function measurePooled(iterations, warmup, challenge) {
  const pool = new srp.EphemeralPool(POOL_SIZE);
  const untilFull = async () => {
    while (pool.available < POOL_SIZE) await sleep(1);
  };
  await untilFull();
  for (let i = 0; i < warmup; i++) oursSignIn(challenge, pool.take());
  const samples = [];
  const cpuSamples = [];
  let cpuMicros = 0;
  let wallMs = 0;
  while (samples.length < iterations) {
    await untilFull();
    const batch = Math.min(POOL_SIZE, iterations - samples.length);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (let i = 0; i < batch; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      oursSignIn(challenge, pool.take());
      samples.push(performance.now() - t0);
      cpuSamples.push(cpuMsSince(c0));
    }
    wallMs += performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
  }
  return summarize(samples, cpuSamples, cpuMicros, wallMs);
}

/**
 * Longest event-loop block while `count` sign-ins run concurrently: each sign-in computes A, waits for a timer
 * (the InitiateAuth round trip), then computes its answer, while a 1 ms interval keeps timers in play.
 */
async function eventLoopBlock(count, signIn) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  let longestGap = 0;
  let longestGapCpu = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  // Wall-clock gaps include time the OS gave to other processes; the CPU this process burned between two
  // ticks is what the code itself blocked for.
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    longestGapCpu = Math.max(longestGapCpu, cpuMsSince(lastCpu));
    last = now;
    lastCpu = process.cpuUsage();
    ticks++;
  }, 1);
  histogram.enable();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(i % 5); // staggered starts
      const ephemeral = await signIn.start();
      await sleep(1 + (i % 3)); // the InitiateAuth round trip
      await signIn.finish(ephemeral);
    }),
  );
  const elapsedMs = performance.now() - started;
  histogram.disable();
  clearInterval(ticker);
  return {
    signIns: count,
    elapsedMs: round(elapsedMs),
    maxBlockMs: round(histogram.max / 1e6),
    p99DelayMs: round(histogram.percentile(99) / 1e6),
    longestTimerGapMs: round(longestGap),
    longestTimerGapCpuMs: round(longestGapCpu),
    timerTicks: ticks,
  };
}

function round(x) {
  return Math.round(x * 100) / 100;
}

export async function run({ print = true } = {}) {
  const challenge = fixedChallenge();
  assertAccepted(challenge, oursSignIn(challenge), 'cognito-srp-auth');
  assertAccepted(challenge, acijSignIn(challenge), 'amazon-cognito-identity-js');

  const ours = measure(OURS_ITERATIONS, WARMUP.ours, () => oursSignIn(challenge));

  const oursPooled = await measurePooled(OURS_ITERATIONS, WARMUP.ours, challenge);

  const acij = measure(ACIJ_ITERATIONS, WARMUP.acij, () => acijSignIn(challenge));

  // The recommended path: each heavy step on its own event-loop turn (runInTurn).
  const oursLoop = await eventLoopBlock(CONCURRENT_SIGN_INS, {
    start: () => srp.createEphemeralAsync(),
    finish: (ephemeral) =>
      srp.computePasswordClaimAsync({
        poolName: POOL_NAME,
        userId: USER_ID,
        password: PASSWORD,
        ephemeral,
        salt: challenge.saltHex,
        srpB: challenge.srpB,
        secretBlock: challenge.secretBlock,
      }),
  });
  // The synchronous functions called straight from timer callbacks: sign-ins whose timers fire together stack up.
  const oursLoopSync = await eventLoopBlock(CONCURRENT_SIGN_INS, {
    start: () => srp.createEphemeral(),
    finish: (ephemeral) => oursSignIn(challenge, ephemeral),
  });

  const ratio = round(acij.cpuMsPerSignIn / ours.cpuMsPerSignIn);
  const result = {
    node: process.version,
    loadAverage1m: round(loadavg()[0] ?? 0),
    cores: availableParallelism(),
    openssl: process.versions.openssl,
    ours,
    oursWithWarmEphemeralPool: oursPooled,
    amazonCognitoIdentityJs: acij,
    cpuRatio: ratio,
    eventLoop: oursLoop,
    eventLoopSyncCalls: oursLoopSync,
    targets: {
      ...TARGETS,
      medianMet: ours.medianMs <= TARGETS.medianMs,
      medianCpuMet: ours.medianCpuMs <= TARGETS.medianMs,
      ratioMet: ratio >= TARGETS.ratio,
      maxBlockMet: oursLoop.maxBlockMs <= TARGETS.maxBlockMs,
      maxBlockCpuMet: oursLoop.longestTimerGapCpuMs <= TARGETS.maxBlockMs,
    },
  };
  if (print) printTable(result);
  return result;
}

function printTable(r) {
  const rows = [
    ['', 'cognito-srp-auth', 'same, A from pool', 'amazon-cognito-identity-js'],
    ['iterations', r.ours.iterations, r.oursWithWarmEphemeralPool.iterations, r.amazonCognitoIdentityJs.iterations],
    ['CPU ms / sign-in (mean)', r.ours.cpuMsPerSignIn, r.oursWithWarmEphemeralPool.cpuMsPerSignIn, r.amazonCognitoIdentityJs.cpuMsPerSignIn],
    ['CPU ms median', r.ours.medianCpuMs, r.oursWithWarmEphemeralPool.medianCpuMs, r.amazonCognitoIdentityJs.medianCpuMs],
    ['wall ms median', r.ours.medianMs, r.oursWithWarmEphemeralPool.medianMs, r.amazonCognitoIdentityJs.medianMs],
    ['wall ms p95', r.ours.p95Ms, r.oursWithWarmEphemeralPool.p95Ms, r.amazonCognitoIdentityJs.p95Ms],
    ['wall ms max', r.ours.maxMs, r.oursWithWarmEphemeralPool.maxMs, r.amazonCognitoIdentityJs.maxMs],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  console.log(
    `SRP sign-in computation (A + PASSWORD_VERIFIER answer), Node ${r.node}, OpenSSL ${r.openssl}, ` +
      `${r.cores} cores, load average ${r.loadAverage1m} (wall-clock figures include time given to other processes)`,
  );
  for (const row of rows) console.log(row.map((cell, c) => String(cell).padStart(widths[c])).join('  '));
  const mark = (ok) => (ok ? 'ok' : 'MISSED');
  console.log(`CPU ratio amazon-cognito-identity-js / ours: ${r.cpuRatio}x (target >= ${r.targets.ratio}x: ${mark(r.targets.ratioMet)})`);
  console.log(
    `median per sign-in: ${r.ours.medianCpuMs} ms CPU (target <= ${r.targets.medianMs} ms: ${mark(r.targets.medianCpuMet)}), ` +
      `${r.ours.medianMs} ms wall (${mark(r.targets.medianMet)}); with A from a warm EphemeralPool: ` +
      `${r.oursWithWarmEphemeralPool.medianCpuMs} ms CPU, ${r.oursWithWarmEphemeralPool.medianMs} ms wall`,
  );
  console.log(
    `event loop, ${r.eventLoop.signIns} concurrent sign-ins in ${r.eventLoop.elapsedMs} ms: longest block ${r.eventLoop.maxBlockMs} ms ` +
      `(target <= ${r.targets.maxBlockMs} ms: ${mark(r.targets.maxBlockMet)}), p99 delay ${r.eventLoop.p99DelayMs} ms, ` +
      `longest 1 ms-timer gap ${r.eventLoop.longestTimerGapMs} ms wall / ${r.eventLoop.longestTimerGapCpuMs} ms CPU ` +
      `(${mark(r.targets.maxBlockCpuMet)}) (async API: createEphemeralAsync + computePasswordClaimAsync)`,
  );
  console.log(
    `  same with the sync functions called from timer callbacks: longest block ${r.eventLoopSyncCalls.maxBlockMs} ms ` +
      `wall / ${r.eventLoopSyncCalls.longestTimerGapCpuMs} ms CPU (sign-ins whose timers fire together run back to back)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
