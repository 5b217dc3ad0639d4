#!/usr/bin/env node
/**
 * A whole USER_SRP_AUTH sign-in, end to end against the local emulator: this library's CognitoTokenProvider vs
 * amazon-cognito-identity-js's CognitoUser.authenticateUser doing the same sign-in, beside the SRP math of that
 * sign-in alone (measured in the same rounds), so what the sign-in costs beyond its math is a paired difference.
 *
 *   node bench/signin.bench.mjs         (after `npm run build`)
 *
 * The emulator runs in a child process (bench/lib/emulator-child.mjs), so process.cpuUsage() here is the client's
 * CPU alone: building the provider, the SRP math, both Cognito requests and responses, and the verification of the
 * two tokens (with the pool's JWKS given, as after the first sign-in of a process). The same sign-in is also measured
 * through the AWS SDK (`cognitoClient`), the transport a caller can swap in. Rounds alternate the sides; medians and
 * IQR over rounds, ratios and differences paired per round. Target: <= 5 ms client CPU.
 *
 * Then the longest event-loop block during sign-ins through the real provider, beside the idle noise floor: a 1 ms
 * interval timer records each gap between its ticks (wall) and the CPU this process used within that gap (a gap
 * the OS gave to another process uses none); perf_hooks.monitorEventLoopDelay gives the delay histogram.
 * Target: the longest block <= 10 ms.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { assertAccepted, fixedChallenge, oursSignIn } from './lib/srp-fixture.mjs';
import { alternate, pairedRatios, round, settledHeap, spread, targetVerdict } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
// As in srp.bench.mjs: jsbn picks its slowest multiply routine when `navigator` exists (Node 21+); load the peer as
// on Node 20 so it is measured at its best on every Node version.
const navigatorDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', navigatorDescriptor);

const PASSWORD = 'Bench-SignIn-Passw0rd-1!';
const ROUNDS = Number(process.env.BENCH_SIGNIN_ROUNDS ?? 20);
/** Sign-ins (of each of our variants) before measuring: a steady state, as in a process that has run a while. */
const WARMUP_SIGN_INS = 20;
const OURS_PER_ROUND = 20;
const ACIJ_PER_ROUND = 1;
const BLOCK_SIGN_INS = 20;
const CONCURRENT_SIGN_INS = 10;
const IDLE_MS = 1_000;
const TARGETS = { cpuMs: 5, maxBlockMs: 10 };
/**
 * The issue behind the 5 ms target measured the SRP math of a sign-in at ~2.7 ms on its machine: 5 ms is a sign-in
 * costing at most 5 / 2.7 times its math. On a slower or faster machine that ratio is the like-for-like reading.
 */
const ISSUE_MATH_MS = 2.7;

class MemoryStorage {
  #items = new Map();
  setItem(key, value) {
    this.#items.set(key, value);
  }
  getItem(key) {
    return this.#items.get(key) ?? null;
  }
  removeItem(key) {
    this.#items.delete(key);
  }
  clear() {
    this.#items.clear();
  }
}

function clients(emu, jwks) {
  const options = {
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    endpoint: emu.endpoint,
    username: 'bench',
    password: PASSWORD,
    verify: { jwks },
  };
  const ours = async () => {
    const provider = new CognitoTokenProvider(options);
    try {
      const tokens = await provider.getTokens();
      if (typeof tokens.accessToken !== 'string') throw new Error('no access token');
    } finally {
      provider.close();
    }
  };
  // The same sign-in through the AWS SDK (a `cognitoClient` as the provider's docs show it, kept across providers):
  // what the provider's own AWS JSON transport saves.
  const sharedClient = new CognitoIdentityProviderClient({
    region: emu.userPoolId.split('_')[0],
    endpoint: emu.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const oursSdk = async () => {
    const provider = new CognitoTokenProvider({ ...options, cognitoClient: sharedClient });
    try {
      await provider.getTokens();
    } finally {
      provider.close();
    }
  };
  // A refresh on a signed-in provider: invalidate() makes the next getToken() refresh (one Cognito call, two
  // verifications).
  const refresher = new CognitoTokenProvider(options);
  const refresh = async () => {
    refresher.invalidate();
    await refresher.getToken();
  };
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: emu.userPoolId, ClientId: emu.clientId, endpoint: emu.endpoint, Storage: storage });
  const acij = () =>
    new Promise((resolve, reject) => {
      const user = new CognitoUser({ Username: 'bench', Pool: pool, Storage: storage });
      user.setAuthenticationFlowType('USER_SRP_AUTH');
      user.authenticateUser(new AuthenticationDetails({ Username: 'bench', Password: PASSWORD }), {
        onSuccess: (session) => (session.getAccessToken().getJwtToken() ? resolve() : reject(new Error('no access token'))),
        onFailure: reject,
      });
    });
  // The SRP math of one such sign-in alone (a new provider has no g^x kept): A, then the PASSWORD_VERIFIER answer for
  // a challenge of the same shape, checked by the server side once before timing.
  const challenge = fixedChallenge();
  const math = () => oursSignIn(challenge);
  assertAccepted(challenge, math(), 'the SRP math of a sign-in');
  return {
    ours,
    oursSdk,
    math,
    refresh,
    acij,
    close: () => {
      sharedClient.destroy();
      refresher.close();
    },
  };
}

