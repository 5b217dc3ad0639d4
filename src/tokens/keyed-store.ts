import { inspect } from 'node:util';
import { CognitoConfigError } from '../errors.js';
import { JsonSectionFile, type JsonFileSection } from './json-file.js';
import { storeTimeoutMs } from './store-deadline.js';

/** What one kind of stored entry is (devices, sessions): its file section, validation and typed error. */
export interface StoreKind<T> extends JsonFileSection<T> {
  /** The fields `save` requires, for its error message, e.g. `deviceKey, deviceGroupKey and devicePassword`. */
  required: string;
}

function accepted<T>(kind: StoreKind<T>, store: string, value: T): T {
  const entry = kind.entry(value);
  if (entry === undefined) throw kind.error(`${store}.save needs ${kind.required}.`);
  return entry;
}

/**
 * Entries in process memory, keyed by `<userPoolId>/<username>`; copies go in and out, so a caller
 * mutating what it saved or loaded never changes the store. Shows only a count when printed.
 */
export class MemoryStore<T> {
  readonly #kind: StoreKind<T>;
  readonly #entries = new Map<string, T>();

  constructor(kind: StoreKind<T>) {
    this.#kind = kind;
  }

  async load(key: string): Promise<T | undefined> {
    const found = this.#entries.get(key);
    return found === undefined ? undefined : this.#kind.entry(found);
  }

  async save(key: string, value: T): Promise<void> {
    this.#entries.set(key, accepted(this.#kind, this.constructor.name, value));
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  [inspect.custom](): string {
    return `${this.constructor.name} { ${this.#kind.name}: ${this.#entries.size} }`;
  }

  toJSON(): object {
    return { [this.#kind.name]: this.#entries.size };
  }
}

/** Options of `FileDeviceStore` and `FileTokenStore`. */
export interface FileStoreOptions {
  /**
   * How long one load, save or delete may take before it fails with the store's typed error (a hung
   * network share, a stuck disk). Default 5000 ms.
   */
  timeoutMs?: number;
}

/**
 * Entries in one section of a JSON file (several users per file), mode 0600, written atomically
 * (temporary file, fsync, rename). Stores of different kinds may share one file. Shows only its path.
 * A missing folder is created (mode 0700) on first use; every call ends within `timeoutMs`.
 */
export class FileStore<T> {
  readonly path: string;
  readonly #kind: StoreKind<T>;
  readonly #file: JsonSectionFile<T>;

  constructor(path: string, kind: StoreKind<T>, options: FileStoreOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw kind.error(`${new.target.name} needs a file path (a non-empty string).`);
    }
    if (typeof options !== 'object' || options === null) {
      throw new CognitoConfigError('options', `${new.target.name} options must be an object such as { timeoutMs: 5000 }.`);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'timeoutMs') throw new CognitoConfigError(key, `unknown ${new.target.name} option (expected timeoutMs).`);
    }
    this.path = path;
    this.#kind = kind;
    this.#file = new JsonSectionFile(path, kind, storeTimeoutMs('timeoutMs', options.timeoutMs));
  }

  load(key: string): Promise<T | undefined> {
    return this.#file.get(key);
  }

  async save(key: string, value: T): Promise<void> {
    await this.#file.set(key, accepted(this.#kind, this.constructor.name, value));
  }

  delete(key: string): Promise<void> {
    return this.#file.delete(key);
  }

  [inspect.custom](): string {
    return `${this.constructor.name} { path: ${JSON.stringify(this.path)} }`;
  }

  toJSON(): object {
    return { path: this.path };
  }
}
