import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Mutex } from 'async-mutex';
import type { CognitoAuthError, CognitoAuthErrorOptions } from '../errors.js';

const FILE_VERSION = 1;
const FILE_MODE = 0o600;

/** How one store keeps its entries in a shared JSON file. */
export interface JsonFileSection<T> {
  /** The top-level property holding the entries, e.g. `devices`. Other sections in the file are left alone. */
  name: string;
  /** What the file is called in messages, e.g. `device` ("the device file ..."). */
  what: string;
  /** What the provider does when the file is corrupt, e.g. `signing in without a remembered device`. */
  fallback: string;
  /** A clean copy of a valid entry, else `undefined`. */
  entry: (value: unknown) => T | undefined;
  /** Why an invalid entry is invalid, e.g. `an entry lacks deviceKey, deviceGroupKey or devicePassword`. */
  invalidEntry: string;
  /** The store's typed error. */
  error: (message: string, options?: CognitoAuthErrorOptions) => CognitoAuthError;
}

type Sections = Record<string, unknown> & { version: number };

/** One lock per file, so several stores (or instances) on the same path in one process never lose a write. */
const locks = new Map<string, Mutex>();
function lockFor(path: string): Mutex {
  const key = resolve(path);
  let lock = locks.get(key);
  if (lock === undefined) {
    lock = new Mutex();
    locks.set(key, lock);
  }
  return lock;
}

/**
 * A JSON file `{ version: 1, <section>: { <key>: entry } }`, readable only by its owner (mode 0600).
 * Writes are atomic: a temporary file in the same folder is written, fsynced and renamed over the old
 * one, so a crash never leaves half a file. Writes in one process are serialised per path; separate
 * processes sharing a file get last-writer-wins per whole file.
 */
export class JsonSectionFile<T> {
  readonly path: string;
  readonly #section: JsonFileSection<T>;

  constructor(path: string, section: JsonFileSection<T>) {
    this.path = path;
    this.#section = section;
  }

  /** @throws the section's error when the file cannot be read or is corrupt. */
  async get(key: string): Promise<T | undefined> {
    const file = await this.#read();
    if (!(file instanceof Map)) throw file;
    return file.get(key);
  }

  async set(key: string, value: T): Promise<void> {
    await this.#update((entries) => {
      entries.set(key, value);
      return true;
    });
  }

  async delete(key: string): Promise<void> {
    await this.#update((entries) => entries.delete(key));
  }

  /** A corrupt file (or section) is replaced on the next write rather than blocking the store forever. */
  async #update(change: (entries: Map<string, T>) => boolean): Promise<void> {
    await lockFor(this.path).runExclusive(async () => {
      const text = await this.#readText();
      const whole = text === undefined ? undefined : parseWhole(text);
      const parsed = whole === undefined ? undefined : this.#parseSection(whole);
      const entries = parsed instanceof Map ? parsed : new Map<string, T>();
      if (!change(entries)) return;
      const others = whole !== undefined && typeof whole !== 'string' ? whole : { version: FILE_VERSION };
      await this.#write({ ...others, version: FILE_VERSION, [this.#section.name]: Object.fromEntries(entries) });
    });
  }

  /** Throws when the file cannot be read; returns (not throws) the error when its content is corrupt. */
  async #read(): Promise<Map<string, T> | CognitoAuthError> {
    const text = await this.#readText();
    if (text === undefined) return new Map();
    const whole = parseWhole(text);
    if (typeof whole === 'string') return this.#corrupt(whole);
    return this.#parseSection(whole);
  }

  async #readText(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.#section.error(
        `Cannot read the ${this.#section.what} file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
  }

  #parseSection(whole: Sections | string): Map<string, T> | CognitoAuthError {
    if (typeof whole === 'string') return this.#corrupt(whole);
    const { name, entry, invalidEntry } = this.#section;
    const entries = whole[name];
    const out = new Map<string, T>();
    if (entries === undefined) return out;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      return this.#corrupt(`"${name}" is not an object`);
    }
    for (const [key, value] of Object.entries(entries)) {
      const clean = entry(value);
      if (clean === undefined) return this.#corrupt(invalidEntry);
      out.set(key, clean);
    }
    return out;
  }

  #corrupt(why: string): CognitoAuthError {
    const { what, fallback } = this.#section;
    return this.#section.error(
      `${this.path} is not a valid ${what} file (${why}); ${fallback}. Delete or fix the file.`,
    );
  }

  async #write(content: Sections): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', FILE_MODE);
      try {
        await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
        await handle.chmod(FILE_MODE); // open's mode is masked by the umask
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw this.#section.error(
        `Cannot write the ${this.#section.what} file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
    await syncDirectory(dir);
  }
}

/** The file's top-level object, or why it is not one (the parser's own message can quote secrets from the file). */
function parseWhole(text: string): Sections | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  if ((parsed as Record<string, unknown>).version !== FILE_VERSION) return 'unsupported version';
  return parsed as Sections;
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
