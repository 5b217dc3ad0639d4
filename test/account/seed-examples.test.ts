/**
 * The usage examples of the seeds (pycognito's README and docs, AWS's device guide), translated to TypeScript and
 * run against the emulator. Each test names the example it translates.
 */
import { hostname } from 'node:os';
import { CognitoIdentityProviderClient, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { Cognito, MemoryTrustStore } from '../../src/account/index.js';
import {
  MfaRequiredError,
  PasswordChangeRequiredError,
  TokenVerificationError,
  type CognitoAuthError,
} from '../../src/errors.js';
import { accountFixture, NEW_PASSWORD, PASSWORD, rejectionOf } from './helpers.js';

// The README examples enter TOTP codes several times within one 30-second step.
const fx = accountFixture({ deviceTracking: 'always', allowTotpReuse: true });

/** `Cognito('your-user-pool-id', 'your-client-id', ...)` pointed at the emulator. */
function Cog(extra: Partial<ConstructorParameters<typeof Cognito>[0]> = {}): Cognito {
  const { userPoolId, clientId, endpoint } = fx.emu;
  return fx.track(new Cognito({ userPoolId, clientId, endpoint, ...extra }));
}
async function signedInBob(): Promise<Cognito> {
  const u = Cog({ username: 'bob' });
  await u.authenticate(PASSWORD);
  return u;
}

beforeEach(() => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com', attributes: { given_name: 'Bob', family_name: 'Jones' } });
});

test('README "Example with All Arguments" and "Tokens": build from tokens, then verifyTokens()', async () => {
  const first = await signedInBob();
  const u = Cog({
    clientSecret: undefined,
    username: 'bob',
    idToken: first.idToken!,
    refreshToken: first.refreshToken!,
    accessToken: first.accessToken!,
    credentials: { accessKeyId: 'optional-access-key', secretAccessKey: 'optional-secret-key' },
  });
  await u.verifyTokens();
  expect(u.idClaims?.sub).toEqual(expect.any(String));
  expect(u.accessClaims?.username).toBe('bob');
});

test('README "Register" with base and custom attributes, then "Confirm Sign Up"', async () => {
  const u = Cog();
  u.setBaseAttributes({ email: 'you@you.com', given_name: 'Johnson' });
  u.addCustomAttributes({ state: 'virginia', city: 'Centreville' });
  await u.register('username', PASSWORD);
  await Cog().confirmSignUp(fx.emu.lastCode('username')!, 'username');
  const signedIn = Cog({ username: 'username' });
  await signedIn.authenticate(PASSWORD);
  expect(signedIn.idClaims).toMatchObject({ given_name: 'Johnson', 'custom:state': 'virginia', 'custom:city': 'Centreville' });
});

test('README "Authenticate" and "Admin Authenticate"', async () => {
  const u = Cog({ username: 'bob' });
  await u.authenticate(PASSWORD);
  expect(u.idToken && u.refreshToken && u.accessToken && u.tokenType).toBeTruthy();
  const admin = Cog({ username: 'bob' });
  await admin.adminAuthenticate(PASSWORD);
  expect(admin.accessClaims?.username).toBe('bob');
});

test('README "Initiate Forgot Password", "Confirm Forgot Password" and "Change Password"', async () => {
  const u = Cog({ username: 'bob' });
  await u.initiateForgotPassword();
  await u.confirmForgotPassword(fx.emu.lastCode('bob')!, NEW_PASSWORD);
  const withTokens = Cog({ username: 'bob' });
  await withTokens.authenticate(NEW_PASSWORD);
  await withTokens.changePassword(NEW_PASSWORD, PASSWORD);
  await Cog({ username: 'bob' }).authenticate(PASSWORD);
});

