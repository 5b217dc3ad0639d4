import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
// Types apart, with resolution-mode: jose is ESM-only, and the CJS declarations must still resolve them.
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import { CognitoAuthError, TokenVerificationError } from '../errors.js';
import { abortError, callSignal } from '../auth/deadline.js';

/** Clock skew tolerated on `exp`/`iat` between this host and Cognito. */
export const CLOCK_SKEW_SECONDS = 30;
/** After a key id the cached JWKS lacks, the JWKS is fetched again at most this often. */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;
export const JWKS_FETCH_TIMEOUT_MS = 10_000;

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The pool's signing keys: fetched once (concurrent callers share one request), cached, and fetched
 * again for an unknown `kid` at most once per cooldown (Cognito rotates keys rarely; an attacker's
 * made-up `kid` must not turn into a request per token).
 */
export class JwksCache {
  readonly #uri: string;
  readonly #cooldownMs: number;
  #keys: LocalKeySet | undefined;
  #loading: Promise<LocalKeySet> | undefined;
  readonly #fixed: boolean;
  readonly #timeoutMs: number;
  readonly #lifetime: (() => AbortSignal) | undefined;
  #lastFetchAt = -Infinity;
  /** How many HTTP fetches happened (for tests and metrics). */
  fetches = 0;

  constructor(uri: string, options: JwksCacheOptions = {}) {
    this.#uri = uri;
    this.#timeoutMs = options.timeoutMs ?? JWKS_FETCH_TIMEOUT_MS;
    this.#lifetime = options.lifetime;
    this.#cooldownMs = options.cooldownMs ?? JWKS_REFETCH_COOLDOWN_MS;
    if (options.jwks !== undefined) this.#keys = createLocalJWKSet(options.jwks);
    this.#fixed = options.jwks !== undefined;
  }

  /** A jose key resolver. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = this.#keys ?? (await this.#load());
    try {
      return await keys(header, token);
    } catch (error) {
      const unknownKid = error instanceof joseErrors.JWKSNoMatchingKey;
      if (!unknownKid || this.#fixed || Date.now() - this.#lastFetchAt < this.#cooldownMs) throw error;
      const reloaded = await this.#load();
      return reloaded(header, token);
    }
  };

  #load(): Promise<LocalKeySet> {
    this.#loading ??= this.#fetch().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #fetch(): Promise<LocalKeySet> {
    this.#lastFetchAt = Date.now();
    this.fetches++;
    let body: unknown;
    const signal = callSignal(this.#timeoutMs, this.#lifetime?.());
    try {
      const response = await fetch(this.#uri, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      const ended = abortError(signal, `The JWKS at ${this.#uri}`, this.#timeoutMs);
      if (ended !== undefined) throw ended;
      throw new TokenVerificationError(`Could not fetch the JWKS from ${this.#uri}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const set = body as Partial<JSONWebKeySet> | null;
    if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) {
      throw new TokenVerificationError(`${this.#uri} did not return a JWKS (an object with a "keys" array).`);
    }
    this.#keys = createLocalJWKSet(set as JSONWebKeySet);
    return this.#keys;
  }
}

export interface JwksCacheOptions {
  jwks?: JSONWebKeySet;
  cooldownMs?: number;
  /** Deadline of the JWKS fetch, ms. */
  timeoutMs?: number;
  /** The owner's lifetime: aborting it ends a fetch in progress. */
  lifetime?: () => AbortSignal;
}

export interface TokenVerifierOptions {
  issuer: string;
  clientId: string;
  jwksUri: string;
  jwks?: JSONWebKeySet;
  clockSkewSeconds?: number;
  timeoutMs?: number;
  lifetime?: () => AbortSignal;
}

/** Checks Cognito access and ID tokens: RS256 signature, `iss`, `token_use`, `client_id`/`aud`, `exp`. */
export class TokenVerifier {
  readonly #issuer: string;
  readonly #clientId: string;
  readonly #skew: number;
  readonly keys: JwksCache;

  constructor(options: TokenVerifierOptions) {
    this.#issuer = options.issuer;
    this.#clientId = options.clientId;
    this.#skew = options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
    this.keys = new JwksCache(options.jwksUri, {
      ...(options.jwks === undefined ? {} : { jwks: options.jwks }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.lifetime === undefined ? {} : { lifetime: options.lifetime }),
    });
  }

  async verify(token: string, use: 'access' | 'id'): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys.getKey, {
        issuer: this.#issuer,
        algorithms: ['RS256'],
        clockTolerance: this.#skew,
        ...(use === 'id' ? { audience: this.#clientId } : {}),
      }));
    } catch (error) {
      // Already typed: a verification failure, or a JWKS fetch that timed out or was aborted.
      if (error instanceof CognitoAuthError) throw error;
      throw new TokenVerificationError(`The ${use} token failed verification: ${describe(error)}`, { cause: error });
    }
    if (payload.token_use !== use) {
      throw new TokenVerificationError(`The ${use} token has token_use ${JSON.stringify(payload.token_use)}.`);
    }
    if (use === 'access' && payload.client_id !== this.#clientId) {
      throw new TokenVerificationError('The access token was issued to another app client (client_id differs).');
    }
    if (typeof payload.exp !== 'number') throw new TokenVerificationError(`The ${use} token has no exp claim.`);
    return payload;
  }
}

/** jose messages name the failed check and never include the token. */
function describe(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : 'unknown error';
}
