/**
 * got adapter: hooks for `got.extend` that add the Cognito token.
 *
 * ```ts
 * import got from 'got';
 * import { cognitoGot } from 'cognito-srp-auth/got';
 * const api = got.extend({ prefixUrl: 'https://api.example.com' }, cognitoGot(provider));
 * const orders = await api.get('orders').json();
 * ```
 * Per-request opt-out: `api.get('health', { context: { cognitoAuth: false } })`.
 */
import type { AfterResponseHook, BeforeErrorHook, BeforeRequestHook, ExtendOptions, Options } from 'got' with { 'resolution-mode': 'import' };
import { asAbortSignal } from '../src/http/abortable.js';
import { BearerAuth } from '../src/http/bearer-auth.js';
import { resolveAdapterOptions, type CognitoAdapterOptions } from '../src/http/options.js';
import { originOf } from '../src/http/origin-policy.js';
import { isReplayableBody } from '../src/http/replayable-body.js';
import type { TokenSource } from '../src/tokens/token-source.js';

export type { CognitoAdapterOptions } from '../src/http/options.js';
export type { TokenSource } from '../src/tokens/token-source.js';

/** The `context` keys this adapter reads: `{ cognitoAuth: false }` sends the request without the token. */
export interface CognitoGotContext {
  cognitoAuth?: boolean;
}

/**
 * Per-request bookkeeping, kept in `options.context` under a symbol: got copies `context` onto every
 * redirect hop and keeps it on retries, so all attempts of one request share it. No token is stored in it.
 */
class RequestAuthState {
  /** Origin of the URL the caller asked for (the first hop). */
  readonly requestedOrigin: string | undefined;
  /** Whether the current hop carries a token we set. */
  sentOurs = false;
  retried = false;
  constructor(requestedOrigin: string | undefined) {
    this.requestedOrigin = requestedOrigin;
  }
}

const STATE = Symbol('cognito-srp-auth.got');
type ContextWithState = Record<string | symbol, unknown> & { [STATE]?: RequestAuthState };

/**
 * Returns `{ hooks }` for `got.extend(...)`: `beforeRequest` adds `authorization: Bearer <token>` on every hop
 * to an allowed origin (got runs it for each redirect hop, so the origin is checked per hop; by default only
 * the origin of the URL you asked for gets the token) and takes it off other hops; `afterResponse` turns one
 * 401 into invalidate → fresh token → a single retry when the body can be replayed. A provider failure
 * surfaces as got's `RequestError` with the provider's typed error as `cause`.
 */
export function cognitoGot(provider: TokenSource, options?: CognitoAdapterOptions): ExtendOptions {
  const auth = new BearerAuth(provider, resolveAdapterOptions(options));
  const { header, policy } = auth;

  const addToken: BeforeRequestHook = (request) => {
    const context = request.context as ContextWithState;
    if (context.cognitoAuth === false) return undefined;
    const origin = request.url === undefined ? undefined : originOf(request.url as URL | string);
    let state = context[STATE];
    if (state === undefined) {
      state = new RequestAuthState(origin);
      context[STATE] = state;
    }
    const headers = request.headers;
    const existing = headers[header];
    if (origin === undefined || !policy.allows(origin, state.requestedOrigin)) {
      state.sentOurs = false;
      if (existing !== undefined && auth.isIssued(existing)) delete headers[header];
      return undefined;
    }
    if (existing !== undefined && !auth.isIssued(existing)) {
      state.sentOurs = false;
      return undefined;
    }
    state.sentOurs = true;
    const value = auth.peekValue();
    if (value !== undefined) {
      headers[header] = value;
      return undefined;
    }
    const signal = asAbortSignal(request.signal);
    return auth.value(signal).then((ready) => {
      headers[header] = ready;
    });
  };

  // Not async: the common (non-401) path hands the response straight back, without an extra promise.
  const retryOnce: AfterResponseHook = (response, retryWithMergedOptions) => {
    if (response.statusCode !== 401 || !auth.retryOnUnauthorized) return response;
    const request = response.request.options;
    const state = (request.context as ContextWithState)[STATE];
    if (state === undefined || !state.sentOurs || state.retried || !canReplay(request)) return response;
    const sent = request.headers[header];
    if (typeof sent !== 'string') return response;
    state.retried = true;
    // beforeRequest runs again for the retry and picks the fresh token up.
    return auth
      .valueAfterUnauthorized(sent, asAbortSignal(request.signal))
      .then(() => retryWithMergedOptions({ preserveHooks: true }));
  };

  // got errors carry `options`: take our token out so logging an error does not log it.
  const redactToken: BeforeErrorHook = (error) => {
    const headers = error.options?.headers;
    if (headers !== undefined && auth.isIssued(headers[header])) delete headers[header];
    return error;
  };

  return { hooks: { beforeRequest: [addToken], afterResponse: [retryOnce], beforeError: [redactToken] } };
}

function canReplay(request: Options): boolean {
  return isReplayableBody(request.body) && isReplayableBody(request.json) && isReplayableBody(request.form);
}
