/**
 * What the HTTP adapters need from a token provider. `CognitoTokenProvider` implements it; the adapters
 * depend only on this, so one provider serves every client and instance in the process.
 */
export interface TokenSource {
  /**
   * Resolves to a token that is valid now. While the cached token is fresh this returns the same,
   * already-settled promise on every call (no allocation, no I/O); otherwise it joins the single
   * in-flight sign-in or refresh.
   */
  getToken(): Promise<string>;
  /** The cached token if it is fresh, else `undefined`. Never starts I/O; lets adapters skip an await. */
  peekToken(): string | undefined;
  /**
   * The server rejected `token` (HTTP 401). The next `getToken()` will not return it and triggers one
   * refresh, however many callers report the same token. A token that is no longer current is ignored.
   * Without an argument, the current token is invalidated.
   */
  invalidate(token?: string): void;
}
