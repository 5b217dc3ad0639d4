import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { inspect } from 'node:util';
import { Mutex } from 'async-mutex';
import { DeviceStoreError } from '../errors.js';

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

const FILE_VERSION = 1;
const FILE_MODE = 0o600;

interface DeviceFile {
  version: number;
  devices: Record<string, DeviceCredentials>;
}

/**
 * Keeps devices in one JSON file (several users per file), readable only by the owner (mode 0600).
 * Writes are atomic: a temporary file in the same folder is written, fsynced and renamed over the
 * old one, so a crash never leaves half a file. Writes from one process are serialised; separate
 * processes sharing a file get last-writer-wins per whole file.
 */
export class FileDeviceStore implements DeviceStore {
  readonly path: string;
  readonly #writes = new Mutex();

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new DeviceStoreError('FileDeviceStore needs a file path (a non-empty string).');
    }
    this.path = path;
  }

  async load(key: string): Promise<DeviceCredentials | undefined> {
    const file = await this.#read();
    if (file instanceof DeviceStoreError) throw file;
    const found = file.devices[key];
    return found === undefined ? undefined : copyOf(found);
  }

  async save(key: string, credentials: DeviceCredentials): Promise<void> {
    if (!isDeviceCredentials(credentials)) {
      throw new DeviceStoreError('FileDeviceStore.save needs deviceKey, deviceGroupKey and devicePassword.');
    }
    await this.#writes.runExclusive(async () => {
      const file = await this.#readForUpdate();
      file.devices[key] = copyOf(credentials);
      await this.#write(file);
    });
  }

  async delete(key: string): Promise<void> {
    await this.#writes.runExclusive(async () => {
      const file = await this.#readForUpdate();
      if (!(key in file.devices)) return;
      delete file.devices[key];
      await this.#write(file);
    });
  }

  /** A corrupt file is replaced on the next write rather than blocking remembering forever. */
  async #readForUpdate(): Promise<DeviceFile> {
    const file = await this.#read();
    return file instanceof DeviceStoreError ? { version: FILE_VERSION, devices: {} } : file;
  }

  /** Throws when the file cannot be read; returns (not throws) the error when its content is corrupt. */
  async #read(): Promise<DeviceFile | DeviceStoreError> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: FILE_VERSION, devices: {} };
      throw new DeviceStoreError(
        `Cannot read the device file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
    return this.#parse(text);
  }

  #parse(text: string): DeviceFile | DeviceStoreError {
    const corrupt = (why: string): DeviceStoreError =>
      new DeviceStoreError(
        `${this.path} is not a valid device file (${why}); signing in without a remembered device. Delete or fix the file.`,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's message can quote file content (a device password), so it is not passed on.
      return corrupt('not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return corrupt('not a JSON object');
    const { version, devices } = parsed as Record<string, unknown>;
    if (version !== FILE_VERSION) return corrupt('unsupported version');
    if (typeof devices !== 'object' || devices === null || Array.isArray(devices)) {
      return corrupt('"devices" is not an object');
    }
    const out: Record<string, DeviceCredentials> = {};
    for (const [key, value] of Object.entries(devices)) {
      if (!isDeviceCredentials(value)) return corrupt('an entry lacks deviceKey, deviceGroupKey or devicePassword');
      out[key] = copyOf(value);
    }
    return { version: FILE_VERSION, devices: out };
  }

  async #write(file: DeviceFile): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', FILE_MODE);
      try {
        await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
        await handle.chmod(FILE_MODE); // open's mode is masked by the umask
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new DeviceStoreError(
        `Cannot write the device file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
    await syncDirectory(dir);
  }

  [inspect.custom](): string {
    return `FileDeviceStore { path: ${JSON.stringify(this.path)} }`;
  }

  toJSON(): object {
    return { path: this.path };
  }
}

/** Makes the rename durable; not every platform lets a directory be opened, so failures are ignored. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort (Windows, some network file systems)
  }
}
