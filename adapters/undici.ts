/**
 * undici adapter: a dispatcher interceptor that adds the Cognito token to requests for the allowed origins.
 *
 * ```ts
 * import { Agent, interceptors, request } from 'undici';
 * import { cognitoInterceptor } from 'cognito-srp-auth/undici';
 * const dispatcher = new Agent().compose(cognitoInterceptor(provider), interceptors.redirect());
 * await request('https://api.example.com/orders', { dispatcher }); // pins https://api.example.com
 * ```
 * Without `origins`, the token goes only to the origin of the first request dispatched through the
 * interceptor; list `origins` to use one Agent for several APIs. Works with undici 7 and 8 (handler API v2
 * only) and needs no runtime import of undici. Node's global `fetch` uses it too after
 * `setGlobalDispatcher(dispatcher)`. With undici's redirect interceptor, compose it after this one
 * (`compose(cognitoInterceptor(...), interceptors.redirect())`) so every hop comes back through the origin
 * check; in the other order undici strips only `authorization` from cross-origin hops.
 */
import type { Dispatcher } from 'undici';
import { BearerAuth } from '../src/http/bearer-auth.js';
import { readHeader, withHeader, type AnyHeaders } from '../src/http/header-list.js';
import { resolveAdapterOptions, type CognitoAdapterOptions } from '../src/http/options.js';
import { FirstOriginPin, originOf } from '../src/http/origin-policy.js';
import { isReplayableBody } from '../src/http/replayable-body.js';
import { UndiciAuthHandler } from '../src/http/undici-handler.js';
import type { TokenSource } from '../src/tokens/token-source.js';

export type { CognitoAdapterOptions } from '../src/http/options.js';
export type { TokenSource } from '../src/tokens/token-source.js';

/** Options of `cognitoInterceptor`: the common adapter options, with the dispatcher's reading of `origins`. */
export interface CognitoInterceptorOptions extends CognitoAdapterOptions {
  /**
   * Where the token may be sent: full origins (`https://api.example.com:8443`) or RegExps tested against the
   * origin. Default: the origin of the first request dispatched through this interceptor (scheme, host and
   * port), pinned for good. A dispatcher sees every redirect hop (fetch's, and the redirect interceptor's when
   * it is composed inside) as a new request, so "the origin the client is pointed at" is the first one it
   * sees; every other origin (a redirect target, a second API through the same Agent) gets no token. Requests
   * opted out with `cognitoAuth: false` do not pin. List `origins` to use one Agent for several APIs, and
   * with `setGlobalDispatcher`, where any code in the process may send the first request.
   */
  origins?: readonly (string | RegExp)[];
}

/** Per-request opt-out: `request(url, { dispatcher, cognitoAuth: false })`. */
export interface CognitoDispatchOptions {
  /** `false`: send this request without the token (and never retry it on 401). */
  cognitoAuth?: boolean;
}

declare module 'undici' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Dispatcher {
    interface DispatchOptions extends CognitoDispatchOptions {}
  }
}

/**
 * Returns an interceptor for `dispatcher.compose(...)`. On each dispatch to an allowed origin it adds
 * `authorization: Bearer <token>` (unless the request already has that header), and on a 401 it invalidates
 * the token, waits for the provider's next one and sends the request once more when its body can be replayed.
 * A provider failure reaches the caller as the provider's typed error (`fetch` wraps it as `cause`).
 *
 * Without `origins`, the allowed origin is the origin of the first request dispatched through it (one pin per
 * `cognitoInterceptor(...)` call, shared by every dispatcher it is composed into; of two requests dispatched in
 * the same tick, the first one wins). Plain `http:` gets the token only on loopback unless listed.
 */
export function cognitoInterceptor(provider: TokenSource, options?: CognitoInterceptorOptions): Dispatcher.DispatcherComposeInterceptor {
  const auth = new BearerAuth(provider, resolveAdapterOptions(options));
  const { header, policy } = auth;
  const pin = policy.explicit ? undefined : new FirstOriginPin();

  return (dispatch) =>
    function cognitoAuthDispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      if (opts.cognitoAuth === false) return dispatch(opts, handler);
      const existing = readHeader(opts.headers as AnyHeaders, header);
      const origin = opts.origin === undefined ? undefined : originOf(opts.origin);
      if (origin === undefined || !policy.allows(origin, pin?.pin(origin))) {
        // A redirect follower copies the previous hop's headers: take our token back off.
        if (existing !== undefined && auth.isIssued(existing)) {
          const headers = withHeader(opts.headers as AnyHeaders, header, undefined);
          return dispatch({ ...opts, headers: headers as Dispatcher.DispatchOptions['headers'] }, handler);
        }
        return dispatch(opts, handler);
      }
      if (existing !== undefined && !auth.isIssued(existing)) return dispatch(opts, handler);

      const canRetry = auth.retryOnUnauthorized && opts.upgrade == null && isReplayableBody(opts.body);
      const value = auth.peekValue();
      if (value !== undefined && !canRetry) {
        const headers = withHeader(opts.headers as AnyHeaders, header, value);
        return dispatch({ ...opts, headers: headers as Dispatcher.DispatchOptions['headers'] }, handler);
      }
      const attempt = new UndiciAuthHandler(auth, dispatch, opts, handler, canRetry);
      if (value !== undefined) return attempt.send(value);
      attempt.sendWhenReady(auth.value());
      return true;
    };
}
