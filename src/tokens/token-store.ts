import { TokenStoreError } from '../errors.js';
import { FileStore, MemoryStore, type FileStoreOptions, type StoreKind } from './keyed-store.js';

export type { FileStoreOptions } from './keyed-store.js';

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

const SESSION_KIND: StoreKind<StoredSession> = {
  name: 'sessions',
  what: 'token',
  fallback: 'signing in with the password instead',
  entry: (value) => (isStoredSession(value) ? copyOf(value) : undefined),
  invalidEntry: 'an entry lacks refreshToken, username or clientId',
  required: 'refreshToken, username and clientId',
  error: (message, options) => new TokenStoreError(message, options),
};

/**
 * Keeps sessions in process memory: a new provider instance in the same process resumes; a restart signs in.
 *
 * @example
 * const tokenStore = new MemoryTokenStore();
 * const provider = new CognitoTokenProvider({ ...options, tokenStore });
 */
export class MemoryTokenStore extends MemoryStore<StoredSession> implements TokenStore {
  constructor() {
    super(SESSION_KIND);
  }
}

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
export class FileTokenStore extends FileStore<StoredSession> implements TokenStore {
  constructor(path: string, options: FileStoreOptions = {}) {
    super(path, SESSION_KIND, options);
  }
}
