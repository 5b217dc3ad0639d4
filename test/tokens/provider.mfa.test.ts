import { inspect } from 'node:util';
import { randomTotpSecret } from '../../src/auth/totp.js';
import { MfaRequiredError, PasswordChangeRequiredError } from '../../src/errors.js';
import type { TotpRetryEvent } from '../../src/auth/totp-answer.js';
import type { SignInEvent } from '../../src/tokens/provider.js';
import { PASSWORD, atTotpStepPosition, providerFixture, providerFor } from './helpers.js';

const fx = providerFixture();

describe('MFA', () => {
  test('a second sign-in within one TOTP step: the used code is refused, the provider waits for the next step once', async () => {
    const emu = await fx.start();
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const provider = providerFor(emu, { mfa: { totpSecret } });
    const challenges: string[][] = [];
    const retries: TotpRetryEvent[] = [];
    provider.on('signIn', (e) => challenges.push(e.challenges));
    provider.on('totpRetry', (e) => retries.push(e));
    // Provider and emulator share this process's clock: it is moved so that both sign-ins fall in one 30 s step
    // and the second starts 3 s before that step ends (the wait for the next step is then short, yet real).
    let first: string;
    let second: string;
    let restore = atTotpStepPosition(1_000);
    try {
      first = await provider.getToken();
      await provider.signOut();
      restore();
      restore = atTotpStepPosition(27_000);
      second = await provider.getToken();
    } finally {
      restore();
    }
    expect(second).not.toBe(first);
    expect(challenges).toEqual([
      ['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA'],
      ['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA'],
    ]);
    // The emulator (like Cognito) refused the spent code once; the provider answered again in the next step.
    expect(retries).toHaveLength(1);
    expect(retries[0]!.waitMs).toBeLessThanOrEqual(3_000);
    expect(emu.calls.RespondToAuthChallenge).toBe(5);
    provider.close();
  });

  test('SMS_MFA and EMAIL_OTP are answered by mfa.code with the delivery details', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'sms', password: PASSWORD, phoneNumber: '+15555550123', mfa: ['SMS_MFA'] });
    emu.addUser({ username: 'mail', password: PASSWORD, email: 'mail@example.com', mfa: ['EMAIL_OTP'] });
    for (const [username, name, medium] of [
      ['sms', 'SMS_MFA', 'SMS'],
      ['mail', 'EMAIL_OTP', 'EMAIL'],
    ] as const) {
      const seen: unknown[] = [];
      const provider = providerFor(emu, {
        username,
        mfa: {
          code: async (challenge) => {
            seen.push(challenge);
            return emu.lastCode(username, medium)!;
          },
        },
      });
      await expect(provider.getToken()).resolves.toEqual(expect.any(String));
      expect(seen).toEqual([
        expect.objectContaining({ challengeName: name, username, deliveryMedium: medium, destination: expect.any(String) }),
      ]);
      provider.close();
    }
  });

  test('SELECT_MFA_TYPE picks TOTP when a secret is configured', async () => {
    const emu = await fx.start();
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret, phoneNumber: '+15555550123', mfa: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] });
    const provider = providerFor(emu, { mfa: { totpSecret } });
    const events: SignInEvent[] = [];
    provider.on('signIn', (e) => events.push(e));
    await provider.getToken();
    expect(events[0]?.challenges).toEqual(['PASSWORD_VERIFIER', 'SELECT_MFA_TYPE', 'SOFTWARE_TOKEN_MFA']);
    provider.close();
  });

  test('an error thrown by mfa.code reaches the caller unchanged, and the next call starts over', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, phoneNumber: '+15555550123', mfa: ['SMS_MFA'] });
    let fail = true;
    const provider = providerFor(emu, {
      mfa: {
        code: async () => {
          if (fail) throw new Error('pager unavailable');
          return emu.lastCode('svc', 'SMS')!;
        },
      },
    });
    const failures: unknown[] = [];
    provider.on('failure', (e) => failures.push(e.error));
    await expect(provider.getToken()).rejects.toThrow('pager unavailable');
    expect(failures).toHaveLength(1);
    fail = false;
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(emu.calls.InitiateAuth).toBe(2);
    provider.close();
  });

  test('an unanswerable MFA challenge is an MfaRequiredError carrying a hidden session to continue', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret: randomTotpSecret() });
    const provider = providerFor(emu);
    const error = (await provider.getToken().catch((e: unknown) => e)) as MfaRequiredError;
    expect(error).toBeInstanceOf(MfaRequiredError);
    expect(error.code).toBe('MFA_REQUIRED');
    expect(error.challengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(error.continuation.username).toBe('svc');
    expect(error.continuation.session.length).toBeGreaterThan(10);
    expect(inspect(error, { depth: 5 })).not.toContain(error.continuation.session);
    expect(JSON.stringify(error)).not.toContain(error.continuation.session);
    expect(error.message).toContain('mfa.totpSecret');
    provider.close();
  });

  test('a wrong TOTP secret fails with a typed error and is not retried', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret: randomTotpSecret() });
    const provider = providerFor(emu, { mfa: { totpSecret: randomTotpSecret() } });
    // A mismatch is answered once more in the next step: start near the end of one so that wait is short.
    const restore = atTotpStepPosition(28_500);
    const error = await provider.getToken().catch((e: unknown) => e);
    restore();
    expect((error as { code: string }).code).toMatch(/CODE_MISMATCH|NOT_AUTHORIZED/);
    expect(emu.calls.InitiateAuth).toBe(1);
    provider.close();
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  test('newPassword() answers it, and later sign-ins use the new password', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, forceChangePassword: true, email: 'svc@example.com' });
    const seen: unknown[] = [];
    const provider = providerFor(emu, {
      newPassword: async (info) => {
        seen.push(info);
        return 'Brand-New-Passw0rd!';
      },
    });
    await provider.getToken();
    expect(seen).toEqual([expect.objectContaining({ username: 'svc', requiredAttributes: [] })]);
    expect((seen[0] as { userAttributes: Record<string, string> }).userAttributes.email).toBe('svc@example.com');
    await provider.signOut();
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(seen).toHaveLength(1);
    provider.close();
  });

  test('without newPassword it is a PasswordChangeRequiredError with a continuation', async () => {
    const emu = await fx.start();
    emu.addUser({ username: 'svc', password: PASSWORD, forceChangePassword: true });
    const provider = providerFor(emu);
    const error = (await provider.getToken().catch((e: unknown) => e)) as PasswordChangeRequiredError;
    expect(error).toBeInstanceOf(PasswordChangeRequiredError);
    expect(error.continuation.challengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(error.message).toContain('newPassword');
    provider.close();
  });
});

