#!/usr/bin/env node
/**
 * CognitoTokenProvider hot path and single flight, against the local emulator.
 *
 *   node bench/token.bench.mjs          (after `npm run build`; imports ../dist/esm/src/index.js)
 *
 * 1. getToken() with a fresh token: the call returns the same settled promise after one clock compare.
 *    Measured against a baseline doing nothing but hand out a promise, in alternating rounds (median, IQR):
 *    the synchronous call (`getToken()` vs `Promise.resolve(token)`; target >= 10 M calls/s) and the awaited
 *    call as a request handler makes it (`await getToken()` vs `await Promise.resolve(token)`).
 * 2. Fan-in: 10,000 concurrent getToken() calls on a cold provider (→ 1 sign-in) and, after
 *    invalidate(), on a warm one (→ 1 refresh), counted from the emulator's per-operation calls.
 *
 * Exports `run()`, which returns the rows; prints a table when run directly.
 */
import { pathToFileURL } from 'node:url';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { startCognitoEmulator } from '../dist/esm/src/testing/index.js';
import { alternate, pairedRatios, spread, syncRate, targetVerdict } from './lib/stats.mjs';

const PASSWORD = 'Bench-Passw0rd-123!';
const HOT_CALLS = Number(process.env.BENCH_HOT_CALLS ?? 3_000_000);
const AWAITED_CALLS = Number(process.env.BENCH_AWAITED_CALLS ?? 500_000);
const HOT_ROUNDS = Number(process.env.BENCH_HOT_ROUNDS ?? 8);
const FAN_IN = 10_000;
const TARGETS = { callsPerSecond: 10_000_000, refreshesPerFanIn: 1 };


/** Calls per second of `await fn()` one after another. */
async function awaitedRate(fn, calls) {
  let length = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) length += (await fn()).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (length === 0) throw new Error('the hot path returned no token');
  return calls / seconds;
}

async function fanIn(provider, count) {
  const started = performance.now();
  const promises = Array.from({ length: count }, () => provider.getToken());
  const distinctPromises = new Set(promises).size;
  const tokens = await Promise.all(promises);
  return { ms: performance.now() - started, distinctPromises, distinctTokens: new Set(tokens).size };
}

export async function run({ print = true } = {}) {
  const emu = await startCognitoEmulator();
  emu.addUser({ username: 'bench', password: PASSWORD });
  const provider = new CognitoTokenProvider({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    endpoint: emu.endpoint,
    username: 'bench',
    password: PASSWORD,
  });
  try {
    const cold = await fanIn(provider, FAN_IN);
    const signIns = emu.calls.InitiateAuth;

    const token = await provider.getToken();
    const sides = {
      getToken: () => syncRate(() => provider.getToken(), HOT_CALLS),
      baseline: () => syncRate(() => Promise.resolve(token), HOT_CALLS),
      peekToken: () => syncRate(() => provider.peekToken(), HOT_CALLS),
      awaitedGetToken: () => awaitedRate(() => provider.getToken(), AWAITED_CALLS),
      awaitedBaseline: () => awaitedRate(() => Promise.resolve(token), AWAITED_CALLS),
    };
    for (const side of Object.values(sides)) await side(); // warm-up (JIT)
    const rates = await alternate(sides, HOT_ROUNDS);
    const hot = {
      rounds: HOT_ROUNDS,
      callsPerRound: { sync: HOT_CALLS, awaited: AWAITED_CALLS },
      callsPerSecond: Object.fromEntries(Object.entries(rates).map(([name, xs]) => [name, spread(xs)])),
      /** getToken rate / baseline rate, paired per round: 1 = free beyond handing out a promise. */
      syncRatio: spread(pairedRatios(rates.getToken, rates.baseline)),
      awaitedRatio: spread(pairedRatios(rates.awaitedGetToken, rates.awaitedBaseline)),
    };
    hot.verdict = targetVerdict(hot.callsPerSecond.getToken, { atLeast: TARGETS.callsPerSecond });

    const before = emu.calls.GetTokensFromRefreshToken;
    provider.invalidate();
    const warm = await fanIn(provider, FAN_IN);
    const refreshes = emu.calls.GetTokensFromRefreshToken - before;

    const m = (x) => `${(x.median / 1e6).toFixed(1)} M/s (IQR ${(x.q1 / 1e6).toFixed(1)}–${(x.q3 / 1e6).toFixed(1)})`;
    const r = (x) => `${x.median.toFixed(2)}x (IQR ${x.q1.toFixed(2)}–${x.q3.toFixed(2)})`;
    const c = hot.callsPerSecond;
    const rows = [
      {
        measure: 'getToken() with a fresh token, sync call (calls/s)',
        value: m(c.getToken),
        baseline: `Promise.resolve(token): ${m(c.baseline)}; ratio ${r(hot.syncRatio)}`,
        target: `>= ${TARGETS.callsPerSecond / 1e6} M calls/s`,
        verdict: hot.verdict,
      },
      {
        measure: 'await getToken() with a fresh token (calls/s)',
        value: m(c.awaitedGetToken),
        baseline: `await Promise.resolve(token): ${m(c.awaitedBaseline)}; ratio ${r(hot.awaitedRatio)}`,
        target: '-',
        verdict: '-',
      },
      { measure: 'peekToken() with a fresh token (calls/s)', value: m(c.peekToken), baseline: '-', target: '-', verdict: '-' },
      {
        measure: `${FAN_IN} concurrent getToken(), cold`,
        value: `${signIns} sign-in (InitiateAuth), ${cold.distinctTokens} token, ${cold.ms.toFixed(0)} ms`,
        baseline: '-',
        target: '1 sign-in',
        verdict: signIns === 1 && cold.distinctTokens === 1 && cold.distinctPromises === 1 ? 'met' : 'missed',
      },
      {
        measure: `${FAN_IN} concurrent getToken() after invalidate()`,
        value: `${refreshes} refresh, ${warm.distinctTokens} token, ${warm.ms.toFixed(0)} ms`,
        baseline: '-',
        target: `${TARGETS.refreshesPerFanIn} refresh`,
        verdict: refreshes === TARGETS.refreshesPerFanIn && warm.distinctTokens === 1 ? 'met' : 'missed',
      },
    ];
    if (print) console.table(rows);
    return {
      rows,
      hot,
      coldFanIn: { callers: FAN_IN, signIns, ...cold },
      refreshFanIn: { callers: FAN_IN, refreshes, ...warm },
    };
  } finally {
    provider.close();
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
