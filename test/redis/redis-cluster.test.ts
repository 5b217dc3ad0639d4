/** RedisTokenCache and SharedFlight on a real 3-master Redis Cluster, with ioredis Cluster and node-redis createCluster. */
import { RedisTokenCache } from '../../adapters/redis.js';
import { SharedFlight } from '../../src/tokens/shared-flight.js';
import { CLIENT_KINDS, TestClients, outcome } from './clients.js';
import { newEncryptionKey, uniqueKey } from './keys.js';
import { describeWithRedis, startRedisCluster, type RedisCluster } from './redis-server.js';

const call = () => ({ signal: AbortSignal.timeout(5000) });

describeWithRedis(true)('RedisTokenCache on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const clients = new TestClients();
  const caches: RedisTokenCache[] = [];
  const encryptionKey = newEncryptionKey();

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
  });
  afterAll(async () => {
    await clients.closeAll();
    await cluster?.close();
  });

  describe.each(CLIENT_KINDS)('with %s', (kind) => {
    async function cache(): Promise<RedisTokenCache> {
      const created = new RedisTokenCache({ client: await clients.connectCluster(kind, cluster.nodes), encryptionKey });
      caches.push(created);
      return created;
    }

    test('lock, fenced set (a Lua script over two keys: one slot), get, waitForChange and unlock across slots', async () => {
      const [a, b] = [await cache(), await cache()];
      expect(a.clientKind).toBe(kind === 'ioredis' ? 'ioredis' : 'node-redis-cluster');
      // Many keys, so they land on every master.
      for (let i = 0; i < 12; i += 1) {
        const key = uniqueKey(`cluster-${i}`);
        const lock = await a.tryLock(key, { ...call(), ttlMs: 10_000 });
        expect(lock).toBeDefined();
        await expect(b.tryLock(key, { ...call(), ttlMs: 10_000 })).resolves.toBeUndefined();
        // The first wait opens b's subscriber and ends once it listens.
        if (i === 0) await b.waitForChange(key, { signal: AbortSignal.timeout(20_000), timeoutMs: 15_000 });
        const woken = outcome(b.waitForChange(key, { signal: AbortSignal.timeout(70_000), timeoutMs: 60_000 }), 10_000);
        await expect(a.set(lock!, `value-${i}`, { ...call(), ttlMs: 60_000 })).resolves.toBe(true);
        await expect(woken).resolves.toBe('resolved');
        await expect(b.get(key, call())).resolves.toBe(`value-${i}`);
        await a.unlock(lock!, call());
        await expect(b.tryLock(key, { ...call(), ttlMs: 10_000 })).resolves.toBeDefined();
      }
    });

    test('SharedFlight: 3 flights x 20 concurrent runs at cold start make one obtain', async () => {
      const key = uniqueKey('cluster-cold');
      let obtains = 0;
      const obtain = async (): Promise<string> => `token-${(obtains += 1)}`;
      const flights = await Promise.all(
        [1, 2, 3].map(async () => new SharedFlight({ cache: await cache(), key, callTimeoutMs: 2000, lockTtlMs: 10_000, entryTtlMs: 60_000, pollIntervalMs: 200, onFailure: (e) => { throw e; } })),
      );
      const signal = AbortSignal.timeout(20_000);
      const results = await Promise.all(flights.flatMap((f) => Array.from({ length: 20 }, () => f.run({ isFresh: () => true, obtain, signal }))));
      expect(obtains).toBe(1);
      expect(new Set(results)).toEqual(new Set(['token-1']));
    });
  });
});
