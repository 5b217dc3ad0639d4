import { Readable } from 'node:stream';
import axios, { type AxiosRequestConfig } from 'axios';
import got, { type Got } from 'got';
import nodeFetch2 from 'node-fetch';
import nodeFetch3 from 'node-fetch-3';
import { Agent, interceptors, fetch as undiciFetch, request as undiciRequest, type Dispatcher } from 'undici';
import { attachCognitoAuth } from '../../adapters/axios.js';
import { cognitoFetch } from '../../adapters/fetch.js';
import { cognitoGot } from '../../adapters/got.js';
import { cognitoInterceptor } from '../../adapters/undici.js';
import type { CognitoAdapterOptions } from '../../src/http/options.js';
import type { TokenSource } from '../../src/tokens/token-source.js';

/** One request as every client under test sends it. */
export interface Call {
  method?: 'GET' | 'POST';
  /** A string, a JSON value, or `'stream'` for a streamed upload of `streamBytes` bytes. */
  body?: string | Record<string, unknown> | 'stream';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The client's own per-request opt-out. */
  optOut?: boolean;
}

export interface Outcome {
  status: number;
  body: unknown;
}

/** A client wired to a token source, normalised so one scenario runs against all four adapters. */
export interface AuthClient {
  send(url: string, call?: Call): Promise<Outcome>;
  close(): Promise<void>;
}

export interface ClientKind {
  name: string;
  /** `apiOrigin` is passed as `origins` by the undici client that lists them explicitly. */
  create(source: TokenSource, apiOrigin: string, options?: CognitoAdapterOptions): AuthClient;
}

export const STREAM_BYTES = 64 * 1024;

function streamBody(): Readable {
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  return Readable.from([chunk, chunk, chunk, chunk]);
}

function webStreamBody(): ReadableStream<Uint8Array> {
  return Readable.toWeb(streamBody()) as unknown as ReadableStream<Uint8Array>;
}

function encode(body: Call['body']): { data: string | undefined; json: boolean } {
  if (body === undefined || body === 'stream') return { data: undefined, json: false };
  return typeof body === 'string' ? { data: body, json: false } : { data: JSON.stringify(body), json: true };
}

/** axios with the given adapter (`http` is Node's default; `fetch` never calls `beforeRedirect`). */
function axiosKind(adapter: 'http' | 'fetch'): ClientKind {
  return {
    name: adapter === 'http' ? 'axios' : 'axios (fetch adapter)',
    create(source, _apiOrigin, options) {
      const instance = axios.create({ timeout: 20_000, adapter });
      const detach = attachCognitoAuth(instance, source, options);
      return {
        async send(url, call = {}) {
          const config: AxiosRequestConfig = {
            url,
            method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
            headers: call.headers,
            signal: call.signal,
            data: call.body === 'stream' ? streamBody() : call.body,
            ...(call.optOut === true ? { cognitoAuth: false } : {}),
          };
          try {
            const response = await instance.request(config);
            return { status: response.status, body: response.data };
          } catch (error) {
            if (axios.isAxiosError(error) && error.response !== undefined) return { status: error.response.status, body: error.response.data };
            throw error;
          }
        },
        async close() {
          detach();
        },
      };
    },
  };
}

export const axiosClient: ClientKind = axiosKind('http');
export const axiosFetchClient: ClientKind = axiosKind('fetch');

export const gotClient: ClientKind = {
  name: 'got',
  create(source, _apiOrigin, options) {
    const client: Got = got.extend({ retry: { limit: 0 }, timeout: { request: 20_000 } }, cognitoGot(source, options));
    return {
      async send(url, call = {}) {
        const { body } = call;
        const response = await client(url, {
          method: call.method ?? (body === undefined ? 'GET' : 'POST'),
          headers: call.headers,
          signal: call.signal,
          throwHttpErrors: false,
          ...(body === 'stream' ? { body: streamBody() } : typeof body === 'string' ? { body } : body === undefined ? {} : { json: body }),
          ...(call.optOut === true ? { context: { cognitoAuth: false } } : {}),
        });
        return { status: response.statusCode, body: parseJson(response.body) };
      },
      async close() {},
    };
  },
};

/**
 * undici.request through an Agent with the redirect interceptor. `authOutermost` (`compose(redirect, auth)`):
 * auth sees only the first hop; otherwise (`compose(auth, redirect)`, as the adapter documents) every hop
 * comes back through the auth interceptor.
 */
function undiciKind(authOutermost: boolean): ClientKind {
  return {
    name: authOutermost ? 'undici' : 'undici (redirect interceptor outermost)',
    create(source, apiOrigin, options) {
      const agent = new Agent({ connections: 64 });
      const auth = cognitoInterceptor(source, { origins: [apiOrigin], ...options });
      const redirect = interceptors.redirect({ maxRedirections: 3 });
      const dispatcher: Dispatcher = authOutermost ? agent.compose(redirect, auth) : agent.compose(auth, redirect);
      return {
        async send(url, call = {}) {
          const { data, json } = encode(call.body);
          const response = await undiciRequest(url, {
            dispatcher,
            method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
            headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...call.headers },
            signal: call.signal,
            body: call.body === 'stream' ? streamBody() : data,
            ...(call.optOut === true ? { cognitoAuth: false } : {}),
          });
          return { status: response.statusCode, body: parseJson(await response.body.text()) };
        },
        async close() {
          await agent.close();
        },
      };
    },
  };
}

export const undiciClient: ClientKind = undiciKind(true);
export const undiciRedirectOutsideClient: ClientKind = undiciKind(false);

/** `cognitoFetch` over a fetch implementation: the global one by default. */
function fetchKind(name: string, implementation?: typeof globalThis.fetch): ClientKind {
  return {
    name,
    create(source, _apiOrigin, options) {
      const fetch = cognitoFetch(source, implementation === undefined ? options : { ...options, fetch: implementation });
      return {
        async send(url, call = {}) {
          const { data, json } = encode(call.body);
          const response = await fetch(url, {
            method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
            headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...call.headers },
            signal: call.signal,
            ...(call.body === 'stream' ? { body: webStreamBody(), duplex: 'half' } : data === undefined ? {} : { body: data }),
            ...(call.optOut === true ? { cognitoAuth: false } : {}),
          } as RequestInit);
          return { status: response.status, body: parseJson(await response.text()) };
        },
        async close() {},
      };
    },
  };
}

export const fetchClient: ClientKind = fetchKind('fetch');
/** Fetch implementations a caller may hand to `cognitoFetch`, each with its own redirect rules. */
export const undiciFetchClient: ClientKind = fetchKind('fetch (undici.fetch)', undiciFetch as unknown as typeof globalThis.fetch);
export const nodeFetch2Client: ClientKind = fetchKind('fetch (node-fetch 2)', nodeFetch2 as unknown as typeof globalThis.fetch);
export const nodeFetch3Client: ClientKind = fetchKind('fetch (node-fetch 3)', nodeFetch3 as unknown as typeof globalThis.fetch);

export const ALL_CLIENTS: readonly ClientKind[] = [axiosClient, gotClient, undiciClient, fetchClient];
/** Every client and transport whose redirects and 401s the adapters must handle alike. */
export const ALL_TRANSPORTS: readonly ClientKind[] = [
  axiosClient,
  axiosFetchClient,
  gotClient,
  undiciRedirectOutsideClient,
  fetchClient,
  undiciFetchClient,
  nodeFetch2Client,
  nodeFetch3Client,
];

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
