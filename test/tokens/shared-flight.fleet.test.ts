/**
 * SharedFlight across real processes: N node child processes, each a SharedFlight over RedisTokenCache on
 * one real redis-server, with a fake obtain that appends its pid to a file (the count of obtains).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

import { CLIENT_KINDS, eventually, type ClientKind } from '../redis/clients.js';
import { newEncryptionKey, uniqueKey } from '../redis/keys.js';
import { describeWithRedis, redisForTest, type RedisServer } from '../redis/redis-server.js';

const WORKER = resolve('test/redis/fleet-worker.mjs');
const SOURCE_LOADER = resolve('test/support/source-loader.mjs');

interface WorkerResult {
  pid: number;
  runs: number;
  tokens: string[];
  failures: string[];
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly result: Promise<WorkerResult>;
}

describeWithRedis()('SharedFlight across processes', () => {
  let server: RedisServer;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await redisForTest();
    dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  function startWorkers(count: number, env: Record<string, string>): Worker[] {
    return Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--import', SOURCE_LOADER, WORKER], {
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL: server.url,
          FLEET_MODULES: JSON.stringify({
            sharedFlight: pathToFileURL(resolve('src/tokens/shared-flight.ts')).href,
            redisTokenCache: pathToFileURL(resolve('src/redis/redis-token-cache.ts')).href,
          }),
          ...env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const lines = createInterface({ input: child.stdout! });
      let onReady!: () => void;
      const ready = new Promise<void>((resolve) => (onReady = resolve));
      const result = new Promise<WorkerResult>((resolve, reject) => {
        lines.on('line', (line) => {
          if (line === 'ready') onReady();
          else if (line.startsWith('{')) resolve(JSON.parse(line) as WorkerResult);
        });
        child.once('exit', (code, signal) => reject(new Error(`worker ${child.pid} exited (${code ?? signal}) without a result: ${stderr}`)));
      });
      result.catch(() => undefined);
      return { child, ready: Promise.race([ready, result.then(() => undefined)]), result };
    });
  }

  async function go(workers: Worker[]): Promise<void> {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin!.write('go\n');
  }

  function obtains(counter: string): string[] {
    return existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean) : [];
  }

  test.each(CLIENT_KINDS)('%s: cold start, 8 processes x 100 concurrent runs: exactly 1 obtain in total', async (kind: ClientKind) => {
    const counter = join(dir, `cold-${kind}.txt`);
    const workers = startWorkers(8, {
      CLIENT: kind,
      KEY: uniqueKey('fleet-cold'),
      ENCRYPTION_KEY: newEncryptionKey(),
      COUNTER_FILE: counter,
      RUNS: '100',
      OBTAIN_MS: '50',
      LOCK_TTL_MS: '10000',
    });
    await go(workers);
    const results = await Promise.all(workers.map((w) => w.result));
    const lines = obtains(counter);
    expect(lines).toHaveLength(1);
    for (const result of results) {
      expect(result.runs).toBe(100);
      expect(result.tokens).toEqual([`token-from-${lines[0]}`]);
      expect(result.failures).toEqual([]);
    }
  }, 60_000);

  test('the lock holder killed with SIGKILL mid-obtain: exactly one more obtain, by another process, shared by all', async () => {
    const counter = join(dir, 'killed.txt');
    const workers = startWorkers(4, {
      CLIENT: 'ioredis',
      KEY: uniqueKey('fleet-kill'),
      ENCRYPTION_KEY: newEncryptionKey(),
      COUNTER_FILE: counter,
      RUNS: '20',
      OBTAIN_MS: '1000',
      LOCK_TTL_MS: '3000',
    });
    await go(workers);
    await eventually(() => obtains(counter).length >= 1, 20_000, 'the first obtain');
    const holderPid = Number(obtains(counter)[0]);
    const holder = workers.find((w) => w.child.pid === holderPid)!;
    expect(holder).toBeDefined();
    holder.child.kill('SIGKILL');
    await expect(holder.result).rejects.toThrow(/SIGKILL/);

    const survivors = await Promise.all(workers.filter((w) => w !== holder).map((w) => w.result));
    const lines = obtains(counter);
    expect(lines).toHaveLength(2);
    expect(Number(lines[1])).not.toBe(holderPid);
    for (const result of survivors) {
      expect(result.tokens).toEqual([`token-from-${lines[1]}`]);
      expect(result.failures).toEqual([]);
    }
  }, 60_000);
});
