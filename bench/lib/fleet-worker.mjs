/**
 * One process of the fleet in bench/fleet.bench.mjs: the built package (dist/), a real provider, optionally sharing a
 * RedisTokenCache with the other processes on a real redis-server. JSON lines on stdin, one JSON answer line each:
 *
 *   {"cmd":"prepare","mode":"srp"|"m2m","cache":true,"prefix":"...","callers":50,...}  builds the cache and provider
 *   {"cmd":"go"}     `callers` concurrent getToken() calls; answers with the time to the first token (ms, this
 *                    process's clock) and, with `traffic`, keeps calling getToken() every `tickMs` (a service's requests)
 *   {"cmd":"stop"}   stops the traffic, closes the provider and the cache; answers with what the traffic saw
 *
 * Tokens never leave the process: answers carry a short SHA-256 digest of each distinct token. The process exits
 * when its stdin closes.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { CognitoClientCredentialsProvider, CognitoTokenProvider } from '../../dist/esm/src/index.js';
import { RedisTokenCache } from '../../dist/esm/adapters/redis.js';

const env = process.env;
const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);
await redis.connect();

const digest = (token) => createHash('sha256').update(token).digest('base64url').slice(0, 12);
const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

let current;

function prepare(command) {
  const cache = command.cache
    ? new RedisTokenCache({ client: redis, encryptionKey: env.ENCRYPTION_KEY, keyPrefix: command.prefix, onError: () => undefined })
    : undefined;
  const common = { userPoolId: env.POOL_ID, endpoint: env.ENDPOINT, ...(cache ? { cache } : {}) };
  const provider =
    command.mode === 'm2m'
      ? new CognitoClientCredentialsProvider({
          ...common,
          clientId: command.clientId,
          clientSecret: env.M2M_CLIENT_SECRET,
          scopes: command.scopes,
          refreshBeforeExpirySeconds: command.refreshBeforeExpirySeconds,
        })
      : new CognitoTokenProvider({ ...common, clientId: env.CLIENT_ID, username: env.USERNAME, password: env.PASSWORD });
  const failures = [];
  provider.on('failure', (event) => failures.push(`${event.operation}:${event.error?.code ?? event.error?.name}`));
  current = { command, cache, provider, failures, traffic: undefined };
}

async function go() {
  const { command, provider } = current;
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: command.callers }, () => provider.getToken()));
  const ms = performance.now() - started;
  const tokens = new Set(settled.filter((r) => r.status === 'fulfilled').map((r) => digest(r.value)));
  const errors = settled.filter((r) => r.status === 'rejected').map((r) => r.reason?.code ?? String(r.reason));
  if (command.tickMs !== undefined) current.traffic = traffic(command);
  return { ms, tokens: [...tokens], errors };
}

/** getToken() calls every `tickMs` until stopped, as a service's requests would make them. */
function traffic(command) {
  const seen = { calls: 0, errors: [], tokens: new Set(), running: true };
  seen.done = (async () => {
    while (seen.running) {
      const settled = await Promise.allSettled(Array.from({ length: command.callersPerTick }, () => current.provider.getToken()));
      for (const r of settled) {
        seen.calls++;
        if (r.status === 'fulfilled') seen.tokens.add(digest(r.value));
        else seen.errors.push(r.reason?.code ?? String(r.reason));
      }
      await sleep(command.tickMs);
    }
  })();
  return seen;
}

async function stop() {
  const { provider, cache, failures, traffic: seen } = current;
  current = undefined;
  if (seen !== undefined) {
    seen.running = false;
    await seen.done;
  }
  provider.close();
  await cache?.close();
  return {
    calls: seen?.calls ?? 0,
    errors: seen?.errors.slice(0, 5) ?? [],
    errorCount: seen?.errors.length ?? 0,
    tokens: seen?.tokens.size ?? 0,
    failures: failures.slice(0, 5),
  };
}

reply({ ok: 'ready', pid: process.pid });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const command = JSON.parse(line);
  try {
    if (command.cmd === 'prepare') {
      prepare(command);
      reply({ ok: 'prepared' });
    } else if (command.cmd === 'go') reply({ ok: 'go', ...(await go()) });
    else if (command.cmd === 'stop') reply({ ok: 'stopped', ...(await stop()) });
    else reply({ error: `unknown command ${command.cmd}` });
  } catch (error) {
    reply({ error: error?.code ?? error?.message ?? String(error) });
  }
}
if (current !== undefined) await stop();
redis.disconnect();
