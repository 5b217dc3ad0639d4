import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { randomTotpSecret } from '../../src/auth/totp.js';
import { RefreshTokenExpiredError, TokenStoreError } from '../../src/errors.js';
import { MemoryDeviceStore, deviceStoreKey } from '../../src/tokens/device-store.js';
import type { FailureEvent, RefreshEvent, SignInEvent } from '../../src/tokens/provider.js';
import { FileTokenStore, MemoryTokenStore, type StoredSession, type TokenStore } from '../../src/tokens/token-store.js';
import { emulator, PASSWORD, providerFixture, providerFor, tempDirFixture } from './helpers.js';

const noPassword = async (): Promise<string> => {
  throw new Error('must not be asked');
};

/** Counts the calls a provider makes to its store. */
class CountingStore implements TokenStore {
  loads = 0;
  saves = 0;
  deletes = 0;
  constructor(readonly inner: TokenStore) {}
  load(key: string): Promise<StoredSession | undefined> {
    this.loads++;
    return this.inner.load(key);
  }
  save(key: string, session: StoredSession): Promise<void> {
    this.saves++;
    return this.inner.save(key, session);
  }
  delete(key: string): Promise<void> {
    this.deletes++;
    return this.inner.delete(key);
  }
}

const fx = providerFixture();
const tmp = tempDirFixture('provider-token-store-');
const { track } = fx;
function key(): string {
  return deviceStoreKey(fx.emu.userPoolId, 'svc');
}


