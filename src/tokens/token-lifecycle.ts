import { setMaxListeners } from 'node:events';
import { Mutex } from 'async-mutex';
import { AbortedError, NetworkError } from '../errors.js';
import { abortError, deadline, raceSignal } from '../auth/deadline.js';
import { backoffDelay, type RetryPolicy } from '../auth/retry.js';

/** A token is never served closer than this to its `exp` (capped at a tenth of its lifetime). */
export const EXPIRY_MARGIN_MS = 5_000;

/** What the lifecycle needs to know of a token set: when it was issued and when it expires (ms epoch). */
export interface IssuedTokens {
  readonly expiresAt: number;
  readonly issuedAt: number;
}

/** New tokens, and the event to emit once they are what `getToken()` returns. */
export interface Obtained<T> {
  next: T;
  announce: () => void;
}

export interface ObtainContext<T> {
  /** The tokens to renew: this process's, or the fleet's newest when a shared cache is in use. */
  current: T | undefined;
  /** The token in hand keeps being served while this runs. */
  background: boolean;
  /** Fires at the flight's deadline or on `close()`: pass it to every wait. */
  signal: AbortSignal;
  /** Whether a still-valid token is being served right now (for failure reports). */
  stillServing: () => boolean;
}

/** When a token set is due: refreshed from `refreshAt`, served until `usableUntil` (ms, this host's clock). */
export interface Deadlines {
  refreshAt: number;
  usableUntil: number;
}

/**
 * Runs one sign-in or refresh for the whole fleet (see `SharedFlight`): returns a fresh serialised token set,
 * either one another process cached or the one `obtain` produced as the lock holder.
 */
export interface FlightCoordinator {
  run(params: {
    isFresh: (value: string) => boolean;
    obtain: (cached: string | undefined, signal: AbortSignal) => Promise<string>;
    signal: AbortSignal;
  }): Promise<string>;
  /** Forgets the shared token set (sign-out). */
  forget(signal: AbortSignal): Promise<void>;
}

/** How a token set travels through a `FlightCoordinator`. */
export interface SharedTokens<T> {
  coordinator: FlightCoordinator;
  serialize: (tokens: T, deadlines: Deadlines) => string;
  /** `undefined` for a value that is not a token set of this identity. */
  parse: (value: string) => { tokens: T; deadlines: Deadlines } | undefined;
}

export interface TokenLifecycleOptions<T extends IssuedTokens> {
  /** The string `getToken()` returns for a token set. */
  tokenOf: (tokens: T) => string;
  /** Refresh this long before `exp`, ms (capped at half the lifetime). */
  refreshBeforeMs: number;
  /** Spacing of background attempts after a failure. */
  retry: RetryPolicy;
  /** Bound of one sign-in or refresh as a whole (every call, retry and back-off in it), ms. */
  flightTimeoutMs: number;
  /** Signs in or refreshes. Reports its own failures; the lifecycle only spaces the retries. */
  obtain: (context: ObtainContext<T>) => Promise<Obtained<T>>;
  /** Installed tokens, e.g. to persist them; runs before `announce`. */
  onInstalled?: (tokens: T, background: boolean) => Promise<void>;
  shared?: SharedTokens<T>;
}

/**
 * The part every token provider shares: the cached-token hot path, one flight at a time, refresh ahead of
 * `exp` in the background, spaced retries, deadlines, and `close()`.
 *
 * - `getToken()` is one clock compare while the token is fresh and returns the same settled promise.
 * - Between `refreshAt` and `usableUntil` the token keeps being served while one background flight renews it.
 * - Every flight ends by `flightTimeoutMs` at the latest; callers that join it wait no longer than that.
 * - `close()` aborts the flight in progress and its back-off waits; waiting callers get an `AbortedError`.
 */
export class TokenLifecycle<T extends IssuedTokens> {
  readonly #options: TokenLifecycleOptions<T>;
  readonly #mutex = new Mutex();
  #lifetime = lifetimeController();

  #tokens: T | undefined;
  #token: string | undefined;
  #tokenPromise: Promise<string> | undefined;
  /** Before this instant (ms) the token is fresh: served without any other check. */
  #refreshAt = 0;
  /** Before this instant the token is still served while a refresh runs in the background. */
  #usableUntil = 0;
  #flight: Promise<string> | undefined;
  /** Bumped by `forget()`, so a background flight that was already queued does not sign in again. */
  #generation = 0;
  #backgroundFailures = 0;
  #nextBackgroundAttemptAt = 0;
  /** The token an API refused (401): a shared cache still holding it does not count as fresh. */
  #invalidated: string | undefined;

