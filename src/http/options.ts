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

/** The keys of `CognitoAdapterOptions`; an adapter passes the names of its own extra options. */
const COMMON_KEYS = ['origins', 'header', 'scheme', 'retryOnUnauthorized'] as const;

/**
 * Validates the options every adapter shares. `ownKeys` are the adapter's extra option names (validated by
 * the adapter); any other key is refused, with the nearest known name when it looks like a misspelling
 * (`origin` silently dropped would mean the default allow-list instead of the caller's).
 */
export function resolveAdapterOptions(options: CognitoAdapterOptions | undefined, ownKeys: readonly string[] = []): ResolvedAdapterOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new CognitoConfigError('options', 'expected an object or undefined.');
  }
  if (options !== undefined) refuseUnknownKeys(options, [...COMMON_KEYS, ...ownKeys]);
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

function refuseUnknownKeys(options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const nearest = nearestName(key, known);
    const hint = nearest === undefined ? `expected one of ${known.join(', ')}` : `did you mean \`${nearest}\`?`;
    throw new CognitoConfigError(key, `unknown adapter option (${hint}).`);
  }
}

/** The known name closest to `key` (case-insensitive edit distance of at most a third of its length), if any. */
function nearestName(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
