/**
 * A real redis-server for the fleet bench: started on a free port on 127.0.0.1 in a temporary folder, without
 * persistence (as test/redis/redis-server.ts does for the tests). `stop()` kills it and removes the folder; it is
 * also killed when this process exits, so it never outlives the bench.
 *
 *   const redis = await startRedisServer();   // redis.url, redis.port
 *   await redis.stop();
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const START_DEADLINE_MS = 10_000;

export const hasRedisServer = () => spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;

export async function startRedisServer() {
  if (!hasRedisServer()) {
    throw new Error('redis-server is not on PATH: install it with `apt-get install redis-server` (or set REDIS_SERVER_BIN).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout.on('data', (chunk) => void (output += chunk));
  child.stderr.on('data', (chunk) => void (output += chunk));
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const until = Date.now() + START_DEADLINE_MS;
    while (!(await answersPing(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
      if (Date.now() > until) throw new Error(`redis-server did not start within ${START_DEADLINE_MS} ms: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const end = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => end(false));
    socket.once('error', () => end(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) end(reply.startsWith('+PONG'));
    });
  });
}
