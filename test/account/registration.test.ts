/** register, confirmSignUp, resendConfirmationCode, adminConfirmSignUp against the emulator. */
import {
  CodeMismatchError,
  CognitoConfigError,
  ExpiredCodeError,
  InvalidPasswordError,
  LimitExceededError,
  NotAuthorizedError,
  UserNotConfirmedError,
  UsernameExistsError,
} from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf, sleep } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;

test('register sends base and custom attributes (renamed through attrMap); confirmSignUp with the emailed code lets the user sign in', async () => {
  const u = account();
  u.setBaseAttributes({ email: 'bob@example.com', firstName: 'Bob' });
  u.addCustomAttributes({ tenant: 'acme' });
  const result = await u.register('bob', PASSWORD, { attrMap: { given_name: 'firstName' } });
  expect(result.userConfirmed).toBe(false);
  expect(result.userSub).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.codeDelivery?.deliveryMedium).toBe('EMAIL');
  expect(result.codeDelivery?.attributeName).toBe('email');
  expect(fx.emu.getUserStatus('bob')).toBe('UNCONFIRMED');

  const early = await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD));
  expect(early).toBeInstanceOf(UserNotConfirmedError);
  expect((early as UserNotConfirmedError).code).toBe('USER_NOT_CONFIRMED');

  await u.confirmSignUp(fx.emu.lastCode('bob', 'EMAIL')!, 'bob');
  expect(fx.emu.getUserStatus('bob')).toBe('CONFIRMED');

  const bob = account({ username: 'bob' });
  await bob.authenticate(PASSWORD);
  expect(bob.idClaims?.given_name).toBe('Bob');
  expect(bob.idClaims?.['custom:tenant']).toBe('acme');
  expect(bob.idClaims?.email).toBe('bob@example.com');
});

test('register: an existing username is UsernameExistsError, a weak password InvalidPasswordError (the password is never printed)', async () => {
  fx.emu.addUser({ username: 'taken', password: PASSWORD });
  const u = account();
  const exists = await rejectionOf(u.register('taken', PASSWORD));
  expect(exists).toBeInstanceOf(UsernameExistsError);
  expect((exists as UsernameExistsError).code).toBe('USERNAME_EXISTS');
  expect((exists as UsernameExistsError).awsType).toBe('UsernameExistsException');

  const weak = await rejectionOf(u.register('newbie', 'weakpass'));
  expect(weak).toBeInstanceOf(InvalidPasswordError);
  expect((weak as InvalidPasswordError).code).toBe('INVALID_PASSWORD');
  expect(printed(weak)).not.toContain('weakpass');
});

test('confirmSignUp: a wrong code is CodeMismatchError; a confirmed user cannot be confirmed again', async () => {
  const u = account({ username: 'carol' });
  u.setBaseAttributes({ email: 'carol@example.com' });
  await u.register('carol', PASSWORD);
  const code = fx.emu.lastCode('carol', 'EMAIL')!;
  const wrong = code === '000000' ? '111111' : '000000';
  const mismatch = await rejectionOf(u.confirmSignUp(wrong));
  expect(mismatch).toBeInstanceOf(CodeMismatchError);
  expect((mismatch as CodeMismatchError).code).toBe('CODE_MISMATCH');
  expect(mismatch.message).not.toMatch(/MFA/);
  await u.confirmSignUp(code);
  const again = await rejectionOf(u.confirmSignUp(code));
  expect(again).toBeInstanceOf(NotAuthorizedError);
});

test('confirmSignUp: a code past its validity is ExpiredCodeError; resendConfirmationCode issues a fresh one that works', async () => {
  await fx.restart({ codeValiditySeconds: 1 });
  const u = account({ username: 'dave' });
  u.setBaseAttributes({ email: 'dave@example.com' });
  await u.register('dave', PASSWORD);
  const stale = fx.emu.lastCode('dave')!;
  await sleep(1_100);
  const expired = await rejectionOf(u.confirmSignUp(stale));
  expect(expired).toBeInstanceOf(ExpiredCodeError);
  expect((expired as ExpiredCodeError).code).toBe('EXPIRED_CODE');

  await fx.restart();
  const v = account({ username: 'erin' });
  v.setBaseAttributes({ email: 'erin@example.com' });
  await v.register('erin', PASSWORD);
  const first = fx.emu.lastCode('erin');
  const delivery = await v.resendConfirmationCode();
  expect(delivery?.deliveryMedium).toBe('EMAIL');
  const second = fx.emu.lastCode('erin')!;
  expect(second).toMatch(/^\d{6}$/);
  if (first !== second) {
    expect(await rejectionOf(v.confirmSignUp(first!))).toBeInstanceOf(CodeMismatchError);
  }
  await v.confirmSignUp(second);
  expect(fx.emu.getUserStatus('erin')).toBe('CONFIRMED');
});

test('resendConfirmationCode: past the attempt limit, LimitExceededError', async () => {
  const u = account({ username: 'frank' });
  u.setBaseAttributes({ email: 'frank@example.com' });
  await u.register('frank', PASSWORD);
  let error: Error | undefined;
  for (let i = 0; i < 10 && error === undefined; i++) {
    try {
      await u.resendConfirmationCode();
    } catch (caught) {
      error = caught as Error;
    }
  }
  expect(error).toBeInstanceOf(LimitExceededError);
  expect((error as LimitExceededError).code).toBe('LIMIT_EXCEEDED');
});

test('adminConfirmSignUp confirms without a code (SigV4-signed with placeholder keys for a custom endpoint)', async () => {
  const u = account();
  u.setBaseAttributes({ email: 'gina@example.com' });
  await u.register('gina', PASSWORD);
  await u.adminConfirmSignUp('gina');
  expect(fx.emu.getUserStatus('gina')).toBe('CONFIRMED');
  await account({ username: 'gina' }).authenticate(PASSWORD);
});

test('methods that need a username say so with a CognitoConfigError naming `username`', async () => {
  const u = account();
  for (const call of [() => u.resendConfirmationCode(), () => u.confirmSignUp('123456'), () => u.authenticate(PASSWORD)]) {
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as CognitoConfigError).option).toBe('username');
  }
});
