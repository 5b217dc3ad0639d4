import { CognitoConfigError } from '../errors.js';

/**
 * Decides which origins (scheme + host + port) may receive the token. Every adapter asks it on every hop
 * it can see, with the origin of the hop and the origin of the URL the caller asked for.
 */
export class OriginPolicy {
  readonly #exact: ReadonlySet<string>;
  readonly #patterns: readonly RegExp[];
  /** True when the caller listed origins; false for the default "same origin as the request" rule. */
  readonly explicit: boolean;

  private constructor(explicit: boolean, exact: ReadonlySet<string>, patterns: readonly RegExp[]) {
    this.explicit = explicit;
    this.#exact = exact;
    this.#patterns = patterns;
  }

  /** The default: a hop gets the token only when it is on the origin the caller asked for. */
  static sameAsRequest(): OriginPolicy {
    return new OriginPolicy(false, new Set(), []);
  }

  /** Only the listed origins; validates the list (throws `CognitoConfigError` naming the bad entry). */
  static allowList(origins: readonly (string | RegExp)[]): OriginPolicy {
    if (!Array.isArray(origins) || origins.length === 0) {
      throw new CognitoConfigError(
        'origins',
        'expected a non-empty array of origins (strings like "https://api.example.com" or RegExps); omit it for the default.',
      );
    }
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    origins.forEach((entry: unknown, index) => {
      if (entry instanceof RegExp) {
        if (entry.global || entry.sticky) {
          throw new CognitoConfigError(`origins[${index}]`, 'a RegExp with the g or y flag keeps state between tests; drop the flag.');
        }
        patterns.push(entry);
      } else if (typeof entry === 'string') {
        exact.add(parseOriginEntry(entry, index));
      } else {
        throw new CognitoConfigError(`origins[${index}]`, 'expected a string origin or a RegExp.');
      }
    });
    return new OriginPolicy(true, exact, patterns);
  }

  /**
   * @param hopOrigin origin of the request about to be sent (a normalised `URL.origin`)
   * @param requestedOrigin origin of the URL the caller asked for, when the adapter knows it
   */
  allows(hopOrigin: string, requestedOrigin: string | undefined): boolean {
    if (!this.explicit) return hopOrigin === requestedOrigin && isSecureOrLoopback(hopOrigin);
    if (this.#exact.has(hopOrigin)) return true;
    if (!isSecureOrLoopback(hopOrigin)) return false;
    for (const pattern of this.#patterns) {
      if (pattern.test(hopOrigin)) return true;
    }
    return false;
  }
}

/**
 * "The origin the client is pointed at" for an adapter that only sees dispatches (undici), when no `origins`
 * are listed: the origin of the first request it is shown, kept for good. Pinning happens synchronously at
 * dispatch, so of two requests dispatched in the same tick the first one wins; a later request (a redirect hop,
 * another API through the same Agent) never moves the pin.
 */
export class FirstOriginPin {
  #origin: string | undefined;

  /** Pins `origin` unless an origin is pinned already; returns the pinned origin. */
  pin(origin: string): string {
    this.#origin ??= origin;
    return this.#origin;
  }

  /** The pinned origin, `undefined` before the first request. */
  get origin(): string | undefined {
    return this.#origin;
  }
}

function parseOriginEntry(entry: string, index: number): string {
  const option = `origins[${index}]`;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new CognitoConfigError(option, 'not a URL; expected an origin such as "https://api.example.com".');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CognitoConfigError(option, 'only http: and https: origins can receive a token.');
  }
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new CognitoConfigError(option, `expected an origin only (scheme, host, port), such as "${url.origin}".`);
  }
  return url.origin;
}

/** `https:`, or `http:` to a loopback host (localhost, 127.0.0.0/8, [::1]). */
export function isSecureOrLoopback(origin: string): boolean {
  if (origin.startsWith('https://')) return true;
  if (!origin.startsWith('http://')) return false;
  const host = hostOfOrigin(origin.slice('http://'.length));
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostOfOrigin(authority: string): string {
  const colon = authority.lastIndexOf(':');
  return colon > authority.lastIndexOf(']') ? authority.slice(0, colon) : authority;
}

const ORIGIN_CACHE_LIMIT = 512;
const originCache = new Map<string, string>();
/** `scheme://authority` of an http(s) URL: all the WHATWG parser looks at to compute the origin. */
const HTTP_AUTHORITY = /^https?:\/\/[^/?#\\]*/i;

/**
 * The normalised origin of `url` (`URL.origin`), or `undefined` when it has none (relative, opaque, invalid).
 * Parses each distinct `scheme://authority` once; paths do not matter.
 */
export function originOf(url: string | URL): string | undefined {
  if (typeof url !== 'string') return url.origin === 'null' ? undefined : url.origin;
  // Dispatchers see the same origin string request after request.
  if (url === lastInput) return lastOrigin;
  const authority = HTTP_AUTHORITY.exec(url)?.[0];
  if (authority === undefined) return parseOrigin(url);
  let origin = originCache.get(authority);
  if (origin === undefined) {
    origin = parseOrigin(authority);
    if (origin === undefined) return undefined;
    if (originCache.size >= ORIGIN_CACHE_LIMIT) originCache.clear();
    originCache.set(authority, origin);
  }
  lastInput = url;
  lastOrigin = origin;
  return origin;
}

let lastInput = '';
let lastOrigin: string | undefined;

function parseOrigin(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
