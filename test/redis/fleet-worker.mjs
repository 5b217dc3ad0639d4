// One fleet process for test/tokens/shared-flight.fleet.test.ts: a SharedFlight over RedisTokenCache
// (transpiled sources, paths in FLEET_MODULES) with a fake obtain that appends this pid to COUNTER_FILE.
// Prints "ready", waits for "go" on stdin, runs RUNS concurrent runs, prints one JSON line, exits.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const env = process.env;
const modules = JSON.parse(env.FLEET_MODULES);
const { SharedFlight } = await import(modules.sharedFlight);
const { RedisTokenCache } = await import(modules.redisTokenCache);

async function connect() {
  if (env.CLIENT === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(env.REDIS_URL, { lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
    return { client, close: () => client.disconnect() };
  }
  const { createClient } = await import('redis');
  const client = createClient({ url: env.REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  return { client, close: () => client.destroy() };
}

const { client, close } = await connect();
const cache = new RedisTokenCache({ client, encryptionKey: env.ENCRYPTION_KEY });
const failures = [];
const flight = new SharedFlight({
  cache,
  key: env.KEY,
  callTimeoutMs: 2000,
  lockTtlMs: Number(env.LOCK_TTL_MS),
  entryTtlMs: 60_000,
  pollIntervalMs: 200,
  maxWaitMs: 20_000,
  onFailure: (error) => failures.push(error.code ?? error.message),
});
const isFresh = (value) => JSON.parse(value).dueAt > Date.now();
const obtain = async () => {
  appendFileSync(env.COUNTER_FILE, `${process.pid}\n`);
  await sleep(Number(env.OBTAIN_MS));
  return JSON.stringify({ token: `token-from-${process.pid}`, dueAt: Date.now() + 60_000 });
};

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();

const signal = AbortSignal.timeout(60_000);
const values = await Promise.all(Array.from({ length: Number(env.RUNS) }, () => flight.run({ isFresh, obtain, signal })));
const tokens = [...new Set(values.map((value) => JSON.parse(value).token))];
process.stdout.write(`${JSON.stringify({ pid: process.pid, runs: values.length, tokens, failures })}\n`);
await cache.close();
close();