/** CPU ms per call over `count` calls, after one untimed call (every side alike: caches warm again after the pause). */
async function cpuMsPerSignIn(signIn, count) {
  await signIn();
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await signIn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / count;
}

/** Runs `work` under the probes: longest 1 ms-timer gap (wall, and CPU used within it) and the delay histogram. */
async function probe(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let longestGap = 0;
  let longestGapCpu = 0;
  let longestBlock = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const gapMs = now - last;
    const gapCpuMs = (cpu.user + cpu.system) / 1000;
    longestGap = Math.max(longestGap, gapMs);
    longestGapCpu = Math.max(longestGapCpu, gapCpuMs);
    // The loop was blocked at most for the gap's wall time (less when the OS ran another process) and at most for the
    // CPU this process used in it (less when GC or libuv threads used some of it): the smaller bounds the block.
    longestBlock = Math.max(longestBlock, Math.min(gapMs, gapCpuMs));
    last = now;
    lastCpu = process.cpuUsage();
  }, 1);
  histogram.enable();
  const started = performance.now();
  try {
    await work();
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
  return {
    elapsedMs: round(performance.now() - started),
    longestTimerGapMs: round(longestGap),
    longestTimerGapCpuMs: round(longestGapCpu),
    longestBlockMs: round(longestBlock),
    maxDelayMs: round(histogram.max / 1e6),
    p99DelayMs: round(histogram.percentile(99) / 1e6),
  };
}

