/** Profile operations (self-service and Admin*) and ListUsers through the AWS SDK. */
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  ListUsersCommand,
  type ListUsersCommandOutput,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { decodePayload, passwordSignIn, rejectionOf, respond, sdkFixture, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const HOUR = 3600_000;

const fx = sdkFixture({ manualClock: true });
const { start } = fx;

async function attributesOf(username: string): Promise<Record<string, string>> {
  const out = await fx.client.send(new AdminGetUserCommand({ UserPoolId: fx.emu.userPoolId, Username: username }));
  return Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
}

function attrs(map: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(map).map(([Name, Value]) => ({ Name, Value }));
}

describe('UpdateUserAttributes + VerifyUserAttribute', () => {
  test('a new email is unverified and gets a code; VerifyUserAttribute verifies it', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const out = await fx.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: attrs({ email: 'alice@new.example', name: 'Alice', 'custom:team': 'blue' }),
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { Destination: 'a***@n***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    ]);
    expect(await attributesOf('alice')).toMatchObject({
      email: 'alice@new.example',
      email_verified: 'false',
      name: 'Alice',
      'custom:team': 'blue',
    });
    const code = fx.emu.lastCode('alice', 'EMAIL')!;
    const wrong = await rejectionOf(
      fx.client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code === '000000' ? '999999' : '000000' })),
    );
    expect(wrong.name).toBe('CodeMismatchException');
    await fx.client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code }));
    expect((await attributesOf('alice')).email_verified).toBe('true');
  });

  test('GetUserAttributeVerificationCode sends a code by SMS; a day later the access token is refused first', async () => {
    await start();
    fx.emu.addUser({ username: 'sam', password: PASSWORD, phoneNumber: '+15555550100', phoneNumberVerified: false });
    const token = await passwordSignIn(fx.client, fx.emu, 'sam', PASSWORD);
    const out = await fx.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }));
    expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    fx.now += 24 * HOUR + 1000;
    const expired = await rejectionOf(
      fx.client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: fx.emu.lastCode('sam', 'SMS')! })),
    );
    // The access token expired too: Cognito checks the token first.
    expect(expired.name).toBe('NotAuthorizedException');
  });

  test('VerifyUserAttribute with an expired code → ExpiredCodeException', async () => {
    await start({ codeValiditySeconds: 60 });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', emailVerified: false });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    fx.now += 61_000;
    const error = await rejectionOf(
      fx.client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: fx.emu.lastCode('alice')! })),
    );
    expect(error.name).toBe('ExpiredCodeException');
  });

  test('unknown attributes, sub and *_verified are refused for the user', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const update = (map: Record<string, string>) =>
      rejectionOf(fx.client.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: attrs(map) })));
    expect((await update({ shoe_size: '42' })).name).toBe('InvalidParameterException');
    expect((await update({ sub: 'x' })).name).toBe('InvalidParameterException');
    expect((await update({ email_verified: 'true' })).name).toBe('NotAuthorizedException');
    expect((await update({ email: 'not-an-email' })).name).toBe('InvalidParameterException');
  });

  test('the ID token carries the new attributes after the next sign-in', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: attrs({ 'custom:tenant': 'acme' }) }));
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(decodePayload(step.AuthenticationResult!.IdToken!)['custom:tenant']).toBe('acme');
  });
});

describe('DeleteUserAttributes / DeleteUser', () => {
  test('DeleteUserAttributes removes attributes', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'a@example.com', attributes: { name: 'Alice' } });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['name', 'email'] }));
    const me = await fx.client.send(new GetUserCommand({ AccessToken: token }));
    expect(me.UserAttributes!.map((a) => a.Name)).toEqual(['sub']);
    const sub = await rejectionOf(
      fx.client.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['sub'] })),
    );
    expect(sub.name).toBe('InvalidParameterException');
  });

  test('DeleteUser removes the user and revokes its tokens', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new DeleteUserCommand({ AccessToken: token }));
    expect(fx.emu.getUserStatus('alice')).toBeUndefined();
    expect(fx.emu.isTokenRevoked(token)).toBe(true);
    expect((await rejectionOf(fx.client.send(new GetUserCommand({ AccessToken: token })))).name).toBe('NotAuthorizedException');
    // PreventUserExistenceErrors LEGACY (the API default): a deleted user is named as unknown.
    expect((await rejectionOf(passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD))).name).toBe('UserNotFoundException');
    expect(() => fx.emu.addUser({ username: 'alice', password: PASSWORD })).not.toThrow();
  });
});

