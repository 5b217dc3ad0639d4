/** SharedFlight over RedisTokenCache on a real redis-server: several flights stand for several processes. */
import { AbortedError, TokenCacheError } from '../../src/errors.js';
import { RedisTokenCache } from '../../src/redis/redis-token-cache.js';
import { SharedFlight, type SharedFlightOptions, type SharedFlightRun } from '../../src/tokens/shared-flight.js';
import type { TokenCache } from '../../src/tokens/token-cache.js';
import { CLIENT_KINDS, TestClients, eventually, type ClientKind } from '../redis/clients.js';
import { newEncryptionKey, uniqueKey } from '../redis/keys.js';
import { describeWithRedis, redisForTest, type RedisServer } from '../redis/redis-server.js';

/** A value as the provider would cache it: a token and when it is due. */
const tokenValue = (token: string, lifetimeMs = 60_000): string => JSON.stringify({ token, dueAt: Date.now() + lifetimeMs });
const tokenOf = (value: string): string => (JSON.parse(value) as { token: string }).token;
const isFresh = (value: string): boolean => (JSON.parse(value) as { dueAt: number }).dueAt > Date.now();

/** Counts obtains across every flight of a test; each returns a new token. */
class Obtainer {
  calls = 0;
  readonly seen: (string | undefined)[] = [];
  gate: Promise<void> = Promise.resolve();
  failWith: Error | undefined;
  readonly obtain = async (cached: string | undefined): Promise<string> => {
    this.calls += 1;
    this.seen.push(cached === undefined ? undefined : tokenOf(cached));
    const n = this.calls;
    await this.gate;
    if (this.failWith) throw this.failWith;
    return tokenValue(`token-${n}`);
  };
  run(signal: AbortSignal = AbortSignal.timeout(20_000)): SharedFlightRun {
    return { isFresh, obtain: this.obtain, signal };
  }
}

