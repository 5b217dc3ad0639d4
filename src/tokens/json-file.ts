import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Mutex } from 'async-mutex';
import type { CognitoAuthError, CognitoAuthErrorOptions } from '../errors.js';
import { withStoreDeadline } from './store-deadline.js';
import { removeStaleTempFiles, tempFileFor } from './temp-files.js';

const FILE_VERSION = 1;
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;
/** Opening a FIFO for reading without a writer would wait forever; non-blocking, it returns at once. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

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
 * Calls past their deadline that have not settled yet, per file. File system calls cannot be cancelled:
 * each hung one holds a libuv thread, so while one is stuck on a path, later calls fail at once instead
 * of piling up more.
 */
const stuck = new Map<string, number>();
function markStuck(key: string, late: Promise<unknown>): void {
  stuck.set(key, (stuck.get(key) ?? 0) + 1);
  const release = (): void => {
    const left = (stuck.get(key) ?? 1) - 1;
    if (left === 0) stuck.delete(key);
    else stuck.set(key, left);
  };
  late.then(release, release);
}

/**
 * A JSON file `{ version: 1, <section>: { <key>: entry } }`, readable only by its owner (mode 0600).
 * Writes are atomic: a temporary file in the same folder is written, fsynced and renamed over the old
 * one, so a crash never leaves half a file. Writes in one process are serialised per path; separate
 * processes sharing a file get last-writer-wins per whole file.
 *
 * Every call ends within `timeoutMs` in the section's error. A missing folder is created (mode 0700) on
 * first use, and temporary files left by a killed writer are removed then. Only a regular file is read:
 * a FIFO, device or folder at the path is refused at once instead of waited on.
 */
export class JsonSectionFile<T> {
  readonly path: string;
  readonly #section: JsonFileSection<T>;
  readonly #timeoutMs: number;
  #prepared: Promise<void> | undefined;

  constructor(path: string, section: JsonFileSection<T>, timeoutMs: number) {
    this.path = path;
    this.#section = section;
    this.#timeoutMs = timeoutMs;
  }

  /** @throws the section's error when the file cannot be read or is corrupt. */
  get(key: string): Promise<T | undefined> {
    return this.#withDeadline('read', async () => {
      const file = await this.#read();
      if (!(file instanceof Map)) throw file;
      return file.get(key);
    });
  }

  set(key: string, value: T): Promise<void> {
    return this.#update((entries) => {
      entries.set(key, value);
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.#update((entries) => entries.delete(key));
  }

  /**
   * Runs `work` (after the one-time folder check) within the deadline. `live()` turns false once the
   * caller has been given up on, so work still queued behind a stuck call does not run late.
   */
  #withDeadline<R>(what: 'read' | 'write', work: (live: () => boolean) => Promise<R>): Promise<R> {
    const key = resolve(this.path);
    const { what: kind, error } = this.#section;
    if (stuck.has(key)) {
      return Promise.reject(
        error(
          `The ${kind} file ${this.path} is not answering: an earlier call is still waiting after ${this.#timeoutMs} ms (a hung network share or stuck disk?).`,
        ),
      );
    }
    let abandoned = false;
    const running = this.#prepare().then(() => work(() => !abandoned));
    return withStoreDeadline(running, this.#timeoutMs, () => {
      abandoned = true;
      markStuck(key, running);
      return error(`Cannot ${what} the ${kind} file ${this.path}: no answer within ${this.#timeoutMs} ms.`);
    });
  }

  /** Once per instance: the folder exists (created with mode 0700), and a killed writer's temp files are gone. */
  #prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      const dir = dirname(this.path);
      try {
        await mkdir(dir, { recursive: true, mode: DIRECTORY_MODE });
      } catch (error) {
        this.#prepared = undefined; // try again next call
        throw this.#section.error(
          `Cannot create the folder ${dir} for the ${this.#section.what} file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
          { cause: error },
        );
      }
      await removeStaleTempFiles(this.path);
    })();
    return this.#prepared;
  }

  /** A corrupt file (or section) is replaced on the next write rather than blocking the store forever. */
  #update(change: (entries: Map<string, T>) => boolean): Promise<void> {
    return this.#withDeadline('write', (live) =>
      lockFor(this.path).runExclusive(async () => {
        if (!live()) return; // the caller gave up while an earlier write held the lock
        const text = await this.#readText();
        const whole = text === undefined ? undefined : parseWhole(text);
        const parsed = whole === undefined ? undefined : this.#parseSection(whole);
        const entries = parsed instanceof Map ? parsed : new Map<string, T>();
        if (!change(entries)) return;
        const others = whole !== undefined && typeof whole !== 'string' ? whole : { version: FILE_VERSION };
        if (!live()) return;
        await this.#write({ ...others, version: FILE_VERSION, [this.#section.name]: Object.fromEntries(entries) });
      }),
    );
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
    let handle;
    try {
      handle = await open(this.path, READ_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.#cannot('read', error);
    }
    try {
      if ((await handle.stat()).isFile()) return await handle.readFile('utf8');
    } catch (error) {
      throw this.#cannot('read', error);
    } finally {
      await handle.close().catch(() => undefined);
    }
    throw this.#section.error(
      `Cannot read the ${this.#section.what} file ${this.path}: it is not a regular file (a FIFO, device or folder?).`,
    );
  }

  #cannot(what: 'read' | 'write', error: unknown): CognitoAuthError {
    return this.#section.error(
      `Cannot ${what} the ${this.#section.what} file ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { cause: error },
    );
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
    const temp = tempFileFor(this.path);
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
      throw this.#cannot('write', error);
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
