#!/usr/bin/env node
/**
 * Fleets: processes that share one token through RedisTokenCache (cognito-srp-auth/redis), against processes that
 * each get their own. Real child processes running the built package (dist/), a real redis-server on a free port
 * in a temporary folder, the emulator in its own child process (bench/lib/emulator-child.mjs) counting Cognito calls.
 *
 *   node bench/fleet.bench.mjs          (after `npm run build`; needs redis-server on PATH)
 *
 * 1. SRP user fleet, cold start: 1, 4 and 16 processes, each with 50 concurrent getToken() callers, with and without
 *    the cache. Counted: sign-ins (the emulator's InitiateAuth calls). Timed (wall clock, latency): from the "go"
 *    sent to every process at once until the last process has its first token, and each process's own time to its
 *    first token. The processes are started (library loaded, Redis connected, one unrecorded warm-up round run)
 *    before the clock starts; every round builds a new provider (and cache, under a new key prefix) in each process,
 *    so every round is a cold start for the token. Rounds alternate which side goes first; medians (IQR) over rounds.
 * 2. Machine to machine: a 16-process fleet of CognitoClientCredentialsProvider with short-lived tokens (6 s,
 *    refreshed 2 s before expiry), each process calling getToken() every 100 ms (a service's requests) for 5½
 *    refresh periods; token requests counted at the emulator (GetClientToken) after the cold start, scaled to an hour, and
 *    restated for Cognito's default 1-hour token (one request per process, or per fleet, every 55 min) with the cost
 *    at Cognito's M2M price.
 * 3. getToken() with a fresh token, with the cache configured vs without, side by side in this process (alternating
 *    rounds, median and IQR), beside a bare Promise.resolve(token): the cache is read only when the token is due, so
 *    the hot path is unchanged (target >= 10 M calls/s).
 *
 * Every process is killed and redis-server stopped at the end, also when a step fails.
 * Exports `run()`, `title`, `report(result)` and `headlines(result)` (the fleet hook of bench/run.mjs).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { RedisTokenCache } from '../dist/esm/adapters/redis.js';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { startRedisServer } from './lib/redis-server.mjs';
import { alternate, direction, median, pairedRatios, spread, syncRate, targetVerdict } from './lib/stats.mjs';

// The AWS SDK prints a multi-line Node-version notice on Node 20 (bench/run.mjs silences it too); the workers inherit this.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const title = 'Fleet: processes sharing one token through Redis (RedisTokenCache)';

const WORKER = new URL('./lib/fleet-worker.mjs', import.meta.url);
const PASSWORD = 'Bench-Fleet-Passw0rd-1!';
const SIZES = [1, 4, 16];
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 5);
const CALLERS = 50;
const M2M = {
  processes: 16,
  lifetimeSeconds: 6,
  refreshBeforeSeconds: 2,
  /** Refresh periods counted after the cold start: the window ends half a period after the last of them. */
  refreshPeriods: Number(process.env.BENCH_FLEET_M2M_PERIODS ?? 5),
  tickMs: 100,
  callersPerTick: 5,
  scopes: ['bench/read'],
};
/** Cognito's default access-token lifetime and this library's default refresh window. */
const DEFAULT_LIFETIME_SECONDS = 3600;
const DEFAULT_REFRESH_BEFORE_SECONDS = 300;
/** docs/machine-to-machine.md: $2.25 per 1,000 M2M token requests (first tier, aws.amazon.com/cognito/pricing). */
const USD_PER_1000_REQUESTS = 2.25;
const HOT_CALLS = Number(process.env.BENCH_HOT_CALLS ?? 3_000_000);
const HOT_ROUNDS = Number(process.env.BENCH_HOT_ROUNDS ?? 8);
const TARGET_CALLS_PER_SECOND = 10_000_000;
const READY_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 60_000;

/** One fleet process (bench/lib/fleet-worker.mjs): JSON command lines in, one JSON answer line per command. */
class FleetProcess {
  #waiting = [];
  #stderr = '';