describe('tokenStore', () => {
  test('a second instance with the same FileTokenStore resumes with one refresh and no password', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const path = join(tmp.dir, 'session.json');
    const first = track(providerFor(emu, { tokenStore: new FileTokenStore(path) }));
    await first.getToken();
    const firstTokens = await first.getTokens();
    const saved = JSON.parse(await readFile(path, 'utf8')) as { sessions: Record<string, StoredSession> };
    expect(saved.sessions[key()]).toEqual({
      refreshToken: firstTokens.refreshToken,
      username: 'svc',
      clientId: emu.clientId,
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    emu.resetCalls();
    const second = track(providerFor(emu, { password: noPassword, tokenStore: new FileTokenStore(path) }));
    const refreshes: RefreshEvent[] = [];
    const signIns: SignInEvent[] = [];
    second.on('refresh', (e) => refreshes.push(e));
    second.on('signIn', (e) => signIns.push(e));
    const token = await second.getToken();
    expect(token).not.toBe(firstTokens.accessToken);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(0);
    expect(signIns).toEqual([]);
    expect(refreshes).toEqual([expect.objectContaining({ api: 'GetTokensFromRefreshToken', background: false })]);
    expect((await second.getTokens()).username).toBe('svc');
  });

  test('rotation: every rotated refresh token is saved and the next instance resumes with the newest', async () => {
    const emu = await fx.start({ refreshTokenRotation: true });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const path = join(tmp.dir, 'session.json');
    const first = track(providerFor(emu, { tokenStore: new FileTokenStore(path) }));
    await first.getToken();
    const r0 = (await first.getTokens()).refreshToken!;
    first.invalidate();
    await first.getToken();
    const r1 = (await first.getTokens()).refreshToken!;
    expect(r1).not.toBe(r0);
    expect((await new FileTokenStore(path).load(key()))?.refreshToken).toBe(r1);

    emu.resetCalls();
    const second = track(providerFor(emu, { password: noPassword, tokenStore: new FileTokenStore(path) }));
    const refreshes: RefreshEvent[] = [];
    second.on('refresh', (e) => refreshes.push(e));
    await second.getToken();
    const r2 = (await second.getTokens()).refreshToken!;
    expect(refreshes.map((e) => e.rotated)).toEqual([true]);
    expect(r2).not.toBe(r1);
    expect((await new FileTokenStore(path).load(key()))?.refreshToken).toBe(r2);
    expect(emu.calls.InitiateAuth).toBe(0);

    // The token rotated out (no grace period here) is refused: resuming with it needs the password.
    const stale = new MemoryTokenStore();
    await stale.save(key(), { refreshToken: r0, username: 'svc', clientId: emu.clientId });
    const third = track(providerFor(emu, { tokenStore: stale }));
    const failures: FailureEvent[] = [];
    third.on('failure', (e) => failures.push(e));
    await third.getToken();
    expect(failures[0]?.error).toBeInstanceOf(RefreshTokenExpiredError);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect((await stale.load(key()))?.refreshToken).toBe((await third.getTokens()).refreshToken);
  });

  test('a revoked stored session: one refresh attempt, one full sign-in, and the store holds the new session', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const store = new CountingStore(new MemoryTokenStore());
    const first = track(providerFor(emu, { tokenStore: store }));
    await first.getToken();
    const old = (await first.getTokens()).refreshToken!;
    emu.revokeUserTokens('svc');
    emu.resetCalls();

    const second = track(providerFor(emu, { tokenStore: store }));
    const failures: FailureEvent[] = [];
    second.on('failure', (e) => failures.push(e));
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(failures).toEqual([expect.objectContaining({ operation: 'refresh', recovered: true })]);
    expect(store.deletes).toBe(1); // the dead session went before the sign-in
    const now = await store.load(key());
    expect(now?.refreshToken).toBe((await second.getTokens()).refreshToken);
    expect(now?.refreshToken).not.toBe(old);
    expect(emu.isTokenRevoked(now!.refreshToken)).toBe(false);
  });

  test('signOut deletes the stored session; a new instance then signs in with the password', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const store = new MemoryTokenStore();
    const provider = track(providerFor(emu, { tokenStore: store }));
    await provider.getToken();
    expect(await store.load(key())).toBeDefined();
    await provider.signOut();
    expect(await store.load(key())).toBeUndefined();
    expect(emu.calls.GlobalSignOut).toBe(1);

    emu.resetCalls();
    const next = track(providerFor(emu, { tokenStore: store }));
    await next.getToken();
    expect(emu.calls.GetTokensFromRefreshToken).toBe(0);
    expect(emu.calls.InitiateAuth).toBe(1);
  });

  test('signOut on a fresh instance revokes and deletes the session a previous process saved', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const store = new MemoryTokenStore();
    const first = track(providerFor(emu, { tokenStore: store }));
    await first.getToken();
    const saved = (await store.load(key()))!.refreshToken;

    const second = track(providerFor(emu, { password: noPassword, tokenStore: store }));
    const signOuts: unknown[] = [];
    second.on('signOut', (e) => signOuts.push(e));
    await second.signOut();
    expect(emu.isTokenRevoked(saved)).toBe(true);
    expect(emu.calls.RevokeToken).toBe(1);
    expect(await store.load(key())).toBeUndefined();
    expect(signOuts).toEqual([{ username: 'svc' }]);
  });

  test('when the revocation fails, signOut rejects and keeps the stored session, so it can be retried', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const store = new MemoryTokenStore();
    await track(providerFor(emu, { tokenStore: store })).getToken();
    const saved = (await store.load(key()))!.refreshToken;

    const second = track(providerFor(emu, { password: noPassword, tokenStore: store }));
    emu.faults.inject('RevokeToken', { times: 10, error: 'InternalErrorException' });
    await expect(second.signOut()).rejects.toMatchObject({ code: 'SERVICE_ERROR' });
    expect(emu.isTokenRevoked(saved)).toBe(false);
    expect((await store.load(key()))?.refreshToken).toBe(saved);

    emu.faults.clear();
    await second.signOut();
    expect(emu.isTokenRevoked(saved)).toBe(true);
    expect(await store.load(key())).toBeUndefined();
  });

  test('a corrupt file is reported through failure and the sign-in proceeds; the file is then repaired, mode 0600', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const path = join(tmp.dir, 'session.json');
    await writeFile(path, '{ this is not json', { mode: 0o644 });
    const provider = track(providerFor(emu, { tokenStore: new FileTokenStore(path) }));
    const failures: FailureEvent[] = [];
    provider.on('failure', (e) => failures.push(e));
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(failures).toEqual([expect.objectContaining({ operation: 'tokenStore', recovered: true })]);
    expect(failures[0]?.error).toBeInstanceOf(TokenStoreError);
    expect(failures[0]?.error.message).toContain(path);
    expect(emu.calls.InitiateAuth).toBe(1);
    const repaired = await new FileTokenStore(path).load(key());
    expect(repaired?.refreshToken).toBe((await provider.getTokens()).refreshToken);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  test('a store that fails to save never breaks getToken', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const broken: TokenStore = {
      load: async () => undefined,
      save: async () => {
        throw new Error('disk full');
      },
      delete: async () => undefined,
    };
    const provider = track(providerFor(emu, { tokenStore: broken }));
    const failures: FailureEvent[] = [];
    provider.on('failure', (e) => failures.push(e));
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    provider.invalidate();
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(failures.map((f) => [f.operation, f.recovered])).toEqual([
      ['tokenStore', false],
      ['tokenStore', false],
    ]);
    expect(failures[0]?.error).toBeInstanceOf(TokenStoreError);
    expect(failures[0]?.error.message).toContain('disk full');
  });

  test('10,000 concurrent first getToken() calls with a stored session: one load, one refresh, no sign-in', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const path = join(tmp.dir, 'session.json');
    const first = track(providerFor(emu, { tokenStore: new FileTokenStore(path) }));
    await first.getToken();
    emu.resetCalls();

    const store = new CountingStore(new FileTokenStore(path));
    const second = track(providerFor(emu, { password: noPassword, tokenStore: store }));
    const p = second;
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => p.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(0);
    expect([store.loads, store.saves]).toEqual([1, 1]);
    // The hot path does not touch the store.
    for (let i = 0; i < 1000; i++) await p.getToken();
    expect([store.loads, store.saves]).toEqual([1, 1]);
  });

  test('a device-bound session resumes with DEVICE_KEY (no MFA, no password)', async () => {
    const emu = await fx.start({ deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const tokenStore = new MemoryTokenStore();
    const first = track(
      providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new MemoryDeviceStore(), tokenStore }),
    );
    await first.getToken();
    const deviceKey = (await first.getTokens()).deviceKey;
    expect(deviceKey).toEqual(expect.any(String));
    expect((await tokenStore.load(key()))?.deviceKey).toBe(deviceKey);

    emu.resetCalls();
    // The emulator refuses a refresh token bound to a confirmed device unless DEVICE_KEY names it.
    const second = track(providerFor(emu, { password: noPassword, tokenStore }));
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    expect((await second.getTokens()).deviceKey).toBe(deviceKey);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(0);
  });

  test('a session saved for another app client is not sent to Cognito', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD });
    const store = new MemoryTokenStore();
    await store.save(key(), { refreshToken: 'from-another-client', username: 'svc', clientId: 'otherclient' });
    const provider = track(providerFor(emu, { tokenStore: store }));
    await provider.getToken();
    expect(emu.calls.GetTokensFromRefreshToken).toBe(0);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect((await store.load(key()))?.clientId).toBe(emu.clientId);
  });

  test('no refresh token in inspect or JSON of the provider, nor in failure events', async () => {
    const emu = await fx.start({ refreshTokenRotation: true });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const path = join(tmp.dir, 'session.json');
    const store = new FileTokenStore(path);
    const first = track(providerFor(emu, { tokenStore: store }));
    await first.getToken();
    const seen = [(await first.getTokens()).refreshToken!];
    emu.revokeUserTokens('svc');

    const second = track(providerFor(emu, { tokenStore: store }));
    const failures: FailureEvent[] = [];
    second.on('failure', (e) => failures.push(e));
    await second.getToken();
    seen.push((await second.getTokens()).refreshToken!);
    await writeFile(path, `{"version":1,"sessions":{"${key()}":{"refreshToken":"${seen[1]}"`);
    second.invalidate();
    await second.getToken(); // the refresh works; saving it repairs the file
    seen.push((await second.getTokens()).refreshToken!);
    // A missing folder would be created: under a regular file, it cannot be.
    const third = track(providerFor(emu, { tokenStore: new FileTokenStore(join(path, 'sub', 'x.json')) }));
    third.on('failure', (e) => failures.push(e));
    await third.getToken(); // load and save fail: the folder cannot be created

    expect(failures.map((f) => f.operation)).toEqual(['refresh', 'tokenStore', 'tokenStore']);
    const printed = [
      inspect(first),
      inspect(second),
      inspect(third),
      JSON.stringify(first),
      JSON.stringify(second),
      ...failures.map((f) => inspect(f, { depth: 10 })),
      ...failures.map((f) => JSON.stringify(f)),
      ...failures.map((f) => `${f.error.message} ${String(f.error.stack)}`),
    ].join('\n');
    for (const token of seen) expect(printed).not.toContain(token);
  });
});
