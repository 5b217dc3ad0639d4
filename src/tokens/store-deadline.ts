import { inspect } from 'node:util';
import { AbortedError, CognitoConfigError, DeviceStoreError, TokenStoreError, type CognitoAuthError } from '../errors.js';
import type { DeviceCredentials, DeviceStore } from './device-store.js';
import type { StoredSession, TokenStore } from './token-store.js';

/** How long one store call (load, save or delete) may take before it fails with the store's typed error. */
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/** The largest delay a Node timer honours (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A store timeout option: a whole number of milliseconds > 0; `undefined` gives the default. */
export function storeTimeoutMs(option: string, value: unknown): number {
  if (value === undefined) return DEFAULT_STORE_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new CognitoConfigError(option, `expected a whole number of milliseconds between 1 and ${MAX_TIMER_MS}.`);
  }
  return value;
}

/**
 * Settles like `operation`, or rejects with `timedOut()` once `timeoutMs` have passed, whichever comes
 * first. The operation itself is not cancelled (a promise cannot be); its late result is ignored.
 * `signal` (the provider's lifetime) ends the wait at once with an `AbortedError` and clears the timer, so a
 * store that never answers does not keep the process alive after `close()`.
 */
export function withStoreDeadline<T>(
  operation: Promise<T>,
  timeoutMs: number,
  timedOut: () => CognitoAuthError,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      settle();
      const reason: unknown = signal?.reason;
      reject(reason instanceof AbortedError ? reason : new AbortedError('The store call was aborted: the provider was closed.'));
    };
    const timer = setTimeout(() => {
      settle();
      reject(timedOut());
    }, timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    operation.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

type Operation = 'load' | 'save' | 'delete';

interface KeyedStore<T> {
  load(key: string): Promise<T | undefined>;
  save(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A store whose every call ends by `timeoutMs`; prints as the store it wraps. */
class DeadlineStore<T> implements KeyedStore<T> {
  readonly #store: KeyedStore<T>;
  readonly #timeoutMs: number;
  readonly #timedOut: (operation: Operation, timeoutMs: number) => CognitoAuthError;
  readonly #lifetime: (() => AbortSignal) | undefined;

  constructor(
    store: KeyedStore<T>,
    timeoutMs: number,
    timedOut: (operation: Operation, timeoutMs: number) => CognitoAuthError,
    lifetime?: () => AbortSignal,
  ) {
    this.#store = store;
    this.#timeoutMs = timeoutMs;
    this.#timedOut = timedOut;
    this.#lifetime = lifetime;
  }

  load(key: string): Promise<T | undefined> {
    return this.#call('load', () => this.#store.load(key));
  }

  save(key: string, value: T): Promise<void> {
    return this.#call('save', () => this.#store.save(key, value));
  }

  delete(key: string): Promise<void> {
    return this.#call('delete', () => this.#store.delete(key));
  }

  #call<R>(operation: Operation, run: () => Promise<R>): Promise<R> {
    // A store that throws synchronously rejects like one that rejects.
    const pending = Promise.resolve().then(run);
    return withStoreDeadline(pending, this.#timeoutMs, () => this.#timedOut(operation, this.#timeoutMs), this.#lifetime?.());
  }

  [inspect.custom](depth: number, options: object): string {
    return inspect(this.#store, { ...options, depth });
  }

  toJSON(): unknown {
    const inner = this.#store as { toJSON?: () => unknown };
    return typeof inner.toJSON === 'function' ? inner.toJSON() : {};
  }
}

/**
 * `store` with a deadline on every call: a `load`, `save` or `delete` that has not settled after
 * `timeoutMs` rejects with a `DeviceStoreError` naming the operation (never the key or a credential).
 *
 * @example
 * const deviceStore = guardDeviceStore(options.deviceStore, 5_000);
 */
export function guardDeviceStore(
  store: DeviceStore,
  timeoutMs: number = DEFAULT_STORE_TIMEOUT_MS,
  lifetime?: () => AbortSignal,
): DeviceStore {
  const ms = storeTimeoutMs('deviceStoreTimeoutMs', timeoutMs);
  return new DeadlineStore<DeviceCredentials>(
    store,
    ms,
    (operation, limit) => new DeviceStoreError(`The device store did not answer within ${limit} ms (${operation}).`),
    lifetime,
  );
}

/**
 * `store` with a deadline on every call: a `load`, `save` or `delete` that has not settled after
 * `timeoutMs` rejects with a `TokenStoreError` naming the operation (never the key or a token).
 *
 * @example
 * const tokenStore = guardTokenStore(options.tokenStore, 5_000);
 */
export function guardTokenStore(
  store: TokenStore,
  timeoutMs: number = DEFAULT_STORE_TIMEOUT_MS,
  lifetime?: () => AbortSignal,
): TokenStore {
  const ms = storeTimeoutMs('tokenStoreTimeoutMs', timeoutMs);
  return new DeadlineStore<StoredSession>(
    store,
    ms,
    (operation, limit) => new TokenStoreError(`The token store did not answer within ${limit} ms (${operation}).`),
    lifetime,
  );
}
