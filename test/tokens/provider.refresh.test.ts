import { ThrottledError } from '../../src/errors.js';
import type { CognitoTokenProvider, FailureEvent, RefreshEvent } from '../../src/tokens/provider.js';
import { PASSWORD, providerFixture, sleep } from './helpers.js';

const fx = providerFixture();

/** Polls until the cached token leaves its fresh period (the refresh window has begun). */
async function untilRefreshWindow(p: CognitoTokenProvider, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (p.peekToken() !== undefined) {
    if (Date.now() > deadline) throw new Error('refresh window never started');
    await sleep(20);
  }
}

function nextEvent<T>(p: CognitoTokenProvider, name: 'refresh' | 'failure'): Promise<T> {
  return new Promise((resolve) => p.once(name, resolve as never));
}

describe('proactive refresh', () => {
  test('the default 300 s is capped at half the lifetime; the old token is served while a background refresh runs', async () => {
    const emu = await fx.start({ accessTokenValiditySeconds: 4 });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const first = await provider.getToken();
    expect(provider.peekToken()).toBe(first); // not in the window right away despite 300 s > 4 s
    await untilRefreshWindow(provider);
    const refreshed = nextEvent<RefreshEvent>(provider, 'refresh');
    expect(await provider.getToken()).toBe(first); // still valid: served at once
    expect(await provider.getToken()).toBe(first);
    const event = await refreshed;
    expect(event).toEqual(expect.objectContaining({ api: 'GetTokensFromRefreshToken', background: true, rotated: false }));
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(provider.peekToken()).toBe(second);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(1);
  });

  test('a background refresh queued behind signOut() does not sign in again', async () => {
    const emu = await fx.start({ accessTokenValiditySeconds: 4 });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider();
    const first = await provider.getToken();
    await untilRefreshWindow(provider);
    const signedOut = provider.signOut();
    // The session is still live until signOut() takes the lock: the token is served, a refresh is queued.
    expect(await provider.getToken()).toBe(first);
    await signedOut;
    await sleep(100);
    expect(emu.calls.GlobalSignOut).toBe(1);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(emu.calls.GetTokensFromRefreshToken ?? 0).toBe(0);
    expect(provider.peekToken()).toBeUndefined();
  });

  test('an expired token is never served: the caller waits for the refresh', async () => {
    const emu = await fx.start({ accessTokenValiditySeconds: 2 });
    emu.addUser({ username: 'svc', password: PASSWORD });
    const provider = fx.provider({ refreshBeforeExpirySeconds: 0 });
    const first = await provider.getToken();
    await sleep(2100);
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
  });

  test('a background refresh that keeps failing serves the valid token, backs off, and recovers', async () => {
    // 16 s tokens refreshed 8 s early (half the lifetime, the cap): the token stays servable until 1.6 s before
    // expiry, which leaves 6.4 s for the steps below (about 2.2 s) even on a loaded CI machine.
    const emu = await fx.start({ accessTokenValiditySeconds: 16 });
    emu.addUser({ username: 'svc', password: PASSWORD });
    // Attempts are spaced by 1 s: the 100 calls below must all fall inside the spacing, also on a loaded machine (with
    // 100 ms, a stalled CI worker once let a call after the spacing start the next attempt inside the loop).
    const provider = fx.provider({ refreshBeforeExpirySeconds: 8, retry: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 } });
    const first = await provider.getToken();
    await untilRefreshWindow(provider);
    emu.faults.inject('GetTokensFromRefreshToken', { times: 2, error: 'TooManyRequestsException' });
    const failed = nextEvent<FailureEvent>(provider, 'failure');
    expect(await provider.getToken()).toBe(first);
    const failure = await failed;
    expect(failure.background).toBe(true);
    expect(failure.error).toBeInstanceOf(ThrottledError);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(2); // two attempts, then gave up for now
    // The cache is not poisoned: the still-valid token is served, and callers right after the failure
    // do not start another attempt before the backoff.
    for (let i = 0; i < 100; i++) expect(await provider.getToken()).toBe(first);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(2);
    await sleep(1_100);
    const refreshed = nextEvent<RefreshEvent>(provider, 'refresh');
    expect(await provider.getToken()).toBe(first);
    await refreshed;
    expect(await provider.getToken()).not.toBe(first);
    expect(emu.calls.GetTokensFromRefreshToken).toBe(3);
  });
});

