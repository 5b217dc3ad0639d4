/**
 * The provider against the strict emulator: USER_AUTH (with and without the preferred challenge honoured, TOTP,
 * a remembered device, refresh), refused flows and the fallback, lockout, both user-existence modes, and a
 * client secret rotated between sign-ins.
 */
import { randomTotpSecret } from '../../src/auth/totp.js';
import { AuthFlowNotEnabledError, NotAuthorizedError, UserNotFoundError } from '../../src/errors.js';
import { MemoryDeviceStore } from '../../src/tokens/device-store.js';
import type { RefreshEvent, SignInEvent } from '../../src/tokens/provider.js';
import { PASSWORD, providerFixture } from './helpers.js';

const fx = providerFixture();
const USER_AUTH_ONLY = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

function signIns(provider: { on(event: 'signIn', listener: (e: SignInEvent) => void): unknown }): SignInEvent[] {
  const events: SignInEvent[] = [];
  provider.on('signIn', (e) => events.push(e));
  return events;
}

describe('USER_AUTH', () => {
  test('PASSWORD_SRP preferred: TOTP MFA, then a remembered device skips MFA, then a refresh', async () => {
    const emu = await fx.start({ explicitAuthFlows: USER_AUTH_ONLY, deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const deviceStore = new MemoryDeviceStore();
    const first = fx.provider({ authFlow: 'USER_AUTH', mfa: { totpSecret }, rememberDevice: true, deviceStore });
    const firstEvents = signIns(first);
    await first.getToken();
    expect(firstEvents[0]).toMatchObject({
      authFlow: 'USER_AUTH',
      fallback: undefined,
      challenges: ['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA'],
    });

    const second = fx.provider({ authFlow: 'USER_AUTH', mfa: { totpSecret }, rememberDevice: true, deviceStore });
    const secondEvents = signIns(second);
    const refreshes: RefreshEvent[] = [];
    second.on('refresh', (e) => refreshes.push(e));
    const token = await second.getToken();
    expect(secondEvents[0]?.challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    expect(secondEvents[0]?.deviceKey).toEqual(expect.any(String));
    second.invalidate(token);
    expect(await second.getToken()).not.toBe(token);
    expect(refreshes).toHaveLength(1);
    expect(emu.calls.InitiateAuth).toBe(2);
  });

  test('preference not taken: SELECT_CHALLENGE is answered with PASSWORD_SRP', async () => {
    const emu = await fx.start({ explicitAuthFlows: USER_AUTH_ONLY, preferredChallenge: 'ignore', clientSecret: true });
    emu.addUser({ username: 'svc', password: PASSWORD, email: 'svc@example.com', alias: true });
    const provider = fx.provider({ authFlow: 'USER_AUTH', username: 'svc@example.com' });
    const events = signIns(provider);
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(events[0]?.challenges).toEqual(['SELECT_CHALLENGE', 'PASSWORD_VERIFIER']);
    expect(events[0]?.username).toBe('svc');
  });
});

describe('a flow the app client refuses', () => {
  test('USER_AUTH-only client: an explicit USER_SRP_AUTH is an AuthFlowNotEnabledError naming authFlow', async () => {
    const emu = await fx.start({ explicitAuthFlows: USER_AUTH_ONLY });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider({ authFlow: 'USER_SRP_AUTH' });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFlowNotEnabledError);
    expect(error).toMatchObject({ authFlow: 'USER_SRP_AUTH', flowsToEnable: ['ALLOW_USER_SRP_AUTH'] });
    expect((error as Error).message).toContain('`authFlow`');
    expect(emu.calls.InitiateAuth).toBe(1);
  });

  test('USER_AUTH-only client, authFlow left to its default: one fallback to USER_AUTH, reported, then kept', async () => {
    const emu = await fx.start({ explicitAuthFlows: USER_AUTH_ONLY });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const events = signIns(provider);
    await provider.getToken();
    expect(events[0]).toMatchObject({
      authFlow: 'USER_AUTH',
      fallback: { from: 'USER_SRP_AUTH', to: 'USER_AUTH', reason: expect.stringContaining('USER_SRP_AUTH flow not enabled') },
    });
    await provider.signOut();
    await provider.getToken();
    expect(events[1]).toMatchObject({ authFlow: 'USER_AUTH', fallback: undefined });
    expect(emu.calls.InitiateAuth).toBe(3); // refused + USER_AUTH, then USER_AUTH straight away
  });

  test('USER_SRP_AUTH-only client refuses USER_AUTH: AuthFlowNotEnabledError asking for ALLOW_USER_AUTH', async () => {
    const emu = await fx.start(); // the default client: no ALLOW_USER_AUTH
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider({ authFlow: 'USER_AUTH' });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FLOW_NOT_ENABLED', authFlow: 'USER_AUTH', flowsToEnable: ['ALLOW_USER_AUTH'] });
    expect(emu.calls.InitiateAuth).toBe(1);
  });
});

describe('failed sign-ins', () => {
  test('lockout: five wrong passwords, then even the right one meets "Password attempts exceeded" until it ends', async () => {
    let now = Date.now();
    const emu = await fx.start({ clock: () => now });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const wrong = fx.provider({ password: 'Wr0ng-password!' });
    for (let i = 0; i < 5; i++) {
      const error = await wrong.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotAuthorizedError);
      expect((error as Error).message).toContain('Incorrect username or password.');
    }
    expect(emu.calls.InitiateAuth).toBe(5); // NotAuthorized is never retried (retries would extend the lockout)
    const right = fx.provider();
    const locked = await right.getToken().catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(NotAuthorizedError);
    expect((locked as Error).message).toContain('Password attempts exceeded');
    now += 1000;
    await expect(right.getToken()).resolves.toEqual(expect.any(String));
  });

  test('PreventUserExistenceErrors LEGACY (the default): UserNotFoundError at once', async () => {
    const emu = await fx.start();
    const error = await fx.provider({ username: 'ghost' }).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNotFoundError);
    expect(emu.calls.RespondToAuthChallenge).toBe(0);
  });

  test('PreventUserExistenceErrors ENABLED: the fake challenge is answered, then NotAuthorizedError', async () => {
    const emu = await fx.start({ preventUserExistenceErrors: 'ENABLED' });
    const error = await fx.provider({ username: 'ghost' }).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorizedError);
    expect(emu.calls.RespondToAuthChallenge).toBe(1);
  });
});

describe('client secret rotation', () => {
  test('a secret function is read at each sign-in and refresh: a rotated secret is picked up without a restart', async () => {
    const emu = await fx.start({ clientSecret: 'first-secret-value' });
    emu.addUser({ username: 'svc', password: PASSWORD });
    let current = 'first-secret-value';
    let reads = 0;
    const provider = fx.provider({
      clientSecret: async () => {
        reads += 1;
        return current;
      },
    });
    const first = await provider.getToken();
    current = emu.rotateClientSecret('second-secret-value');
    provider.invalidate(first);
    const refreshed = await provider.getToken(); // refresh with the new secret
    expect(refreshed).not.toBe(first);
    await provider.signOut();
    await expect(provider.getToken()).resolves.toEqual(expect.any(String)); // sign-in with the new secret
    expect(reads).toBeGreaterThanOrEqual(3); // sign-in, refresh, sign-in (GlobalSignOut needs no secret)
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);

    // A fixed string keeps the old secret and is refused after the rotation.
    const fixed = fx.provider({ clientSecret: 'first-secret-value' });
    const error = await fixed.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorizedError);
    expect((error as Error).message).not.toContain('first-secret-value');
  });
});
