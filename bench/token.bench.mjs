#!/usr/bin/env node
/**
 * CognitoTokenProvider hot path and single flight, against the local emulator.
 *
 *   node bench/token.bench.mjs          (after `npm run build`; imports ../dist/esm/src/index.js)
 *
 * 1. getToken() throughput with a fresh token: the call returns the same settled promise after one
 *    clock compare (target >= 5 million calls/s), and peekToken() for comparison.
 * 2. Fan-in: 10,000 concurrent getToken() calls on a cold provider (→ 1 sign-in) and, after
 *    invalidate(), on a warm one (→ 1 refresh), counted from the emulator's per-operation calls.
 *
 * Exports `run()`, which returns the rows; prints a table when run directly.
 */
import { pathToFileURL } from 'node:url';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { startCognitoEmulator } from '../dist/esm/src/testing/index.js';

const PASSWORD = 'Bench-Passw0rd-123!';
const HOT_CALLS = 20_000_000;
const HOT_ROUNDS = 5;
const FAN_IN = 10_000;
const TARGETS = { callsPerSecond: 5_000_000, refreshesPerFanIn: 1 };

function hotLoop(fn, calls) {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    if (fn() !== undefined) sink++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink !== calls) throw new Error('the hot path returned nothing');
  return calls / seconds;
}

/** Best of a few rounds: the steady-state rate, not the JIT warm-up or a neighbour's CPU burst. */
function bestRate(fn) {
  hotLoop(fn, 1_000_000);
  let best = 0;
  for (let round = 0; round < HOT_ROUNDS; round++) best = Math.max(best, hotLoop(fn, HOT_CALLS));
  return best;
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

    const getTokenRate = bestRate(() => provider.getToken());
    const peekRate = bestRate(() => provider.peekToken());

    const before = emu.calls.GetTokensFromRefreshToken;
    provider.invalidate();
    const warm = await fanIn(provider, FAN_IN);
    const refreshes = emu.calls.GetTokensFromRefreshToken - before;

    const rows = [
      {
        measure: 'getToken() with a fresh token',
        value: `${(getTokenRate / 1e6).toFixed(1)} M calls/s`,
        target: `>= ${TARGETS.callsPerSecond / 1e6} M calls/s`,
        ok: getTokenRate >= TARGETS.callsPerSecond,
      },
      { measure: 'peekToken() with a fresh token', value: `${(peekRate / 1e6).toFixed(1)} M calls/s`, target: '-', ok: true },
      {
        measure: `${FAN_IN} concurrent getToken(), cold`,
        value: `${signIns} sign-in (InitiateAuth), ${cold.distinctTokens} token, ${cold.ms.toFixed(0)} ms`,
        target: '1 sign-in',
        ok: signIns === 1 && cold.distinctTokens === 1 && cold.distinctPromises === 1,
      },
      {
        measure: `${FAN_IN} concurrent getToken() after invalidate()`,
        value: `${refreshes} refresh, ${warm.distinctTokens} token, ${warm.ms.toFixed(0)} ms`,
        target: `${TARGETS.refreshesPerFanIn} refresh`,
        ok: refreshes === TARGETS.refreshesPerFanIn && warm.distinctTokens === 1,
      },
    ];
    if (print) console.table(rows);
    return {
      rows,
      getTokenCallsPerSecond: getTokenRate,
      peekTokenCallsPerSecond: peekRate,
      coldFanIn: { callers: FAN_IN, signIns, ...cold },
      refreshFanIn: { callers: FAN_IN, refreshes, ...warm },
    };
  } finally {
    provider.close();
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
