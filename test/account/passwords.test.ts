/** initiateForgotPassword, confirmForgotPassword, changePassword, adminResetPassword against the emulator. */
import {
  CodeMismatchError,
  ExpiredCodeError,
  InvalidPasswordError,
  LimitExceededError,
  NotAuthorizedError,
  PasswordResetRequiredError,
  UserNotFoundError,
} from '../../src/errors.js';
import { accountFixture, NEW_PASSWORD, PASSWORD, printed, rejectionOf, sleep, withOperations } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;

beforeEach(() => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com' });
});

test('initiateForgotPassword emails a code; confirmForgotPassword sets the new password (the old one stops working)', async () => {
  const u = account({ username: 'bob' });
  const delivery = await u.initiateForgotPassword();
  expect(delivery?.deliveryMedium).toBe('EMAIL');
  expect(delivery?.destination).not.toBe('bob@example.com'); // masked
  await u.confirmForgotPassword(fx.emu.lastCode('bob', 'EMAIL')!, NEW_PASSWORD);
  await account({ username: 'bob' }).authenticate(NEW_PASSWORD);
  expect(await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD))).toBeInstanceOf(NotAuthorizedError);
});

test('confirmForgotPassword: a wrong code is CodeMismatchError, a weak password InvalidPasswordError (never printed)', async () => {
  const u = account({ username: 'bob' });
  await u.initiateForgotPassword();
  const code = fx.emu.lastCode('bob', 'EMAIL')!;
  const mismatch = await rejectionOf(u.confirmForgotPassword(code === '000000' ? '111111' : '000000', NEW_PASSWORD));
  expect(mismatch).toBeInstanceOf(CodeMismatchError);
  const weak = await rejectionOf(u.confirmForgotPassword(code, 'short'));
  expect(weak).toBeInstanceOf(InvalidPasswordError);
  expect(printed(weak)).not.toContain('short');
});

test('confirmForgotPassword: an expired code is ExpiredCodeError', async () => {
  await fx.restart({ codeValiditySeconds: 1 });
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com' });
  const u = account({ username: 'bob' });
  await u.initiateForgotPassword();
  await sleep(1_100);
  const error = await rejectionOf(u.confirmForgotPassword(fx.emu.lastCode('bob')!, NEW_PASSWORD));
  expect(error).toBeInstanceOf(ExpiredCodeError);
});

test('initiateForgotPassword: past the attempt limit LimitExceededError; an unknown user UserNotFoundError', async () => {
  const u = account({ username: 'bob' });
  let error: Error | undefined;
  for (let i = 0; i < 10 && error === undefined; i++) {
    try {
      await u.initiateForgotPassword();
    } catch (caught) {
      error = caught as Error;
    }
  }
  expect(error).toBeInstanceOf(LimitExceededError);
  expect(await rejectionOf(account({ username: 'nobody' }).initiateForgotPassword())).toBeInstanceOf(UserNotFoundError);
});

test('changePassword with the access token; a wrong previous password is NotAuthorizedError', async () => {
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  const wrong = await rejectionOf(u.changePassword('Wr0ng-Password!', NEW_PASSWORD));
  expect(wrong).toBeInstanceOf(NotAuthorizedError);
  expect(printed(wrong)).not.toContain(NEW_PASSWORD);
  expect(await rejectionOf(u.changePassword(PASSWORD, 'weak'))).toBeInstanceOf(InvalidPasswordError);
  await u.changePassword(PASSWORD, NEW_PASSWORD);
  await account({ username: 'bob' }).authenticate(NEW_PASSWORD);
});

withOperations('AdminResetUserPassword')(
  'adminResetPassword: the next sign-in is PasswordResetRequiredError; the emailed code resets it',
  async () => {
    const admin = account();
    await admin.adminResetPassword('bob');
    expect(fx.emu.getUserStatus('bob')).toBe('RESET_REQUIRED');
    const error = await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD));
    expect(error).toBeInstanceOf(PasswordResetRequiredError);
    expect((error as PasswordResetRequiredError).code).toBe('PASSWORD_RESET_REQUIRED');
    await account({ username: 'bob' }).confirmForgotPassword(fx.emu.lastCode('bob')!, NEW_PASSWORD);
    await account({ username: 'bob' }).authenticate(NEW_PASSWORD);
    expect(await rejectionOf(admin.adminResetPassword('nobody'))).toBeInstanceOf(UserNotFoundError);
  },
);
