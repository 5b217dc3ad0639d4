/** Remembered devices through @aws-sdk/client-cognito-identity-provider: ConfirmDevice, DEVICE_SRP_AUTH, refresh binding. */
import {
  type AuthenticationResultType,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { computePasswordClaim, createDeviceSecrets, createEphemeral } from '../../src/srp/index.js';
import { type CognitoEmulatorOptions } from '../../src/testing/index.js';
import {
  answerPasswordVerifier,
  decodePayload,
  initiateSrp,
  rejectionOf,
  respond,
  sdkFixture,
  srpSignIn,
} from './helpers.js';

const PASSWORD = 'Passw0rd!';

interface Device {
  deviceKey: string;
  deviceGroupKey: string;
  devicePassword: string;
}

const fx = sdkFixture();
let totpSecret: string;

async function start(options: CognitoEmulatorOptions): Promise<void> {
  // These tests sign in with TOTP several times within one 30-second step.
  const emu = await fx.start({ allowTotpReuse: true, ...options });
  totpSecret = randomTotpSecret();
  emu.addUser({ username: 'alice', password: PASSWORD, totpSecret });
}

/** Password + TOTP sign-in without a device; returns the tokens (with NewDeviceMetadata when tracking is on). */
async function fullSignIn(): Promise<AuthenticationResultType> {
  const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
  expect(step.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const done = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', {
    SOFTWARE_TOKEN_MFA_CODE: generateTotp(totpSecret),
  });
  return done.AuthenticationResult!;
}

async function confirm(result: AuthenticationResultType): Promise<{ device: Device; necessary: boolean | undefined }> {
  const meta = result.NewDeviceMetadata!;
  const secrets = createDeviceSecrets(meta.DeviceGroupKey!, meta.DeviceKey!);
  const out = await fx.client.send(
    new ConfirmDeviceCommand({
      AccessToken: result.AccessToken,
      DeviceKey: meta.DeviceKey,
      DeviceName: 'test-runner',
      DeviceSecretVerifierConfig: { PasswordVerifier: secrets.passwordVerifier, Salt: secrets.salt },
    }),
  );
  return {
    device: { deviceKey: meta.DeviceKey!, deviceGroupKey: meta.DeviceGroupKey!, devicePassword: secrets.devicePassword },
    necessary: out.UserConfirmationNecessary,
  };
}

/** DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER from a session whose challenge is DEVICE_SRP_AUTH. */
async function deviceSteps(session: string | undefined, device: Device, password = device.devicePassword) {
  const ephemeral = createEphemeral();
  const challenge = await respond(fx.client, fx.emu, 'DEVICE_SRP_AUTH', session, 'alice', {
    DEVICE_KEY: device.deviceKey,
    SRP_A: ephemeral.srpA,
  });
  expect(challenge.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
  const params = challenge.ChallengeParameters!;
  const claim = computePasswordClaim({
    poolName: device.deviceGroupKey,
    userId: device.deviceKey,
    password,
    ephemeral,
    salt: params.SALT!,
    srpB: params.SRP_B!,
    secretBlock: params.SECRET_BLOCK!,
  });
  return respond(fx.client, fx.emu, 'DEVICE_PASSWORD_VERIFIER', challenge.Session, 'alice', {
    DEVICE_KEY: device.deviceKey,
    PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock,
    PASSWORD_CLAIM_SIGNATURE: claim.signature,
    TIMESTAMP: claim.timestamp,
  });
}

describe('device tracking "always"', () => {
  test('NewDeviceMetadata, ConfirmDevice, then DEVICE_SRP_AUTH skips MFA; GetDevice and ListDevices', async () => {
    await start({ deviceTracking: 'always' });
    const first = await fullSignIn();
    expect(first.NewDeviceMetadata?.DeviceKey).toMatch(new RegExp(`^${fx.emu.region}_`));
    expect(decodePayload(first.AccessToken!).device_key).toBe(first.NewDeviceMetadata!.DeviceKey);
    const { device, necessary } = await confirm(first);
    expect(necessary).toBe(false);

    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD, { DEVICE_KEY: device.deviceKey });
    expect(step.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const done = await deviceSteps(step.Session, device);
    expect(done.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(decodePayload(done.AuthenticationResult!.AccessToken!).device_key).toBe(device.deviceKey);

    const got = await fx.client.send(new GetDeviceCommand({ AccessToken: done.AuthenticationResult!.AccessToken, DeviceKey: device.deviceKey }));
    expect(got.Device?.DeviceKey).toBe(device.deviceKey);
    expect(got.Device?.DeviceAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'dev:device_remembered_status', Value: 'remembered' },
        { Name: 'device_name', Value: 'test-runner' },
      ]),
    );
    expect(got.Device?.DeviceCreateDate).toBeInstanceOf(Date);
    const listed = await fx.client.send(new ListDevicesCommand({ AccessToken: done.AuthenticationResult!.AccessToken }));
    expect(listed.Devices?.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
  });

  test('a wrong device password → NotAuthorizedException', async () => {
    await start({ deviceTracking: 'always' });
    const { device } = await confirm(await fullSignIn());
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD, { DEVICE_KEY: device.deviceKey });
    const error = await rejectionOf(deviceSteps(step.Session, device, 'not-the-device-password'));
    expect(error.name).toBe('NotAuthorizedException');
  });

  test('refresh tokens bound to a confirmed device need its DEVICE_KEY', async () => {
    await start({ deviceTracking: 'always' });
    const first = await fullSignIn();
    const { device } = await confirm(first);
    const refresh = first.RefreshToken!;
    const without = await rejectionOf(
      fx.client.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: fx.emu.clientId, AuthParameters: { REFRESH_TOKEN: refresh } })),
    );
    expect(without).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    const withKey = await fx.client.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: fx.emu.clientId,
        AuthParameters: { REFRESH_TOKEN: refresh, DEVICE_KEY: device.deviceKey },
      }),
    );
    expect(decodePayload(withKey.AuthenticationResult!.AccessToken!).device_key).toBe(device.deviceKey);
    const viaNewApi = await fx.client.send(
      new GetTokensFromRefreshTokenCommand({ RefreshToken: refresh, ClientId: fx.emu.clientId, DeviceKey: device.deviceKey }),
    );
    expect(viaNewApi.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('a forgotten device: "Device does not exist.", retry without it works; its refresh tokens stop working', async () => {
    await start({ deviceTracking: 'always' });
    const first = await fullSignIn();
    const { device } = await confirm(first);
    await fx.client.send(new ForgetDeviceCommand({ AccessToken: first.AccessToken, DeviceKey: device.deviceKey }));

    const begin = await initiateSrp(fx.client, fx.emu, 'alice', { DEVICE_KEY: device.deviceKey });
    const gone = await rejectionOf(
      answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD, extra: { DEVICE_KEY: device.deviceKey } }),
    );
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
    // Same session, no device key (what the AWS SDKs do): MFA is asked again.
    const retry = await answerPasswordVerifier(fx.client, fx.emu, begin, { password: PASSWORD });
    expect(retry.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

    const refresh = await rejectionOf(
      fx.client.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: first.RefreshToken, ClientId: fx.emu.clientId, DeviceKey: device.deviceKey })),
    );
    expect(refresh).toMatchObject({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
    const refreshNoKey = await rejectionOf(
      fx.client.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: first.RefreshToken, ClientId: fx.emu.clientId })),
    );
    expect(refreshNoKey.message).toBe('Refresh Token has been revoked');
  });

  test('server-side forgetDevice, GetDevice of a forgotten device, ConfirmDevice errors', async () => {
    await start({ deviceTracking: 'always' });
    const first = await fullSignIn();
    const second = await fullSignIn();
    const { device } = await confirm(first);
    const again = await rejectionOf(confirm(first));
    expect(again.name).toBe('DeviceKeyExistsException');
    const noConfig = await rejectionOf(
      fx.client.send(new ConfirmDeviceCommand({ AccessToken: second.AccessToken, DeviceKey: second.NewDeviceMetadata!.DeviceKey })),
    );
    expect(noConfig.name).toBe('InvalidParameterException');
    expect(noConfig.message).toContain('DeviceSecretVerifierConfig');

    fx.emu.forgetDevice('alice', device.deviceKey);
    const gone = await rejectionOf(fx.client.send(new GetDeviceCommand({ AccessToken: second.AccessToken, DeviceKey: device.deviceKey })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
    expect(() => fx.emu.forgetDevice('alice', device.deviceKey)).toThrow(/deviceKey/);
  });
});

