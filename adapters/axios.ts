/**
 * axios adapter: request and response interceptors that add the Cognito token.
 *
 * ```ts
 * import axios from 'axios';
 * import { attachCognitoAuth } from 'cognito-srp-auth/axios';
 * const api = axios.create({ baseURL: 'https://api.example.com' });
 * const detach = attachCognitoAuth(api, provider);
 * const { data } = await api.get('/orders');
 * ```
 * Per-request opt-out: `api.get('/health', { cognitoAuth: false })`.
 */
import type { AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { CognitoConfigError } from '../src/errors.js';
import { asAbortSignal } from '../src/http/abortable.js';
import { BearerAuth } from '../src/http/bearer-auth.js';
import { resolveAdapterOptions, type CognitoAdapterOptions } from '../src/http/options.js';
import { originOf } from '../src/http/origin-policy.js';
import { isReplayableBody } from '../src/http/replayable-body.js';
import type { TokenSource } from '../src/tokens/token-source.js';

export type { CognitoAdapterOptions } from '../src/http/options.js';
export type { TokenSource } from '../src/tokens/token-source.js';

declare module 'axios' {
  interface AxiosRequestConfig<D = any> {
    /** cognito-srp-auth: `false` sends this request without the token (and never retries it on 401). */
    cognitoAuth?: boolean;
  }
}

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** Matches what axios itself treats as an absolute URL (`scheme://` or `//`). */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * Adds the token to every request of `instance` whose URL is on an allowed origin (by default the origin
 * of that request's own URL), unless the request already has the header. On a 401 to a request that carried
 * our token it invalidates the token, waits for the provider's next one and sends the request once more
 * (not when `data` is a stream). Returns `detach()`, which removes both interceptors.
 *
 * Redirects: axios follows them below the interceptors; axios >= 1.21 drops `authorization` on any origin
 * change, and a `beforeRedirect` guard added here drops our header for older axios and custom headers.
 * A provider failure rejects with an `AxiosError` whose `cause` is the provider's typed error.
 */
export function attachCognitoAuth(
  instance: AxiosInstance,
  provider: TokenSource,
  options?: CognitoAdapterOptions,
): () => void {
  if (instance === null || typeof instance !== 'function' || typeof instance.request !== 'function' || instance.interceptors === undefined) {
    throw new CognitoConfigError('instance', 'expected an axios instance (axios or axios.create()).');
  }
  const auth = new BearerAuth(provider, resolveAdapterOptions(options));
  const { header, policy } = auth;
  /** The header value we set, per config object (`err.config` is the object the interceptor saw). */
  const sentValues = new WeakMap<object, string>();

  /** Errors carry `config`: take our token out so logging an error does not log it. */
  const redact = (config: InternalAxiosRequestConfig | undefined): void => {
    const headers = config?.headers;
    if (headers !== undefined && typeof headers.get === 'function' && auth.isIssued(headers.get(header))) headers.delete(header);
  };

  const attach = (config: InternalAxiosRequestConfig, value: string, requestedOrigin: string): InternalAxiosRequestConfig => {
    config.headers.set(header, value);
    sentValues.set(config, value);
    config.beforeRedirect = redirectGuard(config.beforeRedirect, requestedOrigin);
    return config;
  };

  const redirectGuard = (next: BeforeRedirect | undefined, requestedOrigin: string): BeforeRedirect =>
    function cognitoAuthRedirectGuard(redirect, response, request) {
      const hop = typeof redirect.href === 'string' ? originOf(redirect.href) : undefined;
      const headers = redirect.headers as Record<string, unknown> | undefined;
      if (headers !== undefined && (hop === undefined || !policy.allows(hop, requestedOrigin))) {
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() === header && auth.isIssued(headers[name])) delete headers[name];
        }
      }
      next?.(redirect, response, request);
    };

  const addToken = (config: InternalAxiosRequestConfig): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> => {
    const origin = originOf(requestUrlOf(config));
    if (origin === undefined || !policy.allows(origin, origin)) return config;
    const existing = config.headers.get(header);
    if (existing !== undefined && existing !== null && existing !== false && !auth.isIssued(existing)) return config;
    const value = auth.peekValue();
    if (value !== undefined) return attach(config, value, origin);
    const signal = asAbortSignal(config.signal);
    return auth.value(signal).then(
      (ready) => attach(config, ready, origin),
      // On abort axios cancels the request itself (CanceledError) before sending it.
      async (error: unknown) => {
        if (signal?.aborted === true) return config;
        redact(config);
        throw await asAxiosError(error, config);
      },
    );
  };

  const retryOnce = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const sent = sentValues.get(config)!;
    const signal = asAbortSignal(config.signal);
    let fresh: string;
    try {
      fresh = await auth.valueAfterUnauthorized(sent, signal);
    } catch (error) {
      redact(config);
      if (signal?.aborted !== true) throw await asAxiosError(error, config);
      fresh = sent; // axios rejects the aborted retry with CanceledError before sending anything
    }
    config.headers.set(header, fresh);
    return instance.request({ ...config, cognitoAuth: false });
  };

  const isRetryable = (config: InternalAxiosRequestConfig | undefined, status: number | undefined): boolean =>
    status === 401 &&
    auth.retryOnUnauthorized &&
    config !== undefined &&
    sentValues.has(config) &&
    config.cognitoAuth !== false &&
    isReplayableBody(config.data);

  const requestId = instance.interceptors.request.use(addToken, undefined, {
    runWhen: (config) => config.cognitoAuth !== false,
  });
  const responseId = instance.interceptors.response.use(
    (response) => (isRetryable(response.config, response.status) ? retryOnce(response.config) : response),
    (error: unknown) => {
      const failure = error as Partial<AxiosError> | undefined;
      const config = failure?.config as InternalAxiosRequestConfig | undefined;
      if (isRetryable(config, failure?.response?.status)) return retryOnce(config!);
      if (config !== undefined && (sentValues.has(config) || auth.isIssued(config.headers?.get?.(header)))) {
        redact(config);
        hideRawRequest(failure);
      }
      return Promise.reject(error);
    },
  );

  return function detach(): void {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}

/** The URL axios will request, as far as its origin goes (`baseURL` + `url`, honouring `allowAbsoluteUrls`). */
function requestUrlOf(config: InternalAxiosRequestConfig): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (base && (!ABSOLUTE_URL.test(url) || config.allowAbsoluteUrls === false)) {
    return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  }
  return url;
}

/**
 * The Node request object keeps the raw header block (`_header`), token included. Make it non-enumerable on
 * the error and its response, as got does for its errors, so `util.inspect(err)` and loggers skip it; code
 * that reads `err.request` still gets it.
 */
function hideRawRequest(error: Partial<AxiosError> | undefined): void {
  for (const holder of [error, error?.response]) {
    if (holder !== undefined && holder !== null && Object.prototype.propertyIsEnumerable.call(holder, 'request')) {
      Object.defineProperty(holder, 'request', { value: holder.request, enumerable: false, writable: true, configurable: true });
    }
  }
}

/** A provider failure as axios reports failures: an `AxiosError` (loaded lazily: axios is a peer) with `cause`. */
async function asAxiosError(error: unknown, config: InternalAxiosRequestConfig): Promise<unknown> {
  if (!(error instanceof Error)) return error;
  const { AxiosError: AxiosErrorClass } = await import('axios');
  return AxiosErrorClass.from(error, undefined, config);
}
