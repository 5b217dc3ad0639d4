/** AdminInitiateAuth / AdminRespondToAuthChallenge, MFA preferences and admin device operations via the SDK. */
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminListDevicesCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  GetUserAuthFactorsCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { createDeviceSecrets } from '../../src/srp/index.js';
import { decodePayload, hashFor, passwordSignIn, rejectionOf, sdkFixture, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';

const fx = sdkFixture();
const { start } = fx;

function adminAuth(
  username: string,
  password: string,
  flow: 'ADMIN_USER_PASSWORD_AUTH' | 'ADMIN_NO_SRP_AUTH' = 'ADMIN_USER_PASSWORD_AUTH',
): Promise<AdminInitiateAuthCommandOutput> {
  return fx.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: fx.emu.userPoolId,
      ClientId: fx.emu.clientId,
      AuthFlow: flow,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...hashFor(fx.emu, username) },
    }),
  );
}

function adminRespond(challenge: string, session: string | undefined, username: string, responses: Record<string, string>) {
  return fx.client.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: fx.emu.userPoolId,
      ClientId: fx.emu.clientId,
      ChallengeName: challenge as never,
      Session: session,
      ChallengeResponses: { USERNAME: username, ...hashFor(fx.emu, username), ...responses },
    }),
  );
}

describe('AdminInitiateAuth', () => {
  test.each(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const)('%s returns tokens', async (flow) => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, groups: ['admins'] });
    const out = await adminAuth('alice', PASSWORD, flow);
    expect(out.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(decodePayload(out.AuthenticationResult!.AccessToken!)).toMatchObject({
      username: 'alice',
      'cognito:groups': ['admins'],
    });
  });

  test('wrong password / unknown user → NotAuthorizedException; missing SECRET_HASH → NotAuthorizedException', async () => {
    await start({ clientSecret: true, preventUserExistenceErrors: 'ENABLED' });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    expect((await rejectionOf(adminAuth('alice', 'Wr0ng!pass'))).message).toBe('Incorrect username or password.');
    expect((await rejectionOf(adminAuth('ghost', PASSWORD))).name).toBe('NotAuthorizedException');
    const noHash = await rejectionOf(
      fx.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: fx.emu.userPoolId,
          ClientId: fx.emu.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice', PASSWORD },
        }),
      ),
    );
    expect(noHash.message).toMatch(/secret/);
  });

  test('unconfirmed and disabled users get their errors', async () => {
    await start();
    fx.emu.addUser({ username: 'pending', password: PASSWORD, confirmed: false });
    fx.emu.addUser({ username: 'off', password: PASSWORD, enabled: false });
    expect((await rejectionOf(adminAuth('pending', PASSWORD))).name).toBe('UserNotConfirmedException');
    expect((await rejectionOf(adminAuth('off', PASSWORD))).message).toBe('User is disabled.');
  });

  test('another pool → ResourceNotFoundException; another client → ResourceNotFoundException', async () => {
    await start();
    const pool = await rejectionOf(
      fx.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: 'us-east-1_nope',
          ClientId: fx.emu.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'a', PASSWORD },
        }),
      ),
    );
    expect(pool.name).toBe('ResourceNotFoundException');
    const clientError = await rejectionOf(
      fx.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: fx.emu.userPoolId,
          ClientId: 'nope',
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'a', PASSWORD },
        }),
      ),
    );
    expect(clientError.name).toBe('ResourceNotFoundException');
  });

  test('REFRESH_TOKEN_AUTH through AdminInitiateAuth', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const first = await adminAuth('alice', PASSWORD);
    const refreshed = await fx.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: fx.emu.userPoolId,
        ClientId: fx.emu.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult!.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });
});

