import type { Secret } from '../secret.js';
import { generateTotp, TOTP_STEP_SECONDS } from './totp.js';

/** A TotpAnswerer for one sign-in when a TOTP secret is configured; `onRetry` reports the wait. */
export function totpAnswerer(
  secret: Secret | undefined,
  onRetry: (event: TotpRetryEvent) => void,
  signal?: AbortSignal,
): TotpAnswerer | undefined {
  return secret === undefined ? undefined : new TotpAnswerer(secret, { onRetry, ...(signal === undefined ? {} : { signal }) });
}

const STEP_MS = TOTP_STEP_SECONDS * 1000;

/** Reported when a computed TOTP code was refused and the sign-in waits for the next 30-second step. */
export interface TotpRetryEvent {
  /** How long the sign-in waits before answering once more (at most one step). */
  waitMs: number;
}

export interface TotpAnswererOptions {
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** Waits `ms`; default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before waiting for the next step. */
  onRetry?: (event: TotpRetryEvent) => void;
  /** Ends the wait for the next step early (the provider closing): `retryCode()` rejects with the reason. */
  signal?: AbortSignal;
}

function timer(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(handle);
      reject(signal!.reason);
    };
    const handle = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * TOTP codes for one sign-in, without assumptions about what Cognito accepted before: the code of the current
 * step first; after a CodeMismatchException for it (the code was already used, by this process or another one
 * sharing the secret), `retryCode()` waits for the next step once and returns its code. Bounded: one retry, a
 * wait of at most one step.
 */
export class TotpAnswerer {
  readonly #secret: Secret;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRetry: ((event: TotpRetryEvent) => void) | undefined;
  #step: number | undefined;
  #retried = false;

  constructor(secret: Secret, options: TotpAnswererOptions = {}) {
    this.#secret = secret;
    this.#now = options.now ?? Date.now;
    const { signal } = options;
    this.#sleep = options.sleep ?? ((ms) => timer(ms, signal));
    this.#onRetry = options.onRetry;
  }

  /** The code for the current step. */
  code(): string {
    this.#step = Math.floor(this.#now() / STEP_MS);
    return generateTotp(this.#secret.reveal(), this.#step * STEP_MS);
  }

  /**
   * After the code from `code()` was refused: waits for the step after it (at most one step) and returns that
   * step's code; undefined when the one retry is spent or no code was computed.
   */
  async retryCode(): Promise<string | undefined> {
    if (this.#retried || this.#step === undefined) return undefined;
    this.#retried = true;
    const next = this.#step + 1;
    const waitMs = Math.min(STEP_MS, Math.max(0, next * STEP_MS - this.#now()));
    this.#onRetry?.({ waitMs });
    if (waitMs > 0) await this.#sleep(waitMs);
    this.#step = Math.max(next, Math.floor(this.#now() / STEP_MS));
    return generateTotp(this.#secret.reveal(), this.#step * STEP_MS);
  }
}
