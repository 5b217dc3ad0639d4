/** RedisTokenCache against a real redis-server, with ioredis and with node-redis. */
import { inspect } from 'node:util';

import { CognitoConfigError, TokenCacheError } from '../../src/errors.js';
import { RedisTokenCache } from '../../adapters/redis.js';
import { CLIENT_KINDS, TestClients, eventually, outcome, type RawRedis } from './clients.js';
import { jwtLike, newEncryptionKey, uniqueKey } from './keys.js';
import { describeWithRedis, redisForTest, type RedisServer } from './redis-server.js';

const call = (ms = 5000) => ({ signal: AbortSignal.timeout(ms) });

describeWithRedis()('RedisTokenCache', () => {
  let server: RedisServer;
  const clients = new TestClients();
  let raw: RawRedis;
  const caches: RedisTokenCache[] = [];

  beforeAll(async () => {
    server = await redisForTest();
    raw = await clients.raw(server.url);
  });
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
  });
  afterAll(async () => {
    await clients.closeAll();
    await server?.close();
  });

  describe.each(CLIENT_KINDS)('with %s', (kind) => {
    const encryptionKey = newEncryptionKey();
    async function cache(options: { encryptionKey?: string; onError?: (e: TokenCacheError) => void; keyPrefix?: string } = {}) {
      const created = new RedisTokenCache({ client: await clients.connect(kind, server.url), encryptionKey, ...options });
      caches.push(created);
      return created;
    }

    test('detects the client library by shape', async () => {
      expect((await cache()).clientKind).toBe(kind);
    });

    test('lock, fenced set, get, unlock: one holder at a time, the value round-trips', async () => {
      const [a, b] = [await cache(), await cache()];
      const key = uniqueKey('roundtrip');
      await expect(a.get(key, call())).resolves.toBeUndefined();
      const lock = await a.tryLock(key, { ...call(), ttlMs: 10_000 });
      expect(lock).toBeDefined();
      await expect(b.tryLock(key, { ...call(), ttlMs: 10_000 })).resolves.toBeUndefined();
      await expect(a.set(lock!, 'value-1', { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
      await expect(b.get(key, call())).resolves.toBe('value-1');
      await a.unlock(lock!, call());
      const next = await b.tryLock(key, { ...call(), ttlMs: 10_000 });
      expect(next).toBeDefined();
      expect(next!.fence).not.toBe(lock!.fence);
      await b.delete(key, call());
      await expect(a.get(key, call())).resolves.toBeUndefined();
      await b.unlock(next!, call());
    });

    test('value, lock and channel share one hash tag (one Cluster slot); braces in the key are escaped', async () => {
      const c = await cache({ keyPrefix: 'fleet-test:' });
      const key = `a{b}c:${uniqueKey('tag')}`;
      const lock = await c.tryLock(key, { ...call(), ttlMs: 10_000 });
      await c.set(lock!, 'v', { ...call(), ttlMs: 60_000 });
      const suffix = key.split(':').slice(1).join(':');
      const keys = ((await raw.command(['KEYS', 'fleet-test:*'])) as string[]).filter((k) => k.includes(suffix)).sort();
      expect(keys).toHaveLength(2);
      const tags = keys.map((k) => /\{([^}]*)\}/.exec(k)?.[1]);
      expect(tags[0]).toBe(tags[1]);
      expect(tags[0]).toBe(`a%7Bb%7Dc:${suffix}`);
      await c.unlock(lock!, call());
    });

    test('a scan of Redis finds no clear token and no JWT-looking string', async () => {
      const c = await cache();
      const key = uniqueKey('scan');
      const access = jwtLike('user-1');
      const refresh = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh-token-secret';
      const lock = await c.tryLock(key, { ...call(), ttlMs: 10_000 });
      await c.set(lock!, JSON.stringify({ access, refresh, password: 'Corr3ct-Horse' }), { ...call(), ttlMs: 60_000 });
      let cursor = '0';
      const stored: string[] = [];
      do {
        const [next, keys] = (await raw.command(['SCAN', cursor, 'COUNT', '1000'])) as [string, string[]];
        cursor = next;
        for (const k of keys) {
          const type = await raw.command(['TYPE', k]);
          if (type === 'string') stored.push(k, String(await raw.command(['GET', k])));
        }
      } while (cursor !== '0');
      const all = stored.join('\n');
      expect(all.length).toBeGreaterThan(0);
      for (const secret of [access, refresh, 'refresh-token-secret', 'Corr3ct-Horse', 'user-1', encryptionKey]) {
        expect(all).not.toContain(secret);
      }
      expect(all).not.toMatch(/eyJ[\w-]+\.eyJ?[\w-]*/);
      expect(all).not.toMatch(/eyJ[\w-]{10,}/);
      await c.unlock(lock!, call());
      await expect(c.get(key, call())).resolves.toContain(access);
    });

    test('an entry moved to another key, corrupt, or under another encryptionKey reads as absent and is reported', async () => {
      const reported: TokenCacheError[] = [];
      const c = await cache({ onError: (e) => reported.push(e) });
      const [from, to] = [uniqueKey('from'), uniqueKey('to')];
      const lock = await c.tryLock(from, { ...call(), ttlMs: 10_000 });
      await c.set(lock!, 'secret-value', { ...call(), ttlMs: 60_000 });
      await c.unlock(lock!, call());
      const sealed = String(await raw.command(['GET', `cognito-srp-auth:{${from}}`]));
      expect(sealed.startsWith('v1.')).toBe(true);

      await raw.command(['SET', `cognito-srp-auth:{${to}}`, sealed]);
      await expect(c.get(to, call())).resolves.toBeUndefined();
      await raw.command(['SET', `cognito-srp-auth:{${to}}`, `${sealed.slice(0, -6)}AAAAAA`]);
      await expect(c.get(to, call())).resolves.toBeUndefined();
      await raw.command(['SET', `cognito-srp-auth:{${to}}`, 'not an entry']);
      await expect(c.get(to, call())).resolves.toBeUndefined();
      const otherKey = await cache({ encryptionKey: newEncryptionKey(), onError: (e) => reported.push(e) });
      await expect(otherKey.get(from, call())).resolves.toBeUndefined();
      await expect(c.get(from, call())).resolves.toBe('secret-value');

      expect(reported).toHaveLength(4);
      for (const error of reported) {
        expect(error).toBeInstanceOf(TokenCacheError);
        expect(error).toMatchObject({ code: 'TOKEN_CACHE_ERROR', operation: 'decrypt' });
        expect(error.message).not.toContain('secret-value');
      }
    });

    test('fencing: after the lock expired and another process took it, the old holder cannot write or unlock', async () => {
      const [slow, fast] = [await cache(), await cache()];
      const key = uniqueKey('fence');
      const old = await slow.tryLock(key, { ...call(), ttlMs: 50 });
      expect(old).toBeDefined();
      await eventually(async () => (await raw.command(['EXISTS', `cognito-srp-auth:{${key}}:lock`])) === 0, 5000, 'lock expiry');
      const current = await fast.tryLock(key, { ...call(), ttlMs: 10_000 });
      expect(current).toBeDefined();
      await expect(slow.set(old!, 'stale', { ...call(), ttlMs: 60_000 })).resolves.toBe(false);
      await expect(fast.get(key, call())).resolves.toBeUndefined();
      await slow.unlock(old!, call());
      await expect(slow.tryLock(key, { ...call(), ttlMs: 10_000 })).resolves.toBeUndefined();
      await expect(fast.set(current!, 'fresh', { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
      await expect(slow.get(key, call())).resolves.toBe('fresh');
      await fast.unlock(current!, call());
    });

    test('scripts are re-sent with EVAL after SCRIPT FLUSH (NOSCRIPT)', async () => {
      const c = await cache();
      const key = uniqueKey('noscript');
      const lock = await c.tryLock(key, { ...call(), ttlMs: 10_000 });
      await expect(c.set(lock!, 'one', { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
      await raw.command(['SCRIPT', 'FLUSH']);
      await expect(c.set(lock!, 'two', { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
      await raw.command(['SCRIPT', 'FLUSH']);
      await c.unlock(lock!, call());
      await expect(c.tryLock(key, { ...call(), ttlMs: 10_000 })).resolves.toBeDefined();
    });

    test('waitForChange wakes on a fenced set and on unlock, through pub/sub', async () => {
      const [waiter, writer] = [await cache(), await cache()];
      const key = uniqueKey('wake');
      // The first wait opens the subscriber and ends as soon as it listens (a write before may have been missed).
      await expect(outcome(waiter.waitForChange(key, { ...call(70_000), timeoutMs: 60_000 }), 10_000)).resolves.toBe('resolved');
      const lock = await writer.tryLock(key, { ...call(), ttlMs: 10_000 });
      // The waits' own timeout (60 s) is far beyond the 10 s bound: only the notification can end them in time.
      const woken = outcome(waiter.waitForChange(key, { ...call(70_000), timeoutMs: 60_000 }), 10_000);
      await writer.set(lock!, 'v', { ...call(), ttlMs: 60_000 });
      await expect(woken).resolves.toBe('resolved');
      const wokenByUnlock = outcome(waiter.waitForChange(key, { ...call(70_000), timeoutMs: 60_000 }), 10_000);
      await writer.unlock(lock!, call());
      await expect(wokenByUnlock).resolves.toBe('resolved');
      await waiter.close();
    });

    test('one pattern subscription serves every key, also with glob characters in keyPrefix', async () => {
      const keyPrefix = 'odd*[x]?\\:';
      const [waiter, writer, other] = [await cache({ keyPrefix }), await cache({ keyPrefix }), await cache({ keyPrefix: 'odd-x-:' })];
      await waiter.waitForChange(uniqueKey('first'), { ...call(70_000), timeoutMs: 60_000 });
      for (const key of [uniqueKey('k1'), uniqueKey('k2'), uniqueKey('k3')]) {
        // A write under another prefix that the pattern would match without escaping must not wake it.
        const decoy = await other.tryLock(key, { ...call(), ttlMs: 10_000 });
        const woken = outcome(waiter.waitForChange(key, { ...call(70_000), timeoutMs: 60_000 }), 10_000);
        await other.set(decoy!, 'decoy', { ...call(), ttlMs: 60_000 });
        await expect(outcome(woken, 300)).resolves.toBe('pending');
        const lock = await writer.tryLock(key, { ...call(), ttlMs: 10_000 });
        await writer.set(lock!, 'v', { ...call(), ttlMs: 60_000 });
        await expect(woken).resolves.toBe('resolved');
        await writer.unlock(lock!, call());
        await other.unlock(decoy!, call());
      }
    });

    test('waitForChange ends after timeoutMs when no notification comes (the polling fallback), and rejects on abort', async () => {
      const c = await cache();
      const key = uniqueKey('poll');
      await c.waitForChange(key, { ...call(70_000), timeoutMs: 60_000 }); // ends once it listens
      // A write that publishes nothing: only the timeout can end the wait.
      const wait = c.waitForChange(key, { ...call(), timeoutMs: 100 });
      await raw.command(['SET', `cognito-srp-auth:{${key}}`, 'x']);
      await expect(wait).resolves.toBeUndefined();
      const controller = new AbortController();
      const aborted = c.waitForChange(key, { signal: controller.signal, timeoutMs: 60_000 });
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ code: 'TOKEN_CACHE_ERROR', operation: 'waitForChange', aborted: true });
      await expect(c.get(key, { signal: controller.signal })).rejects.toBeInstanceOf(TokenCacheError);
    });

    test('close() wakes waiters and later calls reject with TokenCacheError', async () => {
      const c = await cache();
      const key = uniqueKey('close');
      const wait = c.waitForChange(key, { ...call(), timeoutMs: 60_000 });
      await c.close();
      await expect(wait).resolves.toBeUndefined();
      await expect(c.get(key, call())).rejects.toBeInstanceOf(TokenCacheError);
    });
  });

  test.each(CLIENT_KINDS)('%s: a client still connecting (used at once after creation) is waited for, not reported down', async (kind) => {
    const { Redis } = await import('ioredis');
    const { createClient } = await import('redis');
    let client: object;
    let close: () => void;
    if (kind === 'ioredis') {
      const ioredis = new Redis(server.url);
      client = ioredis;
      close = () => ioredis.disconnect();
    } else {
      const nodeRedis = createClient({ url: server.url });
      client = nodeRedis;
      void nodeRedis.connect();
      close = () => nodeRedis.destroy();
    }
    const errors: Error[] = [];
    const cache = new RedisTokenCache({ client, encryptionKey: newEncryptionKey(), onError: (error) => errors.push(error) });
    try {
      const key = uniqueKey('connecting');
      const lock = await cache.tryLock(key, { ttlMs: 5000, ...call() });
      expect(lock).toBeDefined();
      await expect(cache.set(lock!, 'v', { ttlMs: 5000, ...call() })).resolves.toBe(true);
      await expect(cache.get(key, call())).resolves.toBe('v');
      expect(errors).toEqual([]);
    } finally {
      await cache.close();
      close();
    }
  });

  test('encryptionKey is required and must be 32 bytes; the message says how to make one', async () => {
    const client = await clients.connect('ioredis', server.url);
    for (const encryptionKey of [undefined, '', 'c2hvcnQ=', Buffer.alloc(16), 'not base64 at all!', 42]) {
      const error = (() => {
        try {
          new RedisTokenCache({ client, encryptionKey: encryptionKey as string });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CognitoConfigError);
      expect(error).toMatchObject({ option: 'encryptionKey' });
      expect((error as Error).message).toContain('openssl rand -base64 32');
    }
    expect(() => new RedisTokenCache({ client, encryptionKey: Buffer.alloc(32, 7) })).not.toThrow();
    expect(() => new RedisTokenCache({ client: {}, encryptionKey: newEncryptionKey() })).toThrow(
      expect.objectContaining({ option: 'client' }),
    );
  });

  test('a misspelt option or an onError that is not a function is refused, naming the option', async () => {
    const client = await clients.connect('ioredis', server.url);
    const encryptionKey = newEncryptionKey();
    // `keyprefix` silently ignored would put every environment under the default prefix.
    for (const [extra, option] of [
      [{ keyprefix: 'staging:' }, 'keyprefix'],
      [{ onerror: () => undefined }, 'onerror'],
      [{ onError: 'log' }, 'onError'],
    ] as const) {
      expect(() => new RedisTokenCache({ client, encryptionKey, ...extra } as never)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', option }),
      );
    }
  });

  test('util.inspect and JSON.stringify never show the encryption key', async () => {
    const key = Buffer.alloc(32, 0xab);
    const c = new RedisTokenCache({ client: await clients.connect('node-redis', server.url), encryptionKey: key });
    caches.push(c);
    const shown = `${inspect(c, { showHidden: true, depth: 5 })}\n${JSON.stringify(c)}\n${inspect({ c }, { depth: 5 })}`;
    for (const form of [key.toString('base64'), key.toString('hex'), 'q6ur', '171, 171', 'ab ab']) expect(shown).not.toContain(form);
    expect(shown).toContain('RedisTokenCache');
  });
});

describeWithRedis(true)('RedisTokenCache when Redis stops', () => {
  let server: RedisServer;
  const clients = new TestClients();
  beforeAll(async () => {
    server = await redisForTest(true);
  });
  afterAll(async () => {
    await clients.closeAll();
    await server?.close();
  });

  test.each(CLIENT_KINDS)('%s: every call rejects with a typed error by its deadline, and works again after a restart', async (kind) => {
    const cache = new RedisTokenCache({ client: await clients.connect(kind, server.url), encryptionKey: newEncryptionKey() });
    try {
      const key = uniqueKey('down');
      const lock = await cache.tryLock(key, { ...call(), ttlMs: 10_000 });
      await server.kill();
      const deadline = () => ({ signal: AbortSignal.timeout(300) });
      const settled = await Promise.all([
        outcome(cache.get(key, deadline())),
        outcome(cache.tryLock(key, { ...deadline(), ttlMs: 1000 })),
        outcome(cache.set(lock!, 'v', { ...deadline(), ttlMs: 1000 })),
        outcome(cache.unlock(lock!, deadline())),
        outcome(cache.delete(key, deadline())),
      ]);
      expect(settled).toEqual(Array(5).fill('TOKEN_CACHE_ERROR'));
      await server.restart();
      await eventually(async () => (await outcome(cache.get(key, call(1000)))) === 'resolved', 15_000, 'reconnect');
      const again = await cache.tryLock(key, { ...call(), ttlMs: 10_000 });
      await expect(cache.set(again!, 'after', { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
      await expect(cache.get(key, call())).resolves.toBe('after');
    } finally {
      await cache.close();
    }
  });
});