describe('AdminCreateUser', () => {
  test('TemporaryPassword → FORCE_CHANGE_PASSWORD; NEW_PASSWORD_REQUIRED then CONFIRMED', async () => {
    await start();
    const out = await fx.client.send(
      new AdminCreateUserCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'newbie',
        TemporaryPassword: 'Temp-Passw0rd',
        MessageAction: 'SUPPRESS',
        UserAttributes: attrs({ email: 'newbie@example.com', email_verified: 'true' }),
      }),
    );
    expect(out.User).toMatchObject({ Username: 'newbie', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(out.User!.UserCreateDate).toBeInstanceOf(Date);
    expect(out.User!.Attributes).toEqual(expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]));
    const step = await srpSignIn(fx.client, fx.emu, 'newbie', 'Temp-Passw0rd');
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await respond(fx.client, fx.emu, 'NEW_PASSWORD_REQUIRED', step.Session, 'newbie', { NEW_PASSWORD: 'N3w-Passw0rd' });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(fx.emu.getUserStatus('newbie')).toBe('CONFIRMED');
  });

  test('without TemporaryPassword one is generated and "emailed" (lastCode); RESEND replaces it', async () => {
    await start();
    await fx.client.send(
      new AdminCreateUserCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'invited',
        UserAttributes: attrs({ email: 'invited@example.com' }),
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const temporary = fx.emu.lastCode('invited', 'EMAIL')!;
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    expect((await srpSignIn(fx.client, fx.emu, 'invited', temporary)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await fx.client.send(new AdminCreateUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'invited', MessageAction: 'RESEND' }));
    expect(fx.emu.lastCode('invited', 'EMAIL')).not.toBe(temporary);
  });

  test('an existing name → UsernameExistsException; a weak temporary password → InvalidPasswordException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const exists = await rejectionOf(
      fx.client.send(new AdminCreateUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', MessageAction: 'SUPPRESS' })),
    );
    expect(exists.name).toBe('UsernameExistsException');
    const weak = await rejectionOf(
      fx.client.send(new AdminCreateUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'bob', TemporaryPassword: 'weak' })),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    const resend = await rejectionOf(
      fx.client.send(new AdminCreateUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', MessageAction: 'RESEND' })),
    );
    expect(resend.name).toBe('UnsupportedUserStateException');
  });
});

describe('AdminGetUser / AdminUpdateUserAttributes / AdminDeleteUserAttributes / AdminDeleteUser', () => {
  test('AdminGetUser shows status, dates, Enabled and MFA settings; unknown → UserNotFoundException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', mfa: ['EMAIL_OTP'] });
    const out = await fx.client.send(new AdminGetUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect(out).toMatchObject({ Username: 'alice', Enabled: true, UserStatus: 'CONFIRMED', UserMFASettingList: ['EMAIL_OTP'] });
    expect(out.UserCreateDate!.getTime()).toBeLessThanOrEqual(fx.now);
    expect(out.UserLastModifiedDate).toBeInstanceOf(Date);
    const ghost = await rejectionOf(fx.client.send(new AdminGetUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost' })));
    expect(ghost.name).toBe('UserNotFoundException');
    expect(ghost.message).toBe('User does not exist.');
  });

  test('an admin can mark an email verified, and delete attributes', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, attributes: { nickname: 'al' } });
    await fx.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'alice',
        UserAttributes: attrs({ email: 'alice@example.com', email_verified: 'true' }),
      }),
    );
    expect(await attributesOf('alice')).toMatchObject({ email: 'alice@example.com', email_verified: 'true' });
    await fx.client.send(
      new AdminDeleteUserAttributesCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', UserAttributeNames: ['nickname'] }),
    );
    expect(await attributesOf('alice')).not.toHaveProperty('nickname');
  });

  test('an email already used as another user\'s alias → AliasExistsException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', alias: true });
    fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com', alias: true });
    const error = await rejectionOf(
      fx.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: fx.emu.userPoolId,
          Username: 'bob',
          UserAttributes: attrs({ email: 'alice@example.com' }),
        }),
      ),
    );
    expect(error.name).toBe('AliasExistsException');
  });

  test('an email alias follows an email change', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', alias: true });
    await fx.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'alice',
        UserAttributes: attrs({ email: 'alice@new.example', email_verified: 'true' }),
      }),
    );
    await expect(passwordSignIn(fx.client, fx.emu, 'alice@new.example', PASSWORD)).resolves.toEqual(expect.any(String));
    expect((await rejectionOf(passwordSignIn(fx.client, fx.emu, 'alice@example.com', PASSWORD))).name).toBe('UserNotFoundException');
  });

  test('AdminDeleteUser removes the user', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    await fx.client.send(new AdminDeleteUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    const again = await rejectionOf(fx.client.send(new AdminDeleteUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' })));
    expect(again.name).toBe('UserNotFoundException');
  });
});