describe('AdminRespondToAuthChallenge', () => {
  test('NEW_PASSWORD_REQUIRED after AdminCreateUser-style temporary passwords', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, forceChangePassword: true });
    const step = await adminAuth('alice', PASSWORD);
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const weak = await rejectionOf(adminRespond('NEW_PASSWORD_REQUIRED', step.Session, 'alice', { NEW_PASSWORD: 'weak' }));
    expect(weak.name).toBe('InvalidPasswordException');
    const done = await adminRespond('NEW_PASSWORD_REQUIRED', step.Session, 'alice', { NEW_PASSWORD: 'N3w-Passw0rd' });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(fx.emu.getUserStatus('alice')).toBe('CONFIRMED');
  });

  test('SOFTWARE_TOKEN_MFA: a wrong code → CodeMismatchException, the right one → tokens', async () => {
    await start();
    const totpSecret = randomTotpSecret();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, totpSecret });
    const step = await adminAuth('alice', PASSWORD);
    expect(step.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const code = generateTotp(totpSecret);
    const wrong = await rejectionOf(
      adminRespond('SOFTWARE_TOKEN_MFA', step.Session, 'alice', {
        SOFTWARE_TOKEN_MFA_CODE: code === '000000' ? '111111' : '000000',
      }),
    );
    expect(wrong.name).toBe('CodeMismatchException');
    const done = await adminRespond('SOFTWARE_TOKEN_MFA', step.Session, 'alice', { SOFTWARE_TOKEN_MFA_CODE: code });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  test('another pool → ResourceNotFoundException', async () => {
    await start();
    const error = await rejectionOf(
      fx.client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: 'us-east-1_nope',
          ClientId: fx.emu.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: 'x',
          ChallengeResponses: { USERNAME: 'a' },
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('GetUserAuthFactors / AdminSetUserMFAPreference', () => {
  test('an admin enables EMAIL_OTP: the factors show it and the next sign-in asks for the emailed code', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com' });
    const token = await passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    const before = await fx.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    expect(before).toMatchObject({ Username: 'alice', ConfiguredUserAuthFactors: ['PASSWORD'], UserMFASettingList: [] });
    expect(before.PreferredMfaSetting).toBeUndefined();
    await fx.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'alice',
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const after = await fx.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    expect(after).toMatchObject({ UserMFASettingList: ['EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP' });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(step.ChallengeName).toBe('EMAIL_OTP');
    const done = await adminRespond('EMAIL_OTP', step.Session, 'alice', { EMAIL_OTP_CODE: fx.emu.lastCode('alice', 'EMAIL')! });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('enabling TOTP without a verified token → InvalidParameterException; unknown user → UserNotFoundException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const totp = await rejectionOf(
      fx.client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: fx.emu.userPoolId,
          Username: 'alice',
          SoftwareTokenMfaSettings: { Enabled: true },
        }),
      ),
    );
    expect(totp.name).toBe('InvalidParameterException');
    const ghost = await rejectionOf(
      fx.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost' })),
    );
    expect(ghost.name).toBe('UserNotFoundException');
    const badToken = await rejectionOf(fx.client.send(new GetUserAuthFactorsCommand({ AccessToken: 'nope' })));
    expect(badToken.name).toBe('NotAuthorizedException');
  });
});

describe('admin device operations', () => {
  async function signInWithNewDevice(): Promise<string> {
    const out = await adminAuth('alice', PASSWORD);
    const result = out.AuthenticationResult!;
    const meta = result.NewDeviceMetadata!;
    const secrets = createDeviceSecrets(meta.DeviceGroupKey!, meta.DeviceKey!);
    await fx.client.send(
      new ConfirmDeviceCommand({
        AccessToken: result.AccessToken,
        DeviceKey: meta.DeviceKey,
        DeviceName: 'laptop',
        DeviceSecretVerifierConfig: { PasswordVerifier: secrets.passwordVerifier, Salt: secrets.salt },
      }),
    );
    return meta.DeviceKey!;
  }

  test('AdminListDevices / AdminGetDevice / AdminUpdateDeviceStatus / AdminForgetDevice', async () => {
    await start({ deviceTracking: 'opt-in' });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const first = await signInWithNewDevice();
    const second = await signInWithNewDevice();
    const page1 = await fx.client.send(new AdminListDevicesCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', Limit: 1 }));
    expect(page1.Devices).toHaveLength(1);
    const page2 = await fx.client.send(
      new AdminListDevicesCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', Limit: 1, PaginationToken: page1.PaginationToken }),
    );
    expect([page1.Devices![0]!.DeviceKey, page2.Devices![0]!.DeviceKey].sort()).toEqual([first, second].sort());
    expect(page2.PaginationToken).toBeUndefined();

    const get = () => fx.client.send(new AdminGetDeviceCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', DeviceKey: first }));
    const remembered = async () =>
      (await get()).Device!.DeviceAttributes!.find((a) => a.Name === 'dev:device_remembered_status')!.Value;
    expect(await remembered()).toBe('not_remembered');
    expect((await get()).Device!.DeviceAttributes).toEqual(expect.arrayContaining([{ Name: 'device_name', Value: 'laptop' }]));
    await fx.client.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: fx.emu.userPoolId,
        Username: 'alice',
        DeviceKey: first,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    expect(await remembered()).toBe('remembered');

    await fx.client.send(new AdminForgetDeviceCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', DeviceKey: first }));
    const gone = await rejectionOf(get());
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe('Device does not exist.');
    const again = await rejectionOf(
      fx.client.send(new AdminForgetDeviceCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', DeviceKey: first })),
    );
    expect(again.name).toBe('ResourceNotFoundException');
  });

  test('another user\'s device → ResourceNotFoundException; unknown user → UserNotFoundException', async () => {
    await start({ deviceTracking: 'always' });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    fx.emu.addUser({ username: 'bob', password: PASSWORD });
    const key = await signInWithNewDevice();
    const other = await rejectionOf(
      fx.client.send(new AdminGetDeviceCommand({ UserPoolId: fx.emu.userPoolId, Username: 'bob', DeviceKey: key })),
    );
    expect(other.name).toBe('ResourceNotFoundException');
    const ghost = await rejectionOf(
      fx.client.send(new AdminListDevicesCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost' })),
    );
    expect(ghost.name).toBe('UserNotFoundException');
  });
});
