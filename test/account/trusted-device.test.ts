/** "Trust this device for N days": DeviceTrust with memory and custom-attribute stores, against the emulator. */
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { DeviceTrust, jsonTrustStore, MemoryTrustStore, type Cognito } from '../../src/account/index.js';
import { CognitoConfigError, MfaRequiredError } from '../../src/errors.js';
import { accountFixture, PASSWORD, rejectionOf } from './helpers.js';

const DAY = 86_400_000;
const fx = accountFixture({ deviceTracking: 'opt-in' });
const { account } = fx;
let totpSecret: string;

beforeEach(() => {
  totpSecret = randomTotpSecret();
  fx.emu.addUser({ username: 'bob', password: PASSWORD, totpSecret });
});

async function signInAndConfirm(): Promise<{ u: Cognito; device: { deviceKey: string; deviceGroupKey: string; devicePassword: string } }> {
  const u = account({ username: 'bob' });
  await rejectionOf(u.authenticate(PASSWORD));
  await u.respondToSoftwareTokenMfaChallenge(generateTotp(totpSecret));
  const { deviceKey, deviceGroupKey, devicePassword } = await u.confirmDevice('laptop');
  return { u, device: { deviceKey, deviceGroupKey, devicePassword } };
}

test('trust for 30 days: MFA is skipped; after the date, enforce() sets the device back to not remembered and MFA is asked again', async () => {
  let now = Date.now();
  const { u, device } = await signInAndConfirm();
  const trust = u.deviceTrust(new MemoryTrustStore(), { clock: () => now });
  const until = await trust.trust(device.deviceKey, 30);
  expect(until.getTime()).toBe(now + 30 * DAY);
  expect((await u.getDevice()).remembered).toBe(true);

  await account({ username: 'bob', device }).authenticate(PASSWORD); // remembered: no MFA
  now += 29 * DAY;
  expect(await trust.enforce(device.deviceKey)).toEqual({ status: 'trusted', trustedUntil: until });

  now += 2 * DAY;
  expect(await trust.enforce(device.deviceKey)).toEqual({ status: 'expired', trustedUntil: until });
  expect((await u.getDevice()).remembered).toBe(false);
  const challenge = await rejectionOf(account({ username: 'bob', device }).authenticate(PASSWORD));
  expect(challenge).toBeInstanceOf(MfaRequiredError);
  expect(await trust.enforce(device.deviceKey)).toEqual({ status: 'unknown' });
});

test('the date can live in a custom attribute of the user (as AWS suggests), read back by another instance', async () => {
  const { u, device } = await signInAndConfirm();
  const now = Date.now();
  await u.deviceTrust(u.trustedDeviceAttributeStore(), { clock: () => now }).trust(device.deviceKey, 60);
  const stored = (await u.getUser()).attribute('custom:trusted_devices');
  expect(JSON.parse(stored!)).toEqual({ [device.deviceKey]: new Date(now + 60 * DAY).toISOString() });

  // A server-side job: admin APIs, 61 days later.
  const job = account({ username: 'bob' });
  const trust = job.deviceTrust(job.trustedDeviceAttributeStore('custom:trusted_devices', { admin: true }), {
    admin: true,
    clock: () => now + 61 * DAY,
  });
  expect((await trust.enforce(device.deviceKey)).status).toBe('expired');
  expect((await job.adminGetDevice(device.deviceKey)).remembered).toBe(false);
  expect(JSON.parse((await job.adminGetUser()).attribute('custom:trusted_devices')!)).toEqual({});
});

test('revoke() ends the trust at once; bad arguments are CognitoConfigErrors', async () => {
  const calls: [string, boolean][] = [];
  const store = new MemoryTrustStore();
  const trust = new DeviceTrust({ store, setRemembered: async (key, remembered) => void calls.push([key, remembered]) });
  await trust.trust('dev-1', 1);
  await trust.revoke('dev-1');
  expect(calls).toEqual([
    ['dev-1', true],
    ['dev-1', false],
  ]);
  expect(await store.get('dev-1')).toBeUndefined();
  expect(((await rejectionOf(trust.trust('dev-1', 0))) as CognitoConfigError).option).toBe('days');
  expect(((await rejectionOf(trust.trust('', 5))) as CognitoConfigError).option).toBe('deviceKey');
  expect(() => new DeviceTrust({ store: {} as never, setRemembered: async () => {} })).toThrow(CognitoConfigError);
});

test('jsonTrustStore tolerates an empty or corrupt text and removes entries', async () => {
  let text: string | undefined = 'not json';
  const store = jsonTrustStore({ read: async () => text, write: async (t) => void (text = t) });
  expect(await store.get('a')).toBeUndefined();
  await store.set('a', Date.UTC(2030, 0, 1));
  expect(await store.get('a')).toBe(Date.UTC(2030, 0, 1));
  await store.delete('a');
  expect(JSON.parse(text)).toEqual({});
});
