import type { AxiosAdapter, AxiosHeaders, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { discardBody } from './discard-body.js';
import { BODY_HEADERS, CROSS_ORIGIN_STRIPPED, MAX_REDIRECTS, REDIRECT_STATUSES } from './fetch-redirects.js';
import type { OriginPolicy } from './origin-policy.js';
import { isReplayableBody } from './replayable-body.js';

/** The parts of the axios module the redirect follower uses (axios is a peer: loaded by the adapter). */
export interface AxiosRuntime {
  AxiosHeaders: typeof AxiosHeaders;
  AxiosError: new (message: string, code?: string, config?: InternalAxiosRequestConfig, request?: unknown, response?: AxiosResponse) => Error;
  getUri(config: InternalAxiosRequestConfig): string;
}

/** One request's progress through its redirects, as the response interceptor needs to know it. */
export interface HopRecord {
  /** Origin of the URL the caller asked for. */
  readonly requestedOrigin: string;
  /** Whether the hop that produced the latest response carried our header. */
  carried: boolean;
}

export interface AxiosRedirectingSend {
  axios: AxiosRuntime;
  /** The adapter that really sends (axios's fetch adapter, or any adapter but `http`). */
  adapter: AxiosAdapter;
  config: InternalAxiosRequestConfig;
  policy: OriginPolicy;
  header: string;
  value: string;
  hops: HopRecord;
}

/**
 * Sends an axios request that carries our token through an adapter that does not call `beforeRedirect`
 * (axios's `fetch` adapter, a custom adapter), following redirects itself (`maxRedirects: 0`,
 * `fetchOptions.redirect: 'manual'`): hops on allowed origins get the header, every other hop goes without it
 * (and without `authorization`, `cookie`, `proxy-authorization`, as fetch would), and after the first such hop
 * the header is never added again. 303, and 301/302 after POST, become a body-less GET; a 307/308 whose body
 * cannot be sent again is returned as is. The response (or error) carries the caller's `config`, and the
 * caller's `validateStatus` is applied to the last response only.
 */
export async function axiosFollowingRedirects(send: AxiosRedirectingSend): Promise<AxiosResponse> {
  const { axios, adapter, config, policy, header, value, hops } = send;
  const limit = config.maxRedirects ?? MAX_REDIRECTS;
  if (limit === 0) return adapter(config);
  const validateStatus = config.validateStatus;
  let hop: InternalAxiosRequestConfig = {
    ...config,
    maxRedirects: 0,
    fetchOptions: { ...(config.fetchOptions as object | undefined), redirect: 'manual' },
    validateStatus: (status) => REDIRECT_STATUSES.has(status) || validateStatus == null || validateStatus(status),
  };
  let url = axios.getUri(config);
  let origin = hops.requestedOrigin;
  let left = false;
  try {
    for (let count = 0; ; count += 1) {
      const response = await adapter(hop);
      const location = locationOf(response);
      const next = location === undefined ? undefined : nextHop(axios, hop, response.status);
      if (location === undefined || next === undefined) return settle(axios, response, config);
      if (count >= limit) {
        discardBody(response.data);
        throw new axios.AxiosError('Maximum number of redirects exceeded', 'ERR_FR_TOO_MANY_REDIRECTS', config, response.request);
      }
      discardBody(response.data);
      const target = new URL(location, url);
      const headers = new axios.AxiosHeaders(next.headers);
      if (target.origin !== origin) {
        for (const name of CROSS_ORIGIN_STRIPPED) headers.delete(name);
        next.auth = undefined;
      }
      left ||= !policy.allows(target.origin, hops.requestedOrigin);
      if (left) headers.delete(header);
      else headers.set(header, value);
      hops.carried = !left;
      hop = { ...next, url: target.href, baseURL: undefined, params: undefined, allowAbsoluteUrls: true, headers };
      url = target.href;
      origin = target.origin;
    }
  } catch (error) {
    // The caller sees its own config (the hop configs carry the token in copied headers).
    if (error !== null && typeof error === 'object' && 'config' in error) {
      const failure = error as { config: unknown; response?: { config?: unknown } };
      failure.config = config;
      if (failure.response !== undefined && failure.response !== null) failure.response.config = config;
    }
    throw error;
  }
}

function locationOf(response: AxiosResponse): string | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location: unknown = (response.headers as { get?: (name: string) => unknown }).get?.('location') ?? response.headers.location;
  return typeof location === 'string' && location !== '' ? location : undefined;
}

/** The request for the next hop, or `undefined` when it cannot be made (a 307/308 with a streamed body). */
function nextHop(axios: AxiosRuntime, config: InternalAxiosRequestConfig, status: number): InternalAxiosRequestConfig | undefined {
  const method = (config.method ?? 'get').toUpperCase();
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    const headers = new axios.AxiosHeaders(config.headers);
    for (const name of BODY_HEADERS) headers.delete(name);
    return { ...config, method: 'get', data: undefined, headers };
  }
  return isReplayableBody(config.data) ? { ...config } : undefined;
}

/** What axios's `settle` does, with the caller's `validateStatus`, on the response we hand back. */
function settle(axios: AxiosRuntime, response: AxiosResponse, config: InternalAxiosRequestConfig): AxiosResponse {
  response.config = config;
  const { status } = response;
  const validateStatus = config.validateStatus;
  if (!status || validateStatus == null || validateStatus(status)) return response;
  const code = status >= 400 && status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE';
  throw new axios.AxiosError(`Request failed with status code ${status}`, code, config, response.request, response);
}
