/** ForgotPassword, ConfirmForgotPassword, ChangePassword, AdminResetUserPassword, AdminSetUserPassword via the SDK. */
import {
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { passwordSignIn, rejectionOf, sdkFixture, secretHashParam, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w-Passw0rd';
const HOUR = 3600_000;

const fx = sdkFixture({ manualClock: true });
const { start } = fx;

const hash = (username: string) => secretHashParam(fx.emu, username);

function forgot(username: string) {
  return fx.client.send(new ForgotPasswordCommand({ ClientId: fx.emu.clientId, Username: username, ...hash(username) }));
}

function confirmForgot(username: string, code: string, password = NEW_PASSWORD) {
  return fx.client.send(
    new ConfirmForgotPasswordCommand({
      ClientId: fx.emu.clientId,
      Username: username,
      ConfirmationCode: code,
      Password: password,
      ...hash(username),
    }),
  );
}

describe('ForgotPassword + ConfirmForgotPassword', () => {
  test('a code to the verified email resets the password; the old one stops working', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    const out = await forgot('alice');
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await confirmForgot('alice', fx.emu.lastCode('alice', 'EMAIL')!);
    await expect(srpSignIn(fx.client, fx.emu, 'alice', NEW_PASSWORD)).resolves.toHaveProperty('AuthenticationResult');
    expect((await rejectionOf(passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD))).name).toBe('NotAuthorizedException');
  });

  test('a verified phone only: the code goes by SMS', async () => {
    await start();
    fx.emu.addUser({ username: 'sam', password: PASSWORD, phoneNumber: '+15555550100' });
    expect((await forgot('sam')).CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS' });
    await confirmForgot('sam', fx.emu.lastCode('sam', 'SMS')!);
  });

  test('no verified email or phone → InvalidParameterException', async () => {
    await start();
    fx.emu.addUser({ username: 'bare', password: PASSWORD });
    fx.emu.addUser({ username: 'unverified', password: PASSWORD, email: 'u@example.com', emailVerified: false });
    for (const name of ['bare', 'unverified']) {
      const error = await rejectionOf(forgot(name));
      expect(error.name).toBe('InvalidParameterException');
      expect(error.message).toMatch(/no registered\/verified email or phone_number/);
    }
  });

  test('a wrong code → CodeMismatchException; a weak password → InvalidPasswordException, code kept', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await forgot('alice');
    const code = fx.emu.lastCode('alice')!;
    const wrong = await rejectionOf(confirmForgot('alice', code === '111111' ? '222222' : '111111'));
    expect(wrong.name).toBe('CodeMismatchException');
    const weak = await rejectionOf(confirmForgot('alice', code, 'weak'));
    expect(weak.name).toBe('InvalidPasswordException');
    expect(weak.message).not.toContain('weak');
    await confirmForgot('alice', code);
    expect((await rejectionOf(confirmForgot('alice', code))).name).toBe('CodeMismatchException');
  });

  test('after an hour the code → ExpiredCodeException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await forgot('alice');
    fx.now += HOUR + 1000;
    expect((await rejectionOf(confirmForgot('alice', fx.emu.lastCode('alice')!))).name).toBe('ExpiredCodeException');
  });

  test('the 6th ForgotPassword within an hour → LimitExceededException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    for (let i = 0; i < 5; i += 1) await forgot('alice');
    const error = await rejectionOf(forgot('alice'));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Attempt limit exceeded, please try after some time.');
    fx.now += HOUR;
    await expect(forgot('alice')).resolves.toHaveProperty('CodeDeliveryDetails');
  });

  test('an unknown user → UserNotFoundException', async () => {
    await start();
    expect((await rejectionOf(forgot('ghost'))).name).toBe('UserNotFoundException');
  });
});

describe('ChangePassword', () => {
  test('with the previous password the new one works at the next sign-in; the access token stays valid', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(
      new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }),
    );
    await expect(passwordSignIn(fx.client, fx.emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
    expect(fx.emu.isTokenRevoked(token)).toBe(false);
  });

  test('a wrong previous password → NotAuthorizedException; a weak new one → InvalidPasswordException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const wrong = await rejectionOf(
      fx.client.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng!pass', ProposedPassword: NEW_PASSWORD })),
    );
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe('Incorrect username or password.');
    const weak = await rejectionOf(
      fx.client.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'short' })),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    const badToken = await rejectionOf(
      fx.client.send(new ChangePasswordCommand({ AccessToken: 'x.y.z', PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD })),
    );
    expect(badToken.name).toBe('NotAuthorizedException');
  });
});

describe('AdminResetUserPassword', () => {
  test('RESET_REQUIRED: sign-in → PasswordResetRequiredException until ConfirmForgotPassword', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await fx.client.send(new AdminResetUserPasswordCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect(fx.emu.getUserStatus('alice')).toBe('RESET_REQUIRED');
    for (const signIn of [srpSignIn(fx.client, fx.emu, 'alice', PASSWORD), passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD)]) {
      const error = await rejectionOf(signIn);
      expect(error.name).toBe('PasswordResetRequiredException');
    }
    await confirmForgot('alice', fx.emu.lastCode('alice', 'EMAIL')!);
    expect(fx.emu.getUserStatus('alice')).toBe('CONFIRMED');
    await expect(passwordSignIn(fx.client, fx.emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
  });

  test('an unknown user → UserNotFoundException', async () => {
    await start();
    const error = await rejectionOf(
      fx.client.send(new AdminResetUserPasswordCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost' })),
    );
    expect(error.name).toBe('UserNotFoundException');
  });
});

describe('AdminSetUserPassword', () => {
  test('Permanent: false → FORCE_CHANGE_PASSWORD (NEW_PASSWORD_REQUIRED); Permanent: true → CONFIRMED', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    await fx.client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', Password: 'Temp-Passw0rd', Permanent: false }),
    );
    expect(fx.emu.getUserStatus('alice')).toBe('FORCE_CHANGE_PASSWORD');
    const step = await srpSignIn(fx.client, fx.emu, 'alice', 'Temp-Passw0rd');
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await fx.client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', Password: NEW_PASSWORD, Permanent: true }),
    );
    expect(fx.emu.getUserStatus('alice')).toBe('CONFIRMED');
    await expect(passwordSignIn(fx.client, fx.emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
  });

  test('a weak password → InvalidPasswordException ("does not conform to policy")', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const error = await rejectionOf(
      fx.client.send(new AdminSetUserPasswordCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', Password: 'abc' })),
    );
    expect(error.name).toBe('InvalidPasswordException');
    expect(error.message).toBe('Password does not conform to policy: Password not long enough');
  });
});
