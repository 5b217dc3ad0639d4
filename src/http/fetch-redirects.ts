import type { OriginPolicy } from './origin-policy.js';
import { isReplayableBody } from './replayable-body.js';

/** fetch's own limit (WHATWG fetch: more than 20 redirects is a network error). */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** What fetch drops when a redirect changes origin. */
const CROSS_ORIGIN_STRIPPED = ['authorization', 'proxy-authorization', 'cookie'];

export interface RedirectingSend {
  fetch: typeof globalThis.fetch;
  policy: OriginPolicy;
  header: string;
  requestedOrigin: string;
  input: string | URL | Request;
  /** The caller's init, with `headers` set to the caller's headers (never ours). */
  init: RequestInit;
  /** The header value to send while hops stay on allowed origins. */
  value: string;
}

/**
 * fetch only drops `authorization`, `cookie` and `proxy-authorization` on a cross-origin redirect, so a token
 * in a custom header would follow the redirect. For that case the wrapper follows redirects itself while they
 * stay on allowed origins (adding the header per hop) and hands the first hop to another origin back to fetch
 * without it. Method and body change as fetch changes them (303, and 301/302 after POST, become a body-less
 * GET); a 307/308 whose body cannot be sent again is returned as is.
 */
export async function fetchFollowingRedirects(send: RedirectingSend): Promise<Response> {
  const { policy, header, requestedOrigin, value } = send;
  const request = typeof send.input === 'object' && !(send.input instanceof URL) ? send.input : undefined;
  let input: string | URL | Request = send.input;
  let url = request?.url ?? String(send.input);
  // Later hops are sent as (url, init): carry what they need from a Request.
  let init: RequestInit = {
    ...send.init,
    method: send.init.method ?? request?.method ?? 'GET',
    body: send.init.body ?? request?.body ?? null,
    signal: send.init.signal ?? request?.signal ?? null,
  };
  let origin = requestedOrigin;
  for (let hop = 0; ; hop += 1) {
    const headers = new Headers(init.headers);
    headers.set(header, value);
    const response = await send.fetch(input, hop === 0 ? { ...send.init, headers, redirect: 'manual' } : { ...init, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    if (hop >= MAX_REDIRECTS) {
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects`) });
    }
    const next = new URL(location, url);
    const nextInit = redirectedInit(init, response.status);
    if (nextInit === undefined) return response;
    await response.body?.cancel();
    if (next.origin !== origin) nextInit.headers = withoutCrossOriginHeaders(nextInit.headers);
    if (!policy.allows(next.origin, requestedOrigin)) return send.fetch(next.href, nextInit);
    url = next.href;
    input = url;
    init = nextInit;
    origin = next.origin;
  }
}

function redirectedInit(init: RequestInit, status: number): RequestInit | undefined {
  const method = (init.method ?? 'GET').toUpperCase();
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    const headers = new Headers(init.headers);
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
    return { ...init, method: 'GET', body: null, headers };
  }
  return isReplayableBody(init.body) ? { ...init } : undefined;
}

function withoutCrossOriginHeaders(headers: RequestInit['headers']): Headers {
  const copy = new Headers(headers);
  for (const name of CROSS_ORIGIN_STRIPPED) copy.delete(name);
  return copy;
}
