import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomTotpSecret } from '../../src/auth/totp.js';
import { DeviceStoreError, MfaRequiredError } from '../../src/errors.js';
import { FileDeviceStore, MemoryDeviceStore, deviceStoreKey } from '../../src/tokens/device-store.js';
import type { FailureEvent, SignInEvent } from '../../src/tokens/provider.js';
import { PASSWORD, providerFixture, providerFor, tempDirFixture } from './helpers.js';

const fx = providerFixture();
const tmp = tempDirFixture('provider-devices-');

describe('remembered devices', () => {
  test('a device remembered by one provider lets a second instance (same FileDeviceStore) skip MFA', async () => {
    const emu = await fx.start({ deviceTracking: 'always', clientSecret: true });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const path = join(tmp.dir, 'devices.json');

    const first = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new FileDeviceStore(path) });
    const remembered: string[] = [];
    first.on('deviceRemembered', (e) => remembered.push(e.deviceKey));
    await first.getToken();
    expect(emu.calls.ConfirmDevice).toBe(1);
    expect(emu.calls.UpdateDeviceStatus).toBe(0); // "always": no user confirmation needed
    expect(remembered).toHaveLength(1);
    const saved = JSON.parse(await readFile(path, 'utf8')) as { devices: Record<string, { deviceKey: string }> };
    expect(saved.devices[deviceStoreKey(fx.emu.userPoolId, 'svc')]?.deviceKey).toBe(remembered[0]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // Refresh with the device bound to the tokens (DEVICE_KEY is required once the device is confirmed).
    first.invalidate();
    await expect(first.getToken()).resolves.toEqual(expect.any(String));
    expect((await first.getTokens()).deviceKey).toBe(remembered[0]);
    first.close();

    // No TOTP secret here: MFA must be skipped thanks to the device.
    const second = providerFor(emu, { deviceStore: new FileDeviceStore(path) });
    const signIns: SignInEvent[] = [];
    second.on('signIn', (e) => signIns.push(e));
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    expect(signIns[0]?.challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    expect(signIns[0]?.deviceKey).toBe(remembered[0]);
    second.invalidate();
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    second.close();
  });

  test('opt-in pools: UserConfirmationNecessary is answered with UpdateDeviceStatus', async () => {
    const emu = await fx.start({ deviceTracking: 'opt-in' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const store = new MemoryDeviceStore();
    const first = providerFor(emu, { mfa: { totpSecret }, rememberDevice: { name: 'worker-1' }, deviceStore: store });
    await first.getToken();
    expect(emu.calls.UpdateDeviceStatus).toBe(1);
    first.close();
    const second = providerFor(emu, { deviceStore: store });
    await expect(second.getToken()).resolves.toEqual(expect.any(String)); // no MFA configured: device skips it
    second.close();
  });

  test('device credentials given as an option are used', async () => {
    const emu = await fx.start({ deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const store = new MemoryDeviceStore();
    const first = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: store });
    await first.getToken();
    first.close();
    const device = await store.load(deviceStoreKey(fx.emu.userPoolId, 'svc'));
    const second = providerFor(emu, { device: device! });
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    second.close();
  });

  test('a forgotten device is dropped from the store and the sign-in happens once more without it', async () => {
    const emu = await fx.start({ deviceTracking: 'always', allowTotpReuse: true /* two TOTP sign-ins within one step */ });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const path = join(tmp.dir, 'devices.json');
    const key = deviceStoreKey(fx.emu.userPoolId, 'svc');
    const first = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new FileDeviceStore(path) });
    await first.getToken();
    first.close();
    const oldKey = (await new FileDeviceStore(path).load(key))!.deviceKey;
    emu.forgetDevice('svc', oldKey);

    const second = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new FileDeviceStore(path) });
    const forgotten: string[] = [];
    const signIns: SignInEvent[] = [];
    second.on('deviceForgotten', (e) => forgotten.push(e.deviceKey));
    second.on('signIn', (e) => signIns.push(e));
    await expect(second.getToken()).resolves.toEqual(expect.any(String));
    expect(forgotten).toEqual([oldKey]);
    expect(signIns[0]?.challenges).toContain('SOFTWARE_TOKEN_MFA');
    const replacement = await new FileDeviceStore(path).load(key);
    expect(replacement?.deviceKey).toBeDefined();
    expect(replacement?.deviceKey).not.toBe(oldKey); // a new device was remembered in its place
    second.close();
  });

  test('a device forgotten while its tokens live: refresh fails, the device is dropped, sign-in succeeds without it', async () => {
    const emu = await fx.start({ deviceTracking: 'always', allowTotpReuse: true /* two TOTP sign-ins within one step */ });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const store = new MemoryDeviceStore();
    const provider = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: store });
    const token = await provider.getToken();
    const deviceKey = (await provider.getTokens()).deviceKey!;
    const forgotten: string[] = [];
    provider.on('deviceForgotten', (e) => forgotten.push(e.deviceKey));
    emu.forgetDevice('svc', deviceKey);
    provider.invalidate(token);
    await expect(provider.getToken()).resolves.not.toBe(token);
    // Either the refresh names the device as gone (then one sign-in without it), or it only says the
    // refresh token is revoked (then the sign-in with the device hits "Device does not exist." and is
    // repeated once without it). Both end with one new device and no MFA prompt to a human.
    expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
    expect([2, 3]).toContain(emu.calls.InitiateAuth);
    expect(forgotten).toEqual([deviceKey]);
    const replaced = await store.load(deviceStoreKey(fx.emu.userPoolId, 'svc'));
    expect(replaced?.deviceKey).not.toBe(deviceKey);
    expect((await provider.getTokens()).deviceKey).toBe(replaced?.deviceKey);
    provider.close();
  });

  test('a corrupt device file is reported through a failure event and the sign-in continues without a device', async () => {
    const emu = await fx.start({ deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    const path = join(tmp.dir, 'devices.json');
    await writeFile(path, '{ this is not json');
    const provider = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new FileDeviceStore(path) });
    const failures: FailureEvent[] = [];
    provider.on('failure', (e) => failures.push(e));
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(failures[0]?.operation).toBe('deviceStore');
    expect(failures[0]?.error).toBeInstanceOf(DeviceStoreError);
    expect(failures[0]?.error.message).toContain(path);
    // The newly remembered device replaced the corrupt file.
    expect(await new FileDeviceStore(path).load(deviceStoreKey(fx.emu.userPoolId, 'svc'))).toBeDefined();
    provider.close();
  });

  test('a device the store cannot keep is never confirmed with Cognito (no new device at every restart)', async () => {
    const emu = await fx.start({ deviceTracking: 'always' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret });
    // The store's folder cannot be created: a regular file stands where it should be.
    const blocker = join(tmp.dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const path = join(blocker, 'devices.json');
    const provider = providerFor(emu, { mfa: { totpSecret }, rememberDevice: true, deviceStore: new FileDeviceStore(path) });
    const failures: FailureEvent[] = [];
    provider.on('failure', (event) => failures.push(event));
    const remembered: string[] = [];
    provider.on('deviceRemembered', (event) => remembered.push(event.deviceKey));
    await expect(provider.getToken()).resolves.toEqual(expect.any(String));
    expect(emu.calls.ConfirmDevice ?? 0).toBe(0);
    expect(remembered).toEqual([]);
    expect(failures.map((event) => event.operation)).toContain('deviceStore');
    expect(failures.every((event) => event.operation !== 'rememberDevice')).toBe(true);
    provider.close();
  });

  test('without rememberDevice nothing is confirmed, and MFA is still asked next time', async () => {
    const emu = await fx.start({ deviceTracking: 'always' });
    emu.addUser({ username: 'svc', password: PASSWORD, totpSecret: randomTotpSecret() });
    const store = new MemoryDeviceStore();
    const provider = providerFor(emu, { deviceStore: store });
    await expect(provider.getToken()).rejects.toBeInstanceOf(MfaRequiredError);
    expect(emu.calls.ConfirmDevice).toBe(0);
    expect(await store.load(deviceStoreKey(fx.emu.userPoolId, 'svc'))).toBeUndefined();
    provider.close();
  });
});
