import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { CognitoConfigError, TokenCacheError } from '../errors.js';
import type {
  TokenCache,
  TokenCacheCallOptions,
  TokenCacheLock,
  TokenCacheLockOptions,
  TokenCacheSetOptions,
  TokenCacheWaitOptions,
} from '../tokens/token-cache.js';
import { abortableCall, abortedError } from './abortable-call.js';
import { EntryCipher } from './entry-cipher.js';
import { redisCommands, type RedisClientKind, type RedisCommands, type RedisSubscriber } from './redis-client.js';
import { FENCED_EXTEND, FENCED_SET, FENCED_UNLOCK, type LuaScript } from './scripts.js';

export const DEFAULT_KEY_PREFIX = 'cognito-srp-auth:';

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['client', 'encryptionKey', 'keyPrefix', 'onError']);

export interface RedisTokenCacheOptions {
  /**
   * A connected client: ioredis `Redis` or `Cluster`, or node-redis v5+ `createClient()` (after `connect()`).
   * The cache never closes it; it duplicates it once for pub/sub and closes that copy in `close()`.
   */
  client: object;
  /**
   * 32 random bytes, base64 (or a Buffer), that encrypt every entry with AES-256-GCM. Every process of
   * the fleet needs the same key. Make one with `openssl rand -base64 32`.
   */
  encryptionKey: string | Uint8Array;
  /** Prefix of every Redis key and channel this cache uses. Default `cognito-srp-auth:`. */
  keyPrefix?: string;
  /**
   * Told about problems the cache handles itself: an entry that failed decryption (corrupt, moved to
   * another key, or written under another `encryptionKey`) was treated as absent, or the pub/sub
   * connection failed (waiters then poll). Default: `process.emitWarning`.
   */
  onError?: (error: TokenCacheError) => void;
}

interface RedisKeys {
  readonly value: string;
  readonly lock: string;
  readonly channel: string;
}

/**
 * A `TokenCache` on Redis, shared by every process of a fleet.
 *
 * - Keys: `<prefix>{<key>}` holds the encrypted value, `<prefix>{<key>}:lock` the lock's fence, and
 *   `<prefix>{<key>}:changed` is the pub/sub channel; the `{...}` hash tag puts all three in one Cluster slot.
 * - Lock: `SET NX PX` with a random fence; the fenced write and the compare-and-delete unlock are each
 *   one Lua script (EVALSHA, EVAL on NOSCRIPT), and both publish on the channel.
 * - `waitForChange` listens on a second connection duplicated from `client` (opened at the first wait,
 *   closed by `close()`; one PSUBSCRIBE `<prefix>*:changed`). A wait that starts before that subscription
 *   is confirmed also ends when it is (the caller reads again), and every wait ends after `timeoutMs`, so a
 *   lost message costs one poll interval at most.
 * - Every call races the caller's `signal` and rejects with a `TokenCacheError` when it aborts.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisTokenCache } from 'cognito-srp-auth/redis';
 * const cache = new RedisTokenCache({ client: new Redis(process.env.REDIS_URL), encryptionKey: process.env.COGNITO_CACHE_KEY });
 * ```
 */
export class RedisTokenCache implements TokenCache {
  readonly keyPrefix: string;
  readonly #redis: RedisCommands;
  readonly #cipher: EntryCipher;
  readonly #onError: (error: TokenCacheError) => void;
  #subscriber: RedisSubscriber | undefined;
  #subscription: Promise<void> | undefined;
  /** The pattern subscription is confirmed: from now on no write goes unnoticed. */
  #listening = false;
  readonly #waiters = new Map<string, Set<() => void>>();
  #closed = false;