describeWithRedis()('SharedFlight', () => {
  let server: RedisServer;
  const clients = new TestClients();
  const caches: RedisTokenCache[] = [];
  const encryptionKey = newEncryptionKey();

  beforeAll(async () => {
    server = await redisForTest();
  });
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
    await clients.closeAll();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function cacheFor(kind: ClientKind = 'ioredis'): Promise<RedisTokenCache> {
    const cache = new RedisTokenCache({ client: await clients.connect(kind, server.url), encryptionKey });
    caches.push(cache);
    return cache;
  }

  function flight(cache: TokenCache, key: string, failures: Error[] = [], overrides: Partial<SharedFlightOptions> = {}): SharedFlight {
    return new SharedFlight({
      cache,
      key,
      callTimeoutMs: 2000,
      lockTtlMs: 10_000,
      entryTtlMs: 60_000,
      pollIntervalMs: 200,
      onFailure: (error) => failures.push(error),
      ...overrides,
    });
  }

  test.each(CLIENT_KINDS)('%s: cold start, 4 flights x 25 concurrent runs: one obtain, one token for all', async (kind) => {
    const key = uniqueKey('cold');
    const obtainer = new Obtainer();
    const failures: Error[] = [];
    const flights = await Promise.all([1, 2, 3, 4].map(async () => flight(await cacheFor(kind), key, failures)));
    const results = await Promise.all(flights.flatMap((f) => Array.from({ length: 25 }, () => f.run(obtainer.run()))));
    expect(obtainer.calls).toBe(1);
    expect(new Set(results.map(tokenOf))).toEqual(new Set(['token-1']));
    expect(failures).toEqual([]);
  });

  test('a fresh cached value is returned without obtaining; a due one is refreshed once with the fleet newest value', async () => {
    const key = uniqueKey('fresh');
    const obtainer = new Obtainer();
    const [a, b] = [flight(await cacheFor(), key), flight(await cacheFor('node-redis'), key)];
    await a.run(obtainer.run());
    await expect(b.run(obtainer.run()).then(tokenOf)).resolves.toBe('token-1');
    expect(obtainer.calls).toBe(1);

    // Write a due value (its refresh token is the newest): the next runs refresh once, from it.
    const cache = await cacheFor();
    const lock = await cache.tryLock(key, { ttlMs: 5000, signal: AbortSignal.timeout(2000) });
    await cache.set(lock!, tokenValue('due-with-newest-refresh-token', -1), { ttlMs: 60_000, signal: AbortSignal.timeout(2000) });
    await cache.unlock(lock!, { signal: AbortSignal.timeout(2000) });
    const results = await Promise.all([a.run(obtainer.run()), b.run(obtainer.run()), a.run(obtainer.run())]);
    expect(obtainer.calls).toBe(2);
    expect(obtainer.seen[1]).toBe('due-with-newest-refresh-token');
    expect(new Set(results.map(tokenOf))).toEqual(new Set(['token-2']));
  });

  test('waiters are woken by the holder write (pub/sub), not by polling', async () => {
    const key = uniqueKey('wake');
    const obtainer = new Obtainer();
    let open!: () => void;
    obtainer.gate = new Promise((resolve) => (open = resolve));
    const slowPoll = { pollIntervalMs: 60_000, maxWaitMs: 120_000 };
    const holder = flight(await cacheFor(), key, [], slowPoll);
    const waiter = flight(await cacheFor('node-redis'), key, [], slowPoll);
    const held = holder.run(obtainer.run(AbortSignal.timeout(25_000)));
    await eventually(() => obtainer.calls === 1, 10_000, 'the holder to obtain');
    const waited = waiter.run(obtainer.run(AbortSignal.timeout(25_000)));
    open();
    await expect(Promise.all([held, waited]).then((values) => values.map(tokenOf))).resolves.toEqual(['token-1', 'token-1']);
    expect(obtainer.calls).toBe(1);
  });

  test('a lost notification is covered by polling', async () => {
    const key = uniqueKey('lost');
    const obtainer = new Obtainer();
    const real = await cacheFor();
    // A cache whose notifications never arrive: waitForChange only ever ends by its timeout.
    const deaf: TokenCache = {
      get: (k, o) => real.get(k, o),
      tryLock: (k, o) => real.tryLock(k, o),
      set: (l, v, o) => real.set(l, v, o),
      unlock: (l, o) => real.unlock(l, o),
      delete: (k, o) => real.delete(k, o),
      waitForChange: (_k, o) => new Promise((resolve) => setTimeout(resolve, o.timeoutMs)),
    };
    let open!: () => void;
    obtainer.gate = new Promise((resolve) => (open = resolve));
    const held = flight(await cacheFor(), key).run(obtainer.run());
    await eventually(() => obtainer.calls === 1, 10_000, 'the holder to obtain');
    const waited = flight(deaf, key, [], { pollIntervalMs: 50 }).run(obtainer.run());
    open();
    await expect(Promise.all([held, waited]).then((values) => values.map(tokenOf))).resolves.toEqual(['token-1', 'token-1']);
    expect(obtainer.calls).toBe(1);
  });

  test('a holder that died (lock never released) is replaced after lockTtlMs: exactly one more obtain', async () => {
    const key = uniqueKey('dead');
    const obtainer = new Obtainer();
    const failures: Error[] = [];
    const cache = await cacheFor();
    await cache.tryLock(key, { ttlMs: 300, signal: AbortSignal.timeout(2000) }); // never unlocked
    const flights = [flight(await cacheFor(), key, failures, { pollIntervalMs: 50 }), flight(await cacheFor(), key, failures, { pollIntervalMs: 50 })];
    const results = await Promise.all(flights.flatMap((f) => [f.run(obtainer.run()), f.run(obtainer.run())]));
    expect(obtainer.calls).toBe(1);
    expect(new Set(results.map(tokenOf))).toEqual(new Set(['token-1']));
    expect(failures).toEqual([]);
  });

  test('a holder slower than lockTtlMs keeps its lock (renewed): no second process obtains meanwhile', async () => {
    const key = uniqueKey('slow');
    const obtainer = new Obtainer();
    const failures: Error[] = [];
    let release!: () => void;
    obtainer.gate = new Promise<void>((resolve) => (release = resolve));
    const options = { lockTtlMs: 300, pollIntervalMs: 50, maxWaitMs: 20_000 };
    const holder = flight(await cacheFor(), key, failures, options);
    const other = flight(await cacheFor(), key, failures, options);
    const first = holder.run(obtainer.run());
    while (obtainer.calls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = other.run(obtainer.run());
    // Five lock lifetimes pass while the holder is still obtaining.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(obtainer.calls).toBe(1);
    release();
    expect([tokenOf(await first), tokenOf(await second)]).toEqual(['token-1', 'token-1']);
    expect(obtainer.calls).toBe(1);
    expect(failures).toEqual([]);
  });

  test('a value isFresh cannot read counts as due: one obtain overwrites it, no failure', async () => {
    const key = uniqueKey('unreadable');
    const cache = await cacheFor();
    const lock = await cache.tryLock(key, { ttlMs: 5000, signal: AbortSignal.timeout(2000) });
    await cache.set(lock!, 'written by another version', { ttlMs: 60_000, signal: AbortSignal.timeout(2000) });
    await cache.unlock(lock!, { signal: AbortSignal.timeout(2000) });
    const seen: (string | undefined)[] = [];
    const failures: Error[] = [];
    const run: SharedFlightRun = {
      isFresh,
      signal: AbortSignal.timeout(20_000),
      obtain: async (cached) => (seen.push(cached), tokenValue('rewritten')),
    };
    await expect(flight(await cacheFor(), key, failures).run(run).then(tokenOf)).resolves.toBe('rewritten');
    await expect(flight(await cacheFor(), key, failures).run(run).then(tokenOf)).resolves.toBe('rewritten');
    expect(seen).toEqual(['written by another version']);
    expect(failures).toEqual([]);
  });

  test('obtain failing: the error reaches the holder, the lock is released', async () => {
    const key = uniqueKey('fail');
    const obtainer = new Obtainer();
    obtainer.failWith = new Error('Cognito said no');
    const cache = await cacheFor();
    await expect(flight(cache, key).run(obtainer.run())).rejects.toThrow('Cognito said no');
    await expect(cache.tryLock(key, { ttlMs: 1000, signal: AbortSignal.timeout(2000) })).resolves.toBeDefined();
  });

  test('the lock lost before the write: reported, the value still returned, nothing written', async () => {
    const key = uniqueKey('lost-lock');
    const failures: Error[] = [];
    const [mine, other] = [await cacheFor(), await cacheFor()];
    const run: SharedFlightRun = {
      isFresh,
      signal: AbortSignal.timeout(20_000),
      obtain: async () => {
        // The lock vanishes (a failover that lost it, an operator's FLUSHALL) and another process takes it.
        const raw = await clients.raw(server.url);
        await raw.command(['DEL', `${mine.keyPrefix}{${key}}:lock`]);
        await eventually(async () => (await other.tryLock(key, { ttlMs: 10_000, signal: AbortSignal.timeout(2000) })) !== undefined, 10_000, 'takeover');
        return tokenValue('late');
      },
    };
    await expect(flight(mine, key, failures).run(run).then(tokenOf)).resolves.toBe('late');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.at(-1)).toMatchObject({ code: 'TOKEN_CACHE_ERROR', operation: 'set' });
    await expect(other.get(key, { signal: AbortSignal.timeout(2000) })).resolves.toBeUndefined();
  });

  test.each([
    ['obtain rejects on the abort', true],
    ['obtain finishes anyway after the abort', false],
  ] as const)('the holder aborted (close()) while it obtains, %s: the lock is released at once', async (_, rejectsOnAbort) => {
    const key = uniqueKey('abort-holder');
    const cache = await cacheFor();
    const controller = new AbortController();
    let started!: () => void;
    const obtaining = new Promise<void>((resolve) => (started = resolve));
    const run: SharedFlightRun = {
      isFresh,
      signal: controller.signal,
      obtain: (_cached, signal) =>
        new Promise<string>((resolve, reject) => {
          started();
          signal.addEventListener('abort', () => (rejectsOnAbort ? reject(signal.reason) : resolve(tokenValue('late'))), { once: true });
        }),
    };
    const running = flight(cache, key, [], { lockTtlMs: 60_000 }).run(run);
    await obtaining;
    controller.abort(new AbortedError('closed'));
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    // A 60 s lock left behind would make every other process of the fleet wait for it.
    const other = await cacheFor('node-redis');
    await eventually(
      async () => (await other.tryLock(key, { ttlMs: 1000, signal: AbortSignal.timeout(2000) })) !== undefined,
      5_000,
      'the aborted holder to release its lock',
    );
  });

  test('aborting the caller signal while waiting ends the run with AbortedError and no obtain', async () => {
    const key = uniqueKey('abort');
    const obtainer = new Obtainer();
    const cache = await cacheFor();
    await cache.tryLock(key, { ttlMs: 30_000, signal: AbortSignal.timeout(2000) });
    const controller = new AbortController();
    const running = flight(await cacheFor(), key).run(obtainer.run(controller.signal));
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(obtainer.calls).toBe(0);
  });

  test('after forget() (sign-out), the next obtain starts from nothing, never from the signed-out value', async () => {
    const key = uniqueKey('forget');
    const obtainer = new Obtainer();
    const failures: Error[] = [];
    const f = flight(await cacheFor(), key, failures);
    expect(tokenOf(await f.run(obtainer.run()))).toBe('token-1');
    await f.forget(AbortSignal.timeout(5_000));
    expect(tokenOf(await f.run(obtainer.run()))).toBe('token-2');
    expect(obtainer.seen).toEqual([undefined, undefined]);
    expect(failures).toEqual([]);
  });
});

