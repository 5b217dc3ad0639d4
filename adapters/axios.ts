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
import type { AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { CognitoConfigError } from '../src/errors.js';
import { asAbortSignal } from '../src/http/abortable.js';
import { axiosFollowingRedirects, type AxiosRuntime, type HopRecord } from '../src/http/axios-redirects.js';
import { BearerAuth } from '../src/http/bearer-auth.js';
import { discardBody } from '../src/http/discard-body.js';
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
 * One request that carries our token (the retry after a 401 gets its own). It travels with the config as the
 * `beforeRedirect` guard (axios copies functions into the configs it derives, and into the retry's).
 */
class RequestAuth implements HopRecord {
  carried = true;
  constructor(
    readonly value: string,
    readonly requestedOrigin: string,
    /** The caller's own `beforeRedirect` and `adapter`, which ours wrap. */
    readonly callerBeforeRedirect: BeforeRedirect | undefined,
    readonly callerAdapter: AxiosRequestConfig['adapter'],
    readonly retried: boolean,
  ) {}
}

/**
 * Adds the token to every request of `instance` whose URL is on an allowed origin (by default the origin
 * of that request's own URL), unless the request already has the header. On a 401 from a hop that carried
 * our token it invalidates the token, waits for the provider's next one and sends the request once more
 * (not when `data` is a stream); a 401 from a redirect target that got no token is handed back as is.
 * Returns `detach()`, which removes both interceptors.
 *
 * Redirects: with the `http` adapter (Node's default) axios follows them and calls `beforeRedirect` on each
 * hop, where a guard added here drops our header on every hop to an origin that is not allowed. Any other
 * adapter (`adapter: 'fetch'`, a custom one) cannot be trusted to do so (fetch keeps a custom header across
 * origins), so for a request carrying our token the adapter follows redirects itself (see
 * `axiosFollowingRedirects`). A provider failure rejects with an `AxiosError` whose `cause` is the
 * provider's typed error.
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
  const requests = new WeakMap<BeforeRedirect, RequestAuth>();
  const stateOf = (config: AxiosRequestConfig | undefined): RequestAuth | undefined =>
    config?.beforeRedirect === undefined ? undefined : requests.get(config.beforeRedirect);
  const runtime = new AxiosModule();

  /** Errors carry `config`: take our token out so logging an error does not log it. */
  const redact = (config: InternalAxiosRequestConfig | undefined): void => {
    const headers = config?.headers;
    if (headers !== undefined && typeof headers.get === 'function' && auth.isIssued(headers.get(header))) headers.delete(header);
  };

  /** Wires `state` into `config`: its redirect guard, and our adapter in front of the caller's. */
  const track = <C extends AxiosRequestConfig>(config: C, state: RequestAuth): C => {
    const guard: BeforeRedirect = function cognitoAuthRedirectGuard(redirect, response, request) {
      const hop = typeof redirect.href === 'string' ? originOf(redirect.href) : undefined;
      const headers = redirect.headers as Record<string, unknown> | undefined;
      let carried = false;
      if (headers !== undefined) {
        const allowed = hop !== undefined && policy.allows(hop, state.requestedOrigin);
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() !== header || !auth.isIssued(headers[name])) continue;
          if (allowed) carried = true;
          else delete headers[name];
        }
      }
      state.carried = carried;
      state.callerBeforeRedirect?.(redirect, response, request);
    };
    requests.set(guard, state);
    config.beforeRedirect = guard;
    config.adapter = cognitoAuthAdapter;
    return config;
  };

  const attach = (config: InternalAxiosRequestConfig, value: string, requestedOrigin: string): InternalAxiosRequestConfig => {
    config.headers.set(header, value);
    const previous = stateOf(config);
    const callerBeforeRedirect = previous === undefined ? config.beforeRedirect : previous.callerBeforeRedirect;
    const callerAdapter = previous === undefined ? config.adapter : previous.callerAdapter;
    return track(config, new RequestAuth(value, requestedOrigin, callerBeforeRedirect, callerAdapter, false));
  };

  /** Sends through the caller's adapter; follows redirects itself unless that adapter is axios's `http`. */
  function cognitoAuthAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const state = stateOf(config);
    const loaded = runtime.loaded;
    if (loaded === undefined) return runtime.load().then(() => cognitoAuthAdapter(config));
    const adapter = loaded.getAdapter(state?.callerAdapter ?? loaded.defaults.adapter ?? ['xhr', 'http', 'fetch'], config);
    if (state === undefined || adapter === loaded.httpAdapter) return adapter(config);
    return axiosFollowingRedirects({ axios: loaded, adapter, config, policy, header, value: state.value, hops: state });
  }

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
        throw await runtime.asAxiosError(error, config);
      },
    );
  };

  const retryOnce = async (config: InternalAxiosRequestConfig, data: unknown): Promise<AxiosResponse> => {
    const state = stateOf(config)!;
    discardBody(data);
    const signal = asAbortSignal(config.signal);
    let fresh: string;
    try {
      fresh = await auth.valueAfterUnauthorized(state.value, signal);
    } catch (error) {
      redact(config);
      if (signal?.aborted !== true) throw await runtime.asAxiosError(error, config);
      fresh = state.value; // axios rejects the aborted retry with CanceledError before sending anything
    }
    config.headers.set(header, fresh);
    const retry = new RequestAuth(fresh, state.requestedOrigin, state.callerBeforeRedirect, state.callerAdapter, true);
    return instance.request(track({ ...config, cognitoAuth: false }, retry));
  };

  /** Only a 401 from a hop that carried our token says something about the token. */
  const isRetryable = (config: InternalAxiosRequestConfig | undefined, status: number | undefined): boolean => {
    if (status !== 401 || !auth.retryOnUnauthorized || config === undefined) return false;
    const state = stateOf(config);
    return state !== undefined && state.carried && !state.retried && config.cognitoAuth !== false && isReplayableBody(config.data);
  };

  const requestId = instance.interceptors.request.use(addToken, undefined, {
    runWhen: (config) => config.cognitoAuth !== false,
  });
  const responseId = instance.interceptors.response.use(
    (response) => (isRetryable(response.config, response.status) ? retryOnce(response.config, response.data) : response),
    (error: unknown) => {
      const failure = error as Partial<AxiosError> | undefined;
      const config = failure?.config as InternalAxiosRequestConfig | undefined;
      if (isRetryable(config, failure?.response?.status)) return retryOnce(config!, failure?.response?.data);
      if (config !== undefined && (stateOf(config) !== undefined || auth.isIssued(config.headers?.get?.(header)))) {
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

/** The axios module itself (a peer dependency), loaded on first use; afterwards available synchronously. */
class AxiosModule {
  loaded:
    | (AxiosRuntime &
        Pick<AxiosStatic, 'getAdapter' | 'defaults'> & {
          from: AxiosStatic['AxiosError']['from'];
          /** axios's own `http` adapter, looked up once (it follows redirects with our `beforeRedirect` guard). */
          httpAdapter: ReturnType<AxiosStatic['getAdapter']>;
        })
    | undefined;
  #loading: Promise<void> | undefined;

  load(): Promise<void> {
    this.#loading ??= import('axios').then((module) => {
      const axios = ((module as { default?: AxiosStatic }).default ?? module) as AxiosStatic;
      const { AxiosError: AxiosErrorClass } = axios;
      this.loaded = {
        AxiosHeaders: axios.AxiosHeaders,
        AxiosError: AxiosErrorClass as unknown as AxiosRuntime['AxiosError'],
        from: (...args) => AxiosErrorClass.from(...args),
        getUri: (config) => axios.getUri(config),
        getAdapter: axios.getAdapter,
        defaults: axios.defaults,
        httpAdapter: axios.getAdapter('http'),
      };
    });
    return this.#loading;
  }

  /** A provider failure as axios reports failures: an `AxiosError` with `cause`. */
  async asAxiosError(error: unknown, config: InternalAxiosRequestConfig): Promise<unknown> {
    if (!(error instanceof Error)) return error;
    await this.load();
    return this.loaded!.from(error, undefined, config);
  }
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
