/** guardDeviceStore / guardTokenStore: any user store gets a deadline on every call. */
import { inspect } from 'node:util';
import { CognitoConfigError, DeviceStoreError, TokenStoreError } from '../../src/errors.js';
import { MemoryDeviceStore, type DeviceStore } from '../../src/tokens/device-store.js';
import { guardDeviceStore, guardTokenStore, withStoreDeadline } from '../../src/tokens/store-deadline.js';
import type { TokenStore } from '../../src/tokens/token-store.js';

const device = { deviceKey: 'eu-west-1_1111', deviceGroupKey: '-grpAbc', devicePassword: 'dev-pass-SECRET-1' };
const session = { refreshToken: 'refresh-SECRET-token', username: 'alice', clientId: 'client1' };

/** A user store whose promises never settle, counting calls. */
function silentStore(): { calls: number; load(): Promise<never>; save(): Promise<never>; delete(): Promise<never> } {
  const store = {
    calls: 0,
    load: () => ((store.calls += 1), new Promise<never>(() => undefined)),
    save: () => ((store.calls += 1), new Promise<never>(() => undefined)),
    delete: () => ((store.calls += 1), new Promise<never>(() => undefined)),
  };
  return store;
}

test('a device store that never answers: every call rejects with a DeviceStoreError naming the operation only', async () => {
  const inner = silentStore();
  const store = guardDeviceStore(inner as unknown as DeviceStore, 50);
  const results = await Promise.allSettled([
    store.load('pool/alice'),
    store.save('pool/alice', device),
    store.delete('pool/alice'),
  ]);
  expect(inner.calls).toBe(3);
  const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : undefined));
  errors.forEach((e) => expect(e).toBeInstanceOf(DeviceStoreError));
  expect(errors.map((e) => e?.message)).toEqual([
    'The device store did not answer within 50 ms (load).',
    'The device store did not answer within 50 ms (save).',
    'The device store did not answer within 50 ms (delete).',
  ]);
});

test('a token store that never answers: TokenStoreError, with no key or token in the message', async () => {
  const store = guardTokenStore(silentStore() as unknown as TokenStore, 50);
  const failure = await store.save('pool/alice', session).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(TokenStoreError);
  expect((failure as TokenStoreError).code).toBe('TOKEN_STORE_ERROR');
  expect((failure as Error).message).not.toContain('alice');
  expect((failure as Error).message).not.toContain(session.refreshToken);
  await expect(store.load('pool/alice')).rejects.toThrow('The token store did not answer within 50 ms (load).');
});

test('answers in time pass through unchanged: values, the store’s own errors, and a synchronous throw', async () => {
  const store = guardDeviceStore(new MemoryDeviceStore(), 1_000);
  await store.save('pool/alice', device);
  expect(await store.load('pool/alice')).toEqual(device);
  const own = new DeviceStoreError('disk full');
  const failing = guardDeviceStore(
    {
      load: () => Promise.reject(own),
      save: () => {
        throw new Error('sync');
      },
      delete: () => Promise.resolve(),
    } as DeviceStore,
    1_000,
  );
  await expect(failing.load('k')).rejects.toBe(own);
  await expect(failing.save('k', device)).rejects.toThrow('sync');
  await expect(failing.delete('k')).resolves.toBeUndefined();
});

test('the guarded store prints like the store it wraps (no secret)', async () => {
  const inner = new MemoryDeviceStore();
  await inner.save('pool/alice', device);
  const store = guardDeviceStore(inner);
  expect(inspect(store)).toBe(inspect(inner));
  expect(JSON.stringify(store)).toBe(JSON.stringify(inner));
  expect(inspect(store)).not.toContain(device.devicePassword);
});

test('a bad timeout is a CognitoConfigError', () => {
  expect(() => guardDeviceStore(new MemoryDeviceStore(), 0)).toThrow(CognitoConfigError);
  expect(() => guardTokenStore(silentStore() as unknown as TokenStore, -1)).toThrow(/tokenStoreTimeoutMs/);
});

test('withStoreDeadline settles with the operation when it is first', async () => {
  await expect(withStoreDeadline(Promise.resolve(7), 1_000, () => new TokenStoreError('late'))).resolves.toBe(7);
  await expect(withStoreDeadline(new Promise(() => undefined), 10, () => new TokenStoreError('late'))).rejects.toThrow('late');
});
