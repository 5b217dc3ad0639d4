import { createHash } from 'node:crypto';
import { SharedFlight } from './shared-flight.js';
import type { TokenCache } from './token-cache.js';
import type { Deadlines, FlightCoordinator, SharedTokens } from './token-lifecycle.js';

/** How long a shared entry is kept: the refresh token outlives the access token (Cognito's default is 30 days). */
const ENTRY_TTL_MS = 30 * 24 * 3600 * 1000;
/** A lock holder that died is replaced after at most this long (or `timeoutMs`, when that is longer). */
const MIN_LOCK_TTL_MS = 5_000;
/** Deadline of each cache call; a slow cache is reported and the process carries on by itself. */
const MAX_CACHE_CALL_MS = 2_000;

export interface FleetOptions<T> {
  cache: TokenCache;
  /** Who the tokens belong to: `kind` plus the parts of the identity (pool, app client, user or scopes, token type). */
  kind: 'srp' | 'm2m';
  identity: readonly string[];
  /** The provider's per-call deadline. */
  timeoutMs: number;
  /** A cache failure the provider recovered from (reported as a `failure` event). */
  onFailure: (error: Error) => void;
  serialize: (tokens: T) => Record<string, unknown>;
  parse: (data: Record<string, unknown>) => T | undefined;
}

/**
 * The cache key of an identity: `<kind>:` and a SHA-256 of its parts, so no user name or scope list is stored in
 * clear beside the (encrypted) entry.
 */
export function fleetKey(kind: string, identity: readonly string[]): string {
  return `${kind}:${createHash('sha256').update(JSON.stringify(identity)).digest('base64url')}`;
}

/**
 * Plugs a `TokenCache` into a provider's `TokenLifecycle`: one sign-in or refresh per token lifetime for every
 * process that shares the cache and the identity. The entry carries the tokens (the refresh token too: the
 * cache encrypts it) and the deadlines the writer computed, so every process refreshes at the same time.
 */
export function fleetTokens<T>(options: FleetOptions<T>): SharedTokens<T> {
  const key = fleetKey(options.kind, options.identity);
  const flight = new SharedFlight({
    cache: options.cache,
    key,
    callTimeoutMs: Math.min(options.timeoutMs, MAX_CACHE_CALL_MS),
    lockTtlMs: Math.max(MIN_LOCK_TTL_MS, options.timeoutMs),
    entryTtlMs: ENTRY_TTL_MS,
    onFailure: options.onFailure,
  });
  const coordinator: FlightCoordinator = {
    run: (params) => flight.run(params),
    async forget(signal) {
      try {
        await flight.forget(signal);
      } catch (error) {
        options.onFailure(error as Error);
      }
    },
  };
  return {
    coordinator,
    serialize: (tokens, deadlines) => JSON.stringify({ v: 1, deadlines, tokens: options.serialize(tokens) }),
    parse: (value) => {
      let data: { v?: unknown; deadlines?: Partial<Deadlines>; tokens?: Record<string, unknown> };
      try {
        data = JSON.parse(value) as typeof data;
      } catch {
        return undefined;
      }
      const deadlines = data?.deadlines;
      if (
        data?.v !== 1 ||
        typeof deadlines?.refreshAt !== 'number' ||
        typeof deadlines.usableUntil !== 'number' ||
        typeof data.tokens !== 'object' ||
        data.tokens === null
      ) {
        return undefined;
      }
      const tokens = options.parse(data.tokens);
      return tokens === undefined ? undefined : { tokens, deadlines: { refreshAt: deadlines.refreshAt, usableUntil: deadlines.usableUntil } };
    },
  };
}
