/**
 * The fleet, end to end: real child processes, each a real provider sharing RedisTokenCache on a real
 * redis-server, against the emulator in this process. Counts Cognito calls: one sign-in and one refresh per
 * token lifetime for the whole fleet, whatever the number of processes and callers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions } from '../../src/testing/index.js';
import { CLIENT_KINDS, TestClients, eventually, type ClientKind } from '../redis/clients.js';
import { newEncryptionKey } from '../redis/keys.js';
import { describeWithRedis, redisForTest, type RedisServer } from '../redis/redis-server.js';
import { PASSWORD } from './helpers.js';

const WORKER = resolve('test/tokens/fixtures/fleet-provider-worker.mjs');
const SOURCE_LOADER = resolve('test/support/source-loader.mjs');
const ROUND_BOUND_MS = 60_000;

interface Round {
  pid: number;
  tokens: string[];
  errors: string[];
  failures: string[];
}

class FleetProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly #pending: { resolve: (round: Round) => void; reject: (error: Error) => void }[] = [];
  #stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', SOURCE_LOADER, WORKER], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => void (this.#stderr += chunk.toString()));
    let onReady!: () => void;
    let onExit!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within ${ROUND_BOUND_MS} ms: ${this.#stderr}`)), ROUND_BOUND_MS);
      onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      onExit = (error) => {
        clearTimeout(timer);
        reject(error);
      };
    });
    this.ready.catch(() => undefined);
    this.child.once('exit', (code, signal) => {
      const error = new Error(`fleet process exited (${code ?? signal}): ${this.#stderr}`);
      onExit(error);
      for (const pending of this.#pending.splice(0)) pending.reject(error);
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (line === 'ready') onReady();
      else if (line.startsWith('{')) this.#pending.shift()?.resolve(JSON.parse(line) as Round);
    });
  }

  round(): Promise<Round> {
    return new Promise<Round>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no round result within ${ROUND_BOUND_MS} ms: ${this.#stderr}`)), ROUND_BOUND_MS);
      this.#pending.push({
        resolve: (round) => {
          clearTimeout(timer);
          resolve(round);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin!.write('go\n');
    });
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child.stdin?.destroy();
  }
}

describeWithRedis(true)('a fleet of processes sharing RedisTokenCache', () => {
  let redis: RedisServer;
  let emu: CognitoEmulator | undefined;
  let fleet: FleetProcess[] = [];
  const clients = new TestClients();

  beforeAll(async () => {
    redis = await redisForTest(true);
  });
  afterEach(async () => {
    for (const process of fleet) process.stop();
    fleet = [];
    await emu?.close();
    emu = undefined;
  });
  afterAll(async () => {
    await clients.closeAll();
    await redis?.close();
  });

  async function startFleet(
    count: number,
    options: { client?: ClientKind; callers?: number; emulator?: CognitoEmulatorOptions; env?: Record<string, string> } = {},
  ): Promise<CognitoEmulator> {
    emu = await startCognitoEmulator(options.emulator ?? {});
    emu.addUser({ username: 'svc', password: PASSWORD });
    const env = {
      REDIS_URL: redis.url,
      CLIENT: options.client ?? 'ioredis',
      ENCRYPTION_KEY: newEncryptionKey(),
      POOL_ID: emu.userPoolId,
      CLIENT_ID: emu.clientId,
      ENDPOINT: emu.endpoint,
      USERNAME: 'svc',
      PASSWORD,
      CALLERS: String(options.callers ?? 500),
      ...options.env,
    };
    fleet = Array.from({ length: count }, () => new FleetProcess(env));
    await Promise.all(fleet.map((process) => process.ready));
    return emu;
  }

  const allRounds = (processes = fleet): Promise<Round[]> => Promise.all(processes.map((process) => process.round()));

  function expectOneToken(rounds: Round[]): string {
    const tokens = new Set(rounds.flatMap((round) => round.tokens));
    expect(rounds.flatMap((round) => round.errors)).toEqual([]);
    expect(tokens.size).toBe(1);
    return [...tokens][0]!;
  }

  test.each(CLIENT_KINDS)('%s: 8 processes x 500 callers at a cold start make 1 sign-in in total', async (client) => {
    const emu = await startFleet(8, { client });
    const rounds = await allRounds();
    expectOneToken(rounds);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(rounds.flatMap((round) => round.failures)).toEqual([]);
  }, 120_000);

  test('after expiry 1 refresh in total; with rotation 3 rounds make 3 refreshes and no reuse error', async () => {
    // 8 s tokens, refreshed at half their lifetime (the cap): due 4 s after they were issued, served until 7.2 s.
    const emu = await startFleet(4, {
      callers: 50,
      emulator: { accessTokenValiditySeconds: 8, refreshTokenRotation: true },
      env: { REFRESH_BEFORE: '6' },
    });
    let token = expectOneToken(await allRounds());
    for (let round = 1; round <= 3; round++) {
      // In the refresh window: every process's local token is due.
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      const rounds = await allRounds();
      // The old token may still be served while one background refresh runs: read again once it landed.
      await eventually(() => (emu.calls.GetTokensFromRefreshToken ?? 0) >= round, 20_000, `refresh ${round}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = expectOneToken(await allRounds());
      expect(after).not.toBe(token);
      token = after;
      expect(rounds.flatMap((r) => r.errors)).toEqual([]);
      expect(emu.calls.GetTokensFromRefreshToken).toBe(round);
    }
    expect(emu.calls.InitiateAuth).toBe(1);
  }, 120_000);

  test('the lock holder killed with SIGKILL mid-sign-in: the others get a token with exactly one more sign-in', async () => {
    const emu = await startFleet(4, { callers: 20, env: { TIMEOUT_MS: '3000' } });
    // The first sign-in hangs in Cognito long enough to kill its process mid-way.
    emu.faults.inject('RespondToAuthChallenge', { latencyMs: 2_500 });
    const [holder, ...others] = fleet as [FleetProcess, ...FleetProcess[]];
    const holderRound = holder.round();
    holderRound.catch(() => undefined);
    await eventually(() => (emu.calls.RespondToAuthChallenge ?? 0) >= 1, 20_000, 'the holder mid-sign-in');
    holder.stop();
    const rounds = await allRounds(others);
    expectOneToken(rounds);
    expect(emu.calls.InitiateAuth).toBe(2);
  }, 120_000);

  test('redis-server stopped and restarted mid-run: no getToken() fails, sharing resumes', async () => {
    const emu = await startFleet(3, {
      callers: 50,
      emulator: { accessTokenValiditySeconds: 8 },
      env: { REFRESH_BEFORE: '6', TIMEOUT_MS: '2000' },
    });
    expectOneToken(await allRounds());
    await redis.kill();
    let down: Round[];
    try {
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      // Redis is down while every process's token is due: each carries on by itself.
      down = await allRounds();
      expect(down.flatMap((round) => round.errors)).toEqual([]);
      await eventually(() => (emu.calls.GetTokensFromRefreshToken ?? 0) >= 1, 20_000, 'refreshes while Redis is down');
    } finally {
      await redis.restart();
    }
    // Each process renews through the cache again once its own token is due (their tokens were issued apart).
    const resumed: Round[] = [];
    for (let lifetime = 0; lifetime < 2; lifetime++) {
      await new Promise((resolve) => setTimeout(resolve, 4_800));
      resumed.push(...(await allRounds()));
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    // Sharing again: the next lifetime costs one refresh for the fleet, not one per process.
    const calls = (): number => (emu.calls.GetTokensFromRefreshToken ?? 0) + (emu.calls.InitiateAuth ?? 0);
    const before = calls();
    await new Promise((resolve) => setTimeout(resolve, 4_800));
    resumed.push(...(await allRounds()));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const last = await allRounds();
    const after = expectOneToken(last);
    expect(after).toMatch(/^ey/);
    expect(calls() - before).toBe(1);
    // The outage was reported (a background refresh reports after the round that started it returned).
    const failures = [...down!, ...resumed, ...last].flatMap((round) => round.failures);
    expect(failures.some((failure) => failure.startsWith('cache:'))).toBe(true);
    expect(failures.filter((failure) => !failure.startsWith('cache:'))).toEqual([]);
  }, 180_000);

  test('a scan of Redis finds no token, refresh token or password in clear', async () => {
    await startFleet(2, { callers: 10 });
    const [round] = await allRounds();
    const token = round!.tokens[0]!;
    const raw = await clients.raw(redis.url);
    const keys = (await raw.command(['KEYS', '*'])) as string[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await raw.command(['TYPE', key]);
      if (type !== 'string') continue;
      const value = String(await raw.command(['GET', key]));
      expect(value).not.toContain(token.slice(0, 40));
      expect(value).not.toMatch(/eyJ[\w-]{10,}/);
      expect(value).not.toContain(PASSWORD);
      expect(key).not.toContain('svc');
    }
  }, 120_000);

  test('machine-to-machine: 8 processes make 1 token request per token lifetime', async () => {
    const emuM2m = await startCognitoEmulator();
    emu = emuM2m;
    const client = emuM2m.addM2mClient({ scopes: ['orders/read'] });
    const encryptionKey = newEncryptionKey();
    fleet = Array.from(
      { length: 8 },
      () =>
        new FleetProcess({
          REDIS_URL: redis.url,
          CLIENT: 'node-redis',
          ENCRYPTION_KEY: encryptionKey,
          MODE: 'm2m',
          POOL_ID: emuM2m.userPoolId,
          CLIENT_ID: client.clientId,
          CLIENT_SECRET: client.clientSecret,
          ENDPOINT: emuM2m.endpoint,
          CALLERS: '200',
        }),
    );
    await Promise.all(fleet.map((process) => process.ready));
    expectOneToken(await allRounds());
    expect(emuM2m.calls.GetClientToken).toBe(1);
  }, 120_000);
});