test('README "Update Profile", "Send Verification", "Get User Object", "Get User", "Get Users"', async () => {
  const u = await signedInBob();
  await u.updateProfile({ given_name: 'Edward', family_name: 'Smith' }, { attrMap: {} });
  await u.updateProfile({ email: 'edward@example.com' });
  await u.sendVerification('email');
  await u.validateVerification(fx.emu.lastCode('bob', 'EMAIL')!, 'email');

  const obj = u.getUserObj('bjones', [{ Name: 'given_name', Value: 'B' }], {
    metadata: {},
    attrMap: { given_name: 'first_name', family_name: 'last_name' },
  });
  expect(obj.attributes).toEqual({ first_name: 'B' });

  const user = await u.getUser({ attrMap: { given_name: 'first_name', family_name: 'last_name' } });
  expect(user.attributes).toMatchObject({ first_name: 'Edward', last_name: 'Smith', email: 'edward@example.com' });
  expect(user.emailVerified).toBe(true);
  const users = await Cog().getUsers({ attrMap: { given_name: 'first_name', family_name: 'last_name' } });
  expect(users.map((x) => x.attributes.first_name)).toEqual(['Edward']);
});

test('README "Get Group object", "Get Group", "Get Groups"', async () => {
  const sdk = new CognitoIdentityProviderClient({ region: fx.emu.region, endpoint: fx.emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await sdk.send(new CreateGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'some_group_name', Precedence: 1 }));
  sdk.destroy();
  const u = Cog();
  const groupObj = u.getGroupObj({ GroupName: 'user_group', Description: 'description', Precedence: 1 });
  expect(groupObj.groupName).toBe('user_group');
  expect((await u.getGroup('some_group_name')).precedence).toBe(1);
  expect((await u.getGroups()).map((g) => g.groupName)).toEqual(['some_group_name']);
});

test('README "Check Token", "Verify Tokens", "Logout"', async () => {
  const first = await signedInBob();
  const u = Cog({ idToken: first.idToken!, refreshToken: first.refreshToken!, accessToken: first.accessToken!, username: 'bob' });
  expect(await u.checkToken()).toBe(false); // still valid: nothing to renew
  await u.verifyTokens();
  await u.logout();
  expect(u.accessToken ?? u.idToken ?? u.refreshToken).toBeUndefined();
  expect(await rejectionOf(Cog({ idToken: first.idToken!, accessToken: first.accessToken! }).getUser())).toMatchObject({
    code: 'NOT_AUTHORIZED',
  });
});

test('README "Associate Software Token", "Verify Software Token", "Set User MFA Preference", "Respond to Software Token MFA challenge"', async () => {
  const u = await signedInBob();
  const secretCode = (await u.associateSoftwareToken()).secretCode;
  expect(await u.verifySoftwareToken(generateTotp(secretCode), 'my phone')).toBe(true);
  await u.setUserMfaPreference(false, true, 'SOFTWARE_TOKEN');

  // Same instance.
  const same = Cog({ username: 'bob' });
  const error = await rejectionOf(same.authenticate(PASSWORD));
  expect(error).toBeInstanceOf(MfaRequiredError);
  await same.respondToSoftwareTokenMfaChallenge(generateTotp(secretCode));

  // "When recreating a Cognito instance".
  let mfaTokens;
  try {
    await Cog({ username: 'bob' }).authenticate(PASSWORD);
  } catch (caught) {
    mfaTokens = (caught as MfaRequiredError).continuation;
  }
  const recreated = Cog({ username: 'bob' });
  await recreated.respondToSoftwareTokenMfaChallenge(generateTotp(secretCode), mfaTokens);
  expect(recreated.accessClaims?.username).toBe('bob');

  await recreated.setUserMfaPreference(false, false); // "Both ... are disabled."
  await Cog({ username: 'bob' }).authenticate(PASSWORD);
});

test('README "Respond to SMS MFA challenge", recreating the instance; "Set User MFA Preference" with SMS', async () => {
  fx.emu.addUser({ username: 'sms', password: PASSWORD, phoneNumber: '+15555550123', mfa: ['SMS_MFA'] });
  let mfaTokens;
  try {
    await Cog({ username: 'sms' }).authenticate(PASSWORD);
  } catch (caught) {
    expect((caught as MfaRequiredError).challengeName).toBe('SMS_MFA');
    mfaTokens = (caught as MfaRequiredError).continuation;
  }
  const u = Cog({ username: 'sms' });
  await u.respondToSmsMfaChallenge(fx.emu.lastCode('sms', 'SMS')!, mfaTokens);
  await u.setUserMfaPreference(true, false, 'SMS');
  expect((await u.getUser()).metadata.preferredMfa).toBe('SMS_MFA');
});

