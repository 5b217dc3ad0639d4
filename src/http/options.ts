import { CognitoConfigError } from '../errors.js';
import { OriginPolicy } from './origin-policy.js';

/** Options shared by every adapter (axios, got, undici, fetch). */
export interface CognitoAdapterOptions {
  /**
   * Where the token may be sent. Strings are full origins (`https://api.example.com`, scheme + host + port);
   * RegExps are tested against the origin. Default: the origin of the URL each request was made to, never a
   * redirect target on another origin (undici's `cognitoInterceptor`, which cannot tell the two apart: the
   * origin of the first request dispatched through it). Plain `http:` origins other than loopback get the token
   * only when listed here as an exact string.
   */
  origins?: readonly (string | RegExp)[];
  /** The request header that carries the token. Default `authorization`. */
  header?: string;
  /** Put before the token, separated by one space; `''` sends the bare token. Default `Bearer`. */
  scheme?: string;
  /**
   * On a 401 to a request that carried our token: invalidate that token, get a fresh one (single-flight) and
   * repeat the request once, when its body can be replayed. Default `true`.
   */
  retryOnUnauthorized?: boolean;
}

/** The validated, normalised form every adapter works with. */
export interface ResolvedAdapterOptions {
  readonly policy: OriginPolicy;
  /** Lower-cased header name. */
  readonly header: string;
  /** `'Bearer '` (with the space) or `''`. */
  readonly prefix: string;
  readonly retryOnUnauthorized: boolean;
}

export const DEFAULT_HEADER = 'authorization';
export const DEFAULT_SCHEME = 'Bearer';

/** RFC 9110 `token`: the characters allowed in a header name and an auth scheme. */
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers a client computes itself; carrying a token in them would break the request. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'cookie']);

export function resolveAdapterOptions(options: CognitoAdapterOptions | undefined): ResolvedAdapterOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new CognitoConfigError('options', 'expected an object or undefined.');
  }
  const { origins, header = DEFAULT_HEADER, scheme = DEFAULT_SCHEME, retryOnUnauthorized = true } = options ?? {};

  if (typeof header !== 'string' || !TOKEN_CHARS.test(header)) {
    throw new CognitoConfigError('header', 'expected a header name such as "authorization" (letters, digits, "-").');
  }
  const headerName = header.toLowerCase();
  if (RESERVED_HEADERS.has(headerName)) {
    throw new CognitoConfigError('header', `"${headerName}" is managed by the HTTP client; choose another header.`);
  }
  if (typeof scheme !== 'string' || (scheme !== '' && !TOKEN_CHARS.test(scheme))) {
    throw new CognitoConfigError('scheme', 'expected an auth scheme such as "Bearer", or "" for the bare token.');
  }
  if (typeof retryOnUnauthorized !== 'boolean') {
    throw new CognitoConfigError('retryOnUnauthorized', 'expected true or false.');
  }

  return {
    policy: origins === undefined ? OriginPolicy.sameAsRequest() : OriginPolicy.allowList(origins),
    header: headerName,
    prefix: scheme === '' ? '' : `${scheme} `,
    retryOnUnauthorized,
  };
}