  constructor(options: RedisTokenCacheOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new CognitoConfigError('options', 'must be an object with `client` and `encryptionKey`.');
    }
    for (const key of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(key)) {
        throw new CognitoConfigError(key, `unknown option (check the spelling; known: ${[...KNOWN_OPTIONS].join(', ')}).`);
      }
    }
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new CognitoConfigError('onError', 'must be a function (error: TokenCacheError) => void.');
    }
    this.#redis = redisCommands(options.client);
    this.#cipher = new EntryCipher(options.encryptionKey);
    const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    if (typeof prefix !== 'string') throw new CognitoConfigError('keyPrefix', 'must be a string.');
    this.keyPrefix = prefix;
    this.#onError = options.onError ?? warn;
  }

  /** Which client library was detected. */
  get clientKind(): RedisClientKind {
    return this.#redis.kind;
  }

  async get(key: string, { signal }: TokenCacheCallOptions): Promise<string | undefined> {
    const keys = this.#keys(key);
    const stored = await this.#call('get', signal, ['GET', keys.value], keys.value);
    if (stored === null || stored === undefined) return undefined;
    try {
      return this.#cipher.decrypt(String(stored), keys.value);
    } catch (error) {
      this.#report(
        new TokenCacheError('decrypt', `Token cache entry ${keys.value} was discarded: ${(error as Error).message}.`),
      );
      return undefined;
    }
  }

  async tryLock(key: string, { signal, ttlMs }: TokenCacheLockOptions): Promise<TokenCacheLock | undefined> {
    const keys = this.#keys(key);
    const fence = randomBytes(16).toString('base64url');
    const reply = await this.#call('tryLock', signal, ['SET', keys.lock, fence, 'NX', 'PX', milliseconds(ttlMs, 'ttlMs')], keys.value);
    return reply === 'OK' ? Object.freeze({ key, fence }) : undefined;
  }

  async set(lock: TokenCacheLock, value: string, { signal, ttlMs }: TokenCacheSetOptions): Promise<boolean> {
    const keys = this.#keys(lock.key);
    const sealed = this.#cipher.encrypt(value, keys.value);
    const reply = await this.#script('set', signal, FENCED_SET, [keys.value, keys.lock], [
      lock.fence,
      sealed,
      milliseconds(ttlMs, 'ttlMs'),
      keys.channel,
    ]);
    return Number(reply) === 1;
  }

  async extend(lock: TokenCacheLock, { signal, ttlMs }: TokenCacheLockOptions): Promise<boolean> {
    const keys = this.#keys(lock.key);
    const reply = await this.#script('extend', signal, FENCED_EXTEND, [keys.lock], [lock.fence, milliseconds(ttlMs, 'ttlMs')]);
    return Number(reply) === 1;
  }

  async unlock(lock: TokenCacheLock, { signal }: TokenCacheCallOptions): Promise<void> {
    const keys = this.#keys(lock.key);
    await this.#script('unlock', signal, FENCED_UNLOCK, [keys.lock], [lock.fence, keys.channel]);
  }

  async delete(key: string, { signal }: TokenCacheCallOptions): Promise<void> {
    const keys = this.#keys(key);
    await this.#call('delete', signal, ['DEL', keys.value], keys.value);
  }

  waitForChange(key: string, { signal, timeoutMs }: TokenCacheWaitOptions): Promise<void> {
    const { channel } = this.#keys(key);
    if (signal.aborted) return Promise.reject(abortedError('waitForChange', signal));
    if (this.#closed) return Promise.reject(closedError('waitForChange'));
    return new Promise<void>((resolve, reject) => {
      let waiters = this.#waiters.get(channel);
      if (waiters === undefined) this.#waiters.set(channel, (waiters = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(channel) === waiters) this.#waiters.delete(channel);
      };
      const wake = (): void => {
        done();
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(abortedError('waitForChange', signal));
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs));
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.add(wake);
      const subscription = this.#subscribe();
      // Until the subscription is confirmed, writes go unnoticed: wake once it is, so the caller reads again.
      if (!this.#listening) subscription?.then(wake, () => undefined);
    });
  }

  /** Closes the pub/sub connection and wakes every waiter; the client passed in stays open (it is yours). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscriber?.close();
    this.#subscriber = undefined;
    this.#subscription = undefined;
    this.#listening = false;
    for (const waiters of [...this.#waiters.values()]) for (const wake of [...waiters]) wake();
  }

  toJSON(): Record<string, unknown> {
    return { type: 'RedisTokenCache', client: this.#redis.kind, keyPrefix: this.keyPrefix };
  }

  [inspect.custom](): string {
    return `RedisTokenCache { client: '${this.#redis.kind}', keyPrefix: '${this.keyPrefix}', encryptionKey: [redacted] }`;
  }

  #keys(key: string): RedisKeys {
    if (typeof key !== 'string' || key === '') throw new CognitoConfigError('key', 'must be a non-empty string.');
    // Braces are escaped so the hash tag always spans the whole key (and distinct keys stay distinct).
    const tag = key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const value = `${this.keyPrefix}{${tag}}`;
    return { value, lock: `${value}:lock`, channel: `${value}:changed` };
  }

  #call(operation: string, signal: AbortSignal, args: string[], routingKey: string): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError(operation));
    return abortableCall(operation, signal, () => this.#send(operation, args, routingKey, signal));
  }

  #script(operation: string, signal: AbortSignal, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(closedError(operation));
    const [routingKey = ''] = keys;
    const tail = [String(keys.length), ...keys, ...args];
    return abortableCall(operation, signal, async () => {
      try {
        return await this.#send(operation, ['EVALSHA', script.sha1, ...tail], routingKey, signal);
      } catch (error) {
        if (!/NOSCRIPT/.test(String((error as Error)?.message))) throw error;
        return this.#send(operation, ['EVAL', script.source, ...tail], routingKey, signal);
      }
    });
  }

  async #send(operation: string, args: string[], routingKey: string, signal: AbortSignal): Promise<unknown> {
    // A client still connecting (a fleet's cold start: `new Redis(url)` used at once) is waited for within the
    // call's deadline; the command is sent only once it is ready, never queued in the client.
    if (this.#redis.notReady() !== undefined && this.#redis.connecting()) await this.#ready(signal);
    const state = this.#redis.notReady();
    if (state !== undefined) {
      throw new TokenCacheError(operation, `Token cache ${operation}: the Redis client is not connected (${state}).`);
    }
    return this.#redis.command(args, routingKey, signal);
  }

  #ready(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        off();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const off = this.#redis.onceReady(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * One pattern subscription for every key of this prefix (not one per key): after the first wait of the
   * process, a wait never misses a write for want of a subscription still on its way.
   */
  #subscribe(): Promise<void> | undefined {
    if (this.#subscription !== undefined) return this.#subscription;
    this.#subscriber ??= this.#redis.openSubscriber(
      (channel) => {
        for (const wake of [...(this.#waiters.get(channel) ?? [])]) wake();
      },
      (error) => this.#report(new TokenCacheError('waitForChange', `Token cache pub/sub connection: ${describe(error)}`, { cause: error })),
    );
    const subscription = this.#subscriber.subscribe(`${escapeGlob(this.keyPrefix)}*:changed`);
    this.#subscription = subscription;
    subscription.then(
      () => void (this.#listening = this.#subscription === subscription),
      () => undefined,
    );
    subscription.catch((error: unknown) => {
      // Waiters fall back to polling; the next wait subscribes again.
      if (this.#subscription === subscription) this.#subscription = undefined;
      if (!this.#closed) this.#report(new TokenCacheError('waitForChange', `Token cache subscribe failed: ${describe(error)}`, { cause: error }));
    });
    return subscription;
  }

  #report(error: TokenCacheError): void {
    try {
      this.#onError(error);
    } catch {
      // A throwing hook must not break the cache.
    }
  }
}

function milliseconds(value: number, option: string): string {
  if (!Number.isFinite(value) || value <= 0) throw new CognitoConfigError(option, 'must be a positive number of milliseconds.');
  return String(Math.ceil(value));
}

/** The prefix as a literal in a PSUBSCRIBE pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function closedError(operation: string): TokenCacheError {
  return new TokenCacheError(operation, `Token cache ${operation}: the RedisTokenCache was closed.`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function warn(error: TokenCacheError): void {
  process.emitWarning(error.message, { code: error.code });
}