test('authentication doc "New Password Challenge" and "Persistent Session Management"', async () => {
  fx.emu.addUser({ username: 'temp', password: 'Temp0rary-Pass!', forceChangePassword: true });
  const u = Cog({ username: 'temp' });
  try {
    await u.authenticate('Temp0rary-Pass!');
  } catch (error) {
    expect(error).toBeInstanceOf(PasswordChangeRequiredError);
    await u.newPasswordChallenge('Temp0rary-Pass!', NEW_PASSWORD);
  }
  const sessionData = { idToken: u.idToken!, accessToken: u.accessToken!, refreshToken: u.refreshToken! };
  const restored = Cog(sessionData);
  await restored.verifyTokens();
  expect(restored.accessClaims?.username).toBe('temp');
  const forged = Cog({ ...sessionData, accessToken: `${sessionData.accessToken.slice(0, -4)}AAAA` });
  expect(await rejectionOf(forged.verifyTokens())).toBeInstanceOf(TokenVerificationError);
});

test('AWSSRP device docs: NewDeviceMetadata → confirmDevice (default name: host name) → updateDeviceStatus(false) → device sign-in → forgetDevice', async () => {
  const u = await signedInBob();
  expect(u.newDevice).toEqual({ deviceKey: expect.any(String), deviceGroupKey: expect.any(String) });
  const { deviceKey, deviceGroupKey, devicePassword } = await u.confirmDevice();
  expect((await u.getDevice(deviceKey)).name).toBe(hostname());
  await u.updateDeviceStatus(false, deviceKey);
  await u.updateDeviceStatus(true, deviceKey);

  const withDevice = Cog({ username: 'bob', device: { deviceKey, deviceGroupKey, devicePassword } });
  await withDevice.authenticate(PASSWORD);
  expect(withDevice.accessClaims?.device_key).toBe(deviceKey);

  await withDevice.forgetDevice(deviceKey);
  // "Device authentication failed ... Fall back to standard authentication."
  let tokens: Cognito;
  try {
    tokens = Cog({ username: 'bob', device: { deviceKey, deviceGroupKey, devicePassword } });
    await tokens.authenticate(PASSWORD);
  } catch (error) {
    expect((error as CognitoAuthError).code).toBe('DEVICE_NOT_FOUND');
    tokens = Cog({ username: 'bob' });
    await tokens.authenticate(PASSWORD);
  }
  expect(tokens.newDevice?.deviceKey).not.toBe(deviceKey);
});

test('SDK device-and-MFA example: list devices, set up TOTP, prefer it, read the auth factors', async () => {
  const u = await signedInBob();
  await u.confirmDevice('iPhone');
  expect(await u.listDevices()).toHaveLength(1);
  const setup = await u.associateSoftwareToken();
  await u.verifySoftwareToken(generateTotp(setup.secretCode), 'iPhone Authenticator');
  await u.setUserMfaPreference(false, true, 'SOFTWARE_TOKEN');
  const factors = await u.getUserAuthFactors();
  expect(factors.preferredMfa).toBe('SOFTWARE_TOKEN_MFA');
});

test('AWS device guide: "prompt your users to trust a device for 30 days", then require MFA again', async () => {
  await fx.restart({ deviceTracking: 'opt-in', allowTotpReuse: true });
  const totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'bob', password: PASSWORD, totpSecret });
  const u = Cog({ username: 'bob' });
  await rejectionOf(u.authenticate(PASSWORD));
  await u.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  const device = await u.confirmDevice('laptop');
  let now = Date.now();
  const trust = u.deviceTrust(new MemoryTrustStore(), { clock: () => now });
  await trust.trust(device.deviceKey, 30);
  const credentials = { deviceKey: device.deviceKey, deviceGroupKey: device.deviceGroupKey, devicePassword: device.devicePassword };
  await Cog({ username: 'bob', device: credentials }).authenticate(PASSWORD);
  now += 31 * 86_400_000;
  expect((await trust.enforce(device.deviceKey)).status).toBe('expired');
  expect(await rejectionOf(Cog({ username: 'bob', device: credentials }).authenticate(PASSWORD))).toBeInstanceOf(MfaRequiredError);
});
