import { CognitoWireError } from './errors.js';

/** Calls allowed per user and operation within the window before LimitExceededException. */
export const DELIVERY_ATTEMPTS_PER_WINDOW = 5;
const WINDOW_MS = 60 * 60 * 1000;

export function limitExceeded(): CognitoWireError {
  return new CognitoWireError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
}

/** A sliding one-hour window of calls per key (e.g. `ForgotPassword:alice`). */
export class AttemptLimiter {
  readonly #calls = new Map<string, number[]>();

  constructor(private readonly clock: () => number) {}

  /** Counts one call. @throws LimitExceededException when the window already holds the maximum. */
  hit(key: string): void {
    const now = this.clock();
    const recent = (this.#calls.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= DELIVERY_ATTEMPTS_PER_WINDOW) {
      this.#calls.set(key, recent);
      throw limitExceeded();
    }
    recent.push(now);
    this.#calls.set(key, recent);
  }
}
