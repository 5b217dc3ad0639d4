import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { jsonObjectOf } from '../json-object.js';
import { bareErrorType } from './aws-errors.js';
import type { CognitoOperation, CognitoTransport } from './cognito-transport.js';
import { sharedConnectionPool } from './connection-pool.js';
import { waitUnlessAborted } from './deadline.js';

/** Cognito's answers are a few kilobytes; anything past this is not Cognito and is not read into memory. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const USER_AGENT = `cognito-srp-auth node/${process.versions.node}`;

/**
 * An error as Cognito answered it, shaped as the AWS SDK's service exceptions (`name`, `message`,
 * `$metadata.httpStatusCode`, `$fault`), so `mapCognitoError` reads both transports alike.
 */
export class CognitoErrorAnswer extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  readonly $fault: 'client' | 'server';

  constructor(name: string | undefined, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = name ?? 'UnknownError';
    this.$metadata = { httpStatusCode: status, ...(requestId === undefined ? {} : { requestId }) };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

/** A failure below HTTP (a socket that closed or went silent): read as a network failure by its `code`. */
function socketError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The AWS JSON 1.1 protocol over `node:http(s)`, the providers' own transport: a POST of the operation's
 * input as JSON with `X-Amz-Target`, the output parsed from JSON, an error read from `x-amzn-errortype` or `__type`.
 * The operations it carries are unsigned, so there is no signing, no retry bookkeeping (the provider retries with its
 * own policy) and no middleware stack: a sign-in through the SDK costs about 1.4 times the client CPU
 * (bench/signin.bench.mjs). A `cognitoClient` passed by the caller is used instead (`sdkTransport`).
 *
 * Connections come from one keep-alive pool (`sharedConnectionPool`). Redirects are not followed.
 */
export class CognitoJsonTransport implements CognitoTransport {
  #target: Target | undefined;
  readonly #resolveUrl: () => Promise<URL>;

  /** @param endpoint the URL, or a function that resolves it once (the SDK's endpoint rules for a region). */
  constructor(endpoint: URL | (() => Promise<URL>)) {
    if (endpoint instanceof URL) {
      this.#target = targetOf(endpoint);
      this.#resolveUrl = () => Promise.resolve(endpoint);
    } else {
      this.#resolveUrl = endpoint;
    }
  }

  /** `signal` is the call's only bound (its deadline and the owner's `close()`): `CognitoApi` always gives one. */
  async send(operation: CognitoOperation, input: object, signal: AbortSignal): Promise<unknown> {
    // The shared resolution goes on when this call's deadline passes; the next call uses it.
    const target = (this.#target ??= targetOf(await waitUnlessAborted(this.#resolveUrl(), signal)));
    signal.throwIfAborted();
    return post(target, operation, JSON.stringify(input), signal);
  }

  destroy(): void {}
}

interface Target {
  https: boolean;
  hostname: string;
  port: number | undefined;
  path: string;
}

/** As the SDK reads an endpoint: its path ends in '/' (a proxy at https://host/cognito gets /cognito/), no query. */
function targetOf(url: URL): Target {
  return {
    https: url.protocol === 'https:',
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`,
  };
}

function post(target: Target, operation: CognitoOperation, body: string, signal: AbortSignal): Promise<unknown> {
  const { https } = target;
  const pool = sharedConnectionPool();
  const options: RequestOptions = {
    hostname: target.hostname,
    port: target.port,
    path: target.path,
    method: 'POST',
    headers: {
      'content-type': CONTENT_TYPE,
      'x-amz-target': TARGET_PREFIX + operation,
      // Some web ACLs in front of a pool (AWS WAF's core rule set: NoUserAgent_HEADER) refuse requests without one.
      'user-agent': USER_AGENT,
      'content-length': Buffer.byteLength(body),
    },
    agent: https ? pool.httpsAgent : pool.httpAgent,
    signal,
  };
  return new Promise((resolve, reject) => {
    const send = (again: boolean): void => {
      let answered = false;
      const request = (https ? httpsRequest : httpRequest)(options, (response) => {
        answered = true;
        readBody(response).then((text) => {
          try {
            resolve(decode(operation, response, text));
          } catch (error) {
            reject(error);
          }
        }, reject);
      });
      request.on('error', (error: Error & { code?: string }) => {
        // A kept-alive socket the server closed while it sat in the pool fails at once, before the request reached
        // anyone: sent again once on a new socket (as Node's documentation advises), not a failed sign-in.
        const stale = request.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        if (stale && !again && !signal.aborted) send(true);
        else reject(belowHttp(error));
      });
      request.end(body);
    };
    send(false);
  });
}

/**
 * A failure before a whole answer arrived (TLS, a parse error of a broken proxy, a reset): marked as the AWS SDK marks
 * its transport failures (`$metadata` without `$fault`), so `mapCognitoError` reads it as a network failure whatever
 * its code. The size limit stays a refusal, not a network failure.
 */
function belowHttp(error: Error): Error {
  if ((error as { code?: unknown }).code === 'ERR_RESPONSE_TOO_LARGE' || '$metadata' in error) return error;
  return Object.assign(error, { $metadata: {} });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy(socketError(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, 'ERR_RESPONSE_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => reject(belowHttp(error)));
    response.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    response.on('close', () => {
      if (!response.complete) reject(socketError('the connection closed before the answer was complete', 'ECONNRESET'));
    });
  });
}

function decode(operation: CognitoOperation, response: IncomingMessage, text: string): unknown {
  const status = response.statusCode ?? 0;
  const requestId = header(response, 'x-amzn-requestid');
  const parsed = jsonObjectOf(text);
  if (status >= 200 && status < 300) {
    // Operations without output (GlobalSignOut, UpdateDeviceStatus, RevokeToken) may answer with no body.
    if (text.length === 0) return {};
    if (parsed === undefined) {
      throw new CognitoErrorAnswer(
        'MalformedResponse',
        `Cognito ${operation} answered HTTP ${status} with a body that is not a JSON object`,
        status,
        requestId,
      );
    }
    return parsed;
  }
  const message = parsed?.message ?? parsed?.Message ?? response.statusMessage ?? '';
  const name = errorName(header(response, 'x-amzn-errortype') ?? parsed?.code ?? parsed?.__type);
  throw new CognitoErrorAnswer(name, String(message), status, requestId);
}

function errorName(raw: unknown): string | undefined {
  const name = typeof raw === 'string' ? bareErrorType(raw).trim() : '';
  return name === '' ? undefined : name;
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}
