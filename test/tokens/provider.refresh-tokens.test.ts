import { randomTotpSecret } from '../../src/auth/totp.js';
import { CognitoServiceError, RefreshTokenExpiredError, ThrottledError } from '../../src/errors.js';
import { MemoryDeviceStore } from '../../src/tokens/device-store.js';
import type { FailureEvent, RefreshEvent, RetryEvent } from '../../src/tokens/provider.js';
import { PASSWORD, providerFixture } from './helpers.js';

const fx = providerFixture();

describe('refresh tokens', () => {
  test('rotation: the newest refresh token is kept and used; the old one is dead', async () => {
    const emu = await fx.start({ refreshTokenRotation: true });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const events: RefreshEvent[] = [];
    provider.on('refresh', (e) => events.push(e));
    await provider.getToken();
    const r0 = (await provider.getTokens()).refreshToken!;
    provider.invalidate();
    await provider.getToken();
    const r1 = (await provider.getTokens()).refreshToken!;
    expect(r1).not.toBe(r0);
    provider.invalidate();
    await provider.getToken();
    const r2 = (await provider.getTokens()).refreshToken!;
    expect(r2).not.toBe(r1);
    expect(events.map((e) => e.rotated)).toEqual([true, true]);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(2);
    expect(emu.calls.InitiateAuth).toBe(1); // never fell back to a sign-in
  });

  test('revocation: a dead refresh token leads to exactly one full sign-in', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const failures: FailureEvent[] = [];
    provider.on('failure', (e) => failures.push(e));
    const token = await provider.getToken();
    emu.revokeUserTokens('svc');
    expect(emu.isTokenRevoked(token)).toBe(true);
    const p = provider;
    for (let i = 0; i < 50; i++) p.invalidate(token);
    const next = await Promise.all(Array.from({ length: 1000 }, () => p.getToken()));
    expect(new Set(next).size).toBe(1);
    expect(next[0]).not.toBe(token);
    expect(emu.isTokenRevoked(next[0]!)).toBe(false);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(2);
    expect(failures).toEqual([expect.objectContaining({ operation: 'refresh', recovered: true })]);
    expect(failures[0]?.error).toBeInstanceOf(RefreshTokenExpiredError);
  });

  test('throttling during refresh is retried with backoff and the callers get the result', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const retries: RetryEvent[] = [];
    provider.on('retry', (e) => retries.push(e));
    const token = await provider.getToken();
    emu.faults.inject('GetTokensFromRefreshToken', { times: 2, error: 'TooManyRequestsException' });
    provider.invalidate(token);
    await expect(provider.getToken()).resolves.not.toBe(token);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(3);
    expect(retries.map((r) => [r.operation, r.attempt])).toEqual([
      ['refresh', 1],
      ['refresh', 2],
    ]);
    expect(retries[0]?.error).toBeInstanceOf(ThrottledError);
  });

  test('5xx beyond the retry budget fails the call but not the next one', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    emu.faults.inject('InitiateAuth', { times: 4, error: 'InternalErrorException' });
    await expect(provider.getToken()).rejects.toBeInstanceOf(CognitoServiceError);
    expect(emu.calls.InitiateAuth).toBe(4);
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
  });

  test('a dropped connection is a retried network error', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    emu.faults.inject('InitiateAuth', { times: 1, drop: true });
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(emu.calls.InitiateAuth).toBe(2);
  });

  test('where GetTokensFromRefreshToken is unknown, REFRESH_TOKEN_AUTH is used, with DEVICE_KEY', async () => {
    const emu = await fx.start({ deviceTracking: 'always', clientSecret: true });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const provider = fx.provider({ mfa: { totpSecret }, rememberDevice: true, deviceStore: new MemoryDeviceStore() });
    const events: RefreshEvent[] = [];
    provider.on('refresh', (e) => events.push(e));
    const token = await provider.getToken();
    emu.faults.inject('GetTokensFromRefreshToken', { times: 1, error: { type: 'UnknownOperationException', status: 400 } });
    provider.invalidate(token);
    await expect(provider.getToken()).resolves.not.toBe(token);
    provider.invalidate();
    await provider.getToken();
    expect(events.map((e) => e.api)).toEqual(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH']);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1); // not asked again once known missing
    expect(emu.calls.InitiateAuth).toBe(3);
  });
});

