import type { CognitoAuthError } from '../errors.js';
import { isRetryable } from './aws-errors.js';
import { abortableSleep, throwIfAborted } from './deadline.js';

export interface RetryPolicy {
  /** Attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };

/** "Full jitter" backoff: a uniform delay in [0, min(max, base * 2^attempt)). `attempt` starts at 0. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export interface RetryHooks {
  onRetry?: (info: { attempt: number; delayMs: number; error: CognitoAuthError }) => void;
  random?: () => number;
  /** Ends a back-off wait at once (the provider's `close()`), with an `AbortedError`. */
  signal?: AbortSignal;
}

/**
 * Runs `call` up to `policy.maxAttempts` times while it fails with a retryable error (throttling,
 * 5xx, network). Anything else, and the last failure, is thrown as is.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  call: () => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      throwIfAborted(hooks.signal);
      return await call();
    } catch (error) {
      if (attempt + 1 >= policy.maxAttempts || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(policy, attempt, hooks.random);
      hooks.onRetry?.({ attempt: attempt + 1, delayMs, error: error as CognitoAuthError });
      await abortableSleep(delayMs, hooks.signal);
    }
  }
}
