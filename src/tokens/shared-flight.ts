/**
 * Fleet coordination: one sign-in or refresh at a time across every process that shares a `TokenCache`
 * and a key, whatever the provider (SRP user tokens, client credentials).
 *
 * A run reads the cache and returns a fresh value without calling `obtain`. Otherwise it takes the lock:
 * the holder reads again (another holder may just have written), calls `obtain` with the fleet's newest
 * value (with refresh-token rotation only the holder ever presents the refresh token), writes the result
 * with the lock's fence *before* unlocking, and returns it. The others wait for a change (pub/sub, polling
 * as the fallback) and read again; a holder that dies loses its lock after `lockTtlMs` and the next process
 * takes over. Any cache failure or timeout is reported to `onFailure` and the run obtains by itself with
 * the last value it knew: a cache outage never fails a run that Cognito can serve, and the next run uses
 * the cache again.
 */
import { AbortedError, CognitoAuthError, CognitoConfigError, TokenCacheError } from '../errors.js';
import type { TokenCache, TokenCacheLock } from './token-cache.js';
import { deadlineSignal } from '../auth/deadline.js';

export interface SharedFlightOptions {
  cache: TokenCache;
  /** The identity whose value the fleet shares (pool, app client, user or scopes, token type). */
  key: string;
  /** Deadline of each cache call (get, tryLock, set, unlock), ms. */
  callTimeoutMs: number;
  /** Lock lifetime, ms: longer than a sign-in or refresh takes; how long the fleet waits for a holder that died. */
  lockTtlMs: number;
  /** How long a written value is kept, ms (the refresh token's lifetime). */
  entryTtlMs: number;
  /** Longest wait for one change notification before reading again (the polling interval), ms. Default 1000. */
  pollIntervalMs?: number;
  /**
   * Longest a run waits for other holders before it obtains by itself (reported to `onFailure`), ms.
   * Default `2 * lockTtlMs + callTimeoutMs`: a dead holder's lock has expired by then.
   */
  maxWaitMs?: number;
  /** A cache failure the run recovered from (it obtained locally, or its result could not be shared). */
  onFailure: (error: Error) => void;
}

export interface SharedFlightRun {
  /** `true` when `value` can be used as it is (its access token is not due). Throwing counts as `false`. */
  isFresh(value: string): boolean;
  /**
   * Signs in or refreshes. `cached` is the fleet's newest value (or, when the cache has none or cannot be
   * reached, the last value this process saw), so a refresh presents the newest refresh token.
   */
  obtain(cached: string | undefined, signal: AbortSignal): Promise<string>;
  /** The caller's signal: aborts every wait and cache call of this run. */
  signal: AbortSignal;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;

export class SharedFlight {
  readonly #cache: TokenCache;
  readonly #key: string;
  readonly #callTimeoutMs: number;
  readonly #lockTtlMs: number;
  readonly #entryTtlMs: number;
  readonly #pollIntervalMs: number;
  readonly #maxWaitMs: number;
  readonly #onFailure: (error: Error) => void;
  /** The newest value this process has seen, for a run that cannot reach the cache. */
  #lastKnown: string | undefined;

  constructor(options: SharedFlightOptions) {
    this.#cache = options.cache;
    this.#key = options.key;
    // All derived from the provider's validated `timeoutMs` (see fleet.ts): nothing here is a user's option.
    this.#callTimeoutMs = options.callTimeoutMs;
    this.#lockTtlMs = options.lockTtlMs;
    this.#entryTtlMs = options.entryTtlMs;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#maxWaitMs = options.maxWaitMs ?? 2 * this.#lockTtlMs + this.#callTimeoutMs;
    this.#onFailure = options.onFailure;
  }

