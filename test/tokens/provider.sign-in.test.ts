import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError, NotAuthorizedError, TokenVerificationError } from '../../src/errors.js';
import type { SignInEvent } from '../../src/tokens/provider.js';
import { decodePayload, emulator, PASSWORD, providerFixture, providerFor } from './helpers.js';

const fx = providerFixture();

describe('SRP sign-in against the emulator', () => {
  test('signs in, verifies, caches: the same promise object while fresh, and peekToken agrees', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = providerFor(emu);
    expect(provider.peekToken()).toBeUndefined();
    const events: SignInEvent[] = [];
    provider.on('signIn', (e) => events.push(e));
    const token = await provider.getToken();
    const claims = decodePayload(token);
    expect(claims.token_use).toBe('access');
    expect(claims.client_id).toBe(emu.clientId);
    expect(provider.getToken()).toBe(provider.getToken());
    expect(await provider.getToken()).toBe(token);
    expect(provider.peekToken()).toBe(token);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(emu.calls.RespondToAuthChallenge).toBe(1);
    expect(events).toEqual([
      expect.objectContaining({ username: 'svc', challenges: ['PASSWORD_VERIFIER'], deviceKey: undefined }),
    ]);
    const tokens = await provider.getTokens();
    expect(tokens.accessToken).toBe(token);
    expect(decodePayload(tokens.idToken).token_use).toBe('id');
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt).toBe((claims.exp as number) * 1000);
    provider.close();
  });

  test('tokenType id returns the ID token', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, email: 'svc@example.com' });
    const provider = providerFor(emu, { tokenType: 'id' });
    const claims = decodePayload(await provider.getToken());
    expect(claims.token_use).toBe('id');
    expect(claims.aud).toBe(emu.clientId);
    provider.close();
  });

  test('client secret: SECRET_HASH is sent at every step and a refresh works', async () => {
    const emu = await fx.start({ clientSecret: true });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = providerFor(emu);
    const first = await provider.getToken();
    provider.invalidate(first);
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    provider.close();
  });

  test('email as username: USER_ID_FOR_SRP (a UUID) differs from the sign-in name, with a client secret', async () => {
    const emu = await fx.start({ clientSecret: true, usernameAttributes: ['email'] });
    const { username: internal } = emu.addUser({ username: 'svc@example.com', password: PASSWORD });
    expect(internal).not.toBe('svc@example.com');
    const provider = providerFor(emu, { username: 'svc@example.com' });
    const token = await provider.getToken();
    expect(decodePayload(token).username).toBe(internal);
    const tokens = await provider.getTokens();
    expect(tokens.username).toBe(internal);
    // REFRESH_TOKEN_AUTH hashes the internal name, not the alias: force that path.
    emu.faults.inject('GetTokensFromRefreshToken', {
      error: { type: 'UnknownOperationException', status: 400 },
    });
    provider.invalidate();
    expect(await provider.getToken()).not.toBe(token);
    expect(emu.calls.InitiateAuth).toBe(2); // sign-in + REFRESH_TOKEN_AUTH
    provider.close();
  });

  test('an email alias signs in as the internal user name', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc-internal', password: PASSWORD, email: 'svc@example.com', alias: true });
    const provider = providerFor(emu, { username: 'svc@example.com' });
    expect(decodePayload(await provider.getToken()).username).toBe('svc-internal');
    provider.close();
  });

  test('a caller-supplied SDK client is used (cognitoClient), with the issuer from endpoint', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const provider = providerFor(emu, { cognitoClient: client });
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(sent).toEqual(['InitiateAuthCommand', 'RespondToAuthChallengeCommand']);
    provider.close(); // does not destroy a client it does not own
    await expect(client.send(new GetUserCommand({ AccessToken: await provider.getToken() }))).resolves.toBeDefined();
    client.destroy();
  });

  test('a wrong password is a NotAuthorizedError, not retried, and it does not poison the next call', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    let password = 'Wrong-Passw0rd!';
    const provider = providerFor(emu, { password: async () => password });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorizedError);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(String(error)).not.toContain('Wrong-Passw0rd!');
    password = PASSWORD;
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(emu.calls.InitiateAuth).toBe(2);
    provider.close();
  });

  test('a plain (synchronous) password function is accepted and called at the sign-in', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    let calls = 0;
    const provider = providerFor(emu, {
      password: () => {
        calls += 1;
        return PASSWORD;
      },
    });
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(calls).toBe(1);
    provider.close();
  });

  test('a password function that resolves to nothing is a config error naming password', async () => {
    const emu = await fx.start();
    const provider = providerFor(emu, { password: async () => '' });
    await expect(provider.getToken()).rejects.toEqual(expect.objectContaining({ option: 'password' }));
    await expect(provider.getToken()).rejects.toBeInstanceOf(CognitoConfigError);
    provider.close();
  });
});

describe('verification', () => {
  test('tokens from an unexpected issuer are rejected on arrival; pinned keys (verify.jwks) need no fetch', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const wrong = providerFor(emu, { verify: { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' } });
    await expect(wrong.getToken()).rejects.toBeInstanceOf(TokenVerificationError);
    wrong.close();

    const keys = (await (await fetch(emu.jwksUri)).json()) as { keys: object[] };
    const pinned = providerFor(emu, { verify: { jwks: keys as never, jwksUri: 'http://127.0.0.1:1/unused' } });
    await expect(pinned.getToken()).resolves.toEqual(expect.any(String));
    pinned.close();
  });

  test('COGNITO_JWKS is used instead of fetching', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const keys = await (await fetch(emu.jwksUri)).text();
    process.env.COGNITO_JWKS = keys;
    try {
      const provider = providerFor(emu, { verify: { jwksUri: 'http://127.0.0.1:1/unreachable' } });
      await expect(provider.getToken()).resolves.toEqual(expect.any(String));
      provider.close();
    } finally {
      delete process.env.COGNITO_JWKS;
    }
  });
});
