import { inspect } from 'node:util';
import { randomTotpSecret } from '../../src/auth/totp.js';
import { ThrottledError } from '../../src/errors.js';
import { MemoryDeviceStore } from '../../src/tokens/device-store.js';
import { PASSWORD, providerFixture, providerFor } from './helpers.js';

const fx = providerFixture();

describe('single flight', () => {
  test('10,000 concurrent getToken() calls: one sign-in, then after invalidate one refresh, all the same token', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const p = provider;
    const promises = Array.from({ length: 10_000 }, () => p.getToken());
    expect(new Set(promises).size).toBe(1);
    const tokens = await Promise.all(promises);
    expect(new Set(tokens).size).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(1);

    for (let i = 0; i < 10_000; i++) p.invalidate(tokens[0]);
    const after = await Promise.all(Array.from({ length: 10_000 }, () => p.getToken()));
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(tokens[0]);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    // A late report of the old token is ignored.
    p.invalidate(tokens[0]);
    expect(p.peekToken()).toBe(after[0]);
    await p.getToken();
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(1);
  });

  test('invalidate() without a token invalidates the current one; before sign-in it is a no-op', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    provider.invalidate();
    const first = await provider.getToken();
    provider.invalidate('some-other-token');
    expect(provider.peekToken()).toBe(first);
    provider.invalidate();
    expect(provider.peekToken()).toBeUndefined();
    expect(await provider.getToken()).not.toBe(first);
  });
});

describe('signOut', () => {
  test('GlobalSignOut revokes the session; the next getToken signs in again', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const token = await provider.getToken();
    await provider.signOut();
    expect(emu.calls.GlobalSignOut).toBe(1);
    expect(emu.isTokenRevoked(token)).toBe(true);
    expect(provider.peekToken()).toBeUndefined();
    await expect(provider.getToken()).resolves.not.toBe(token);
    expect(emu.calls.InitiateAuth).toBe(2);
  });

  test('signOut() during the first sign-in signs out the session that sign-in made; the waiting caller is told why', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    emu.faults.inject('InitiateAuth', { latencyMs: 300 });
    const provider = fx.provider();
    const pending = provider.getToken();
    pending.catch(() => undefined);
    await provider.signOut();
    await expect(pending).rejects.toThrow(/signOut\(\)/);
    // The tokens of that sign-in were never served, but their session must not stay live in Cognito.
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(emu.calls.GlobalSignOut).toBe(1);
    expect(provider.peekToken()).toBeUndefined();
  });

  test('falls back to RevokeToken when GlobalSignOut fails', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    await provider.getToken();
    const refreshToken = (await provider.getTokens()).refreshToken!;
    emu.faults.inject('GlobalSignOut', { error: { type: 'NotAuthorizedException', status: 400, message: 'Access Token has been revoked' } });
    await provider.signOut();
    expect(emu.calls.RevokeToken).toBe(1);
    expect(emu.isTokenRevoked(refreshToken)).toBe(true);
    await provider.signOut(); // nothing to do
    expect(emu.calls.GlobalSignOut).toBe(1);
  });
});

describe('secrets stay secret', () => {
  test('no password, token, client secret, device password or TOTP secret in inspect, JSON, events or errors', async () => {
    const emu = await fx.start({ clientSecret: true, deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const store = new MemoryDeviceStore();
    const provider = fx.provider({ mfa: { totpSecret }, rememberDevice: true, deviceStore: store });
    const seen: unknown[] = [];
    for (const name of ['signIn', 'refresh', 'failure', 'retry', 'deviceRemembered', 'deviceForgotten', 'signOut'] as const) {
      provider.on(name, (e: unknown) => seen.push(e));
    }
    await provider.getToken();
    const tokens = await provider.getTokens();
    const device = (await store.load(`${emu.userPoolId}/svc`))!;
    // Failure paths: throttled refresh beyond the budget, then a revoked session.
    emu.faults.inject('GetTokensFromRefreshToken', { times: 4, error: 'TooManyRequestsException' });
    provider.invalidate();
    const throttled = await provider.getToken().catch((e: unknown) => e);
    emu.revokeUserTokens('svc');
    await provider.getToken();
    const wrong = providerFor(emu, { password: 'Wrong-Passw0rd-123', clientSecret: emu.clientSecret! });
    const refused = await wrong.getToken().catch((e: unknown) => e);
    wrong.close();

    const secrets = [
      PASSWORD,
      'Wrong-Passw0rd-123',
      tokens.accessToken,
      tokens.idToken,
      tokens.refreshToken!,
      emu.clientSecret!,
      device.devicePassword,
      totpSecret,
    ];
    const texts = [
      inspect(provider, { depth: 10 }),
      JSON.stringify(provider),
      inspect(tokens, { depth: 10 }),
      JSON.stringify(tokens),
      `${tokens}`,
      inspect(seen, { depth: 10 }),
      JSON.stringify(seen),
      inspect(throttled, { depth: 3 }),
      String(throttled),
      inspect(refused, { depth: 3 }),
      String(refused),
    ];
    expect(throttled).toBeInstanceOf(ThrottledError);
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(tokens)).toContain('[redacted]');
  });
});
