/**
 * A real redis-server for the fleet tests: started on a free port on 127.0.0.1 in a temporary folder
 * (no persistence), stoppable with SIGKILL and restartable on the same port. `REDIS_URL` is used instead
 * for the tests that do not stop the server, when it is set.
 *
 * Without redis-server on PATH (and no REDIS_URL) the fleet tests are skipped with a one-line note,
 * except under CI=true, where they fail: CI must install it (.ci/run does, with apt-get).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL_HINT = 'install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis`';
const START_DEADLINE_MS = 10_000;

/** The binary; REDIS_SERVER_BIN points at another one (or at nothing, to check the skip path). */
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
export const hasRedisServer = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` when the tests can run (or must, under CI), else `describe.skip` plus a one-line note.
 * `needsOwnServer`: the tests stop and restart the server, so REDIS_URL cannot stand in for redis-server.
 */
export function describeWithRedis(needsOwnServer = false): jest.Describe {
  const runnable = hasRedisServer || (!needsOwnServer && process.env.REDIS_URL !== undefined);
  if (runnable || inCi) return describe;
  if (!skipNoted) console.log(`redis tests skipped: redis-server is not on PATH; ${INSTALL_HINT} (or set REDIS_URL).`);
  skipNoted = true;
  return describe.skip;
}
let skipNoted = false;

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGKILL, as a crash; resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** The REDIS_URL server when set and `needsOwnServer` is false, else a new redis-server. */
export async function redisForTest(needsOwnServer = false): Promise<RedisServer> {
  const external = process.env.REDIS_URL;
  if (external !== undefined && !needsOwnServer) {
    const refuse = async (): Promise<never> => {
      throw new Error('REDIS_URL server cannot be stopped by the tests');
    };
    return { url: external, port: Number(new URL(external).port || 6379), kill: refuse, restart: refuse, close: async () => {} };
  }
  if (!hasRedisServer) throw new Error(`redis-server is not on PATH (CI=true needs it): ${INSTALL_HINT}.`);
  return startRedisServer();
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, dir);
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      child = await launch(port, dir);
    },
    close: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function launch(port: number, dir: string, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${START_DEADLINE_MS} ms: ${output}`)), START_DEADLINE_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${output}`)));
    // With loglevel warning it prints nothing once ready: probe the port until it answers PING.
    const onData = (chunk: Buffer): void => void (output += chunk.toString());
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const probe = async (): Promise<void> => {
      if (await answersPing(port)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        resolve(child);
      } else if (child.exitCode === null) setTimeout(() => void probe(), 25);
    };
    setTimeout(() => void probe(), 25);
  });
}

export interface RedisCluster {
  readonly nodes: { host: string; port: number }[];
  close(): Promise<void>;
}

const CLUSTER_SLOTS = 16384;

/**
 * A Redis Cluster of `size` masters (no replicas) on free ports, slots split evenly, formed with
 * CLUSTER ADDSLOTSRANGE and CLUSTER MEET over raw sockets; resolves once every node reports cluster_state:ok.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  if (!hasRedisServer) throw new Error(`redis-server is not on PATH (CI=true needs it): ${INSTALL_HINT}.`);
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL')))
          : undefined,
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i += 1) {
      const port = await freeClusterPort(ports);
      ports.push(port);
      children.push(await launch(port, dir, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`]));
    }
    for (const [i, port] of ports.entries()) {
      const first = Math.floor((i * CLUSTER_SLOTS) / size);
      const last = Math.floor(((i + 1) * CLUSTER_SLOTS) / size) - 1;
      await rawCommand(port, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]);
    }
    for (const port of ports.slice(1)) await rawCommand(ports[0]!, ['CLUSTER', 'MEET', '127.0.0.1', String(port)]);
    const until = Date.now() + START_DEADLINE_MS * 2;
    for (const port of ports) {
      while (!(await rawCommand(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) {
        if (Date.now() > until) throw new Error('the Redis Cluster did not reach cluster_state:ok in time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), close };
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await freePort();
    if (port + 10000 > 65535 || taken.includes(port)) continue;
    if (await canListen(port + 10000)) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Sends one command in RESP over a raw socket and returns the raw reply text (setup only). */
function rawCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(5000, () => (socket.destroy(), reject(new Error(`no reply to ${args[0]} on ${port}`))));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const complete = reply.startsWith('$') ? /^\$(\d+)\r\n/.exec(reply) !== null && reply.length >= replyLength(reply) : reply.endsWith('\r\n');
      if (!complete) return;
      socket.destroy();
      if (reply.startsWith('-')) reject(new Error(`${args.join(' ')}: ${reply.trim()}`));
      else resolve(reply);
    });
  });
}

function replyLength(reply: string): number {
  const match = /^\$(\d+)\r\n/.exec(reply)!;
  return match[0].length + Number(match[1]) + 2;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One PING over a raw socket: `true` when the server answers +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const end = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => end(false));
    socket.once('error', () => end(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) end(reply.startsWith('+PONG'));
    });
  });
}
