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

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
