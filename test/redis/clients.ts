/** Connected ioredis and node-redis clients for the fleet tests, each closed by `closeAll()`. */
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';

export type ClientKind = 'ioredis' | 'node-redis';
export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis'];

/** A raw client for the test's own inspection (SCAN, GET, SET) whatever the kind under test. */
export interface RawRedis {
  command(args: string[]): Promise<unknown>;
}

export class TestClients {
  readonly #closers: (() => Promise<void> | void)[] = [];

  /** A connected client of `kind`; errors while the server is down are expected, so they are swallowed. */
  async connect(kind: ClientKind, url: string): Promise<object> {
    if (kind === 'ioredis') {
      const client = new Redis(url, { maxRetriesPerRequest: 2, retryStrategy: () => 100, lazyConnect: true });
      client.on('error', () => undefined);
      this.#closers.push(() => client.disconnect());
      await client.connect();
      return client;
    }
    const client = createClient({ url, socket: { reconnectStrategy: () => 100, connectTimeout: 2000 } });
    client.on('error', () => undefined);
    this.#closers.push(() => {
      try {
        client.destroy();
      } catch {
        // already closed
      }
    });
    await client.connect();
    return client;
  }

  /** A connected Cluster client of `kind` for the nodes of a test cluster. */
  async connectCluster(kind: ClientKind, nodes: { host: string; port: number }[]): Promise<object> {
    if (kind === 'ioredis') {
      const cluster = new Cluster(nodes, { lazyConnect: true });
      cluster.on('error', () => undefined);
      this.#closers.push(() => cluster.disconnect());
      await cluster.connect();
      return cluster;
    }
    const cluster = createCluster({ rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) });
    cluster.on('error', () => undefined);
    this.#closers.push(() => {
      try {
        cluster.destroy();
      } catch {
        // already closed
      }
    });
    await cluster.connect();
    return cluster;
  }

  async raw(url: string): Promise<RawRedis> {
    const client = (await this.connect('ioredis', url)) as Redis;
    return { command: ([name, ...args]) => client.call(name ?? 'PING', ...args) };
  }

  async closeAll(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) await close();
  }
}

/** Resolves once `check()` is true, polling every 20 ms; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * 'resolved', or the error's code (or message) when it rejects; 'pending' when `boundMs` is given and the
 * promise has not settled by then: an outcome to compare, not a measured time.
 */
export async function outcome(promise: Promise<unknown>, boundMs?: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    if (boundMs !== undefined) timer = setTimeout(() => resolve('pending'), boundMs);
  });
  const settled = promise.then(
    () => 'resolved',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );
  try {
    return await Promise.race([settled, bound]);
  } finally {
    clearTimeout(timer);
  }
}
