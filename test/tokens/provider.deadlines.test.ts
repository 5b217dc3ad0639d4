import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AbortedError, NetworkError } from '../../src/errors.js';
import { CognitoTokenProvider } from '../../src/tokens/provider.js';
import { PASSWORD, providerFixture } from './helpers.js';

/** A TCP endpoint that accepts connections and never answers: a silent Cognito. */
async function silentEndpoint(): Promise<{ endpoint: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const POOL = 'us-east-1_Silent1';

function silentProvider(endpoint: string, overrides: Partial<ConstructorParameters<typeof CognitoTokenProvider>[0]> = {}) {
  return new CognitoTokenProvider({
    userPoolId: POOL,
    clientId: 'client1',
    username: 'svc',
    password: PASSWORD,
    endpoint,
    verify: false,
    timeoutMs: 300,
    retry: { maxAttempts: 1 },
    ...overrides,
  });
}

describe('deadlines', () => {
  let silent: Awaited<ReturnType<typeof silentEndpoint>>;
  const providers: CognitoTokenProvider[] = [];
  beforeEach(async () => {
    silent = await silentEndpoint();
  });
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.close();
    await silent.close();
  });
  const track = (provider: CognitoTokenProvider): CognitoTokenProvider => {
    providers.push(provider);
    return provider;
  };

  test('a silent Cognito ends every caller in a NetworkError naming the call; the next attempt starts anew', async () => {
    const provider = track(silentProvider(silent.endpoint));
    const callers = Array.from({ length: 20 }, () => provider.getToken());
    const results = await Promise.allSettled(callers);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toBe('Cognito InitiateAuth did not answer within 300 ms (timeoutMs).');
    }
    // One flight for the 20 callers, one connection.
    expect(silent.connections()).toBe(1);
    // The failed flight does not block the next attempt.
    await expect(provider.getToken()).rejects.toBeInstanceOf(NetworkError);
    expect(silent.connections()).toBe(2);
  });

  test('retries each end at the deadline too: attempts x timeout, then the error', async () => {
    const provider = track(silentProvider(silent.endpoint, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }));
    const retries: number[] = [];
    provider.on('retry', (event) => retries.push(event.attempt));
    await expect(provider.getToken()).rejects.toBeInstanceOf(NetworkError);
    expect(retries).toEqual([1, 2]);
    expect(silent.connections()).toBe(3);
  });

  test('a client the caller built without any timeout still gets the deadline', async () => {
    const cognitoClient = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: silent.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
    try {
      const provider = track(silentProvider(silent.endpoint, { cognitoClient, timeoutMs: 250 }));
      await expect(provider.getToken()).rejects.toThrow('Cognito InitiateAuth did not answer within 250 ms');
    } finally {
      cognitoClient.destroy();
    }
  });

  test('close() ends the flight at once: every waiting caller gets an AbortedError', async () => {
    const provider = track(silentProvider(silent.endpoint, { timeoutMs: 60_000 }));
    const callers = Array.from({ length: 5 }, () => provider.getToken());
    while (silent.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    provider.close();
    const results = await Promise.allSettled(callers);
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
    }
  });

  test('close() cancels a back-off wait in progress', async () => {
    // Connection refused is retryable; the back-off between attempts could be up to a minute.
    const closed = await silentEndpoint();
    const endpoint = closed.endpoint;
    await closed.close();
    const provider = track(
      silentProvider(endpoint, { retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } }),
    );
    provider.once('retry', () => provider.close());
    await expect(provider.getToken()).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('deadlines against the emulator', () => {
  const fx = providerFixture();

  test('latency beyond timeoutMs fails at the deadline instead of being waited out; the next call succeeds', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    emu.faults.inject('InitiateAuth', { latencyMs: 3_000 });
    const provider = fx.provider({ timeoutMs: 200, retry: { maxAttempts: 1 } });
    await expect(provider.getToken()).rejects.toThrow('Cognito InitiateAuth did not answer within 200 ms');
    await expect(provider.getToken()).resolves.toMatch(/^ey/);
  });

  test.each(['password callback', 'token store load', 'token store load of a saved session'] as const)(
    'a flight closed while it waits on the %s never calls Cognito once that wait ends',
    async (waitingOn) => {
      const emu = await fx.start();
      emu.addUser({ username: 'svc', password: PASSWORD });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let waiting!: () => void;
      const reached = new Promise<void>((resolve) => (waiting = resolve));
      const wait = async <T>(value: T): Promise<T> => (waiting(), await gate, value);
      const provider = fx.provider(
        waitingOn === 'password callback'
          ? { password: () => wait(PASSWORD) }
          : {
              tokenStore: {
                load: () =>
                  wait(
                    waitingOn === 'token store load'
                      ? undefined
                      : { refreshToken: 'saved-refresh-token', username: 'svc', clientId: emu.clientId },
                  ),
                save: async () => undefined,
                delete: async () => undefined,
              },
            },
      );
      const pending = provider.getToken();
      await reached;
      provider.close();
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
      release();
      // A flight left running after close() would now sign in (its calls no longer see the closed lifetime).
      const called = await new Promise<boolean>((resolve) => {
        const until = Date.now() + 1_000;
        const poll = (): void => {
          if (Object.values(emu.calls).some((count) => (count ?? 0) > 0)) resolve(true);
          else if (Date.now() > until) resolve(false);
          else setTimeout(poll, 10);
        };
        poll();
      });
      expect(called).toBe(false);
      // The provider stays usable: a later call signs in.
      await expect(provider.getToken()).resolves.toMatch(/^ey/);
    },
  );

  test('a JWKS endpoint that does not answer ends in a NetworkError naming it', async () => {
    const silent = await silentEndpoint();
    try {
      const emu = await fx.start();
      emu.addUser({ username: 'svc', password: PASSWORD });
      const jwksUri = `${silent.endpoint}/jwks.json`;
      const provider = fx.provider({ timeoutMs: 300, verify: { jwksUri } });
      await expect(provider.getToken()).rejects.toThrow(`The JWKS at ${jwksUri} did not answer within 300 ms`);
    } finally {
      await silent.close();
    }
  });
});

