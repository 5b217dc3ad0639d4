/** authenticate, adminAuthenticate, newPasswordChallenge and the MFA answers (same instance, new instance, admin flow). */
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { Cognito } from '../../src/account/index.js';
import {
  CodeMismatchError,
  CognitoConfigError,
  MfaRequiredError,
  NotAuthorizedError,
  PasswordChangeRequiredError,
} from '../../src/errors.js';
import { accountFixture, NEW_PASSWORD, PASSWORD, printed, rejectionOf, withOperations } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;

test('authenticate signs in with SRP, fills verified idClaims/accessClaims, and keeps every secret out of inspect and JSON', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com' });
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  expect(u.accessToken).toMatch(/^eyJ/);
  expect(u.idToken).toMatch(/^eyJ/);
  expect(u.refreshToken).toEqual(expect.any(String));
  expect(u.tokenType).toBe('Bearer');
  expect(u.accessClaims?.username).toBe('bob');
  expect(u.accessClaims?.token_use).toBe('access');
  expect(u.idClaims?.email).toBe('bob@example.com');
  expect(u.idClaims?.iss).toBe(fx.emu.issuer);

  const shown = printed(u);
  for (const secret of [u.accessToken!, u.idToken!, u.refreshToken!, fx.emu.clientSecret!, PASSWORD]) {
    expect(shown).not.toContain(secret);
  }
  expect(shown).toContain('[redacted]');
  expect(shown).toContain('bob');
});

test('authenticate: a wrong password is NotAuthorizedError and the password is not in the error', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const error = await rejectionOf(account({ username: 'bob' }).authenticate('Wr0ng-Password!'));
  expect(error).toBeInstanceOf(NotAuthorizedError);
  expect((error as NotAuthorizedError).code).toBe('NOT_AUTHORIZED');
  expect(printed(error)).not.toContain('Wr0ng-Password!');
});

test('SOFTWARE_TOKEN_MFA: authenticate throws MfaRequiredError, respondToSoftwareTokenMfaChallenge(code) finishes on the same instance', async () => {
  const totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'bob', password: PASSWORD, totpSecret });
  const u = account({ username: 'bob' });
  const error = await rejectionOf(u.authenticate(PASSWORD));
  expect(error).toBeInstanceOf(MfaRequiredError);
  expect((error as MfaRequiredError).challengeName).toBe('SOFTWARE_TOKEN_MFA');
  expect(u.mfaContinuation?.challengeName).toBe('SOFTWARE_TOKEN_MFA');
  expect(printed(error)).not.toContain((error as MfaRequiredError).continuation.session);
  expect(printed(u)).not.toContain((error as MfaRequiredError).continuation.session);

  await u.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  expect(u.accessClaims?.username).toBe('bob');
  expect(u.mfaContinuation).toBeUndefined();
});

test('SOFTWARE_TOKEN_MFA across instances: a new Cognito answers with the error’s continuation; a wrong code is CodeMismatchError', async () => {
  const totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'bob', password: PASSWORD, totpSecret });
  const error = (await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD))) as MfaRequiredError;

  const later = account({ username: 'bob' });
  const wrongCode = generateTotp(totpSecret) === '000000' ? '111111' : '000000';
  const mismatch = await rejectionOf(later.respondToSoftwareTokenMfaChallenge(wrongCode, error.continuation));
  expect(mismatch).toBeInstanceOf(CodeMismatchError);
  expect((mismatch as CodeMismatchError).code).toBe('CODE_MISMATCH');

  const again = (await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD))) as MfaRequiredError;
  const fresh = account({ username: 'bob' });
  await fresh.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret), again.continuation);
  expect(fresh.idClaims?.['cognito:username']).toBe('bob');
});

test('SMS_MFA: respondToSmsMfaChallenge with the texted code; without a pending challenge it is a CognitoConfigError', async () => {
  fx.emu.addUser({ username: 'sam', password: PASSWORD, phoneNumber: '+15555550100', mfa: ['SMS_MFA'] });
  const u = account({ username: 'sam' });
  const none = await rejectionOf(u.respondToSmsMfaChallenge('123456'));
  expect(none).toBeInstanceOf(CognitoConfigError);
  expect((none as CognitoConfigError).option).toBe('continuation');

  const error = (await rejectionOf(u.authenticate(PASSWORD))) as MfaRequiredError;
  expect(error.challengeName).toBe('SMS_MFA');
  const wrongMethod = await rejectionOf(u.respondToSoftwareTokenMfaChallenge('123456'));
  expect(wrongMethod).toBeInstanceOf(CognitoConfigError);
  await u.respondToSmsMfaChallenge(fx.emu.lastCode('sam', 'SMS')!);
  expect(u.accessClaims?.username).toBe('sam');
});

test('newPasswordChallenge answers NEW_PASSWORD_REQUIRED; authenticate alone throws PasswordChangeRequiredError', async () => {
  fx.emu.addUser({ username: 'tim', password: PASSWORD, forceChangePassword: true });
  const u = account({ username: 'tim' });
  const error = await rejectionOf(u.authenticate(PASSWORD));
  expect(error).toBeInstanceOf(PasswordChangeRequiredError);
  await u.newPasswordChallenge(PASSWORD, NEW_PASSWORD);
  expect(u.accessClaims?.username).toBe('tim');
  await account({ username: 'tim' }).authenticate(NEW_PASSWORD);
});

withOperations('AdminInitiateAuth')('adminAuthenticate signs in with ADMIN_USER_PASSWORD_AUTH; a wrong password is NotAuthorizedError', async () => {
  fx.emu.addUser({ username: 'ann', password: PASSWORD });
  const u = account({ username: 'ann' });
  await u.adminAuthenticate(PASSWORD);
  expect(u.accessClaims?.username).toBe('ann');
  expect(await rejectionOf(account({ username: 'ann' }).adminAuthenticate('Wr0ng-Password!'))).toBeInstanceOf(NotAuthorizedError);
});

test('SELECT_MFA_TYPE: respondToSoftwareTokenMfaChallenge picks TOTP, then sends the code', async () => {
  const totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'both', password: PASSWORD, totpSecret, phoneNumber: '+15555550111', mfa: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'] });
  const u = account({ username: 'both' });
  const error = (await rejectionOf(u.authenticate(PASSWORD))) as MfaRequiredError;
  expect(error.challengeName).toBe('SELECT_MFA_TYPE');
  expect(JSON.parse(error.continuation.parameters.MFAS_CAN_CHOOSE!)).toContain('SOFTWARE_TOKEN_MFA');
  await u.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  expect(u.accessClaims?.username).toBe('both');
});

test('adminAuthenticate with MFA: the continuation is answered with AdminRespondToAuthChallenge, also on a new instance', async () => {
  const totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'ann', password: PASSWORD, totpSecret });
  const error = (await rejectionOf(account({ username: 'ann' }).adminAuthenticate(PASSWORD))) as MfaRequiredError;
  expect(error).toBeInstanceOf(MfaRequiredError);
  expect(error.challengeName).toBe('SOFTWARE_TOKEN_MFA');
  fx.emu.resetCalls();
  const later = account({ username: 'ann' });
  await later.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret), error.continuation);
  expect(later.accessClaims?.username).toBe('ann');
  expect([fx.emu.calls.AdminRespondToAuthChallenge, fx.emu.calls.RespondToAuthChallenge ?? 0]).toEqual([1, 0]);
});