describeWithRedis(true)('SharedFlight when Redis stops', () => {
  let server: RedisServer;
  const clients = new TestClients();
  beforeAll(async () => {
    server = await redisForTest(true);
  });
  afterAll(async () => {
    await clients.closeAll();
    await server?.close();
  });

  test.each(CLIENT_KINDS)('%s: falls back to its own obtain with a failure report, and shares again after a restart', async (kind) => {
    const key = uniqueKey('outage');
    const encryptionKey = newEncryptionKey();
    const caches = [0, 1].map(async () => new RedisTokenCache({ client: await clients.connect(kind, server.url), encryptionKey }));
    const [a, b] = await Promise.all(caches);
    try {
      const failures: Error[] = [];
      const options = { key, callTimeoutMs: 300, lockTtlMs: 5000, entryTtlMs: 60_000, pollIntervalMs: 100, onFailure: (e: Error) => failures.push(e) };
      const flightA = new SharedFlight({ ...options, cache: a! });
      const flightB = new SharedFlight({ ...options, cache: b! });
      const obtainer = new Obtainer();
      await flightA.run(obtainer.run());
      expect(obtainer.calls).toBe(1);

      await server.kill();
      const due = { ...obtainer.run(), isFresh: () => false };
      const during = await Promise.all([flightA.run(due), flightB.run(due)]);
      expect(during.map(tokenOf).sort()).toEqual(['token-2', 'token-3']);
      // Each presents the newest value it knew: A its own token-1, B (which never read one) nothing.
      expect(obtainer.seen.slice(1)).toHaveLength(2);
      expect(obtainer.seen.slice(1)).toEqual(expect.arrayContaining(['token-1', undefined]));
      expect(failures).toHaveLength(2);
      for (const failure of failures) expect(failure).toBeInstanceOf(TokenCacheError);

      await server.restart();
      await eventually(async () => (await a!.get(key, { signal: AbortSignal.timeout(500) }).then(() => true, () => false)), 15_000, 'reconnect a');
      await eventually(async () => (await b!.get(key, { signal: AbortSignal.timeout(500) }).then(() => true, () => false)), 15_000, 'reconnect b');
      failures.length = 0;
      const shared = await Promise.all([flightA.run(obtainer.run()), flightB.run(obtainer.run())]);
      expect(obtainer.calls).toBe(4);
      expect(new Set(shared.map(tokenOf))).toEqual(new Set(['token-4']));
      expect(failures).toEqual([]);
    } finally {
      await a!.close();
      await b!.close();
    }
  });
});
