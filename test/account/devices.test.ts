/** confirmDevice, updateDeviceStatus, forgetDevice, listDevices, getDevice and the admin* device operations. */
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import type { Cognito, ConfirmedDevice } from '../../src/account/index.js';
import { CognitoConfigError, DeviceNotFoundError, MfaRequiredError } from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf } from './helpers.js';

// Several TOTP sign-ins within one 30-second step.
const fx = accountFixture({ deviceTracking: 'opt-in', clientSecret: true, allowTotpReuse: true });
const { account } = fx;
let totpSecret: string;

/** Signs bob in through TOTP MFA on a new device and confirms it as `name`. */
async function confirmNewDevice(name: string): Promise<{ u: Cognito; device: ConfirmedDevice }> {
  const u = account({ username: 'bob' });
  const challenge = await rejectionOf(u.authenticate(PASSWORD));
  expect(challenge).toBeInstanceOf(MfaRequiredError);
  await u.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  expect(u.newDevice?.deviceKey).toEqual(expect.any(String));
  const device = await u.confirmDevice(name);
  return { u, device };
}

beforeEach(() => {
  totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'bob', password: PASSWORD, totpSecret });
});

test('confirmDevice + updateDeviceStatus(true): a later sign-in with the device skips MFA; the device password is never printed', async () => {
  const { u, device } = await confirmNewDevice('laptop');
  expect(device.userConfirmationNecessary).toBe(true);
  expect(device.devicePassword).toEqual(expect.any(String));
  expect(printed(device)).not.toContain(device.devicePassword);
  expect(printed(device)).toContain(device.deviceKey);
  expect(u.deviceKey).toBe(device.deviceKey);
  expect(u.newDevice).toBeUndefined();
  expect(printed(u)).not.toContain(device.devicePassword);
  await u.updateDeviceStatus(true);

  const { deviceKey, deviceGroupKey, devicePassword } = device;
  const later = account({ username: 'bob', device: { deviceKey, deviceGroupKey, devicePassword } });
  await later.authenticate(PASSWORD); // no MfaRequiredError: the remembered device answers DEVICE_SRP_AUTH
  expect(later.accessClaims?.device_key).toBe(deviceKey);
  expect(later.newDevice).toBeUndefined();
});

test('getDevice and listDevices describe the device (name, remembered status, dates)', async () => {
  const { u, device } = await confirmNewDevice('laptop');
  let described = await u.getDevice();
  expect(described).toMatchObject({ deviceKey: device.deviceKey, name: 'laptop', remembered: false });
  expect(described.createdAt).toBeInstanceOf(Date);
  await u.updateDeviceStatus(true, device.deviceKey);
  described = await u.getDevice(device.deviceKey);
  expect(described.remembered).toBe(true);
  const second = await confirmNewDevice('phone');
  const listed = await second.u.listDevices();
  expect(listed.map((d) => d.name).sort()).toEqual(['laptop', 'phone']);
});

test('forgetDevice: the device is gone (DeviceNotFoundError) and signing in with it fails typed', async () => {
  const { u, device } = await confirmNewDevice('laptop');
  await u.updateDeviceStatus(true);
  await u.forgetDevice();
  expect(u.deviceKey).toBeUndefined();
  const { deviceKey, deviceGroupKey, devicePassword } = device;
  const gone = await rejectionOf(account({ username: 'bob', device: { deviceKey, deviceGroupKey, devicePassword } }).authenticate(PASSWORD));
  expect(gone).toBeInstanceOf(DeviceNotFoundError);
  expect(printed(gone)).not.toContain(devicePassword);
});

test('admin device operations: list, get, update status, forget', async () => {
  const { device } = await confirmNewDevice('laptop');
  const admin = account({ username: 'bob' });
  expect((await admin.adminListDevices()).map((d) => d.deviceKey)).toEqual([device.deviceKey]);
  await admin.adminUpdateDeviceStatus(device.deviceKey, true);
  expect((await admin.adminGetDevice(device.deviceKey)).remembered).toBe(true);
  await admin.adminUpdateDeviceStatus(device.deviceKey, false, 'bob');
  expect((await admin.adminGetDevice(device.deviceKey, 'bob')).remembered).toBe(false);
  await admin.adminForgetDevice(device.deviceKey);
  expect(await admin.adminListDevices('bob')).toEqual([]);
  expect(await rejectionOf(admin.adminGetDevice(device.deviceKey))).toBeInstanceOf(DeviceNotFoundError);
});

test('device methods without a device or sign-in are CognitoConfigErrors naming what is missing', async () => {
  const u = account({ username: 'bob' });
  expect(((await rejectionOf(u.confirmDevice())) as CognitoConfigError).option).toBe('device');
  expect(((await rejectionOf(u.getDevice('k'))) as CognitoConfigError).option).toBe('accessToken');
  const signedIn = account({ username: 'bob' });
  await rejectionOf(signedIn.authenticate(PASSWORD));
  await signedIn.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  expect(((await rejectionOf(signedIn.updateDeviceStatus(true))) as CognitoConfigError).option).toBe('deviceKey');
  expect(((await rejectionOf(signedIn.updateDeviceStatus('yes' as unknown as boolean, 'k'))) as CognitoConfigError).option).toBe(
    'remembered',
  );
});
