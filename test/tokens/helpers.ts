import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions } from '../../src/testing/index.js';
import { CognitoTokenProvider } from '../../src/tokens/provider.js';
import type { CognitoTokenProviderOptions } from '../../src/auth/types.js';

export const PASSWORD = 'Corr3ct-Horse-Battery!';

/** Fast retries so fault-injection tests do not wait on production backoff. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

export async function emulator(options: CognitoEmulatorOptions = {}): Promise<CognitoEmulator> {
  return startCognitoEmulator(options);
}

export function providerFor(
  emu: CognitoEmulator,
  overrides: Partial<CognitoTokenProviderOptions> = {},
): CognitoTokenProvider {
  return new CognitoTokenProvider({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    ...(emu.clientSecret === undefined ? {} : { clientSecret: emu.clientSecret }),
    endpoint: emu.endpoint,
    username: 'svc',
    password: PASSWORD,
    retry: FAST_RETRY,
    ...overrides,
  });
}

/** The test's emulator and the providers it opens, all closed after the test (providers first). */
export interface ProviderFixture {
  /** The emulator `start` opened in this test. */
  readonly emu: CognitoEmulator;
  start(options?: CognitoEmulatorOptions): Promise<CognitoEmulator>;
  /** `providerFor(emu, overrides)`, closed after the test. */
  provider(overrides?: Partial<CognitoTokenProviderOptions>): CognitoTokenProvider;
  /** Closes `provider` after the test; returns it. */
  track(provider: CognitoTokenProvider): CognitoTokenProvider;
}

/** Registers the afterEach that closes the tracked providers, then the emulator. */
export function providerFixture(): ProviderFixture {
  let current: CognitoEmulator | undefined;
  const providers: CognitoTokenProvider[] = [];
  const running = (): CognitoEmulator => {
    if (current === undefined) throw new Error('providerFixture: call start() first');
    return current;
  };
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.close();
    await current?.close();
    current = undefined;
  });
  const track = (provider: CognitoTokenProvider): CognitoTokenProvider => {
    providers.push(provider);
    return provider;
  };
  return {
    get emu() {
      return running();
    },
    async start(options = {}) {
      current = await emulator(options);
      return current;
    },
    provider: (overrides = {}) => track(providerFor(running(), overrides)),
    track,
  };
}

/** A fresh directory under the OS temp dir for each test (named `prefix…`), removed after it. */
export function tempDirFixture(prefix: string): { readonly dir: string } {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    get dir() {
      if (dir === undefined) throw new Error('tempDirFixture: the directory exists only inside a test');
      return dir;
    },
  };
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves this process's clock (`Date.now`, which the provider and an in-process emulator both read) to `ms` into
 * the current 30 s TOTP step, so a test that needs "the same step" or "the next step" does not wait up to 30 s for
 * real. Returns how to restore the real clock.
 */
export function atTotpStepPosition(ms: number): () => void {
  const realNow = Date.now;
  const base = realNow.call(Date);
  const offset = ms - (base % 30_000) + 30_000;
  Date.now = () => realNow.call(Date) + offset;
  return () => {
    Date.now = realNow;
  };
}