  constructor(options: TokenLifecycleOptions<T>) {
    this.#options = options;
  }

  getToken(): Promise<string> {
    if (Date.now() < this.#refreshAt) return this.#tokenPromise!;
    return this.#getTokenSlow();
  }

  peekToken(): string | undefined {
    return Date.now() < this.#refreshAt ? this.#token : undefined;
  }

  invalidate(token?: string): void {
    if (this.#token === undefined || (token !== undefined && token !== this.#token)) return;
    this.#invalidated = this.#token;
    this.#refreshAt = 0;
    this.#usableUntil = 0;
    this.#nextBackgroundAttemptAt = 0;
  }

  /** The token set in memory (not checked for freshness). */
  get tokens(): T | undefined {
    return this.#tokens;
  }

  /** Aborted by `close()`; a new one serves the calls made after it. */
  get signal(): AbortSignal {
    return this.#lifetime.signal;
  }

  /**
   * Sign-out: no flight queued from now on renews the session; once the flight in progress (if any) is done,
   * the tokens in memory (and the fleet's shared copy) are dropped and `work` runs with them, before any new
   * flight starts. Until then the current token keeps being served.
   */
  forget<R>(work: (tokens: T | undefined) => Promise<R>): Promise<R> {
    this.#generation++;
    this.#flight = undefined;
    return this.#mutex.runExclusive(async () => {
      const tokens = this.#tokens;
      this.#tokens = undefined;
      this.#token = undefined;
      this.#tokenPromise = undefined;
      this.#refreshAt = 0;
      this.#usableUntil = 0;
      const shared = this.#options.shared;
      if (shared !== undefined) await shared.coordinator.forget(this.signal);
      return work(tokens);
    });
  }

  /**
   * Aborts the flight in progress, its calls and back-off waits: callers waiting on it get an `AbortedError`.
   * Nothing is left pending, so the process can exit at once. Later calls start afresh.
   */
  close(): void {
    const closing = this.#lifetime;
    this.#lifetime = lifetimeController();
    this.#flight = undefined;
    closing.abort(new AbortedError('The provider was closed while a sign-in or refresh was in progress.'));
  }

  #getTokenSlow(): Promise<string> {
    const now = Date.now();
    if (this.#tokenPromise !== undefined && now < this.#usableUntil) {
      if (this.#flight === undefined && now >= this.#nextBackgroundAttemptAt) this.#startFlight(true);
      return this.#tokenPromise;
    }
    return this.#flight ?? this.#startFlight(false);
  }

