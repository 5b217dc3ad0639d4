import type { TokenSource } from '../../src/tokens/token-source.js';
import type { JwtIssuer } from './jwt-issuer.js';

/**
 * Test-only TokenSource with the provider's contract: `getToken()` returns the same settled promise while the
 * token is fresh; otherwise one shared "refresh" (signing a new JWT after `refreshDelayMs`) serves every caller.
 * `invalidate(token)` ignores tokens that are no longer current. Counts refreshes; can be told to fail.
 */
export class TestTokenSource implements TokenSource {
  refreshes = 0;
  getTokenCalls = 0;
  peekCalls = 0;
  refreshDelayMs: number;
  /** The next refreshes reject with this error (then it is cleared) when set. */
  failWith: Error | undefined;
  readonly #issuer: JwtIssuer;
  #token: string | undefined;
  #settled: Promise<string> | undefined;
  #flight: Promise<string> | undefined;

  constructor(issuer: JwtIssuer, { refreshDelayMs = 20 }: { refreshDelayMs?: number } = {}) {
    this.#issuer = issuer;
    this.refreshDelayMs = refreshDelayMs;
  }

  get current(): string | undefined {
    return this.#token;
  }

  /** Pre-loads a token without counting a refresh. */
  async prime(): Promise<string> {
    const token = await this.#issuer.sign();
    this.#token = token;
    this.#settled = Promise.resolve(token);
    return token;
  }

  /** The token is due for refresh (as when `exp` is near): the next getToken() refreshes. */
  expire(): void {
    this.#settled = undefined;
  }

  getToken(): Promise<string> {
    this.getTokenCalls += 1;
    if (this.#settled !== undefined) return this.#settled;
    this.#flight ??= this.#refresh();
    return this.#flight;
  }

  peekToken(): string | undefined {
    this.peekCalls += 1;
    return this.#settled === undefined ? undefined : this.#token;
  }

  invalidate(token?: string): void {
    if (token !== undefined && token !== this.#token) return;
    this.#settled = undefined;
  }

  async #refresh(): Promise<string> {
    this.refreshes += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
      if (this.failWith !== undefined) {
        const error = this.failWith;
        this.failWith = undefined;
        throw error;
      }
      const token = await this.#issuer.sign();
      this.#token = token;
      this.#settled = Promise.resolve(token);
      return token;
    } finally {
      this.#flight = undefined;
    }
  }
}
