import { discardBody } from './discard-body.js';
import { withHeader, type AnyHeaders } from './header-list.js';
import type { OriginPolicy } from './origin-policy.js';
import { isReplayableBody } from './replayable-body.js';

/** fetch's own limit (WHATWG fetch: more than 20 redirects is a network error). */
export const MAX_REDIRECTS = 20;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** What fetch drops when a redirect changes origin (we follow with `redirect: 'manual'`, so we drop them). */
export const CROSS_ORIGIN_STRIPPED = ['authorization', 'proxy-authorization', 'cookie'] as const;
/** Headers that describe a body: dropped when a redirect turns the request into a body-less GET. */
export const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'] as const;

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

export interface RedirectOutcome {
  response: Response;
  /** Whether the hop that produced `response` carried our header (only then may a 401 trigger a refresh). */
  carried: boolean;
}

/**
 * Sends a request that carries our token, following redirects itself (`redirect: 'manual'`) instead of
 * trusting the fetch implementation underneath: node-fetch drops `authorization` only when the host name
 * changes (not the port), and no fetch drops a custom header. Hops on allowed origins get the header; the
 * first hop to another origin is handed back to fetch without it (and without `authorization`, `cookie`,
 * `proxy-authorization`, as fetch does), to follow as it likes. Method and body change as fetch changes
 * them (303, and 301/302 after POST, become a body-less GET); a 307/308 whose body cannot be sent again is
 * returned as is. Needs a fetch that answers `redirect: 'manual'` with the 3xx response itself, as Node's
 * fetch, undici's and node-fetch do.
 */
export async function fetchFollowingRedirects(send: RedirectingSend): Promise<RedirectOutcome> {
  const { policy, header, requestedOrigin, value } = send;
  const firstHeaders = withHeader(send.init.headers as AnyHeaders, header, value) as RequestInit['headers'];
  let response = await send.fetch(send.input, { ...send.init, headers: firstHeaders, redirect: 'manual' });
  if (!isRedirect(response)) return { response, carried: true };
  // A redirect (rare): later hops are sent as (url, init), so carry what they need from a Request.
  const request = typeof send.input === 'object' && !(send.input instanceof URL) ? send.input : undefined;
  let url = request?.url ?? String(send.input);
  let init: RequestInit = {
    ...send.init,
    method: send.init.method ?? request?.method ?? 'GET',
    body: send.init.body ?? request?.body ?? null,
    signal: send.init.signal ?? request?.signal ?? null,
  };
  let origin = requestedOrigin;
  for (let followed = 0; ; followed += 1) {
    if (followed >= MAX_REDIRECTS) {
      discardBody(response.body);
      throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects`) });
    }
    const next = new URL(response.headers.get('location')!, url);
    const nextInit = redirectedInit(init, response.status);
    if (nextInit === undefined) return { response, carried: true };
    discardBody(response.body);
    if (next.origin !== origin) nextInit.headers = withoutCrossOriginHeaders(nextInit.headers);
    if (!policy.allows(next.origin, requestedOrigin)) {
      return { response: await send.fetch(next.href, { ...nextInit, redirect: send.init.redirect ?? 'follow' }), carried: false };
    }
    url = next.href;
    init = nextInit;
    origin = next.origin;
    const headers = new Headers(init.headers);
    headers.set(header, value);
    response = await send.fetch(url, { ...init, headers, redirect: 'manual' });
    if (!isRedirect(response)) return { response, carried: true };
  }
}

function isRedirect(response: Response): boolean {
  return REDIRECT_STATUSES.has(response.status) && response.headers.get('location') !== null;
}

function redirectedInit(init: RequestInit, status: number): RequestInit | undefined {
  const method = (init.method ?? 'GET').toUpperCase();
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    const headers = new Headers(init.headers);
    for (const name of BODY_HEADERS) headers.delete(name);
    return { ...init, method: 'GET', body: null, headers };
  }
  return isReplayableBody(init.body) ? { ...init } : undefined;
}

function withoutCrossOriginHeaders(headers: RequestInit['headers']): Headers {
  const copy = new Headers(headers);
  for (const name of CROSS_ORIGIN_STRIPPED) copy.delete(name);
  return copy;
}
