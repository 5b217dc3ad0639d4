import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { withRetry } from '../auth/retry.js';
import { asError, emitSafely, type FailureEvent, type RetryEvent } from '../tokens/events.js';
import { flightTimeoutMs } from '../tokens/flight-bound.js';
import { fleetTokens } from '../tokens/fleet.js';
import { TokenLifecycle, type ObtainContext, type Obtained, type TokenLifecycleOptions } from '../tokens/token-lifecycle.js';
import type { TokenSource } from '../tokens/token-source.js';
import { clientCredentialsIdentity } from './identity.js';
import { ClientTokenFetcher, type ClientCredentialsToken } from './obtain.js';
import { resolveClientCredentialsOptions, type ResolvedClientCredentialsOptions } from './options.js';
import type { CognitoClientCredentialsOptions } from './types.js';

/** A new machine-to-machine token. Carries no token and no secret. */
export interface ClientTokenEvent {
  /** The scopes granted. */
  scopes: string[];
  /** ms epoch of the token's `exp`. */
  expiresAt: number;
  /** The request ran while the previous token was still being served. */
  background: boolean;
  durationMs: number;
}

export interface CognitoClientCredentialsProviderEvents {
  token: [ClientTokenEvent];
  failure: [FailureEvent];
  retry: [RetryEvent];
}

/**
 * Machine-to-machine access tokens for an app client (OAuth 2.0 client credentials), from the GetClientToken
 * API (sent unsigned: no AWS credentials needed) or from the pool domain's `/oauth2/token` (`tokenEndpoint`).
 *
 * A `TokenSource` like `CognitoTokenProvider`: every adapter takes it. One token request serves all concurrent
 * callers; the token is renewed `refreshBeforeExpirySeconds` before `exp` in the background; with `cache`, one
 * token request per token lifetime serves every process of the fleet. Each request is billed by Cognito.
 *
 * @example
 * const m2m = new CognitoClientCredentialsProvider({ userPoolId, clientId, clientSecret, scopes: ['orders/read'] });
 * const jwt = await m2m.getToken();
 */
export class CognitoClientCredentialsProvider
  extends EventEmitter<CognitoClientCredentialsProviderEvents>
  implements TokenSource
{
  readonly #options: ResolvedClientCredentialsOptions;
  readonly #fetcher: ClientTokenFetcher;
  readonly #lifecycle: TokenLifecycle<ClientCredentialsToken>;

  constructor(options: CognitoClientCredentialsOptions) {
    super();
    const o = resolveClientCredentialsOptions(options);
    this.#options = o;
    this.#lifecycle = new TokenLifecycle<ClientCredentialsToken>({
      tokenOf: (token) => token.accessToken,
      refreshBeforeMs: o.refreshBeforeExpirySeconds * 1000,
      retry: o.retry,
      flightTimeoutMs: flightTimeoutMs(o.timeoutMs, o.retry, 2),
      obtain: (context) => this.#obtain(context),
      ...sharedClientTokens(o, (error) => this.#reportFailure(error, false, true, 'cache')),
    });
    this.#fetcher = new ClientTokenFetcher(o, () => this.#lifecycle.signal);
  }

  /** An access token valid now; requests one when needed (concurrent callers share one request). */
  getToken(): Promise<string> {
    return this.#lifecycle.getToken();
  }

  /** The cached token while it is fresh, else `undefined`. Never starts I/O. */
  peekToken(): string | undefined {
    return this.#lifecycle.peekToken();
  }

  /** The API rejected `token` (401): the next `getToken()` requests a new one, once, however many callers report it. */
  invalidate(token?: string): void {
    this.#lifecycle.invalidate(token);
  }

  /** The current token with its scopes and expiry (fresh, as `getToken()` ensures). Do not log the JWT. */
  async getTokenDetails(): Promise<Readonly<ClientCredentialsToken>> {
    await this.getToken();
    return this.#lifecycle.tokens!;
  }

  /**
   * Aborts a token request in progress (waiting callers get an `AbortedError`); idle keep-alive sockets never hold
   * the process, so it can exit at once. A later `getToken()` starts afresh.
   */
  close(): void {
    this.#lifecycle.close();
    this.#fetcher.destroy();
  }

  async #obtain({ background, signal, stillServing }: ObtainContext<ClientCredentialsToken>): Promise<Obtained<ClientCredentialsToken>> {
    const started = Date.now();
    try {
      const next = await withRetry(this.#options.retry, () => this.#fetcher.obtain({ signal }), {
        onRetry: (info) => emitSafely(this, 'retry', { operation: 'clientToken', ...info } satisfies RetryEvent),
        signal,
      });
      const event: ClientTokenEvent = {
        scopes: next.scopes,
        expiresAt: next.expiresAt,
        background,
        durationMs: Date.now() - started,
      };
      return { next, announce: () => emitSafely(this, 'token', event) };
    } catch (error) {
      throw this.#reportFailure(error, stillServing());
    }
  }

  #reportFailure(error: unknown, background: boolean, recovered = false, operation: 'clientToken' | 'cache' = 'clientToken'): Error {
    const typed = asError(error, operation);
    emitSafely(this, 'failure', { operation, error: typed, background, recovered } satisfies FailureEvent);
    return typed;
  }

  #describe(): Record<string, unknown> {
    const token = this.#lifecycle.tokens;
    return {
      userPoolId: this.#options.userPoolId,
      clientId: this.#options.clientId,
      scopes: this.#options.scopes,
      transport: this.#options.tokenEndpoint === undefined ? 'GetClientToken' : 'tokenEndpoint',
      hasToken: token !== undefined,
      expiresAt: token?.expiresAt,
    };
  }

  toJSON(): Record<string, unknown> {
    return this.#describe();
  }

  [inspect.custom](): string {
    return `CognitoClientCredentialsProvider ${inspect(this.#describe())}`;
  }
}

/** The fleet cache wiring, when `cache` is set: one token request per token lifetime for every process. */
function sharedClientTokens(
  options: ResolvedClientCredentialsOptions,
  onFailure: (error: Error) => void,
): Pick<TokenLifecycleOptions<ClientCredentialsToken>, 'shared'> {
  if (options.cache === undefined) return {};
  return {
    shared: fleetTokens<ClientCredentialsToken>({
      cache: options.cache,
      kind: 'm2m',
      identity: [clientCredentialsIdentity(options)],
      timeoutMs: options.timeoutMs,
      onFailure,
      serialize: (token) => ({ ...token }),
      parse: (data) =>
        typeof data.accessToken === 'string' &&
        typeof data.expiresAt === 'number' &&
        typeof data.issuedAt === 'number' &&
        Array.isArray(data.scopes) &&
        data.scopes.every((scope) => typeof scope === 'string')
          ? { accessToken: data.accessToken, expiresAt: data.expiresAt, issuedAt: data.issuedAt, scopes: data.scopes as string[] }
          : undefined,
    }),
  };
}
