/** SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp through the AWS SDK. */
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { decodePayload, passwordSignIn, rejectionOf, sdkFixture, secretHashParam, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const HOUR = 3600_000;

const fx = sdkFixture({ manualClock: true });
const { start } = fx;

const hash = (username: string) => secretHashParam(fx.emu, username);

function signUp(username: string, password = PASSWORD, attributes: Record<string, string> = {}) {
  return fx.client.send(
    new SignUpCommand({
      ClientId: fx.emu.clientId,
      Username: username,
      Password: password,
      ...hash(username),
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      ValidationData: [{ Name: 'ignored', Value: 'yes' }],
    }),
  );
}

function confirm(username: string, code: string) {
  return fx.client.send(
    new ConfirmSignUpCommand({ ClientId: fx.emu.clientId, Username: username, ConfirmationCode: code, ...hash(username) }),
  );
}

function resend(username: string) {
  return fx.client.send(new ResendConfirmationCodeCommand({ ClientId: fx.emu.clientId, Username: username, ...hash(username) }));
}

describe('SignUp', () => {
  test('creates an UNCONFIRMED user, sends a code by email, returns UserSub; custom attributes are kept', async () => {
    await start({ clientSecret: true });
    const out = await signUp('bob', PASSWORD, { email: 'bob@example.com', 'custom:tenant': 'acme', name: 'Bob' });
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(fx.emu.lastCode('bob', 'EMAIL')).toMatch(/^\d{6}$/);
    expect(fx.emu.getUserStatus('bob')).toBe('UNCONFIRMED');
    const user = await fx.client.send(new AdminGetUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'bob' }));
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:tenant', Value: 'acme' },
        { Name: 'name', Value: 'Bob' },
        { Name: 'email_verified', Value: 'false' },
        { Name: 'sub', Value: out.UserSub },
      ]),
    );
  });

  test('a phone number only: the code goes by SMS', async () => {
    await start();
    const out = await signUp('sms-user', PASSWORD, { phone_number: '+15555550100' });
    expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    expect(fx.emu.lastCode('sms-user', 'SMS')).toMatch(/^\d{6}$/);
  });

  test('an existing name → UsernameExistsException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const error = await rejectionOf(signUp('alice'));
    expect(error.name).toBe('UsernameExistsException');
    expect(error.message).toBe('User already exists');
  });

  test.each([
    ['short1!A', { minimumLength: 10 }, 'Password not long enough'],
    ['passw0rd!', {}, 'Password must have uppercase characters'],
    ['PASSW0RD!', {}, 'Password must have lowercase characters'],
    ['Password!', {}, 'Password must have numeric characters'],
    ['Passw0rd1', {}, 'Password must have symbol characters'],
  ])('%s breaks the policy %j → InvalidPasswordException (%s)', async (password, policy, reason) => {
    await start({ passwordPolicy: policy });
    const error = await rejectionOf(signUp('weak', password));
    expect(error.name).toBe('InvalidPasswordException');
    expect(error.message).toBe(`Password did not conform with policy: ${reason}`);
    expect(error.message).not.toContain(password);
    expect(fx.emu.getUserStatus('weak')).toBeUndefined();
  });

  test('a relaxed policy accepts a simple password', async () => {
    await start({ passwordPolicy: { requireSymbols: false, requireUppercase: false } });
    await expect(signUp('easy', 'password1')).resolves.toMatchObject({ UserConfirmed: false });
  });

  test('SecretHash is required and checked when the client has a secret', async () => {
    await start({ clientSecret: true });
    const missing = await rejectionOf(
      fx.client.send(new SignUpCommand({ ClientId: fx.emu.clientId, Username: 'x', Password: PASSWORD })),
    );
    expect(missing.name).toBe('NotAuthorizedException');
    const wrong = await rejectionOf(
      fx.client.send(new SignUpCommand({ ClientId: fx.emu.clientId, Username: 'x', Password: PASSWORD, SecretHash: 'AAAA' })),
    );
    expect(wrong.message).toMatch(/Unable to verify secret hash/);
  });

  test('email as username: the email is the sign-in name and a UUID the internal one', async () => {
    await start({ usernameAttributes: ['email'] });
    const notEmail = await rejectionOf(signUp('carol'));
    expect(notEmail.name).toBe('InvalidParameterException');
    const out = await signUp('carol@example.com');
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    await confirm('carol@example.com', fx.emu.lastCode('carol@example.com')!);
    const token = await passwordSignIn(fx.client, fx.emu, 'carol@example.com', PASSWORD);
    expect(decodePayload(token).username).toBe(out.UserSub);
    const again = await rejectionOf(signUp('carol@example.com'));
    expect(again.name).toBe('UsernameExistsException');
  });

  test('an unknown app client → ResourceNotFoundException', async () => {
    await start();
    const error = await rejectionOf(
      fx.client.send(new SignUpCommand({ ClientId: 'nope', Username: 'x', Password: PASSWORD })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('ConfirmSignUp', () => {
  test('the emailed code confirms the user and verifies the email; sign-in then works', async () => {
    await start({ clientSecret: true });
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    await confirm('bob', fx.emu.lastCode('bob', 'EMAIL')!);
    expect(fx.emu.getUserStatus('bob')).toBe('CONFIRMED');
    const token = await passwordSignIn(fx.client, fx.emu, 'bob', PASSWORD);
    const me = await fx.client.send(new GetUserCommand({ AccessToken: token }));
    expect(me.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]));
    const twice = await rejectionOf(confirm('bob', '000000'));
    expect(twice.name).toBe('NotAuthorizedException');
    expect(twice.message).toBe('User cannot be confirmed. Current status is CONFIRMED');
  });

  test('a wrong code → CodeMismatchException; the right one still works after', async () => {
    await start();
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    const code = fx.emu.lastCode('bob')!;
    const wrong = await rejectionOf(confirm('bob', code === '123456' ? '654321' : '123456'));
    expect(wrong.name).toBe('CodeMismatchException');
    await confirm('bob', code);
    expect(fx.emu.getUserStatus('bob')).toBe('CONFIRMED');
  });

  test('after 24 h the code → ExpiredCodeException', async () => {
    await start();
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    fx.now += 24 * HOUR + 1000;
    const error = await rejectionOf(confirm('bob', fx.emu.lastCode('bob')!));
    expect(error.name).toBe('ExpiredCodeException');
    expect(fx.emu.getUserStatus('bob')).toBe('UNCONFIRMED');
  });

  test('codeValiditySeconds shortens the code lifetime', async () => {
    await start({ codeValiditySeconds: 60 });
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    fx.now += 61_000;
    expect((await rejectionOf(confirm('bob', fx.emu.lastCode('bob')!))).name).toBe('ExpiredCodeException');
  });

  test('an unknown user → UserNotFoundException', async () => {
    await start();
    const error = await rejectionOf(confirm('ghost', '123456'));
    expect(error.name).toBe('UserNotFoundException');
  });
});

describe('unconfirmed users', () => {
  test('signing in with the right password → UserNotConfirmedException (SRP and USER_PASSWORD_AUTH)', async () => {
    await start();
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    const srp = await rejectionOf(srpSignIn(fx.client, fx.emu, 'bob', PASSWORD));
    expect(srp.name).toBe('UserNotConfirmedException');
    const plain = await rejectionOf(passwordSignIn(fx.client, fx.emu, 'bob', PASSWORD));
    expect(plain.name).toBe('UserNotConfirmedException');
    const wrongPassword = await rejectionOf(passwordSignIn(fx.client, fx.emu, 'bob', 'Wr0ng-password'));
    expect(wrongPassword.name).toBe('NotAuthorizedException');
  });

  test('addUser({ confirmed: false }) adds an UNCONFIRMED user', async () => {
    await start();
    fx.emu.addUser({ username: 'pending', password: PASSWORD, confirmed: false });
    expect(fx.emu.getUserStatus('pending')).toBe('UNCONFIRMED');
    expect((await rejectionOf(passwordSignIn(fx.client, fx.emu, 'pending', PASSWORD))).name).toBe('UserNotConfirmedException');
  });
});

describe('ResendConfirmationCode', () => {
  test('a new code replaces the old one', async () => {
    await start({ clientSecret: true });
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    const first = fx.emu.lastCode('bob')!;
    let second = first;
    while (second === first) {
      const out = await resend('bob');
      expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      second = fx.emu.lastCode('bob')!;
    }
    expect((await rejectionOf(confirm('bob', first))).name).toBe('CodeMismatchException');
    await confirm('bob', second);
  });

  test('the 6th call within an hour → LimitExceededException; an hour later it works again', async () => {
    await start();
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    for (let i = 0; i < 5; i += 1) await resend('bob');
    const error = await rejectionOf(resend('bob'));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Attempt limit exceeded, please try after some time.');
    fx.now += HOUR;
    await expect(resend('bob')).resolves.toBeDefined();
  });

  test('a confirmed user → InvalidParameterException; an unknown one → UserNotFoundException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    expect((await rejectionOf(resend('alice'))).name).toBe('InvalidParameterException');
    expect((await rejectionOf(resend('ghost'))).name).toBe('UserNotFoundException');
  });
});

describe('AdminConfirmSignUp', () => {
  test('confirms without a code (signed request); confirming twice → NotAuthorizedException', async () => {
    await start();
    await signUp('bob', PASSWORD, { email: 'bob@example.com' });
    await fx.client.send(new AdminConfirmSignUpCommand({ UserPoolId: fx.emu.userPoolId, Username: 'bob' }));
    expect(fx.emu.getUserStatus('bob')).toBe('CONFIRMED');
    await expect(passwordSignIn(fx.client, fx.emu, 'bob', PASSWORD)).resolves.toEqual(expect.any(String));
    const twice = await rejectionOf(
      fx.client.send(new AdminConfirmSignUpCommand({ UserPoolId: fx.emu.userPoolId, Username: 'bob' })),
    );
    expect(twice.name).toBe('NotAuthorizedException');
  });

  test('an unknown user → UserNotFoundException; another pool → ResourceNotFoundException', async () => {
    await start();
    const ghost = await rejectionOf(
      fx.client.send(new AdminConfirmSignUpCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost' })),
    );
    expect(ghost.name).toBe('UserNotFoundException');
    const pool = await rejectionOf(
      fx.client.send(new AdminConfirmSignUpCommand({ UserPoolId: 'us-east-1_other', Username: 'ghost' })),
    );
    expect(pool.name).toBe('ResourceNotFoundException');
  });
});
