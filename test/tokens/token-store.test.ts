import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DeviceStoreError, TokenStoreError } from '../../src/errors.js';
import { FileDeviceStore, deviceStoreKey } from '../../src/tokens/device-store.js';
import { FileTokenStore, MemoryTokenStore, type StoredSession } from '../../src/tokens/token-store.js';
import { tempDirFixture } from './helpers.js';

const session: StoredSession = {
  refreshToken: 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.REFRESH-SECRET-1',
  username: 'b3e1c0de-internal',
  clientId: 'client1',
  deviceKey: 'eu-west-1_1111',
};
const other: StoredSession = { refreshToken: 'REFRESH-SECRET-2', username: 'bob', clientId: 'client1' };
const device = { deviceKey: 'eu-west-1_1111', deviceGroupKey: '-grpAbc', devicePassword: 'dev-pass-SECRET-1' };

const tmp = tempDirFixture('token-store-');

describe('MemoryTokenStore', () => {
  test('saves, loads copies and deletes by key; never prints a refresh token', async () => {
    const store = new MemoryTokenStore();
    const key = deviceStoreKey('eu-west-1_pool', 'alice');
    expect(await store.load(key)).toBeUndefined();
    await store.save(key, session);
    const loaded = await store.load(key);
    expect(loaded).toEqual(session);
    loaded!.refreshToken = 'mutated';
    expect((await store.load(key))?.refreshToken).toBe(session.refreshToken);
    expect(inspect(store)).toBe('MemoryTokenStore { sessions: 1 }');
    expect(JSON.stringify(store)).not.toContain(session.refreshToken);
    await store.delete(key);
    expect(await store.load(key)).toBeUndefined();
  });

  test('save rejects an incomplete session with a TokenStoreError', async () => {
    const store = new MemoryTokenStore();
    await expect(store.save('k', { ...session, clientId: '' })).rejects.toBeInstanceOf(TokenStoreError);
  });
});

describe('FileTokenStore', () => {
  test('a missing file is an empty store', async () => {
    expect(await new FileTokenStore(join(tmp.dir, 'session.json')).load('p/alice')).toBeUndefined();
  });

  test('keeps several users in one file, mode 0600, atomically, and survives a new instance', async () => {
    const path = join(tmp.dir, 'session.json');
    const store = new FileTokenStore(path);
    await store.save('pool/alice', session);
    await store.save('pool/bob', other);
    const reopened = new FileTokenStore(path);
    expect(await reopened.load('pool/alice')).toEqual(session);
    expect(await reopened.load('pool/bob')).toEqual(other);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await reopened.delete('pool/alice');
    expect(await store.load('pool/alice')).toBeUndefined();
    expect(await store.load('pool/bob')).toEqual(other);
    expect(await readdir(tmp.dir)).toEqual(['session.json']);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(parsed).toEqual({ version: 1, sessions: { 'pool/bob': other } });
  });

  test('the newest save wins (a rotated refresh token replaces the old one)', async () => {
    const path = join(tmp.dir, 'session.json');
    const store = new FileTokenStore(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.save('pool/alice', { ...session, refreshToken: `R${i}` })),
    );
    expect((await store.load('pool/alice'))?.refreshToken).toBe('R19');
  });

  test('may share one file with a FileDeviceStore: each keeps its own section, no write is lost', async () => {
    const path = join(tmp.dir, 'cognito.json');
    const tokens = new FileTokenStore(path);
    const devices = new FileDeviceStore(path);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => tokens.save(`pool/u${i}`, session)),
      ...Array.from({ length: 10 }, (_, i) => devices.save(`pool/u${i}`, device)),
    ]);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { sessions: object; devices: object };
    expect(Object.keys(parsed.sessions)).toHaveLength(10);
    expect(Object.keys(parsed.devices)).toHaveLength(10);
    await tokens.delete('pool/u0');
    expect(await devices.load('pool/u0')).toEqual(device);
    expect(await tokens.load('pool/u1')).toEqual(session);
  });

  test('a corrupt file is a TokenStoreError naming the file, without its content; the next save repairs it', async () => {
    const path = join(tmp.dir, 'session.json');
    await writeFile(path, `{"version":1,"sessions":{"pool/alice":{"refreshToken":"${session.refreshToken}"`);
    const store = new FileTokenStore(path);
    const error = await store.load('pool/alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as TokenStoreError).code).toBe('TOKEN_STORE_ERROR');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('not JSON');
    expect(inspect(error)).not.toContain(session.refreshToken);
    await store.save('pool/alice', session);
    expect(await store.load('pool/alice')).toEqual(session);
  });

  test('a corrupt sessions section is replaced by the next save; the device section stays', async () => {
    const path = join(tmp.dir, 'cognito.json');
    await writeFile(path, JSON.stringify({ version: 1, sessions: [], devices: { 'pool/alice': device } }));
    const store = new FileTokenStore(path);
    await expect(store.load('pool/alice')).rejects.toThrow('"sessions" is not an object');
    await store.save('pool/alice', session);
    expect(await store.load('pool/alice')).toEqual(session);
    expect(await new FileDeviceStore(path).load('pool/alice')).toEqual(device);
  });

  test.each([
    ['[1,2]', 'not a JSON object'],
    ['{"version":2,"sessions":{}}', 'unsupported version'],
    ['{"version":1,"sessions":"x"}', '"sessions" is not an object'],
    ['{"version":1,"sessions":{"k":{"refreshToken":"r","username":"u"}}}', 'lacks refreshToken, username or clientId'],
    ['{"version":1,"sessions":{"k":{"refreshToken":"r","username":"u","clientId":"c","deviceKey":5}}}', 'lacks'],
  ])('content %s is reported as corrupt (%s)', async (content, why) => {
    const path = join(tmp.dir, 'session.json');
    await writeFile(path, content);
    await expect(new FileTokenStore(path).load('k')).rejects.toThrow(why);
  });

  test('an unreadable path is a TokenStoreError; a device file without sessions is an empty token store', async () => {
    const store = new FileTokenStore(tmp.dir); // a directory, not a file
    await expect(store.load('k')).rejects.toBeInstanceOf(TokenStoreError);
    await expect(store.save('k', session)).rejects.toBeInstanceOf(TokenStoreError);
    const path = join(tmp.dir, 'devices.json');
    await new FileDeviceStore(path).save('pool/alice', device);
    expect(await new FileTokenStore(path).load('pool/alice')).toBeUndefined();
    // and the other way round: the device store still reports its own corrupt section as a DeviceStoreError
    await writeFile(path, JSON.stringify({ version: 1, devices: 'x' }));
    await expect(new FileDeviceStore(path).load('pool/alice')).rejects.toBeInstanceOf(DeviceStoreError);
  });

  test('save rejects an incomplete session; the constructor rejects an empty path; only the path is printed', async () => {
    const store = new FileTokenStore(join(tmp.dir, 's.json'));
    await expect(store.save('k', { ...session, refreshToken: '' })).rejects.toBeInstanceOf(TokenStoreError);
    expect(() => new FileTokenStore('')).toThrow(TokenStoreError);
    await store.save('k', session);
    expect(JSON.stringify(store)).toBe(JSON.stringify({ path: join(tmp.dir, 's.json') }));
    expect(inspect(store)).not.toContain(session.refreshToken);
  });
});
