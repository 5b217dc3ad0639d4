/**
 * fetch adapter: a function with exactly `fetch`'s signature that adds the Cognito token.
 *
 * ```ts
 * import { cognitoFetch } from 'cognito-srp-auth/fetch';
 * const fetch = cognitoFetch(provider);
 * const res = await fetch('https://api.example.com/orders');
 * ```
 */
import { CognitoConfigError } from '../src/errors.js';
import { asAbortSignal } from '../src/http/abortable.js';
import { BearerAuth } from '../src/http/bearer-auth.js';
import { discardBody } from '../src/http/discard-body.js';
import { fetchFollowingRedirects, type RedirectOutcome } from '../src/http/fetch-redirects.js';
import { readHeader, withHeader, type AnyHeaders } from '../src/http/header-list.js';
import { resolveAdapterOptions, type CognitoAdapterOptions } from '../src/http/options.js';
import { originOf } from '../src/http/origin-policy.js';
import { isReplayableBody } from '../src/http/replayable-body.js';
import type { TokenSource } from '../src/tokens/token-source.js';

export type { CognitoAdapterOptions } from '../src/http/options.js';
export type { TokenSource } from '../src/tokens/token-source.js';

declare global {
  interface RequestInit {
    /** cognito-srp-auth: `false` sends this request without the token (and never retries it on 401). */
    cognitoAuth?: boolean;
  }
}

export interface CognitoFetchOptions extends CognitoAdapterOptions {
  /**
   * The fetch to wrap; default `globalThis.fetch` (looked up on each call, so test doubles work). Any fetch
   * that answers `redirect: 'manual'` with the 3xx response itself works (Node's, undici's, node-fetch 2 and 3):
   * the wrapper follows redirects itself for requests that carry the token.
   */
  fetch?: typeof globalThis.fetch;
}

/**
 * Returns `fetch` with Cognito auth: for a request to an allowed origin (by default the origin of the URL
 * it is made to) it sets `authorization: Bearer <token>` unless the caller set that header. Whatever `fetch`
 * runs underneath (the global one, undici's, node-fetch 2 or 3), the wrapper follows redirects itself while
 * they stay on allowed origins and hands the first hop to another origin back to fetch without the token.
 * On a 401 from a hop that carried the token it invalidates the token, waits for the next one and sends
 * the request once more, when the body can be replayed (none, string, bytes, URLSearchParams, Blob,
 * FormData; not a stream or a `Request` that carries a body); a 401 from a hop without it is returned as is.
 * A provider failure rejects with `TypeError('fetch failed')` whose `cause` is the provider's typed error;
 * the caller's `signal` aborts its own wait with the signal's reason, like fetch.
 */
export function cognitoFetch(provider: TokenSource, options?: CognitoFetchOptions): typeof globalThis.fetch {
  const auth = new BearerAuth(provider, resolveAdapterOptions(options, ['fetch']));
  const inner = options?.fetch;
  if (inner !== undefined && typeof inner !== 'function') {
    throw new CognitoConfigError('fetch', 'expected a fetch function (globalThis.fetch, undici.fetch, node-fetch...).');
  }
  const { header, policy } = auth;

  async function fetchWithCognitoAuth(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const send = inner ?? globalThis.fetch;
    if (init?.cognitoAuth === false) return send(input, init);
    const request = isRequestLike(input) ? input : undefined;
    const origin = originOf(request === undefined ? (input as string | URL) : request.url);
    if (origin === undefined || !policy.allows(origin, origin)) return send(input, init);

    const callerHeaders = (init?.headers ?? request?.headers) as AnyHeaders;
    if (readHeader(callerHeaders, header) !== undefined) return send(input, init);

    const signal = asAbortSignal(init?.signal ?? request?.signal);
    let value = auth.peekValue();
    if (value === undefined) value = await tokenOrFetchError(auth.value(signal), signal);

    // We follow redirects ourselves: no fetch implementation can be trusted to drop the token on every
    // origin change (node-fetch keeps it across ports, none drops a custom header).
    const followsRedirects = (init?.redirect ?? request?.redirect ?? 'follow') === 'follow';
    const attempt = async (headerValue: string): Promise<RedirectOutcome> =>
      followsRedirects
        ? fetchFollowingRedirects({ fetch: send, policy, header, requestedOrigin: origin, input, init: { ...init, headers: callerHeaders as RequestInit['headers'] }, value: headerValue })
        : { response: await send(input, { ...init, headers: withHeader(callerHeaders, header, headerValue) as RequestInit['headers'] }), carried: true };

    const { response, carried } = await attempt(value);
    // A 401 from a hop that never saw our token (an SSO page after a redirect) says nothing about the token.
    if (response.status !== 401 || !carried || !auth.retryOnUnauthorized || !canReplay(request, init)) return response;

    discardBody(response.body);
    return (await attempt(await tokenOrFetchError(auth.valueAfterUnauthorized(value, signal), signal))).response;
  }
  return fetchWithCognitoAuth;
}

/** A fetch `Request`, also from another copy of undici (`instanceof` would miss it). */
function isRequestLike(input: unknown): input is Request {
  return (
    input instanceof Request ||
    (typeof input === 'object' && input !== null && !(input instanceof URL) && typeof (input as Request).url === 'string' && typeof (input as Request).headers === 'object')
  );
}

function canReplay(request: Request | undefined, init: RequestInit | undefined): boolean {
  if (init?.body !== undefined && init.body !== null) return isReplayableBody(init.body);
  return request === undefined || request.body === null;
}

/** Provider errors become fetch's usual `TypeError`; an abort keeps the signal's reason, as fetch does. */
async function tokenOrFetchError(value: Promise<string>, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await value;
  } catch (error) {
    if (signal?.aborted === true && error === signal.reason) throw error;
    throw new TypeError('fetch failed: no Cognito token (see cause)', { cause: error });
  }
}
