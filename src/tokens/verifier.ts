import type { KeyObject } from 'node:crypto';
// Types apart, with resolution-mode: jose is ESM-only, and the CJS declarations must still resolve them.
import type { JSONWebKeySet, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { TokenVerificationError } from '../errors.js';
import { abortError, deadline } from '../auth/deadline.js';
import { claimProblem, importRs256Keys, parseJwt, rs256SignatureValid, type Rs256KeySet } from './jwt-rs256.js';

/** Clock skew tolerated on `exp`/`nbf` between this host and Cognito. */
export const CLOCK_SKEW_SECONDS = 30;
/** After a key id the cached JWKS lacks, the JWKS is fetched again at most this often. */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;
export const JWKS_FETCH_TIMEOUT_MS = 10_000;

/** The parts of a JWT header that select a key. */
export interface KeySelector {
  kid?: string | undefined;
  alg?: string | undefined;
}

/**
 * The pool's signing keys: fetched once (concurrent callers share one request), each imported once as a
 * `KeyObject`, and fetched again for an unknown `kid` at most once per cooldown (Cognito rotates keys rarely; an
 * attacker's made-up `kid` must not turn into a request per token).
 */
export class JwksCache {
  readonly #uri: string;
  readonly #cooldownMs: number;
  #keys: Rs256KeySet | undefined;
  #loading: Promise<Rs256KeySet> | undefined;
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
    if (options.jwks !== undefined) this.#keys = importRs256Keys(options.jwks);
    this.#fixed = options.jwks !== undefined;
  }

  /** The cached key for `kid` without waiting, or undefined when it is not cached (yet). */
  cachedKey(kid: string | undefined): KeyObject | undefined {
    return this.#keys?.keyFor(kid);
  }

  /**
   * The key for `kid`: from the cache, else after loading the JWKS (first use, or an unknown kid once the cooldown
   * has passed); undefined when no RS256 key matches. A failed fetch rejects with a TokenVerificationError.
   */
  async findKey(kid: string | undefined): Promise<KeyObject | undefined> {
    let keys = this.#keys ?? (await this.#load());
    let key = keys.keyFor(kid);
    if (key === undefined && !this.#fixed && Date.now() - this.#lastFetchAt >= this.#cooldownMs) {
      keys = await this.#load();
      key = keys.keyFor(kid);
    }
    return key;
  }

  /** `findKey` for a token header, rejecting with a TokenVerificationError when no key matches. */
  readonly getKey = async (header: KeySelector, _token?: unknown): Promise<KeyObject> => {
    const key = await this.findKey(header.kid);
    if (key === undefined) throw new TokenVerificationError(`ERR_JWKS_NO_MATCHING_KEY: ${noKeyReason(header.kid)}`);
    return key;
  };

  #load(): Promise<Rs256KeySet> {
    this.#loading ??= this.#fetch().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #fetch(): Promise<Rs256KeySet> {
    this.#lastFetchAt = Date.now();
    this.fetches++;
    let body: unknown;
    const { signal, release } = deadline(this.#timeoutMs, this.#lifetime?.());
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
    } finally {
      release();
    }
    const set = body as Partial<JSONWebKeySet> | null;
    if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) {
      throw new TokenVerificationError(`${this.#uri} did not return a JWKS (an object with a "keys" array).`);
    }
    this.#keys = importRs256Keys(set as JSONWebKeySet);
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

  /**
   * Verifies `token` as a Cognito `use` token. With its key cached, the whole check runs synchronously on the
   * calling thread (one RSA verification, no thread-pool hop); only a JWKS load waits.
   */
  async verify(token: string, use: 'access' | 'id'): Promise<JWTPayload> {
    const jwt = parseJwt(token);
    if (typeof jwt === 'string') throw this.#failed(use, `ERR_JWT_INVALID: ${jwt}`);
    const { header, payload } = jwt;
    if (header.alg !== 'RS256') throw this.#failed(use, 'ERR_JOSE_ALG_NOT_ALLOWED: "alg" (Algorithm) Header Parameter value not allowed (RS256 only)');
    if (header.crit !== undefined) throw this.#failed(use, 'ERR_JWS_INVALID: "crit" Header Parameter not supported');
    if (header.b64 !== undefined && header.b64 !== true) throw this.#failed(use, 'ERR_JWS_INVALID: "b64" Header Parameter not supported');
    if (header.kid !== undefined && typeof header.kid !== 'string') throw this.#failed(use, 'ERR_JWS_INVALID: "kid" Header Parameter must be a string');
    const kid = header.kid as string | undefined;
    const key = this.keys.cachedKey(kid) ?? (await this.keys.findKey(kid));
    if (key === undefined) throw this.#failed(use, `ERR_JWKS_NO_MATCHING_KEY: ${noKeyReason(kid)}`);
    if (!rs256SignatureValid(jwt, key)) throw this.#failed(use, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed');
    const problem = claimProblem(payload, {
      issuer: this.#issuer,
      ...(use === 'id' ? { audience: this.#clientId } : {}),
      toleranceSeconds: this.#skew,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (problem !== undefined) throw this.#failed(use, problem);
    if (payload.token_use !== use) {
      throw new TokenVerificationError(`The ${use} token has token_use ${JSON.stringify(payload.token_use)}.`);
    }
    if (use === 'access' && payload.client_id !== this.#clientId) {
      throw new TokenVerificationError('The access token was issued to another app client (client_id differs).');
    }
    if (typeof payload.exp !== 'number') throw new TokenVerificationError(`The ${use} token has no exp claim.`);
    return payload;
  }

  /** Messages name the failed check and never include the token. */
  #failed(use: 'access' | 'id', reason: string): TokenVerificationError {
    return new TokenVerificationError(`The ${use} token failed verification: ${reason}.`);
  }
}

function noKeyReason(kid: string | undefined): string {
  return `no RS256 key in the JWKS matches the key id ${kid === undefined ? '(the token names none)' : JSON.stringify(kid.slice(0, 64))}`;
}
