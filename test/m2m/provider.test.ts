/**
 * CognitoClientCredentialsProvider end to end: the emulator issues machine-to-machine tokens (GetClientToken and
 * /oauth2/token), every adapter sends them to a real API that verifies them with the pool's JWKS.
 */
import { inspect } from 'node:util';
import { AddUserPoolClientSecretCommand, DeleteUserPoolClientSecretCommand, ListUserPoolClientSecretsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AbortedError, InvalidClientError, InvalidScopeError, UnauthorizedClientError } from '../../src/errors.js';
import { CognitoClientCredentialsProvider } from '../../src/m2m/provider.js';
import type { CognitoClientCredentialsOptions } from '../../src/m2m/types.js';
import type { CognitoEmulator } from '../../src/testing/index.js';
import { ProtectedApi } from '../http/protected-api.js';
import { ALL_CLIENTS } from '../adapters/clients.js';
import { sdkClient } from '../testing/helpers.js';
import { m2mFixture, silentServer } from './helpers.js';

const fx = m2mFixture();
const providers: CognitoClientCredentialsProvider[] = [];
afterEach(() => {
  for (const provider of providers.splice(0)) provider.close();
});

function providerFor(
  emu: CognitoEmulator,
  client: { clientId: string; clientSecret: string },
  extra: Partial<CognitoClientCredentialsOptions> = {},
): CognitoClientCredentialsProvider {
  const provider = new CognitoClientCredentialsProvider({
    userPoolId: emu.userPoolId,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    endpoint: emu.endpoint,
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
    ...extra,
  });
  providers.push(provider);
  return provider;
}

describe.each([
  ['GetClientToken', false],
  ['tokenEndpoint', true],
] as const)('CognitoClientCredentialsProvider via %s', (transport, viaEndpoint) => {
  const counted = (emu: CognitoEmulator): number => (viaEndpoint ? emu.calls.TokenEndpoint : emu.calls.GetClientToken) ?? 0;
  const transportOptions = (emu: CognitoEmulator): Partial<CognitoClientCredentialsOptions> =>
    viaEndpoint ? { tokenEndpoint: emu.tokenEndpoint } : {};

  test('10,000 concurrent getToken() calls make one token request; the same settled token after', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    const provider = providerFor(emu, client, { scopes: ['orders/read'], ...transportOptions(emu) });
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => provider.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(counted(emu)).toBe(1);
    expect(provider.peekToken()).toBe(tokens[0]);
    const details = await provider.getTokenDetails();
    expect(details.scopes).toEqual(['orders/read']);
    expect(counted(emu)).toBe(1);
  });

  test('at expiry (the refresh window) one more request, shared by every caller', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'], accessTokenValiditySeconds: 4 });
    const provider = providerFor(emu, client, { refreshBeforeExpirySeconds: 2, ...transportOptions(emu) });
    const first = await provider.getToken();
    // Until the refresh window (2 s before exp): served from memory.
    while (provider.peekToken() !== undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    const events: boolean[] = [];
    provider.on('token', (event) => events.push(event.background));
    await Promise.all(Array.from({ length: 100 }, () => provider.getToken()));
    // The old token was still served while one background request ran; wait for it to land.
    while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await provider.getToken()).not.toBe(first);
    expect(counted(emu)).toBe(2);
    expect(events).toEqual([true]);
  });

  test('a wrong secret is an InvalidClientError that never carries the secret', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const provider = providerFor(emu, { clientId: client.clientId, clientSecret: 'not-the-secret-x1' }, transportOptions(emu));
    const error = await provider.getToken().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(InvalidClientError);
    expect(`${error?.message} ${JSON.stringify(error)} ${inspect(error)}`).not.toContain('not-the-secret-x1');
    expect(inspect(provider)).not.toContain('not-the-secret-x1');
    expect(JSON.stringify(provider)).not.toContain('not-the-secret-x1');
  });

  test('a scope the client may not have is an InvalidScopeError', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    emu.addM2mClient({ scopes: ['orders/write'] }); // the scope exists, this client may not have it
    const provider = providerFor(emu, client, { scopes: ['orders/write'], ...transportOptions(emu) });
    await expect(provider.getToken()).rejects.toBeInstanceOf(InvalidScopeError);
  });

  test('a client without the flow gets a typed error naming what to enable', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'], explicitAuthFlows: [], allowedOAuthFlows: [] });
    const provider = providerFor(emu, client, transportOptions(emu));
    const error = await provider.getToken().catch((e: unknown) => e as Error);
    if (viaEndpoint) expect(error).toBeInstanceOf(UnauthorizedClientError);
    else expect((error as Error).message).toMatch(/ALLOW_CLIENT_TOKEN_AUTH/);
  });

  test('a rotated secret is picked up from the function without a restart', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'], secret: 'first-secret-1' });
    let current = 'first-secret-1';
    let reads = 0;
    const provider = providerFor(emu, client, {
      clientSecret: async () => {
        reads++;
        return current;
      },
      ...transportOptions(emu),
    });
    const first = await provider.getToken();
    // Rotation: a second secret is added, the service's secret store switches, the first secret is deleted.
    const sdk = sdkClient(emu);
    const ids = { UserPoolId: emu.userPoolId, ClientId: client.clientId };
    try {
      await sdk.send(new AddUserPoolClientSecretCommand({ ...ids, ClientSecret: 'second-secret-2' }));
      const listed = await sdk.send(new ListUserPoolClientSecretsCommand(ids));
      current = 'second-secret-2';
      const oldId = listed.ClientSecrets!.sort((a, b) => +a.ClientSecretCreateDate! - +b.ClientSecretCreateDate!)[0]!;
      await sdk.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: oldId.ClientSecretId! }));
    } finally {
      sdk.destroy();
    }
    provider.invalidate(first);
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(reads).toBe(2);
  });
});

