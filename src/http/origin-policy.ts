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
        if (!isFullyAnchored(entry.source)) {
          throw new CognitoConfigError(
            `origins[${index}]`,
            `${String(entry)} is not anchored, so it also admits any origin that merely contains a match ` +
              `(such as "https://<match>.evil.test"). A RegExp is tested against the whole origin ` +
              `("https://host:port"); anchor it with ^ and $, e.g. ${anchoredForm(entry)}`,
          );
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

/** `^...$` around the whole pattern: starts with `^`, ends with an unescaped `$`, no `|` outside a group. */
function isFullyAnchored(source: string): boolean {
  if (!source.startsWith('^') || !endsWithAnchor(source)) return false;
  return !hasTopLevelAlternation(source);
}

function endsWithAnchor(source: string): boolean {
  if (!source.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 0;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') i += 1;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * A suggestion for an unanchored origin RegExp: the caller's pattern made to match a whole origin
 * (`/127\.0\.0\.1/` → `/^https?:\/\/127\.0\.0\.1(?::\d+)?$/`, `/\.example\.com$/` → subdomains of example.com).
 */
export function anchoredForm(pattern: RegExp): string {
  let body = pattern.source;
  const hasStart = body.startsWith('^');
  const hasEnd = endsWithAnchor(body);
  if (hasStart) body = body.slice(1);
  if (hasEnd) body = body.slice(0, -1);
  if (hasTopLevelAlternation(body)) body = `(?:${body})`;
  let prefix = '';
  if (!hasStart && !/:\/\/|:\\\/\\\//.test(body)) {
    prefix = 'https?:\\/\\/';
    if (body.startsWith('\\.')) {
      prefix += '(?:[a-z0-9-]+\\.)+';
      body = body.slice(2);
    }
  }
  const suffix = hasEnd || /:(?:\\d|\[0-9\]|\d)/.test(body) ? '' : '(?::\\d+)?';
  return `/^${prefix}${body}${suffix}$/${pattern.flags}`;
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