export async function run({ print = true } = {}) {
  const emu = await startEmulatorChild({ users: [{ username: 'bench', password: PASSWORD }] });
  try {
    const jwks = await (await fetch(emu.jwksUri)).json();
    const { ours, oursSdk, math, refresh, acij, close } = clients(emu, jwks);
    // Warm-up (JIT; each bench file runs in a fresh process), and proof that both sign in.
    for (let i = 0; i < WARMUP_SIGN_INS; i++) {
      await ours();
      await oursSdk();
      await refresh();
      math();
    }
    await acij();
    await acij();

    const cpu = await alternate(
      {
        ours: () => cpuMsPerSignIn(ours, OURS_PER_ROUND),
        oursSdk: () => cpuMsPerSignIn(oursSdk, OURS_PER_ROUND),
        math: () => cpuMsPerSignIn(math, OURS_PER_ROUND),
        refresh: () => cpuMsPerSignIn(refresh, OURS_PER_ROUND),
        acij: () => cpuMsPerSignIn(acij, ACIJ_PER_ROUND),
      },
      ROUNDS,
    );
    close();
    const oursCpu = spread(cpu.ours);
    const overMath = spread(pairedRatios(cpu.ours, cpu.math));

    // Each probe starts on a collected heap: amazon-cognito-identity-js's garbage from the rounds above is not ours.
    await settledHeap();
    const idle = await probe(() => sleep(IDLE_MS));
    await settledHeap();
    const sequential = await probe(async () => {
      for (let i = 0; i < BLOCK_SIGN_INS; i++) await ours();
    });
    await settledHeap();
    const concurrent = await probe(() => Promise.all(Array.from({ length: CONCURRENT_SIGN_INS }, ours)));

    const result = {
      node: process.version,
      cores: availableParallelism(),
      loadAverage1m: round(loadavg()[0] ?? 0),
      rounds: ROUNDS,
      perRound: { ours: OURS_PER_ROUND, acij: ACIJ_PER_ROUND },
      what:
        'USER_SRP_AUTH sign-in end to end against the emulator (child process): provider built, ' +
        `InitiateAuth, PASSWORD_VERIFIER answer, both tokens verified with the JWKS given; after ${WARMUP_SIGN_INS} warm-up sign-ins`,
      clientCpuMs: {
        ours: oursCpu,
        oursSdk: spread(cpu.oursSdk),
        math: spread(cpu.math),
        refresh: spread(cpu.refresh),
        acij: spread(cpu.acij),
      },
      /** ours CPU minus the math's CPU, paired per round: what the sign-in costs beyond its SRP math. */
      beyondMathMs: spread(cpu.ours.map((value, i) => value - cpu.math[i])),
      /** ours CPU / the math's CPU, paired per round. */
      overMath,
      /** SDK-transport sign-in CPU / ours, paired per round. */
      sdkOverOurs: spread(pairedRatios(cpu.oursSdk, cpu.ours)),
      /** acij CPU / ours CPU, paired per round. */
      ratio: spread(pairedRatios(cpu.acij, cpu.ours)),
      eventLoop: { idle, sequential: { signIns: BLOCK_SIGN_INS, ...sequential }, concurrent: { signIns: CONCURRENT_SIGN_INS, ...concurrent } },
      targets: {
        cpuMs: TARGETS.cpuMs,
        cpuVerdict: targetVerdict(oursCpu, { upTo: TARGETS.cpuMs }),
        issueMathMs: ISSUE_MATH_MS,
        overMathUpTo: round(TARGETS.cpuMs / ISSUE_MATH_MS),
        overMathVerdict: targetVerdict(overMath, { upTo: TARGETS.cpuMs / ISSUE_MATH_MS }),
        maxBlockMs: TARGETS.maxBlockMs,
        maxBlockVerdict: Math.max(sequential.longestBlockMs, concurrent.longestBlockMs) <= TARGETS.maxBlockMs ? 'met' : 'missed',
      },
    };
    if (print) printResult(result);
    return result;
  } finally {
    await emu.stop();
  }
}

function printResult(r) {
  const f = (s) => `${s.median.toFixed(2)} (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)})`;
  console.log(`${r.what}; ${r.rounds} alternating rounds, Node ${r.node}, ${r.cores} cores, load ${r.loadAverage1m}`);
  console.table({
    'cognito-srp-auth, client CPU ms per sign-in': f(r.clientCpuMs.ours),
    'same, through the AWS SDK (cognitoClient), CPU ms': f(r.clientCpuMs.oursSdk),
    'its SRP math alone, CPU ms': f(r.clientCpuMs.math),
    'beyond the math (paired difference), CPU ms': f(r.beyondMathMs),
    'sign-in ÷ its math (paired)': f(r.overMath),
    'a refresh (GetTokensFromRefreshToken + verification), CPU ms': f(r.clientCpuMs.refresh),
    'amazon-cognito-identity-js, client CPU ms per sign-in': f(r.clientCpuMs.acij),
    'ratio acij / ours (paired per round)': f(r.ratio),
  });
  console.log(`target <= ${r.targets.cpuMs} ms client CPU per sign-in: ${r.targets.cpuVerdict}`);
  console.log(
    `like for like (the issue's ${r.targets.cpuMs} ms over its ${r.targets.issueMathMs} ms of math): sign-in <= ${r.targets.overMathUpTo}× its math: ${r.targets.overMathVerdict}`,
  );
  const e = r.eventLoop;
  console.table(
    Object.fromEntries(
      [
        ['idle (noise floor)', e.idle],
        [`${e.sequential.signIns} sign-ins, one at a time`, e.sequential],
        [`${e.concurrent.signIns} sign-ins at once`, e.concurrent],
      ].map(([name, x]) => [
        name,
        {
          'longest gap, wall ms': x.longestTimerGapMs,
          'most CPU in a gap ms': x.longestTimerGapCpuMs,
          'longest block ms': x.longestBlockMs,
          'max delay ms (histogram)': x.maxDelayMs,
          'p99 delay ms': x.p99DelayMs,
        },
      ]),
    ),
  );
  console.log(`target: longest block <= ${r.targets.maxBlockMs} ms: ${r.targets.maxBlockVerdict}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
