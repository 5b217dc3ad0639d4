import { DeviceStoreError } from '../errors.js';
import { FileStore, MemoryStore, type FileStoreOptions, type StoreKind } from './keyed-store.js';

export type { FileStoreOptions } from './keyed-store.js';

/** A remembered Cognito device. `devicePassword` is a secret: the store must keep it private. */
export interface DeviceCredentials {
  deviceKey: string;
  deviceGroupKey: string;
  devicePassword: string;
}

/**
 * Where remembered devices live between processes, keyed by `<userPoolId>/<username>`.
 * Implementations reject with a `DeviceStoreError` when they cannot read or write.
 */
export interface DeviceStore {
  load(key: string): Promise<DeviceCredentials | undefined>;
  save(key: string, credentials: DeviceCredentials): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The key a provider uses in its device store. */
export function deviceStoreKey(userPoolId: string, username: string): string {
  return `${userPoolId}/${username}`;
}

export function isDeviceCredentials(value: unknown): value is DeviceCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.deviceKey === 'string' &&
    v.deviceKey.length > 0 &&
    typeof v.deviceGroupKey === 'string' &&
    v.deviceGroupKey.length > 0 &&
    typeof v.devicePassword === 'string' &&
    v.devicePassword.length > 0
  );
}

function copyOf(c: DeviceCredentials): DeviceCredentials {
  return { deviceKey: c.deviceKey, deviceGroupKey: c.deviceGroupKey, devicePassword: c.devicePassword };
}

const DEVICE_KIND: StoreKind<DeviceCredentials> = {
  name: 'devices',
  what: 'device',
  fallback: 'signing in without a remembered device',
  entry: (value) => (isDeviceCredentials(value) ? copyOf(value) : undefined),
  invalidEntry: 'an entry lacks deviceKey, deviceGroupKey or devicePassword',
  required: 'deviceKey, deviceGroupKey and devicePassword',
  error: (message, options) => new DeviceStoreError(message, options),
};

/** Keeps devices in process memory (lost on restart). */
export class MemoryDeviceStore extends MemoryStore<DeviceCredentials> implements DeviceStore {
  constructor() {
    super(DEVICE_KIND);
  }
}

/**
 * Keeps devices in one JSON file (several users per file), readable only by the owner (mode 0600).
 * Writes are atomic: a temporary file in the same folder is written, fsynced and renamed over the
 * old one, so a crash never leaves half a file. Writes from one process are serialised; separate
 * processes sharing a file get last-writer-wins per whole file. The file may be shared with a
 * `FileTokenStore` (each keeps its own section).
 *
 * @example
 * const deviceStore = new FileDeviceStore('/var/lib/billing/cognito-devices.json');
 */
export class FileDeviceStore extends FileStore<DeviceCredentials> implements DeviceStore {
  constructor(path: string, options: FileStoreOptions = {}) {
    super(path, DEVICE_KIND, options);
  }
}
