/** ForgotPassword, ConfirmForgotPassword, ChangePassword, AdminResetUserPassword, AdminSetUserPassword via the SDK. */
import {
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { secretHash } from '../../src/srp/index.js';
import { type CognitoEmulator, type CognitoEmulatorOptions, startCognitoEmulator } from '../../src/testing/index.js';
import { passwordSignIn, rejectionOf, sdkClient, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w-Passw0rd';
const HOUR = 3600_000;

let emu: CognitoEmulator;
let client: CognitoIdentityProviderClient;
let now = Date.now();

async function start(options: CognitoEmulatorOptions = {}): Promise<void> {
  now = Date.now();
  emu = await startCognitoEmulator({ clock: () => now, ...options });
  client = sdkClient(emu);
}

afterEach(async () => {
  client.destroy();
  await emu.close();
});

function hash(username: string): { SecretHash?: string } {
  return emu.clientSecret === undefined ? {} : { SecretHash: secretHash(username, emu.clientId, emu.clientSecret) };
}

function forgot(username: string) {
  return client.send(new ForgotPasswordCommand({ ClientId: emu.clientId, Username: username, ...hash(username) }));
}

function confirmForgot(username: string, code: string, password = NEW_PASSWORD) {
  return client.send(
    new ConfirmForgotPasswordCommand({
      ClientId: emu.clientId,
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
    emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    const out = await forgot('alice');
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await confirmForgot('alice', emu.lastCode('alice', 'EMAIL')!);
    await expect(srpSignIn(client, emu, 'alice', NEW_PASSWORD)).resolves.toHaveProperty('AuthenticationResult');
    expect((await rejectionOf(passwordSignIn(client, emu, 'alice', PASSWORD))).name).toBe('NotAuthorizedException');
  });

  test('a verified phone only: the code goes by SMS', async () => {
    await start();
    emu.addUser({ username: 'sam', password: PASSWORD, phoneNumber: '+15555550100' });
    expect((await forgot('sam')).CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS' });
    await confirmForgot('sam', emu.lastCode('sam', 'SMS')!);
  });

  test('no verified email or phone → InvalidParameterException', async () => {
    await start();
    emu.addUser({ username: 'bare', password: PASSWORD });
    emu.addUser({ username: 'unverified', password: PASSWORD, email: 'u@example.com', emailVerified: false });
    for (const name of ['bare', 'unverified']) {
      const error = await rejectionOf(forgot(name));
      expect(error.name).toBe('InvalidParameterException');
      expect(error.message).toMatch(/no registered\/verified email or phone_number/);
    }
  });

  test('a wrong code → CodeMismatchException; a weak password → InvalidPasswordException, code kept', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await forgot('alice');
    const code = emu.lastCode('alice')!;
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
    emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await forgot('alice');
    now += HOUR + 1000;
    expect((await rejectionOf(confirmForgot('alice', emu.lastCode('alice')!))).name).toBe('ExpiredCodeException');
  });

  test('the 6th ForgotPassword within an hour → LimitExceededException', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    for (let i = 0; i < 5; i += 1) await forgot('alice');
    const error = await rejectionOf(forgot('alice'));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Attempt limit exceeded, please try after some time.');
    now += HOUR;
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
    emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(client, emu, 'alice', PASSWORD);
    await client.send(
      new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }),
    );
    await expect(passwordSignIn(client, emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
    expect(emu.isTokenRevoked(token)).toBe(false);
  });

  test('a wrong previous password → NotAuthorizedException; a weak new one → InvalidPasswordException', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(client, emu, 'alice', PASSWORD);
    const wrong = await rejectionOf(
      client.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng!pass', ProposedPassword: NEW_PASSWORD })),
    );
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe('Incorrect username or password.');
    const weak = await rejectionOf(
      client.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'short' })),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    const badToken = await rejectionOf(
      client.send(new ChangePasswordCommand({ AccessToken: 'x.y.z', PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD })),
    );
    expect(badToken.name).toBe('NotAuthorizedException');
  });
});

describe('AdminResetUserPassword', () => {
  test('RESET_REQUIRED: sign-in → PasswordResetRequiredException until ConfirmForgotPassword', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    await client.send(new AdminResetUserPasswordCommand({ UserPoolId: emu.userPoolId, Username: 'alice' }));
    expect(emu.getUserStatus('alice')).toBe('RESET_REQUIRED');
    for (const signIn of [srpSignIn(client, emu, 'alice', PASSWORD), passwordSignIn(client, emu, 'alice', PASSWORD)]) {
      const error = await rejectionOf(signIn);
      expect(error.name).toBe('PasswordResetRequiredException');
    }
    await confirmForgot('alice', emu.lastCode('alice', 'EMAIL')!);
    expect(emu.getUserStatus('alice')).toBe('CONFIRMED');
    await expect(passwordSignIn(client, emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
  });

  test('an unknown user → UserNotFoundException', async () => {
    await start();
    const error = await rejectionOf(
      client.send(new AdminResetUserPasswordCommand({ UserPoolId: emu.userPoolId, Username: 'ghost' })),
    );
    expect(error.name).toBe('UserNotFoundException');
  });
});

describe('AdminSetUserPassword', () => {
  test('Permanent: false → FORCE_CHANGE_PASSWORD (NEW_PASSWORD_REQUIRED); Permanent: true → CONFIRMED', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD });
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: emu.userPoolId, Username: 'alice', Password: 'Temp-Passw0rd', Permanent: false }),
    );
    expect(emu.getUserStatus('alice')).toBe('FORCE_CHANGE_PASSWORD');
    const step = await srpSignIn(client, emu, 'alice', 'Temp-Passw0rd');
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: emu.userPoolId, Username: 'alice', Password: NEW_PASSWORD, Permanent: true }),
    );
    expect(emu.getUserStatus('alice')).toBe('CONFIRMED');
    await expect(passwordSignIn(client, emu, 'alice', NEW_PASSWORD)).resolves.toEqual(expect.any(String));
  });

  test('a weak password → InvalidPasswordException ("does not conform to policy")', async () => {
    await start();
    emu.addUser({ username: 'alice', password: PASSWORD });
    const error = await rejectionOf(
      client.send(new AdminSetUserPasswordCommand({ UserPoolId: emu.userPoolId, Username: 'alice', Password: 'abc' })),
    );
    expect(error.name).toBe('InvalidPasswordException');
    expect(error.message).toBe('Password does not conform to policy: Password not long enough');
  });
});
