import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DeviceStoreError } from '../../src/errors.js';
import { FileDeviceStore, MemoryDeviceStore, deviceStoreKey } from '../../src/tokens/device-store.js';
import { tempDirFixture } from './helpers.js';

const device = { deviceKey: 'eu-west-1_1111', deviceGroupKey: '-grpAbc', devicePassword: 'dev-pass-SECRET-1' };
const other = { deviceKey: 'eu-west-1_2222', deviceGroupKey: '-grpDef', devicePassword: 'dev-pass-SECRET-2' };

const tmp = tempDirFixture('device-store-');

describe('MemoryDeviceStore', () => {
  test('saves, loads copies and deletes by key', async () => {
    const store = new MemoryDeviceStore();
    const key = deviceStoreKey('eu-west-1_pool', 'alice');
    expect(await store.load(key)).toBeUndefined();
    await store.save(key, device);
    const loaded = await store.load(key);
    expect(loaded).toEqual(device);
    loaded!.devicePassword = 'mutated';
    expect((await store.load(key))?.devicePassword).toBe(device.devicePassword);
    await store.delete(key);
    expect(await store.load(key)).toBeUndefined();
    expect(inspect(store)).not.toContain(device.devicePassword);
  });
});

describe('FileDeviceStore', () => {
  test('a missing file is an empty store', async () => {
    const store = new FileDeviceStore(join(tmp.dir, 'devices.json'));
    expect(await store.load('p/alice')).toBeUndefined();
  });

  test('keeps several users in one file, mode 0600, and survives a new instance', async () => {
    const path = join(tmp.dir, 'devices.json');
    const store = new FileDeviceStore(path);
    await store.save('pool/alice', device);
    await store.save('pool/bob', other);
    const reopened = new FileDeviceStore(path);
    expect(await reopened.load('pool/alice')).toEqual(device);
    expect(await reopened.load('pool/bob')).toEqual(other);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await reopened.delete('pool/alice');
    expect(await store.load('pool/alice')).toBeUndefined();
    expect(await store.load('pool/bob')).toEqual(other);
    // No temporary files are left behind.
    expect(await readdir(tmp.dir)).toEqual(['devices.json']);
  });

  test('concurrent saves from one process all land (writes are serialised)', async () => {
    const path = join(tmp.dir, 'devices.json');
    const store = new FileDeviceStore(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.save(`pool/user${i}`, { ...device, deviceKey: `eu-west-1_${i}` })),
    );
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { devices: Record<string, unknown> };
    expect(Object.keys(parsed.devices)).toHaveLength(20);
  });

  test('a corrupt file is a DeviceStoreError naming the file, without its content; the next save repairs it', async () => {
    const path = join(tmp.dir, 'devices.json');
    await writeFile(path, `{"version":1,"devices":{"pool/alice":{"deviceKey":"k","devicePassword":"${device.devicePassword}"`);
    const store = new FileDeviceStore(path);
    const error = await store.load('pool/alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceStoreError);
    expect((error as DeviceStoreError).code).toBe('DEVICE_STORE_ERROR');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain(device.devicePassword);
    expect(inspect(error)).not.toContain(device.devicePassword);

    await store.save('pool/alice', device);
    expect(await store.load('pool/alice')).toEqual(device);
  });

  test.each([
    ['[1,2]', 'not a JSON object'],
    ['{"version":2,"devices":{}}', 'unsupported version'],
    ['{"version":1,"devices":[]}', '"devices" is not an object'],
    ['{"version":1,"devices":{"k":{"deviceKey":"a"}}}', 'lacks'],
  ])('content %s is reported as corrupt (%s)', async (content, why) => {
    const path = join(tmp.dir, 'devices.json');
    await writeFile(path, content);
    await expect(new FileDeviceStore(path).load('k')).rejects.toThrow(why);
  });

  test('an unreadable path is a DeviceStoreError', async () => {
    const store = new FileDeviceStore(tmp.dir); // a directory, not a file
    await expect(store.load('k')).rejects.toBeInstanceOf(DeviceStoreError);
    await expect(store.save('k', device)).rejects.toBeInstanceOf(DeviceStoreError);
  });

  test('save rejects incomplete credentials and the constructor rejects an empty path', async () => {
    const store = new FileDeviceStore(join(tmp.dir, 'd.json'));
    await expect(store.save('k', { ...device, devicePassword: '' })).rejects.toBeInstanceOf(DeviceStoreError);
    expect(() => new FileDeviceStore('')).toThrow(DeviceStoreError);
    expect(JSON.stringify(store)).toContain('d.json');
  });
});