  constructor(env) {
    this.child = spawn(process.execPath, [WORKER.pathname], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stderr.on('data', (chunk) => void (this.#stderr = (this.#stderr + chunk).slice(-2000)));
    this.child.stdin.on('error', () => undefined);
    createInterface({ input: this.child.stdout }).on('line', (line) => this.#waiting.shift()?.resolve(JSON.parse(line)));
    this.child.once('exit', (code, signal) => {
      const error = new Error(`fleet process ${this.child.pid} exited (${code ?? signal}): ${this.#stderr.trim()}`);
      for (const w of this.#waiting.splice(0)) w.reject(error);
    });
    this.ready = this.#answer(READY_TIMEOUT_MS, 'ready');
  }

  /** Sends a command; resolves with its answer (rejects on an error answer, an exit or the deadline). */
  send(command) {
    const answer = this.#answer(ANSWER_TIMEOUT_MS, command.cmd);
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return answer;
  }

  #answer(timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fleet process ${this.child.pid}: no answer to ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push({
        resolve: (message) => {
          clearTimeout(timer);
          if (message.error !== undefined) reject(new Error(`fleet process ${this.child.pid}: ${what} failed: ${message.error}`));
          else resolve(message);
        },
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  /** Closes its stdin (it exits by itself); SIGKILL when it has not exited within 2 s. */
  async stop() {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(killer);
  }

  killNow() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const delta = (after, before, operation) => (after[operation] ?? 0) - (before[operation] ?? 0);

/** One cold start of `fleet` (SRP users): counts and times to first token. */
async function srpColdStart(emu, fleet, cache, prefix) {
  await Promise.all(fleet.map((p) => p.send({ cmd: 'prepare', mode: 'srp', cache, prefix, callers: CALLERS })));
  const before = await emu.calls();
  const started = performance.now();
  const arrivals = [];
  const answers = await Promise.all(
    fleet.map((p) =>
      p.send({ cmd: 'go' }).then((answer) => {
        arrivals.push(performance.now() - started);
        return answer;
      }),
    ),
  );
  const after = await emu.calls();
  await Promise.all(fleet.map((p) => p.send({ cmd: 'stop' })));
  return {
    signIns: delta(after, before, 'InitiateAuth'),
    challengeResponses: delta(after, before, 'RespondToAuthChallenge'),
    refreshes: delta(after, before, 'GetTokensFromRefreshToken'),
    lastProcessMs: Math.max(...arrivals),
    medianProcessMs: median(arrivals),
    distinctTokens: new Set(answers.flatMap((a) => a.tokens)).size,
    errors: answers.reduce((n, a) => n + a.errors.length, 0),
  };
}

async function srpFleet(emu, processes) {
  // One unrecorded cold start of the whole fleet on each side first, so every recorded round finds the library's
  // code compiled (JIT) in every process: the rounds then differ only in the token being cold.
  const all = processes.slice(0, Math.max(...SIZES));
  for (const cache of [false, true]) await srpColdStart(emu, all, cache, `bench-fleet:warm-up:${cache}:`);
  const samples = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      const order = round % 2 === 0 ? [false, true] : [true, false];
      for (const cache of order) {
        const key = `${size}:${cache ? 'cache' : 'noCache'}`;
        const prefix = `bench-fleet:${round}:${size}:`;
        (samples[key] ??= []).push(await srpColdStart(emu, processes.slice(0, size), cache, prefix));
      }
    }
  }
  return SIZES.map((size) => {
    const side = (cache) => {
      const rounds = samples[`${size}:${cache ? 'cache' : 'noCache'}`];
      return {
        signIns: rounds.map((r) => r.signIns),
        refreshes: rounds.map((r) => r.refreshes),
        distinctTokens: rounds.map((r) => r.distinctTokens),
        errors: rounds.reduce((n, r) => n + r.errors, 0),
        lastProcessMs: spread(rounds.map((r) => r.lastProcessMs)),
        medianProcessMs: spread(rounds.map((r) => r.medianProcessMs)),
      };
    };
    return { processes: size, callersPerProcess: CALLERS, rounds: ROUNDS, noCache: side(false), cache: side(true) };
  });
}

/** The M2M fleet for `refreshPeriods` refresh periods after its cold start: token requests counted at the emulator. */
async function m2mFleet(emu, fleet, client, cache, prefix) {
  const command = {
    cmd: 'prepare',
    mode: 'm2m',
    cache,
    prefix,
    callers: CALLERS,
    clientId: client.clientId,
    scopes: M2M.scopes,
    refreshBeforeExpirySeconds: M2M.refreshBeforeSeconds,
    tickMs: M2M.tickMs,
    callersPerTick: M2M.callersPerTick,
  };
  await Promise.all(fleet.map((p) => p.send(command)));
  const atStart = await emu.calls();
  const first = await Promise.all(fleet.map((p) => p.send({ cmd: 'go' })));
  const before = await emu.calls();
  const started = performance.now();
  // Every process got its token at the cold start, so its refreshes come every period after it: a window of
  // k + 1/2 periods holds exactly k of them whatever the small delay of each (a whole number of periods would cut
  // the last one in half). Without the cache every process refreshes k times; with it, the fleet does.
  const refreshPeriodSeconds = M2M.lifetimeSeconds - M2M.refreshBeforeSeconds;
  await sleep((M2M.refreshPeriods + 0.5) * refreshPeriodSeconds * 1000);
  const after = await emu.calls();
  const seconds = (performance.now() - started) / 1000;
  const stopped = await Promise.all(fleet.map((p) => p.send({ cmd: 'stop' })));
  const requests = delta(after, before, 'GetClientToken');
  /** Fleet requests per refresh period (lifetime − refresh window), measured: the figure that scales to any lifetime. */
  const perRefreshPeriod = requests / M2M.refreshPeriods;
  const defaultPeriodHours = (DEFAULT_LIFETIME_SECONDS - DEFAULT_REFRESH_BEFORE_SECONDS) / 3600;
  const perHourDefault = perRefreshPeriod / defaultPeriodHours;
  return {
    cache,
    processes: fleet.length,
    coldStartRequests: delta(before, atStart, 'GetClientToken'),
    windowSeconds: seconds,
    requests,
    refreshPeriods: M2M.refreshPeriods,
    /** Scaled to an hour with the short-lived tokens: requests per refresh period × refresh periods per hour. */
    measuredPerHour: (perRefreshPeriod * 3600) / refreshPeriodSeconds,
    perRefreshPeriod,
    perHourDefaultLifetime: perHourDefault,
    perMonthDefaultLifetime: perHourDefault * 24 * 30,
    usdPerHourMeasured: ((perRefreshPeriod * 3600) / refreshPeriodSeconds / 1000) * USD_PER_1000_REQUESTS,
    usdPerMonthDefaultLifetime: ((perHourDefault * 24 * 30) / 1000) * USD_PER_1000_REQUESTS,
    getTokenCalls: stopped.reduce((n, s) => n + s.calls, 0),
    errors: first.reduce((n, a) => n + a.errors.length, 0) + stopped.reduce((n, s) => n + s.errorCount, 0),
    failures: stopped.flatMap((s) => s.failures),
  };
}


async function hotPath(emu, redisUrl, encryptionKey) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect();
  const cache = new RedisTokenCache({ client: redis, encryptionKey, keyPrefix: 'bench-hot:' });
  const options = { userPoolId: emu.userPoolId, clientId: emu.clientId, endpoint: emu.endpoint, username: 'bench', password: PASSWORD };
  const plain = new CognitoTokenProvider(options);
  const cached = new CognitoTokenProvider({ ...options, cache });
  try {
    const token = await plain.getToken();
    await cached.getToken();
    const sides = {
      cache: () => syncRate(() => cached.getToken(), HOT_CALLS),
      noCache: () => syncRate(() => plain.getToken(), HOT_CALLS),
      baseline: () => syncRate(() => Promise.resolve(token), HOT_CALLS),
    };
    for (const side of Object.values(sides)) side(); // warm-up (JIT)
    const rates = await alternate(sides, HOT_ROUNDS);
    const callsPerSecond = Object.fromEntries(Object.entries(rates).map(([name, xs]) => [name, spread(xs)]));
    const cacheOverNoCache = spread(pairedRatios(rates.cache, rates.noCache));
    return {
      rounds: HOT_ROUNDS,
      callsPerRound: HOT_CALLS,
      callsPerSecond,
      cacheOverNoCache,
      cacheOverBaseline: spread(pairedRatios(rates.cache, rates.baseline)),
      /** "within noise" = unchanged; "lower"/"higher" only when the whole IQR of the paired ratio is on one side of 1. */
      difference: direction(cacheOverNoCache),
      verdict: targetVerdict(callsPerSecond.cache, { atLeast: TARGET_CALLS_PER_SECOND }),
      target: TARGET_CALLS_PER_SECOND,
    };
  } finally {
    plain.close();
    cached.close();
    await cache.close();
    redis.disconnect();
  }
}

export async function run({ print = true } = {}) {
  const wallStarted = performance.now();
  const encryptionKey = randomBytes(32).toString('base64');
  const processes = [];
  let emu;
  let redis;
  const killAll = () => {
    for (const p of processes) p.killNow();
  };
  const onSignal = (signal) => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143); // 'exit' handlers stop redis-server
  };
  process.once('exit', killAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    redis = await startRedisServer();
    emu = await startEmulatorChild({
      users: [{ username: 'bench', password: PASSWORD }],
      m2mClients: [{ scopes: M2M.scopes, accessTokenValiditySeconds: M2M.lifetimeSeconds }],
    });
    const [m2mClient] = emu.m2mClients;
    const env = {
      REDIS_URL: redis.url,
      ENCRYPTION_KEY: encryptionKey,
      ENDPOINT: emu.endpoint,
      POOL_ID: emu.userPoolId,
      CLIENT_ID: emu.clientId,
      USERNAME: 'bench',
      PASSWORD,
      M2M_CLIENT_SECRET: m2mClient.clientSecret,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const size = Math.max(...SIZES, M2M.processes);
    for (let i = 0; i < size; i++) processes.push(new FleetProcess(env));
    await Promise.all(processes.map((p) => p.ready));

    const srp = await srpFleet(emu, processes);
    const m2m = {
      ...M2M,
      usdPer1000Requests: USD_PER_1000_REQUESTS,
      defaultLifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
      defaultRefreshBeforeSeconds: DEFAULT_REFRESH_BEFORE_SECONDS,
      noCache: await m2mFleet(emu, processes.slice(0, M2M.processes), m2mClient, false, 'bench-m2m:a:'),
      cache: await m2mFleet(emu, processes.slice(0, M2M.processes), m2mClient, true, 'bench-m2m:b:'),
    };
    await Promise.all(processes.map((p) => p.stop()));
    const hot = await hotPath(emu, redis.url, encryptionKey);

    const result = { srp, m2m, hot, wallSeconds: (performance.now() - wallStarted) / 1000 };
    if (print) printTables(result);
    return result;
  } finally {
    await Promise.all(processes.map((p) => p.stop().catch(() => p.killNow())));
    await emu?.stop().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    process.removeListener('exit', killAll);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

// ---------------------------------------------------------------------------------------------- output

const ms = (s) => `${s.median.toFixed(0)} ms (IQR ${s.q1.toFixed(0)}–${s.q3.toFixed(0)})`;
const mps = (s) => `${(s.median / 1e6).toFixed(1)} M/s (IQR ${(s.q1 / 1e6).toFixed(1)}–${(s.q3 / 1e6).toFixed(1)})`;
const ratio = (s) => `${s.median.toFixed(2)}× (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)})`;
const int = (x) => Math.round(x).toLocaleString('en-US');
const usd = (x) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const perRound = (xs) => (new Set(xs).size === 1 ? String(xs[0]) : xs.join(', '));

function srpRows(result) {
  return result.srp.flatMap((row) =>
    [
      ['without cache', row.noCache],
      ['with cache', row.cache],
    ].map(([label, side]) => ({
      processes: row.processes,
      cache: label,
      signIns: perRound(side.signIns),
      distinctTokens: perRound(side.distinctTokens),
      lastProcess: ms(side.lastProcessMs),
      medianProcess: ms(side.medianProcessMs),
      errors: side.errors,
    })),
  );
}

function m2mRows(result) {
  const m = result.m2m;
  return [
    ['without cache', m.noCache],
    ['with cache', m.cache],
  ].map(([label, r]) => ({
    cache: label,
    coldStart: r.coldStartRequests,
    window: `${r.requests} in ${r.refreshPeriods} periods (${r.windowSeconds.toFixed(1)} s)`,
    perRefreshPeriod: r.perRefreshPeriod.toFixed(1),
    perHourScaled: int(r.measuredPerHour),
    perHour1hTokens: r.perHourDefaultLifetime.toFixed(1),
    perMonth1hTokens: int(r.perMonthDefaultLifetime),
    usdPerMonth1hTokens: usd(r.usdPerMonthDefaultLifetime),
    errors: r.errors,
  }));
}

function printTables(result) {
  console.log(`SRP user fleet, cold start (${CALLERS} concurrent getToken() per process, ${ROUNDS} rounds):`);
  console.table(srpRows(result));
  console.log(
    `Machine to machine, ${M2M.processes} processes, ${M2M.lifetimeSeconds}-s tokens refreshed ${M2M.refreshBeforeSeconds} s before expiry:`,
  );
  console.table(m2mRows(result));
  const h = result.hot;
  console.table([
    { measure: 'getToken() fresh token, with cache', value: mps(h.callsPerSecond.cache), verdict: h.verdict },
    { measure: 'getToken() fresh token, without cache', value: mps(h.callsPerSecond.noCache), verdict: '-' },
    { measure: 'Promise.resolve(token) baseline', value: mps(h.callsPerSecond.baseline), verdict: '-' },
    { measure: 'with / without cache (paired)', value: ratio(h.cacheOverNoCache), verdict: h.difference },
  ]);
  console.log(`fleet bench wall time: ${result.wallSeconds.toFixed(1)} s`);
}

/** Markdown lines for BENCHMARKS.md (the "fleet" section). */
export function report(result) {
  const m = result.m2m;
  const h = result.hot;
  const period = m.lifetimeSeconds - m.refreshBeforeSeconds;
  const defaultPeriodMin = (m.defaultLifetimeSeconds - m.defaultRefreshBeforeSeconds) / 60;
  const table = (headers, rows) => [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  return [
    'Real child processes running the built package, a real `redis-server` on 127.0.0.1, the emulator in its own ' +
      'process counting Cognito calls. All processes, redis-server and the emulator share this machine\'s cores, so ' +
      'latencies without the cache include the emulator verifying every sign-in on the same CPUs.',
    '',
    `### SRP user fleet, cold start (${result.srp[0].callersPerProcess} concurrent \`getToken()\` per process)`,
    '',
    'Sign-ins are the emulator\'s `InitiateAuth` calls in each round (one value when every round agrees). Time to ' +
      'first token is latency (wall clock) from the "go" sent to every process at once: until the last process has ' +
      'its token, and the median process. The processes had loaded the library, connected to Redis and run one ' +
      'unrecorded warm-up round before the clock started; each round builds new providers (and a cache under a new ' +
      'key prefix), so each round is a cold ' +
      `start for the token. Medians (IQR) over ${result.srp[0].rounds} rounds, the two sides alternating.`,
    '',
    ...table(
      ['processes', 'cache', 'sign-ins', 'distinct tokens', 'first token, last process', 'first token, median process', 'failed getToken()'],
      srpRows(result).map((r) => [r.processes, r.cache, r.signIns, r.distinctTokens, r.lastProcess, r.medianProcess, r.errors]),
    ),
    '',
    `### Machine to machine: token requests of a ${m.processes}-process fleet`,
    '',
    `Measured with short-lived tokens: the M2M app client issues ${m.lifetimeSeconds}-s access tokens and each ` +
      `provider refreshes ${m.refreshBeforeSeconds} s before expiry, i.e. every ${period} s (lifetime − refresh window). ` +
      `Every process calls \`getToken()\` ${m.callersPerTick}× every ${m.tickMs} ms (a refresh starts at the first ` +
      'call past the refresh time). After the cold start, `GetClientToken` calls are counted at the emulator over a ' +
      `fixed window of ${m.refreshPeriods} refresh periods and a half (the half so that the last refresh, a little ` +
      'late by the traffic tick, falls inside); "per hour (scaled)" is the requests per refresh period scaled to an ' +
      `hour **with ${m.lifetimeSeconds}-s tokens**. For Cognito's default 1-hour tokens and the default ` +
      `${m.defaultRefreshBeforeSeconds}-s refresh window, each process (or, with the cache, the fleet) makes one request ` +
      `per ${defaultPeriodMin} min: the measured requests per refresh period × 60/${defaultPeriodMin} per hour. Cost at ` +
      `$${m.usdPer1000Requests} per 1,000 token requests, the approximate first-tier price quoted in ` +
      '[docs/machine-to-machine.md](docs/machine-to-machine.md) from <https://aws.amazon.com/cognito/pricing/> ' +
      '(the monthly per-app-client fee not included).',
    '',
    ...table(
      [
        'cache',
        'cold start requests',
        'requests in window',
        `per ${period}-s refresh period`,
        `per hour (scaled, ${m.lifetimeSeconds}-s tokens)`,
        `cost per hour (${m.lifetimeSeconds}-s tokens)`,
        'per hour (1-h tokens)',
        'per 30 days (1-h tokens)',
        'cost per 30 days (1-h tokens)',
        'failed getToken()',
      ],
      [
        ['without cache', m.noCache],
        ['with cache', m.cache],
      ].map(([label, r]) => [
        label,
        r.coldStartRequests,
        `${r.requests} in ${r.refreshPeriods} periods (${r.windowSeconds.toFixed(1)} s)`,
        r.perRefreshPeriod.toFixed(1),
        int(r.measuredPerHour),
        usd(r.usdPerHourMeasured),
        r.perHourDefaultLifetime.toFixed(1),
        int(r.perMonthDefaultLifetime),
        usd(r.usdPerMonthDefaultLifetime),
        `${r.errors} of ${int(r.getTokenCalls + r.processes * result.srp[0].callersPerProcess)}`,
      ]),
    ),
    '',
    '### `getToken()` with a fresh token: with a cache configured vs without',
    '',
    `Sync calls per second in this process, ${h.rounds} alternating rounds of ${int(h.callsPerRound)} calls per side, ` +
      'median (IQR); the ratio is paired per round. The cache is read only when the token is due, so a fresh token ' +
      `costs the same one clock compare. Target ≥ ${h.target / 1e6} M calls/s with the cache.`,
    '',
    ...table(
      ['measure', 'value', 'verdict'],
      [
        ['`getToken()`, cache configured', mps(h.callsPerSecond.cache), `target ${h.verdict}`],
        ['`getToken()`, no cache', mps(h.callsPerSecond.noCache), '-'],
        ['`Promise.resolve(token)` (baseline)', mps(h.callsPerSecond.baseline), '-'],
        ['with cache / without cache', ratio(h.cacheOverNoCache), h.difference === 'within noise' ? 'unchanged (within noise)' : h.difference],
        ['with cache / baseline', ratio(h.cacheOverBaseline), '-'],
      ],
    ),
    '',
    `Fleet bench wall time: ${result.wallSeconds.toFixed(0)} s.`,
  ];
}

/** Lines for docs/benchmarks-summary.md. */
export function headlines(result) {
  const big = result.srp.find((r) => r.processes === Math.max(...result.srp.map((x) => x.processes)));
  const m = result.m2m;
  const h = result.hot;
  return [
    `Fleet cold start, ${big.processes} processes × ${big.callersPerProcess} concurrent \`getToken()\`: ` +
      `**${perRound(big.cache.signIns)} sign-in with the Redis cache** vs ${perRound(big.noCache.signIns)} without; every process ` +
      `has its first token after ${ms(big.cache.lastProcessMs)} with the cache vs ${ms(big.noCache.lastProcessMs)} without (latency, ` +
      'processes and emulator sharing 2 cores).',
    `Machine to machine, ${m.processes}-process fleet: ${m.cache.perRefreshPeriod.toFixed(1)} token request per refresh period ` +
      `with the cache vs ${m.noCache.perRefreshPeriod.toFixed(1)} without (measured with ${m.lifetimeSeconds}-s tokens: ` +
      `${int(m.cache.measuredPerHour)} vs ${int(m.noCache.measuredPerHour)} per hour scaled); with 1-hour tokens ≈ ` +
      `${int(m.cache.perMonthDefaultLifetime)} vs ${int(m.noCache.perMonthDefaultLifetime)} requests per 30 days, ` +
      `≈ ${usd(m.cache.usdPerMonthDefaultLifetime)} vs ${usd(m.noCache.usdPerMonthDefaultLifetime)} at ~$${m.usdPer1000Requests} per 1,000.`,
    `\`getToken()\` with a fresh token and a cache configured: ${mps(h.callsPerSecond.cache)} ` +
      `(target ≥ ${h.target / 1e6} M/s: ${h.verdict}); vs without the cache ${ratio(h.cacheOverNoCache)}: ${h.difference}.`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