describe('AdminDisableUser / AdminEnableUser / AdminUserGlobalSignOut', () => {
  test('a disabled user cannot sign in ("User is disabled.") and its tokens are revoked; enabling restores it', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new AdminDisableUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect(fx.emu.isTokenRevoked(token)).toBe(true);
    const disabled = await rejectionOf(srpSignIn(fx.client, fx.emu, 'alice', PASSWORD));
    expect(disabled.name).toBe('NotAuthorizedException');
    expect(disabled.message).toBe('User is disabled.');
    expect((await attributesOf('alice')).sub).toEqual(expect.any(String));
    await fx.client.send(new AdminEnableUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    await expect(passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD)).resolves.toEqual(expect.any(String));
  });

  test('AdminUserGlobalSignOut revokes every sign-in of the user', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const first = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const second = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    await fx.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect([fx.emu.isTokenRevoked(first), fx.emu.isTokenRevoked(second)]).toEqual([true, true]);
    const error = await rejectionOf(fx.client.send(new GetUserCommand({ AccessToken: first })));
    expect(error.message).toBe('Access Token has been revoked');
  });
});

describe('ListUsers', () => {
  async function seed(): Promise<void> {
    for (let i = 0; i < 7; i += 1) {
      fx.emu.addUser({ username: `user${i}`, password: PASSWORD, email: `user${i}@${i % 2 === 0 ? 'even' : 'odd'}.example` });
    }
    fx.emu.addUser({ username: 'pending', password: PASSWORD, confirmed: false });
  }

  test('pages with Limit and PaginationToken', async () => {
    await start();
    await seed();
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out: ListUsersCommandOutput = await fx.client.send(
        new ListUsersCommand({ UserPoolId: fx.emu.userPoolId, Limit: 3, PaginationToken: token }),
      );
      names.push(...out.Users!.map((u) => u.Username!));
      token = out.PaginationToken;
      pages += 1;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
  });

  test('Filter: exact and prefix matches, status; AttributesToGet limits attributes', async () => {
    await start();
    await seed();
    const list = (Filter: string, extra: Record<string, unknown> = {}) =>
      fx.client.send(new ListUsersCommand({ UserPoolId: fx.emu.userPoolId, Filter, ...extra }));
    expect((await list('email = "user3@odd.example"')).Users!.map((u) => u.Username)).toEqual(['user3']);
    expect((await list('username ^= "user"')).Users).toHaveLength(7);
    expect((await list('cognito:user_status = "UNCONFIRMED"')).Users!.map((u) => u.Username)).toEqual(['pending']);
    const only = await list('email ^= "user1"', { AttributesToGet: ['email'] });
    expect(only.Users).toEqual([expect.objectContaining({ Username: 'user1', Attributes: [{ Name: 'email', Value: 'user1@odd.example' }] })]);
    expect((await rejectionOf(list('email contains "x"'))).name).toBe('InvalidParameterException');
  });

  test('a Limit above 60 → InvalidParameterException', async () => {
    await start();
    const error = await rejectionOf(fx.client.send(new ListUsersCommand({ UserPoolId: fx.emu.userPoolId, Limit: 61 })));
    expect(error.name).toBe('InvalidParameterException');
  });
});
