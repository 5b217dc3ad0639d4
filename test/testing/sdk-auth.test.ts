/** Sign-in operations through @aws-sdk/client-cognito-identity-provider, with the SRP math from src/srp. */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';

import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { formatTimestamp } from '../../src/srp/index.js';
import {
  answerPasswordVerifier,
  decodePayload,
  hashFor,
  initiateSrp,
  rejectionOf,
  respond,
  sdkFixture,
  srpSignIn,
} from './helpers.js';

const PASSWORD = 'Passw0rd!';

const fx = sdkFixture({ manualClock: true });
const { start } = fx;

describe('USER_SRP_AUTH', () => {
  test('PASSWORD_VERIFIER with the right password returns tokens; challenge parameters name the internal user', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const begin = await initiateSrp(fx.client, fx.emu, 'alice');
    expect(begin.initiate.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(begin.initiate.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: 'alice', USERNAME: 'alice' });
    expect(begin.initiate.ChallengeParameters!.SALT).toMatch(/^[0-9a-f]+$/);
    const out = await answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD });
    expect(out.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(out.AuthenticationResult!.RefreshToken).toEqual(expect.any(String));
    expect(out.AuthenticationResult!.NewDeviceMetadata).toBeUndefined();
  });

  test('a wrong password proof → NotAuthorizedException, and the session is spent', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const begin = await initiateSrp(fx.client, fx.emu, 'alice');
    const error = await rejectionOf(answerPasswordVerifier(fx.client, fx.emu, begin, { password: 'not-the-password' }));
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
    const again = await rejectionOf(answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD }));
    expect(again.name).toBe('NotAuthorizedException');
    expect(again.message).toMatch(/Invalid session/);
  });

  test('an email alias signs in; USER_ID_FOR_SRP is the internal name', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'carol', password: PASSWORD, email: 'carol@example.com', alias: true });
    const begin = await initiateSrp(fx.client, fx.emu, 'carol@example.com');
    expect(begin.initiate.ChallengeParameters!.USER_ID_FOR_SRP).toBe('carol');
    const out = await answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD });
    expect(decodePayload(out.AuthenticationResult!.AccessToken!).username).toBe('carol');
  });

  test('email as username: the internal name is a UUID, and SECRET_HASH must use it after InitiateAuth', async () => {
    await start({ clientSecret: 'sekrit-value', usernameAttributes: ['email'] });
    const { username, sub } = fx.emu.addUser({ username: 'dave@example.com', password: PASSWORD });
    expect(username).toBe(sub);
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
    const begin = await initiateSrp(fx.client, fx.emu, 'dave@example.com');
    expect(begin.initiate.ChallengeParameters!.USER_ID_FOR_SRP).toBe(username);

    const wrongHash = await rejectionOf(
      answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD, hashName: 'dave@example.com' }),
    );
    expect(wrongHash.name).toBe('NotAuthorizedException');
    expect(wrongHash.message).toBe(`Unable to verify secret hash for client ${fx.emu.clientId}`);

    const out = await answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD });
    const id = decodePayload(out.AuthenticationResult!.IdToken!);
    expect(id['cognito:username']).toBe(username);
    expect(id.email).toBe('dave@example.com');
  });

  test('SECRET_HASH: missing or wrong at InitiateAuth → NotAuthorizedException', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const missing = await rejectionOf(
      fx.client.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: fx.emu.clientId,
          AuthParameters: { USERNAME: 'alice', SRP_A: 'abcdef' },
        }),
      ),
    );
    expect(missing.name).toBe('NotAuthorizedException');
    expect(missing.message).toBe(`Client ${fx.emu.clientId} is configured for secret but secret was not received`);
    const wrong = await rejectionOf(initiateSrp(fx.client, fx.emu, 'alice', { SECRET_HASH: 'AAAA' }));
    expect(wrong.name).toBe('NotAuthorizedException');
  });

  test('TIMESTAMP: a bad format → InvalidParameterException; a stale one → NotAuthorizedException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const begin = await initiateSrp(fx.client, fx.emu, 'alice');
    const badFormat = await rejectionOf(
      respond(fx.client, fx.emu, 'PASSWORD_VERIFIER', begin.initiate.Session, 'alice', {
        PASSWORD_CLAIM_SECRET_BLOCK: begin.initiate.ChallengeParameters!.SECRET_BLOCK!,
        PASSWORD_CLAIM_SIGNATURE: 'AAAA',
        TIMESTAMP: new Date().toISOString(),
      }),
    );
    expect(badFormat.name).toBe('InvalidParameterException');
    expect(badFormat.message).toBe('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');

    const stale = await rejectionOf(
      answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD, now: new Date(Date.now() - 20 * 60_000) }),
    );
    expect(stale.name).toBe('NotAuthorizedException');
    expect(formatTimestamp(new Date(Date.UTC(2025, 4, 7, 0, 9, 40)))).toBe('Wed May 7 00:09:40 UTC 2025');
  });

  test('a session expires after sessionValiditySeconds (moved with `clock`)', async () => {
    await start({ sessionValiditySeconds: 180 });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const begin = await initiateSrp(fx.client, fx.emu, 'alice');
    fx.now += 181_000;
    const error = await rejectionOf(answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD }));
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Invalid session for the user, session is expired.');
  });

  test('unknown users get a fake challenge (negative salts among them), then NotAuthorizedException', async () => {
    await start({ preventUserExistenceErrors: 'ENABLED' });
    const salts: string[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `ghost-${i}`;
      const begin = await initiateSrp(fx.client, fx.emu, name);
      expect(begin.initiate.ChallengeName).toBe('PASSWORD_VERIFIER');
      expect(begin.initiate.ChallengeParameters!.USER_ID_FOR_SRP).toBe(name);
      salts.push(begin.initiate.ChallengeParameters!.SALT!);
      if (i < 2) {
        const error = await rejectionOf(answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD }));
        expect(error.name).toBe('NotAuthorizedException');
        expect(error.message).toBe('Incorrect username or password.');
      }
    }
    expect(salts.some((salt) => salt.startsWith('-'))).toBe(true);
    expect(salts.some((salt) => !salt.startsWith('-'))).toBe(true);
    // The same unknown name gets the same salt every time, like a real user would.
    const repeat = await initiateSrp(fx.client, fx.emu, 'ghost-0');
    expect(repeat.initiate.ChallengeParameters!.SALT).toBe(salts[0]);
  });

  test('a disabled user is refused after a correct proof', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, enabled: false });
    const error = await rejectionOf(srpSignIn(fx.client, fx.emu, 'alice', PASSWORD));
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('User is disabled.');
  });

  test('bad SRP_A → InvalidParameterException; missing USERNAME names the parameter', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const bad = await rejectionOf(
      fx.client.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: fx.emu.clientId, AuthParameters: { USERNAME: 'alice', SRP_A: 'xyz' } }),
      ),
    );
    expect(bad.name).toBe('InvalidParameterException');
    const missing = await rejectionOf(
      fx.client.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: fx.emu.clientId, AuthParameters: { SRP_A: 'ab' } })),
    );
    expect(missing.name).toBe('InvalidParameterException');
    expect(missing.message).toContain('USERNAME');
  });

  test('an unknown app client → ResourceNotFoundException', async () => {
    await start();
    const error = await rejectionOf(
      fx.client.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: 'nope', AuthParameters: { USERNAME: 'a', SRP_A: 'ab' } })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('USER_PASSWORD_AUTH', () => {
  test('right password → tokens; wrong password or unknown user → NotAuthorizedException', async () => {
    await start({ clientSecret: true, preventUserExistenceErrors: 'ENABLED' });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const ok = await fx.client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: fx.emu.clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD, ...hashFor(fx.emu, 'alice') },
      }),
    );
    expect(ok.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    for (const [USERNAME, pw] of [['alice', 'nope'], ['nobody', PASSWORD]] as const) {
      const error = await rejectionOf(
        fx.client.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: fx.emu.clientId,
            AuthParameters: { USERNAME, PASSWORD: pw, ...hashFor(fx.emu, USERNAME) },
          }),
        ),
      );
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.message).toBe('Incorrect username or password.');
    }
  });

  test('flows the emulator does not enable are refused with InvalidParameterException', async () => {
    await start();
    const error = await rejectionOf(
      fx.client.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: fx.emu.clientId, AuthParameters: { USERNAME: 'a' } })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe('CUSTOM_AUTH flow not enabled for this client');
  });
});