describe('ListDevices', () => {
  test('pages with Limit and PaginationToken; unconfirmed devices are not listed', async () => {
    await start({ deviceTracking: 'always' });
    const keys: string[] = [];
    let access = '';
    for (let i = 0; i < 3; i++) {
      const result = await fullSignIn();
      access = result.AccessToken!;
      if (i < 2) keys.push((await confirm(result)).device.deviceKey);
    }
    const page1 = await fx.client.send(new ListDevicesCommand({ AccessToken: access, Limit: 1 }));
    expect(page1.Devices).toHaveLength(1);
    expect(page1.PaginationToken).toEqual(expect.any(String));
    const page2 = await fx.client.send(new ListDevicesCommand({ AccessToken: access, Limit: 1, PaginationToken: page1.PaginationToken }));
    expect(page2.PaginationToken).toBeUndefined();
    expect([...page1.Devices!, ...page2.Devices!].map((d) => d.DeviceKey)).toEqual(keys);
    const tooMany = await rejectionOf(fx.client.send(new ListDevicesCommand({ AccessToken: access, Limit: 61 })));
    expect(tooMany.name).toBe('InvalidParameterException');
  });
});

describe('device tracking "opt-in"', () => {
  test('UserConfirmationNecessary; MFA until UpdateDeviceStatus remembers the device', async () => {
    await start({ deviceTracking: 'opt-in' });
    const first = await fullSignIn();
    const { device, necessary } = await confirm(first);
    expect(necessary).toBe(true);

    // Confirmed but not remembered: MFA first, then the device proof.
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD, { DEVICE_KEY: device.deviceKey });
    expect(step.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const afterMfa = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', step.Session, 'alice', {
      SOFTWARE_TOKEN_MFA_CODE: generateTotp(totpSecret),
      DEVICE_KEY: device.deviceKey,
    });
    expect(afterMfa.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const done = await deviceSteps(afterMfa.Session, device);
    const access = done.AuthenticationResult!.AccessToken!;

    const invalid = await rejectionOf(
      fx.client.send(new UpdateDeviceStatusCommand({ AccessToken: access, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'maybe' as never })),
    );
    expect(invalid.name).toBe('InvalidParameterException');
    await fx.client.send(new UpdateDeviceStatusCommand({ AccessToken: access, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));

    const remembered = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD, { DEVICE_KEY: device.deviceKey });
    expect(remembered.ChallengeName).toBe('DEVICE_SRP_AUTH');
  });
});

describe('device tracking "off"', () => {
  test('no NewDeviceMetadata and no device_key claim', async () => {
    await start({ deviceTracking: 'off' });
    const result = await fullSignIn();
    expect(result.NewDeviceMetadata).toBeUndefined();
    expect(decodePayload(result.AccessToken!).device_key).toBeUndefined();
  });
});
