/** associateSoftwareToken (+ otpauth URI), verifySoftwareToken, setUserMfaPreference, getUserAuthFactors. */
import { generateTotp } from '../../src/auth/totp.js';
import { otpauthUri, type Cognito } from '../../src/account/index.js';
import { CodeMismatchError, CognitoConfigError, MfaRequiredError } from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf, withOperations } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;

beforeEach(() => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com' });
});

test('TOTP enrolment: associate, verify, prefer; the next sign-in asks for the authenticator code', async () => {
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  const setup = await u.associateSoftwareToken();
  expect(setup.secretCode).toMatch(/^[A-Z2-7]{16,}$/);
  expect(printed(setup)).not.toContain(setup.secretCode);
  const uri = setup.otpauthUri('bob@example.com', 'Acme');
  expect(uri).toMatch(/^otpauth:\/\/totp\/Acme:bob%40example\.com\?/);
  const query = new URL(uri).searchParams;
  expect(query.get('secret')).toBe(setup.secretCode);
  expect(query.get('issuer')).toBe('Acme');
  expect(query.get('digits')).toBe('6');
  expect(query.get('period')).toBe('30');

  const wrong = generateTotp(setup.secretCode) === '000000' ? '111111' : '000000';
  const mismatch = await rejectionOf(u.verifySoftwareToken(wrong, 'phone'));
  expect(mismatch).toBeInstanceOf(CodeMismatchError);
  expect(await u.verifySoftwareToken(generateTotp(setup.secretCode), 'phone')).toBe(true);
  await u.setUserMfaPreference(false, true, 'SOFTWARE_TOKEN');
  expect((await u.getUser()).metadata.preferredMfa).toBe('SOFTWARE_TOKEN_MFA');

  const next = account({ username: 'bob' });
  const challenge = await rejectionOf(next.authenticate(PASSWORD));
  expect(challenge).toBeInstanceOf(MfaRequiredError);
  await next.respondToSoftwareTokenMfaChallenge(generateTotp(setup.secretCode));
  expect(next.accessClaims?.username).toBe('bob');

  await next.setUserMfaPreference(false, false);
  await account({ username: 'bob' }).authenticate(PASSWORD);
});

test('setUserMfaPreference rejects a preferred method that is not enabled, before calling Cognito', async () => {
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  fx.emu.resetCalls();
  const missing = await rejectionOf(u.setUserMfaPreference(true, true));
  expect((missing as CognitoConfigError).option).toBe('preferred');
  const disabled = await rejectionOf(u.setUserMfaPreference(false, true, 'SMS'));
  expect((disabled as CognitoConfigError).option).toBe('preferred');
  expect(fx.emu.calls.SetUserMFAPreference ?? 0).toBe(0);
});

test('MFA_SETUP: enrol during sign-in with the challenge continuation, then answer with the new authenticator', async () => {
  await fx.restart({ mfa: 'on' });
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const u = account({ username: 'bob' });
  const challenge = (await rejectionOf(u.authenticate(PASSWORD))) as MfaRequiredError;
  expect(challenge.challengeName).toBe('MFA_SETUP');
  const setup = await u.associateSoftwareToken(challenge.continuation);
  expect(setup.session).toEqual(expect.any(String));
  expect(await u.verifySoftwareToken(generateTotp(setup.secretCode), undefined, { session: setup.session! })).toBe(true);
});

withOperations('GetUserAuthFactors')('getUserAuthFactors lists the password and the enabled MFA', async () => {
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  const setup = await u.associateSoftwareToken();
  await u.verifySoftwareToken(generateTotp(setup.secretCode));
  await u.setUserMfaPreference(false, true, 'SOFTWARE_TOKEN');
  const factors = await u.getUserAuthFactors();
  expect(factors.username).toBe('bob');
  expect(factors.mfaSettings).toContain('SOFTWARE_TOKEN_MFA');
  expect(factors.preferredMfa).toBe('SOFTWARE_TOKEN_MFA');
  expect(factors.authFactors).toContain('PASSWORD');
});

test('otpauthUri validates its inputs', () => {
  expect(() => otpauthUri('JBSWY3DPEHPK3PXP', '', 'Acme')).toThrow(CognitoConfigError);
  expect(() => otpauthUri('JBSWY3DPEHPK3PXP', 'bob', 'Ac:me')).toThrow(CognitoConfigError);
});
