/**
 * The README's quick starts, run as written against the packed tarball, in a project that installs only
 * cognito-srp-auth, one HTTP client (axios) and the Redis client the fleet quick start brings (ioredis): every
 * ```js block of the README that ships in the tarball is saved as a .mjs file there and run by node. The blocks read
 * their settings from the environment, which points at a local emulator (from the tarball's
 * cognito-srp-auth/testing), an API that verifies the pool's tokens, and a redis-server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Socket, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { docEnvironment } from './doc-environment.mjs';

const BLOCK_BOUND_MS = 60_000;

/** ```js blocks (plain JavaScript: what a reader pastes into a .mjs file). */
export function quickStartsOf(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|javascript|mjs)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ line: start, code: body.join('\n') });
  }
  return blocks;
}

export async function runReadmeQuickStarts({ tarball, work, npm, versions, failures }) {
  const project = join(work, 'readme-project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "readme-check", "private": true, "type": "module" }\n');
  const install = spawnSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', tarball, `axios@${versions.axios}`, `ioredis@${versions.ioredis}`],
    { cwd: project, encoding: 'utf8' },
  );
  if (install.status !== 0) {
    failures.push(`readme project: npm install failed: ${install.stderr}`);
    return;
  }
  const readme = readFileSync(join(project, 'node_modules', 'cognito-srp-auth', 'README.md'), 'utf8');
  const blocks = quickStartsOf(readme);
  if (blocks.length === 0) {
    failures.push('README.md has no ```js quick start to run');
    return;
  }
  const testing = await import(pathToFileURL(join(project, 'node_modules', 'cognito-srp-auth', 'dist', 'esm', 'src', 'testing', 'index.js')).href);
  const emu = await testing.startCognitoEmulator();
  const redis = await startRedis();
  const api = await startApi(emu);
  try {
    const env = { PATH: process.env.PATH ?? '', ...docEnvironment(emu, { apiUrl: `${api.origin}/orders`, redisUrl: redis.url }) };
    for (const block of blocks) {
      const file = join(project, `readme-${block.line}.mjs`);
      writeFileSync(file, `${block.code}\n`);
      const result = await runNode(file, project, env);
      if (result.status !== 0) failures.push(`README.md:${block.line} exited ${result.status}: ${result.output.slice(-1500)}`);
      else console.log(`smoke:   ok   README.md:${block.line}`);
    }
  } finally {
    await api.close();
    await emu.close();
    redis.stop();
  }
}

function runNode(file, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_BOUND_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status: status ?? signal, output });
    });
  });
}

/** An API on 127.0.0.1 that answers 200 only to a token the pool signed (checked with its JWKS), else 401. */
async function startApi(emu) {
  const jwks = createRemoteJWKSet(new URL(emu.jwksUri));
  const server = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    try {
      if (token === undefined) throw new Error('no token');
      await jwtVerify(token, jwks, { issuer: emu.issuer });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}');
    } catch {
      res.writeHead(401).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** redis-server on a free port in a temporary folder (CI installs it; the fleet quick start needs it). */
async function startRedis() {
  const port = await new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'smoke-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  await new Promise((resolve, reject) => {
    const until = Date.now() + 10_000;
    const attempt = () => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve()));
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error('redis-server did not start within 10 s (is it installed?)'));
        else setTimeout(attempt, 50);
      });
      socket.connect(port, '127.0.0.1');
    };
    child.once('error', reject);
    attempt();
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