describe('MFA challenges', () => {
  test('SOFTWARE_TOKEN_MFA: RFC 6238 code; a wrong code → CodeMismatchException, retry within the session works', async () => {
    await start({ clientSecret: true });
    const totpSecret = randomTotpSecret();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(step.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const wrongCode = generateTotp(totpSecret, Date.now() + 10 * 60_000);
    const error = await rejectionOf(
      respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', { SOFTWARE_TOKEN_MFA_CODE: wrongCode }),
    );
    expect(error.name).toBe('CodeMismatchException');
    const out = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', {
      SOFTWARE_TOKEN_MFA_CODE: generateTotp(totpSecret),
    });
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('wrong codes keep the session open (no per-session limit); the right code still signs in', async () => {
    await start();
    const totpSecret = randomTotpSecret();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    for (let i = 0; i < 3; i++) {
      const error = await rejectionOf(
        respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', { SOFTWARE_TOKEN_MFA_CODE: '000000' }),
      );
      expect(error.name).toBe('CodeMismatchException');
    }
    const out = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', {
      SOFTWARE_TOKEN_MFA_CODE: generateTotp(totpSecret, fx.now),
    });
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('SMS_MFA and EMAIL_OTP: codes readable through lastCode()', async () => {
    await start();
    fx.emu.addUser({ username: 'sam', password: PASSWORD, phoneNumber: '+15555550123', mfa: ['SMS_MFA'] });
    fx.emu.addUser({ username: 'eve', password: PASSWORD, email: 'eve@example.com', mfa: ['EMAIL_OTP'] });

    const sms = await srpSignIn(fx.client, fx.emu, 'sam', PASSWORD);
    expect(sms.ChallengeName).toBe('SMS_MFA');
    expect(sms.ChallengeParameters).toEqual({ CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0123' });
    const smsCode = fx.emu.lastCode('sam', 'SMS')!;
    expect(smsCode).toMatch(/^\d{6}$/);
    const smsDone = await respond(fx.client, fx.emu, 'SMS_MFA', sms.Session, 'sam', { SMS_MFA_CODE: smsCode });
    expect(smsDone.AuthenticationResult?.AccessToken).toEqual(expect.any(String));

    const email = await srpSignIn(fx.client, fx.emu, 'eve', PASSWORD);
    expect(email.ChallengeName).toBe('EMAIL_OTP');
    expect(email.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('EMAIL');
    expect(fx.emu.lastCode('eve')).toBe(fx.emu.lastCode('eve', 'EMAIL'));
    const emailDone = await respond(fx.client, fx.emu, 'EMAIL_OTP', email.Session, 'eve', { EMAIL_OTP_CODE: fx.emu.lastCode('eve')! });
    expect(emailDone.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  test('SELECT_MFA_TYPE offers the user’s methods; the answer leads to that challenge', async () => {
    await start();
    const totpSecret = randomTotpSecret();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret, phoneNumber: '+15555550100', mfa: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'] });
    const select = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(select.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(JSON.parse(select.ChallengeParameters!.MFAS_CAN_CHOOSE!)).toEqual(['SOFTWARE_TOKEN_MFA', 'SMS_MFA']);
    const totp = await respond(fx.client, fx.emu, 'SELECT_MFA_TYPE', select.Session, 'alice', { ANSWER: 'SOFTWARE_TOKEN_MFA' });
    expect(totp.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', totp.Session, 'alice', {
      SOFTWARE_TOKEN_MFA_CODE: generateTotp(totpSecret),
    });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('pool MFA off: users with TOTP are not challenged', async () => {
    await start({ mfa: 'off' });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret: randomTotpSecret() });
    const out = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('answering another challenge than the session expects → InvalidParameterException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret: randomTotpSecret() });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const error = await rejectionOf(respond(fx.client, fx.emu, 'SMS_MFA', step.Session, 'alice', { SMS_MFA_CODE: '123456' }));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  test('a forced change asks for a new password, which then works for the next sign-in', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', forceChangePassword: true });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(step.ChallengeParameters!.userAttributes!)).toMatchObject({ email: 'alice@example.com' });
    expect(step.ChallengeParameters!.requiredAttributes).toBe('[]');

    const tooShort = await rejectionOf(respond(fx.client, fx.emu, 'NEW_PASSWORD_REQUIRED', step.Session, 'alice', { NEW_PASSWORD: 'short' }));
    expect(tooShort.name).toBe('InvalidPasswordException');

    const done = await respond(fx.client, fx.emu, 'NEW_PASSWORD_REQUIRED', step.Session, 'alice', { NEW_PASSWORD: 'N3w-Passw0rd' });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const again = await srpSignIn(fx.client, fx.emu, 'alice', 'N3w-Passw0rd');
    expect(again.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const old = await rejectionOf(srpSignIn(fx.client, fx.emu, 'alice', PASSWORD));
    expect(old.name).toBe('NotAuthorizedException');
  });
});