  /** One obtain across the fleet: the cached value when it is fresh, else this process's or another's obtain. */
  async run(run: SharedFlightRun): Promise<string> {
    const { signal } = run;
    const waitUntil = Date.now() + this.#maxWaitMs;
    for (;;) {
      let lock: TokenCacheLock | undefined;
      try {
        const cached = await this.#get(signal);
        if (cached !== undefined && isFresh(run, cached)) return cached;
        lock = await this.#cache.tryLock(this.#key, { ttlMs: this.#lockTtlMs, signal: this.#callSignal(signal) });
      } catch (error) {
        return this.#obtainAlone(run, 'get', error);
      }
      if (lock !== undefined) return this.#obtainHolding(run, lock);

      const left = waitUntil - Date.now();
      if (left <= 0) {
        const error = new TokenCacheError(
          'waitForChange',
          `No process wrote a value within ${this.#maxWaitMs} ms while another held the lock; obtaining in this process.`,
        );
        return this.#obtainAlone(run, 'waitForChange', error);
      }
      const timeoutMs = Math.min(this.#pollIntervalMs, left);
      try {
        await this.#cache.waitForChange(this.#key, { timeoutMs, signal: this.#callSignal(signal, timeoutMs) });
      } catch (error) {
        return this.#obtainAlone(run, 'waitForChange', error);
      }
    }
  }

  async #obtainHolding(run: SharedFlightRun, lock: TokenCacheLock): Promise<string> {
    const { signal } = run;
    let failed = false;
    const report = (operation: string, error: unknown): void => {
      this.#throwIfAborted(signal, error);
      if (!failed) this.#onFailure(asCacheError(operation, error));
      failed = true;
    };
    let newest = this.#lastKnown;
    try {
      const cached = await this.#get(signal);
      if (cached !== undefined) {
        newest = cached;
        if (isFresh(run, cached)) {
          await this.#unlock(lock).catch((error: unknown) => report('unlock', error));
          return cached;
        }
      }
    } catch (error) {
      report('get', error);
    }

    let value: string;
    const renewal = this.#keepLock(lock);
    try {
      value = await run.obtain(newest, signal);
    } catch (error) {
      await this.#unlock(lock).catch(() => undefined);
      throw error;
    } finally {
      renewal.stop();
    }
    this.#lastKnown = value;

    try {
      const written = await this.#cache.set(lock, value, { ttlMs: this.#entryTtlMs, signal: this.#callSignal(signal) });
      if (!written) {
        report(
          'set',
          new TokenCacheError(
            'set',
            `The lock expired before the result was written (its renewals failed, or the sign-in or refresh outlasted ${this.#lockTtlMs} ms, the larger of 5 s and \`timeoutMs\`); another process holds it, the result was not shared.`,
          ),
        );
      }
    } catch (error) {
      // Aborted: report() throws, so the lock is released first.
      if (signal.aborted) await this.#unlock(lock).catch(() => undefined);
      report('set', error);
    }
    await this.#unlock(lock).catch((error: unknown) => report('unlock', error));
    return value;
  }

  /**
   * Renews the lock every third of its lifetime while the holder obtains (when the cache can), so a slow sign-in
   * or refresh is never overtaken by another process presenting the same refresh token, while a holder that died
   * is still replaced within `lockTtlMs`. A renewal that finds the lock lost is reported once.
   */
  #keepLock(lock: TokenCacheLock): { stop(): void } {
    const extend = this.#cache.extend?.bind(this.#cache);
    if (extend === undefined) return { stop: () => undefined };
    let busy = false;
    let stopped = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      extend(lock, { ttlMs: this.#lockTtlMs, signal: deadlineSignal(this.#callTimeoutMs) })
        .then((held) => {
          if (held || stopped) return;
          stopped = true;
          clearInterval(timer);
          this.#onFailure(
            new TokenCacheError('extend', 'The lock expired while this process signed in or refreshed; another process may do the same.'),
          );
        })
        .catch((error: unknown) => {
          // A failed renewal is retried at the next tick; the lock still has up to two thirds of its lifetime.
          if (!stopped) this.#onFailure(asCacheError('extend', error));
        })
        .finally(() => {
          busy = false;
        });
    }, Math.max(1, Math.floor(this.#lockTtlMs / 3)));
    timer.unref();
    return {
      stop: () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  async #obtainAlone(run: SharedFlightRun, operation: string, error: unknown): Promise<string> {
    this.#throwIfAborted(run.signal, error);
    this.#onFailure(asCacheError(operation, error));
    const value = await run.obtain(this.#lastKnown, run.signal);
    this.#lastKnown = value;
    return value;
  }

  /** Signed out: the shared entry goes, and so does the value this process saw last (it is never renewed again). */
  async forget(signal: AbortSignal): Promise<void> {
    this.#lastKnown = undefined;
    await this.#cache.delete(this.#key, { signal: this.#callSignal(signal) });
  }

  async #get(signal: AbortSignal): Promise<string | undefined> {
    const value = await this.#cache.get(this.#key, { signal: this.#callSignal(signal) });
    if (value !== undefined) this.#lastKnown = value;
    return value;
  }

  /**
   * Bounded by the call deadline only, not by the caller's signal: a holder aborted by `close()` or its flight
   * deadline still releases its lock, instead of leaving the fleet waiting `lockTtlMs` for it.
   */
  #unlock(lock: TokenCacheLock): Promise<void> {
    return this.#cache.unlock(lock, { signal: deadlineSignal(this.#callTimeoutMs) });
  }

  /** The caller's signal, also aborted after the call's deadline. */
  #callSignal(signal: AbortSignal, extraMs = 0): AbortSignal {
    return deadlineSignal(this.#callTimeoutMs + extraMs, signal);
  }

  /** A cache call that ended because the caller aborted ends the run: it is not a cache failure. */
  #throwIfAborted(signal: AbortSignal, cause: unknown): void {
    if (signal.aborted) throw new AbortedError('The token request was aborted while it waited for the token cache.', { cause });
  }
}

/** A value `isFresh` cannot read (another version's format) counts as due: the holder obtains and overwrites it. */
function isFresh(run: SharedFlightRun, value: string): boolean {
  try {
    return run.isFresh(value);
  } catch {
    return false;
  }
}

function asCacheError(operation: string, error: unknown): Error {
  if (error instanceof CognitoAuthError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new TokenCacheError(operation, `Token cache ${operation} failed: ${detail}`, { cause: error });
}
