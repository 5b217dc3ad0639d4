import { generateTotp, TOTP_STEP_SECONDS } from '../auth/totp.js';
import { notAuthorized } from './errors.js';
import type { ResolvedEmulatorOptions } from './options.js';

/** Consecutive failures allowed before the first temporary lockout (AWS: "after five failed ... attempts"). */
export const FAILURES_BEFORE_LOCKOUT = 5;
/** The longest temporary lockout ("up to a maximum of approximately 15 minutes"). */
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
/** Without a failed attempt for this long after a lockout, the count starts again at zero. */
const RESET_AFTER_MS = 15 * 60 * 1000;
/** AWS's wording for an attempt made during a lockout. */
export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';

interface FailureRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Cognito's failed sign-in lockout, as AWS documents it: after n >= 5 consecutive failed password proofs or MFA
 * codes the user is locked out for 2^(n-5) seconds (capped near 15 minutes). Attempts during a lockout answer
 * `NotAuthorizedException: Password attempts exceeded` and do not count. A successful sign-in, or 15 minutes
 * without a failure, resets the count. Also remembers the TOTP steps a user has spent: a code is accepted once.
 */
export class SignInGuard {
  readonly #failures = new Map<string, FailureRecord>();
  readonly #usedTotpSteps = new Map<string, Set<number>>();

  constructor(private readonly options: ResolvedEmulatorOptions) {}

  #record(username: string): FailureRecord | undefined {
    const record = this.#failures.get(username);
    if (record !== undefined && this.options.clock() - record.lastFailureAt >= RESET_AFTER_MS) {
      this.#failures.delete(username);
      return undefined;
    }
    return record;
  }

  /** @throws NotAuthorizedException `Password attempts exceeded` while `username` is locked out. */
  checkNotLocked(username: string): void {
    if (!this.options.lockout) return;
    const record = this.#record(username);
    if (record !== undefined && this.options.clock() < record.lockedUntil) {
      throw notAuthorized(PASSWORD_ATTEMPTS_EXCEEDED);
    }
  }

  /** Counts one failed password proof or MFA code; from the fifth on, starts a lockout. */
  recordFailure(username: string): void {
    if (!this.options.lockout) return;
    const now = this.options.clock();
    const record = this.#record(username) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    record.failures += 1;
    record.lastFailureAt = now;
    if (record.failures >= FAILURES_BEFORE_LOCKOUT) {
      const exponent = Math.min(record.failures - FAILURES_BEFORE_LOCKOUT, 20);
      record.lockedUntil = now + Math.min(1000 * 2 ** exponent, MAX_LOCKOUT_MS);
    }
    this.#failures.set(username, record);
  }

  recordSuccess(username: string): void {
    this.#failures.delete(username);
  }

  /**
   * Whether `code` is a TOTP code of `secret` for a step within one of `times` (±1 step), not used before by
   * `username`; a matching step is spent. With `allowTotpReuse` steps are never spent.
   */
  acceptTotp(username: string, secret: string, code: string, times: readonly number[]): boolean {
    if (!/^\d{6}$/.test(code)) return false;
    const stepMs = TOTP_STEP_SECONDS * 1000;
    const used = this.#usedTotpSteps.get(username) ?? new Set<number>();
    const candidates = new Set<number>();
    for (const time of times) {
      const current = Math.floor(time / stepMs);
      for (const step of [current - 1, current, current + 1]) candidates.add(step);
    }
    for (const step of candidates) {
      if (generateTotp(secret, step * stepMs) !== code) continue;
      if (used.has(step) && !this.options.allowTotpReuse) continue;
      if (!this.options.allowTotpReuse) {
        used.add(step);
        // Only the steps still inside some acceptance window matter.
        const oldest = Math.min(...candidates);
        for (const spent of used) if (spent < oldest - 2) used.delete(spent);
        this.#usedTotpSteps.set(username, used);
      }
      return true;
    }
    return false;
  }
}
