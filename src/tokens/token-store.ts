import { inspect } from 'node:util';
import { TokenStoreError } from '../errors.js';
import { JsonSectionFile, type JsonFileSection } from './json-file.js';

/**
 * What a later process needs to resume a session without the password: the newest refresh token and
 * what the refresh must carry. The refresh token is a secret: whoever reads it can act as the user
 * until it expires or is revoked.
 */
export interface StoredSession {
  /** The newest refresh token (after rotation, the rotated one). */
  refreshToken: string;
  /** Cognito's internal user name (REFRESH_TOKEN_AUTH computes SECRET_HASH over it). */
  username: string;
  /** The app client the refresh token was issued to; a provider ignores a session of another client. */
  clientId: string;
  /** The confirmed device the refresh token is bound to (sent as DEVICE_KEY). */
  deviceKey?: string;
}

/**
 * Where the provider keeps its session between processes, keyed like the device store
 * (`<userPoolId>/<username>`, see `deviceStoreKey`). Implementations reject with a `TokenStoreError`
 * when they cannot read or write.
 */
export interface TokenStore {
  load(key: string): Promise<StoredSession | undefined>;
  save(key: string, session: StoredSession): Promise<void>;
  delete(key: string): Promise<void>;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    nonEmpty(v.refreshToken) &&
    nonEmpty(v.username) &&
    nonEmpty(v.clientId) &&
    (v.deviceKey === undefined || nonEmpty(v.deviceKey))
  );
}

function copyOf(s: StoredSession): StoredSession {
  return {
    refreshToken: s.refreshToken,
    username: s.username,
    clientId: s.clientId,
    ...(s.deviceKey === undefined ? {} : { deviceKey: s.deviceKey }),
  };
}

/**
 * Keeps sessions in process memory: a new provider instance in the same process resumes; a restart signs in.
 *
 * @example
 * const tokenStore = new MemoryTokenStore();
 * const provider = new CognitoTokenProvider({ ...options, tokenStore });
 */
export class MemoryTokenStore implements TokenStore {
  readonly #sessions = new Map<string, StoredSession>();

  async load(key: string): Promise<StoredSession | undefined> {
    const found = this.#sessions.get(key);
    return found === undefined ? undefined : copyOf(found);
  }

  async save(key: string, session: StoredSession): Promise<void> {
    if (!isStoredSession(session)) {
      throw new TokenStoreError('MemoryTokenStore.save needs refreshToken, username and clientId.');
    }
    this.#sessions.set(key, copyOf(session));
  }

  async delete(key: string): Promise<void> {
    this.#sessions.delete(key);
  }

  [inspect.custom](): string {
    return `MemoryTokenStore { sessions: ${this.#sessions.size} }`;
  }

  toJSON(): object {
    return { sessions: this.#sessions.size };
  }
}

const SESSION_SECTION: JsonFileSection<StoredSession> = {
  name: 'sessions',
  what: 'token',
  fallback: 'signing in with the password instead',
  entry: (value) => (isStoredSession(value) ? copyOf(value) : undefined),
  invalidEntry: 'an entry lacks refreshToken, username or clientId',
  error: (message, options) => new TokenStoreError(message, options),
};

/**
 * Keeps sessions in one JSON file (several users per file), readable only by the owner (mode 0600),
 * written atomically (temporary file, fsync, rename). The file holds refresh tokens: put it only on
 * storage you trust. It may be the same file as a `FileDeviceStore`'s (each keeps its own section).
 *
 * @example
 * const provider = new CognitoTokenProvider({
 *   ...options,
 *   tokenStore: new FileTokenStore('/var/lib/billing/cognito-session.json'),
 * });
 */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #file: JsonSectionFile<StoredSession>;

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new TokenStoreError('FileTokenStore needs a file path (a non-empty string).');
    }
    this.path = path;
    this.#file = new JsonSectionFile(path, SESSION_SECTION);
  }

  load(key: string): Promise<StoredSession | undefined> {
    return this.#file.get(key);
  }

  async save(key: string, session: StoredSession): Promise<void> {
    if (!isStoredSession(session)) {
      throw new TokenStoreError('FileTokenStore.save needs refreshToken, username and clientId.');
    }
    await this.#file.set(key, copyOf(session));
  }

  delete(key: string): Promise<void> {
    return this.#file.delete(key);
  }

  [inspect.custom](): string {
    return `FileTokenStore { path: ${JSON.stringify(this.path)} }`;
  }

  toJSON(): object {
    return { path: this.path };
  }
}
