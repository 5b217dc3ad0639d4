import { CognitoConfigError } from '../errors.js';
import type { TokenSource } from '../tokens/token-source.js';
import { waitUnlessAborted } from './abortable.js';
import type { ResolvedAdapterOptions } from './options.js';
import type { OriginPolicy } from './origin-policy.js';

/** How many recent header values we remember as "ours" (see `isIssued`). */
const ISSUED_MEMORY = 8;

/**
 * The part every adapter shares: turns the provider's token into a header value, waits for a token without
 * letting one caller's abort cancel the shared refresh, and reports a 401 so the provider refreshes once.
 * Tokens live in private fields only, so `util.inspect` of an adapter shows none.
 */
export class BearerAuth {
  readonly header: string;
  readonly policy: OriginPolicy;
  readonly retryOnUnauthorized: boolean;
  readonly #source: TokenSource;
  readonly #prefix: string;
  #lastToken: string | undefined;
  #lastValue = '';
  readonly #issued: string[] = [];

  constructor(source: TokenSource, options: ResolvedAdapterOptions) {
    if (
      source === null ||
      typeof source !== 'object' ||
      typeof source.getToken !== 'function' ||
      typeof source.peekToken !== 'function' ||
      typeof source.invalidate !== 'function'
    ) {
      throw new CognitoConfigError('provider', 'expected a CognitoTokenProvider (or any TokenSource: getToken, peekToken, invalidate).');
    }
    this.#source = source;
    this.header = options.header;
    this.policy = options.policy;
    this.retryOnUnauthorized = options.retryOnUnauthorized;
    this.#prefix = options.prefix;
  }

  /** The header value for the cached fresh token, synchronously; `undefined` when a token must be awaited. */
  peekValue(): string | undefined {
    const token = this.#source.peekToken();
    return token === undefined ? undefined : this.#valueFor(token);
  }

  /** The header value for a valid token; joins the provider's single in-flight sign-in or refresh. */
  async value(signal?: AbortSignal): Promise<string> {
    return this.#valueFor(await waitUnlessAborted(this.#source.getToken(), signal));
  }

  /**
   * The API answered 401 to a request that carried `sentValue`: tell the provider (it refreshes once however
   * many requests report the same token, and ignores a token it has already replaced) and wait for the next.
   */
  valueAfterUnauthorized(sentValue: string, signal?: AbortSignal): Promise<string> {
    this.#source.invalidate(sentValue.slice(this.#prefix.length));
    return this.value(signal);
  }

  /**
   * Whether a header value is one this adapter set (a retried or redirected request carries it along),
   * as opposed to a value the caller chose, which adapters leave alone.
   */
  isIssued(value: unknown): boolean {
    return typeof value === 'string' && this.#issued.includes(value);
  }

  #valueFor(token: string): string {
    if (token !== this.#lastToken) {
      this.#lastToken = token;
      this.#lastValue = this.#prefix + token;
      if (this.#issued.unshift(this.#lastValue) > ISSUED_MEMORY) this.#issued.pop();
    }
    return this.#lastValue;
  }
}