describe('the flight as a whole', () => {
  test('a password callback that never settles cannot hold the flight: it ends at the flight bound', async () => {
    const provider = new CognitoTokenProvider({
      userPoolId: POOL,
      clientId: 'client1',
      username: 'svc',
      password: () => new Promise<string>(() => undefined),
      verify: false,
      timeoutMs: 50,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    try {
      const first = provider.getToken();
      const joined = provider.getToken();
      await expect(first).rejects.toThrow(/^The sign-in or refresh did not complete within \d+ ms/);
      await expect(joined).rejects.toBeInstanceOf(NetworkError);
      // The mutex was released: the next attempt runs (and is bounded the same way).
      await expect(provider.getToken()).rejects.toBeInstanceOf(NetworkError);
    } finally {
      provider.close();
    }
  });
});

describe('close() and the process', () => {
  test.each([
    ['on a silent Cognito', 'silent-cognito', 1],
    ['on a token store that never answers', 'hung-store', 0],
  ])('a process whose provider hangs %s exits by itself once close() is called', async (_, variant, connections) => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const silent = await silentEndpoint();
    try {
      const script = join('test', 'tokens', 'fixtures', 'close-exits.mjs');
      const loader = join('test', 'support', 'source-loader.mjs');
      const stdout = await new Promise<string>((resolve, reject) => {
        // No kill from here: a process that does not exit by itself fails the test at the 30 s bound.
        execFile(
          process.execPath,
          ['--import', `./${loader}`, script, join(process.cwd(), 'src', 'index.ts'), silent.endpoint, variant],
          { timeout: 30_000 },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
      const report = JSON.parse(stdout.trim()) as { outcome: string; exitAfterCloseMs: number };
      expect(report.outcome).toBe('AbortedError');
      expect(silent.connections()).toBe(connections);
    } finally {
      await silent.close();
    }
  });
});

describe('deadlines and the garbage collector', () => {
  test('collections while a call waits do not lose its deadline (no AbortSignal.timeout held weakly)', async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const silent = await silentEndpoint();
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--expose-gc', '--import', './test/support/source-loader.mjs', join('test', 'tokens', 'fixtures', 'gc-during-call.mjs'), join(process.cwd(), 'src', 'index.ts'), silent.endpoint],
          { timeout: 30_000 },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
      expect(stdout.trim()).toBe('Cognito InitiateAuth did not answer within 500 ms (timeoutMs).');
    } finally {
      await silent.close();
    }
  });
});

describe('a flight left over after close()', () => {
  const fx = providerFixture();

  test('an MFA-code callback answered after close() makes no further Cognito call', async () => {
    const { randomTotpSecret, generateTotp } = await import('../../src/auth/totp.js');
    const emu = await fx.start();
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    let answer!: (code: string) => void;
    let asked!: () => void;
    const askedPromise = new Promise<void>((resolve) => (asked = resolve));
    const provider = fx.provider({
      mfa: {
        code: () => {
          asked();
          return new Promise<string>((resolve) => (answer = resolve));
        },
      },
    });
    const pending = provider.getToken();
    await askedPromise;
    const before = emu.calls.RespondToAuthChallenge ?? 0;
    provider.close();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    answer(generateTotp(totpSecret));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emu.calls.RespondToAuthChallenge ?? 0).toBe(before);
  });
});
