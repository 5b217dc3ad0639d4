/**
 * A store shared by several processes (a fleet) that holds one token set per identity and a lock, so that
 * only one process at a time signs in or refreshes and the others take its result.
 *
 * The provider serialises the token set (refresh token included) to `value`; an implementation must keep
 * it secret at rest (`RedisTokenCache` encrypts it with AES-256-GCM, the key as associated data).
 * Every method honours `signal` and ends by itself: the provider passes a deadline on each call and falls
 * back to its own single flight when the cache fails or is late.
 *
 * `cognito-srp-auth/redis` ships `RedisTokenCache`; other stores (DynamoDB, Memcached) implement this.
 */
export interface TokenCache {
  /** The value last written under `key` (decrypted), or `undefined` when there is none. */
  get(key: string, options: TokenCacheCallOptions): Promise<string | undefined>;
  /**
   * Takes the lock of `key` for `ttlMs` (it expires by itself if the holder dies). `undefined` when
   * another holder has it.
   */
  tryLock(key: string, options: TokenCacheLockOptions): Promise<TokenCacheLock | undefined>;
  /**
   * Writes `value` under `lock.key` only while `lock` is still held (its fence matches), then wakes the
   * processes in `waitForChange`. `false` when the lock was lost (expired and taken by another holder):
   * nothing was written, so a slow holder never overwrites a newer result.
   */
  set(lock: TokenCacheLock, value: string, options: TokenCacheSetOptions): Promise<boolean>;
  /**
   * Optional: extends `lock` to `ttlMs` from now while it is still held by this fence; `false` when it was lost.
   * The holder renews its lock while a slow sign-in or refresh runs, so a short `ttlMs` replaces a dead holder
   * quickly without letting a live one be overtaken (two processes presenting one refresh token). A cache
   * without it gets no renewal.
   */
  extend?(lock: TokenCacheLock, options: TokenCacheLockOptions): Promise<boolean>;
  /** Releases `lock` if it is still held by this fence (compare-and-delete); wakes waiters. */
  unlock(lock: TokenCacheLock, options: TokenCacheCallOptions): Promise<void>;
  /** Deletes the value of `key` (sign-out). */
  delete(key: string, options: TokenCacheCallOptions): Promise<void>;
  /**
   * Resolves when `key` is written or its lock released, or after `timeoutMs` at the latest (the caller then
   * reads again: polling is the fallback for a lost notification). It may also resolve early, e.g. when the
   * implementation has just started listening and may have missed a write; the caller reads again either
   * way. Rejects only when `signal` aborts.
   */
  waitForChange(key: string, options: TokenCacheWaitOptions): Promise<void>;
}

export interface TokenCacheCallOptions {
  /** Aborted at the call's deadline or when the provider closes. */
  signal: AbortSignal;
}

export interface TokenCacheLockOptions extends TokenCacheCallOptions {
  /** How long the lock lives unless released, ms. */
  ttlMs: number;
}

export interface TokenCacheSetOptions extends TokenCacheCallOptions {
  /** How long the value is kept, ms (the refresh token outlives the access token). */
  ttlMs: number;
}

export interface TokenCacheWaitOptions extends TokenCacheCallOptions {
  timeoutMs: number;
}

/** A held lock. `fence` is unique to this acquisition. */
export interface TokenCacheLock {
  readonly key: string;
  readonly fence: string;
}