  #startFlight(background: boolean): Promise<string> {
    const generation = this.#generation;
    const { flightTimeoutMs } = this.#options;
    const { signal, release } = deadline(flightTimeoutMs, this.#lifetime.signal);
    const flight = this.#mutex.runExclusive(() =>
      // The race frees the mutex at the deadline even when the work cannot be cancelled (a user's callback).
      raceSignal(this.#run(background, generation, signal), signal, () => {
        this.#spaceNextAttempt();
        return this.#deadlineError(signal, background);
      }),
    );
    this.#flight = flight;
    // Cleared before any caller resumes, so the next call after a failure starts a new attempt; a flight
    // left over from before a forget() or close() never clears its successor.
    const settled = (): void => {
      release();
      if (this.#flight === flight) this.#flight = undefined;
    };
    // Background failures are reported through events; the flight must never be an unhandled rejection.
    flight.then(settled, settled);
    return flight;
  }

  #deadlineError(signal: AbortSignal, background: boolean): Error {
    const what = background ? 'The background refresh' : 'The sign-in or refresh';
    const ms = this.#options.flightTimeoutMs;
    const error = abortError(signal, what, ms) ?? new AbortedError(`${what} was aborted.`);
    if (error instanceof AbortedError) return error;
    return new NetworkError(`${what} did not complete within ${ms} ms (its calls x retry.maxAttempts x timeoutMs).`);
  }

  async #run(background: boolean, generation: number, signal: AbortSignal): Promise<string> {
    // A background flight only renews a live session: one queued behind forget() has nothing to renew.
    if (background && (generation !== this.#generation || this.#tokens === undefined)) {
      throw new AbortedError('Signed out before the background refresh ran; nothing was refreshed.');
    }
    const stillServing = (): boolean => this.#tokenPromise !== undefined && Date.now() < this.#usableUntil;
    try {
      const context = { background, signal, stillServing };
      const { tokens, deadlines, announce } = await this.#obtainShared(context);
      if (signal.aborted) throw this.#deadlineError(signal, background);
      if (generation !== this.#generation) {
        // Signed out while this ran: never served, but handed to the forget() queued behind this flight, so the
        // session this sign-in or refresh made is signed out too instead of staying live in Cognito.
        this.#tokens = tokens;
        const what = background ? 'The background refresh' : 'The sign-in or refresh';
        throw new AbortedError(`${what} was discarded: signOut() was called while it ran.`);
      }
      this.#install(tokens, deadlines);
      this.#backgroundFailures = 0;
      this.#nextBackgroundAttemptAt = 0;
      await this.#options.onInstalled?.(tokens, background);
      // Listeners run once the new token is what getToken() returns.
      announce?.();
      return this.#token!;
    } catch (error) {
      // After the deadline the race above has spaced the next attempt already.
      if (stillServing() && !signal.aborted) this.#spaceNextAttempt();
      throw error;
    }
  }

  /** Without a shared cache: this process's own flight. With one: the fleet's (one holder obtains for all). */
  async #obtainShared(
    context: Omit<ObtainContext<T>, 'current'>,
  ): Promise<{ tokens: T; deadlines: Deadlines; announce: (() => void) | undefined }> {
    const { obtain, shared } = this.#options;
    if (shared === undefined) {
      const { next, announce } = await obtain({ ...context, current: this.#tokens });
      return { tokens: next, deadlines: this.#deadlinesOf(next), announce };
    }
    let mine: { value: string; tokens: T; deadlines: Deadlines; announce: () => void } | undefined;
    const value = await shared.coordinator.run({
      signal: context.signal,
      isFresh: (candidate) => {
        const entry = shared.parse(candidate);
        return (
          entry !== undefined &&
          Date.now() < entry.deadlines.refreshAt &&
          this.#options.tokenOf(entry.tokens) !== this.#invalidated
        );
      },
      obtain: async (cached, signal) => {
        const current = cached === undefined ? undefined : shared.parse(cached)?.tokens;
        const { next, announce } = await obtain({ ...context, signal, current: current ?? this.#tokens });
        const deadlines = this.#deadlinesOf(next);
        const serialized = shared.serialize(next, deadlines);
        mine = { value: serialized, tokens: next, deadlines, announce };
        return serialized;
      },
    });
    if (mine !== undefined && mine.value === value) return mine;
    const entry = shared.parse(value);
    if (entry === undefined) throw new AbortedError('The shared token cache returned a value that is not a token set.');
    return { ...entry, announce: undefined };
  }

  /** Spaced by at least the base delay, so a burst of calls after a failure does not retry at once. */
  #spaceNextAttempt(): void {
    const { retry } = this.#options;
    const delay = Math.max(retry.baseDelayMs, backoffDelay(retry, this.#backgroundFailures++));
    this.#nextBackgroundAttemptAt = Date.now() + delay;
  }

  /**
   * Deadlines come from the token's lifetime (exp - iat) on this host's clock, so a host clock that is off
   * from Cognito's neither keeps a token past its real expiry nor refreshes in a loop.
   */
  #deadlinesOf(tokens: T): Deadlines {
    const now = Date.now();
    const lifetime = Math.max(0, tokens.expiresAt - tokens.issuedAt);
    const expiresLocal = now + lifetime;
    const usableUntil = expiresLocal - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
    const before = Math.min(this.#options.refreshBeforeMs, lifetime / 2);
    return { refreshAt: Math.min(expiresLocal - before, usableUntil), usableUntil };
  }

  #install(tokens: T, deadlines: Deadlines): void {
    this.#tokens = tokens;
    this.#token = this.#options.tokenOf(tokens);
    this.#tokenPromise = Promise.resolve(this.#token);
    this.#usableUntil = deadlines.usableUntil;
    this.#refreshAt = deadlines.refreshAt;
  }
}

/** The provider's lifetime: every call and flight listens to it (one listener each while it runs). */
function lifetimeController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
