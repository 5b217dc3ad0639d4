import { TokenStoreError } from '../errors.js';
import type { ProviderOperation } from './events.js';
import type { TokenSet } from './token-set.js';
import { isStoredSession, type StoredSession, type TokenStore } from './token-store.js';

/** What a refresh needs: from the tokens in memory, or from the `tokenStore`. */
export interface RefreshSession {
  refreshToken: string;
  /** Cognito's internal user name. */
  username: string;
  deviceKey: string | undefined;
}

type Report = (operation: ProviderOperation, error: unknown, background?: boolean, recovered?: boolean) => Error;

/**
 * The provider's `tokenStore`: the newest refresh token saved after every sign-in and refresh, loaded by a new
 * instance or process to resume with one refresh. A store failure is reported and never fails a sign-in.
 */
export class SessionKeeper {
  readonly #store: TokenStore | undefined;
  readonly #key: string;
  readonly #clientId: string;
  readonly #report: Report;

  constructor(store: TokenStore | undefined, key: string, clientId: string, report: Report) {
    this.#store = store;
    this.#key = key;
    this.#clientId = clientId;
    this.#report = report;
  }

  /** The stored session of this pool, user and app client, if the store has one. */
  async load(): Promise<RefreshSession | undefined> {
    const store = this.#store;
    if (store === undefined) return undefined;
    let stored: StoredSession | undefined;
    try {
      stored = await store.load(this.#key);
    } catch (error) {
      this.#report('tokenStore', asTokenStoreError(error), false, true);
      return undefined;
    }
    if (stored === undefined) return undefined;
    if (!isStoredSession(stored)) {
      const error = new TokenStoreError('The token store returned a session without refreshToken, username or clientId.');
      this.#report('tokenStore', error, false, true);
      return undefined;
    }
    // A refresh token works only with the app client it was issued to.
    if (stored.clientId !== this.#clientId) return undefined;
    return { refreshToken: stored.refreshToken, username: stored.username, deviceKey: stored.deviceKey };
  }

  async save(tokens: TokenSet, background: boolean): Promise<void> {
    const store = this.#store;
    if (store === undefined || tokens.refreshToken === undefined) return;
    const session: StoredSession = {
      refreshToken: tokens.refreshToken,
      username: tokens.username,
      clientId: this.#clientId,
      ...(tokens.deviceKey === undefined ? {} : { deviceKey: tokens.deviceKey }),
    };
    try {
      await store.save(this.#key, session);
    } catch (error) {
      this.#report('tokenStore', asTokenStoreError(error), background);
    }
  }

  /**
   * Deletes the stored session; with `deadToken`, only when that is the one stored (another process may have
   * saved a newer one since).
   */
  async delete(deadToken?: string, background = false): Promise<void> {
    const store = this.#store;
    if (store === undefined) return;
    try {
      if (deadToken !== undefined && (await store.load(this.#key))?.refreshToken !== deadToken) return;
      await store.delete(this.#key);
    } catch (error) {
      this.#report('tokenStore', asTokenStoreError(error), background, deadToken !== undefined);
    }
  }
}

function asTokenStoreError(error: unknown): TokenStoreError {
  return error instanceof TokenStoreError
    ? error
    : new TokenStoreError(`The token store failed: ${(error as Error)?.message ?? 'unknown error'}`, { cause: error });
}
