import { inspect } from 'node:util';
import { DeviceStoreError } from '../errors.js';
import { JsonSectionFile, type JsonFileSection } from './json-file.js';

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

/** Keeps devices in process memory (lost on restart). */
export class MemoryDeviceStore implements DeviceStore {
  readonly #devices = new Map<string, DeviceCredentials>();

  async load(key: string): Promise<DeviceCredentials | undefined> {
    const found = this.#devices.get(key);
    return found === undefined ? undefined : copyOf(found);
  }

  async save(key: string, credentials: DeviceCredentials): Promise<void> {
    this.#devices.set(key, copyOf(credentials));
  }

  async delete(key: string): Promise<void> {
    this.#devices.delete(key);
  }

  [inspect.custom](): string {
    return `MemoryDeviceStore { devices: ${this.#devices.size} }`;
  }

  toJSON(): object {
    return { devices: this.#devices.size };
  }
}

const DEVICE_SECTION: JsonFileSection<DeviceCredentials> = {
  name: 'devices',
  what: 'device',
  fallback: 'signing in without a remembered device',
  entry: (value) => (isDeviceCredentials(value) ? copyOf(value) : undefined),
  invalidEntry: 'an entry lacks deviceKey, deviceGroupKey or devicePassword',
  error: (message, options) => new DeviceStoreError(message, options),
};

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
export class FileDeviceStore implements DeviceStore {
  readonly path: string;
  readonly #file: JsonSectionFile<DeviceCredentials>;

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new DeviceStoreError('FileDeviceStore needs a file path (a non-empty string).');
    }
    this.path = path;
    this.#file = new JsonSectionFile(path, DEVICE_SECTION);
  }

  load(key: string): Promise<DeviceCredentials | undefined> {
    return this.#file.get(key);
  }

  async save(key: string, credentials: DeviceCredentials): Promise<void> {
    if (!isDeviceCredentials(credentials)) {
      throw new DeviceStoreError('FileDeviceStore.save needs deviceKey, deviceGroupKey and devicePassword.');
    }
    await this.#file.set(key, copyOf(credentials));
  }

  delete(key: string): Promise<void> {
    return this.#file.delete(key);
  }

  [inspect.custom](): string {
    return `FileDeviceStore { path: ${JSON.stringify(this.path)} }`;
  }

  toJSON(): object {
    return { path: this.path };
  }
}