describe('CognitoClientCredentialsProvider lifecycle', () => {
  test('close() ends a request in progress with an AbortedError', async () => {
    const silent = await silentServer();
    try {
      const provider = new CognitoClientCredentialsProvider({
        userPoolId: 'us-east-1_Silent1',
        clientId: 'client1',
        clientSecret: 'secret-1',
        endpoint: silent.url,
        verify: false,
        timeoutMs: 60_000,
      });
      const pending = provider.getToken();
      while (silent.requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      provider.close();
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
    } finally {
      await silent.close();
    }
  });

  test('after close() the cognitoClient the caller passed is still the one used (not replaced by a client of our own)', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const cognitoClient = sdkClient(emu);
    let sent = 0;
    cognitoClient.middlewareStack.add((next) => (args) => (sent++, next(args)), { step: 'initialize' });
    try {
      const provider = providerFor(emu, client, { cognitoClient });
      await provider.getToken();
      provider.close();
      provider.invalidate();
      await provider.getToken();
      expect(emu.calls.GetClientToken).toBe(2);
      expect(sent).toBe(2);
    } finally {
      cognitoClient.destroy();
    }
  });

  test('a silent endpoint ends at timeoutMs with a NetworkError', async () => {
    const silent = await silentServer();
    try {
      const provider = new CognitoClientCredentialsProvider({
        userPoolId: 'us-east-1_Silent1',
        clientId: 'client1',
        clientSecret: 'secret-1',
        endpoint: silent.url,
        verify: false,
        timeoutMs: 200,
        retry: { maxAttempts: 1 },
      });
      providers.push(provider);
      await expect(provider.getToken()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    } finally {
      await silent.close();
    }
  });
});

describe.each(ALL_CLIENTS)('$name adapter with a machine-to-machine token', (kind) => {
  test('the API verifies the M2M token with the pool JWKS; a revoked one is refreshed once', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const api = await ProtectedApi.start({ jwks: new URL(emu.jwksUri), issuer: emu.issuer });
    const provider = providerFor(emu, client);
    const http = kind.create(provider, api.origin);
    try {
      const ok = await http.send(api.url('/orders'));
      expect(ok.status).toBe(200);
      expect(api.requests.at(-1)?.token).toBe(await provider.getToken());
      expect(api.requests.at(-1)?.status).toBe(200);
      api.revoked.add(await provider.getToken());
      const again = await http.send(api.url('/orders'));
      expect(again.status).toBe(200);
      expect(emu.calls.GetClientToken).toBe(2);
    } finally {
      await http.close();
      await api.close();
    }
  });
});
