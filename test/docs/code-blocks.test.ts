/**
 * Every JavaScript/TypeScript code block of README.md and docs/*.md runs, standalone, as a user would run it:
 * each block is written to a file of its own and run by `node` (through the test source loader, so
 * `import ... from 'cognito-srp-auth'` resolves to the sources and no build is needed). The blocks read their
 * settings from the environment, which points at a local emulator, a JWKS-verifying API and redis-server:
 *
 *   COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_ENDPOINT, COGNITO_USERNAME, COGNITO_PASSWORD (an SRP user),
 *   COGNITO_M2M_CLIENT_ID, COGNITO_M2M_CLIENT_SECRET (a client with the scope orders/read),
 *   API_URL (an API that verifies the pool's tokens), REDIS_URL, COGNITO_CACHE_KEY.
 *
 * A block that is not a program (an option list, a signature) belongs in a ```text fence instead.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { ProtectedApi } from '../http/protected-api.js';
// @ts-expect-error: a plain .mjs module shared with the smoke test (no declarations).
import { docEnvironment } from '../../scripts/doc-environment.mjs';
import { describeWithRedis, redisForTest, type RedisServer } from '../redis/redis-server.js';

const ROOT = resolve('.');
const OUT = join(ROOT, '.doc-blocks');
const LOADER = join(ROOT, 'test', 'support', 'source-loader.mjs');
const RUNNABLE = new Set(['js', 'mjs', 'javascript', 'ts', 'typescript']);
const BLOCK_BOUND_MS = 60_000;

interface Block {
  file: string;
  line: number;
  code: string;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w+)/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (RUNNABLE.has(open[2]!)) blocks.push({ file, line: start + 1, code: body.join('\n') });
  }
  return blocks;
}

const DOC_FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const BLOCKS = DOC_FILES.flatMap(blocksOf);

function run(block: Block, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const name = `${block.file.replace(/[^\w]+/g, '-')}-${block.line}.ts`;
  const path = join(OUT, name);
  writeFileSync(path, `${block.code}\n`);
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      ['--import', LOADER, '--no-warnings', path],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: BLOCK_BOUND_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolvePromise({ code, output: `${stdout}${stderr}`.slice(-4000) });
      },
    );
  });
}

describeWithRedis()('code blocks of README.md and docs/', () => {
  let emu: CognitoEmulator;
  let api: ProtectedApi;
  let redis: RedisServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
    emu = await startCognitoEmulator();
    api = await ProtectedApi.start({ jwks: new URL(emu.jwksUri), issuer: emu.issuer });
    redis = await redisForTest();
    env = docEnvironment(emu, { apiUrl: api.url('/orders'), redisUrl: redis.url });
  });
  afterAll(async () => {
    await api?.close();
    await emu?.close();
    await redis?.close();
    rmSync(OUT, { recursive: true, force: true });
  });

  test('the documents have code blocks to run', () => {
    expect(BLOCKS.length).toBeGreaterThan(0);
  });

  // Concurrent: each block is a child process that mostly waits; five at a time keep the file short.
  test.concurrent.each(BLOCKS.map((block) => [`${block.file}:${block.line}`, block] as const))('%s runs', async (_name, block) => {
    const { code, output } = await run(block, env);
    if (code !== 0) throw new Error(`${block.file}:${block.line} exited ${code}:\n${output}`);
    expect(code).toBe(0);
  }, BLOCK_BOUND_MS + 5_000);
});
