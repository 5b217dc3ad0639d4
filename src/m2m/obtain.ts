import { createCognitoTransport } from '../auth/cognito-client.js';
import { sdkTransport, type CognitoTransport } from '../auth/cognito-transport.js';
import { CognitoConfigError } from '../errors.js';
import { TokenVerifier } from '../tokens/verifier.js';
import { abortError, isWrongSecret } from './errors.js';
import type { ResolvedClientCredentialsOptions } from './options.js';
import { requestViaApi, requestViaTokenEndpoint, type ClientTokenRequest, type ClientTokenResponse } from './transports.js';
import { checkClientToken } from './verify.js';
import { deadlineSignal, waitUnlessAborted } from '../auth/deadline.js';

/** A verified machine-to-machine access token. */
export interface ClientCredentialsToken {
  /** The JWT to send as `Authorization: Bearer`. */
  accessToken: string;
  /** ms epoch: the token's `exp` (or now + expires_in when it carries none and verification is off). */
  expiresAt: number;
  /** ms epoch: the token's `iat`. */
  issuedAt: number;
  /** The scopes granted (the token's `scope` claim). */
  scopes: string[];
}

export interface ObtainOptions {
  /**
   * Deadline (and cancellation) of the whole: the secret read, the request and the repeat after a rotated secret.
   * Each HTTP request is also bounded by `timeoutMs`.
   */
  signal: AbortSignal;
}

/**
 * Requests machine-to-machine tokens for one app client: one transport and one JWKS cache for its lifetime.
 * Each `obtain()` is exactly one token request (two when a rotated secret is picked up); single flight, caching
 * and retries on throttling are the caller's (the provider's).
 */
export class ClientTokenFetcher {
  readonly #options: ResolvedClientCredentialsOptions;
  readonly #verifier: TokenVerifier | undefined;
  #transport: CognitoTransport | undefined;

  /** `lifetime`: the owner's signal that `close()` aborts (ends a JWKS fetch in progress). */
  constructor(options: ResolvedClientCredentialsOptions, lifetime?: () => AbortSignal) {
    this.#options = options;
    const { verify } = options;
    this.#verifier =
      verify === undefined
        ? undefined
        : new TokenVerifier({
            issuer: verify.issuer,
            clientId: verify.clientId,
            jwksUri: verify.jwksUri,
            timeoutMs: options.timeoutMs,
            ...(lifetime === undefined ? {} : { lifetime }),
            ...(verify.jwks === undefined ? {} : { jwks: verify.jwks }),
          });
    this.#transport = options.cognitoClient === undefined ? undefined : sdkTransport(options.cognitoClient);
  }

  /** The JWKS cache (tests and metrics read `keys.fetches`). */
  get verifier(): TokenVerifier | undefined {
    return this.#verifier;
  }

  /**
   * One token, verified. The secret is read (the function called) for the request; when the server refuses it as
   * invalid_client / NotAuthorizedException, it is read once more and, if it changed (rotated), tried once more.
   * @throws InvalidClientError, InvalidScopeError, UnauthorizedClientError, OAuthRequestError, ThrottledError,
   *   CognitoServiceError, NetworkError (deadline passed), AbortedError, TokenVerificationError, CognitoConfigError
   *   (the secret function returned no string).
   */
  async obtain({ signal }: ObtainOptions): Promise<ClientCredentialsToken> {
    const first = await this.#readSecret(signal);
    let response: ClientTokenResponse;
    try {
      response = await this.#request(first, signal);
    } catch (error) {
      if (!isWrongSecret(error) || typeof this.#options.clientSecret.reveal() !== 'function') throw error;
      const second = await this.#readSecret(signal);
      if (second === first) throw error;
      response = await this.#request(second, signal);
    }
    const now = Date.now();
    const claims = await checkClientToken(response.accessToken, this.#verifier, this.#options.scopes, now);
    return {
      accessToken: response.accessToken,
      expiresAt: Number.isFinite(claims.expiresAt) ? claims.expiresAt : now + response.expiresIn * 1000,
      issuedAt: claims.issuedAt,
      scopes: claims.scopes,
    };
  }

  /** Releases what the transport holds (never a caller's `cognitoClient`). */
  destroy(): void {
    this.#transport?.destroy();
  }

  /** One HTTP request, bounded by `timeoutMs` as well as by the caller's `signal`. */
  #request(clientSecret: string, signal: AbortSignal): Promise<ClientTokenResponse> {
    const { clientId, scopes, tokenEndpoint, region, endpoint, timeoutMs } = this.#options;
    const callSignal = deadlineSignal(timeoutMs, signal);
    const request: ClientTokenRequest = { clientId, clientSecret, scopes, signal: callSignal };
    if (tokenEndpoint !== undefined) return requestViaTokenEndpoint(tokenEndpoint, request);
    this.#transport ??= createCognitoTransport(region, endpoint);
    return requestViaApi(this.#transport, request);
  }

  async #readSecret(signal: AbortSignal): Promise<string> {
    if (signal.aborted) throw abortError(signal);
    const source = this.#options.clientSecret.reveal();
    let secret: unknown;
    try {
      secret = typeof source === 'function' ? await waitUnlessAborted(Promise.resolve(source()), signal) : source;
    } catch (error) {
      if (signal.aborted) throw abortError(signal, error);
      // Not kept as `cause`: a secret store's error may quote what it read.
      const kind = error instanceof Error ? error.name : typeof error;
      throw new CognitoConfigError('clientSecret', `the secret function failed (${kind}).`);
    }
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new CognitoConfigError('clientSecret', 'the secret function returned no non-empty string.');
    }
    return secret;
  }
}


/**
 * One machine-to-machine token, verified: for one-shot use (the CLI). A long-running service uses
 * `CognitoClientCredentialsProvider`, which caches the token and refreshes it before expiry.
 */
export async function obtainClientCredentialsToken(
  options: ResolvedClientCredentialsOptions,
  { signal }: ObtainOptions,
): Promise<ClientCredentialsToken> {
  const fetcher = new ClientTokenFetcher(options);
  try {
    return await fetcher.obtain({ signal });
  } finally {
    fetcher.destroy();
  }
}
