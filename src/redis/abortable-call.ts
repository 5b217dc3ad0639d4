import { raceSignal } from '../auth/deadline.js';
import { TokenCacheError } from '../errors.js';

/**
 * Runs `call` and settles with it, or rejects with a `TokenCacheError` (aborted) as soon as `signal` aborts;
 * any other failure becomes a `TokenCacheError` naming `operation`. The Redis command itself is not
 * cancelled (the client library offers no way to); its late outcome is ignored.
 */
export function abortableCall<T>(operation: string, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedError(operation, signal));
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    pending = Promise.reject(error);
  }
  const typed = pending.catch((error: unknown) => {
    throw error instanceof TokenCacheError ? error : failedError(operation, error);
  });
  return raceSignal(typed, signal, () => abortedError(operation, signal));
}

export function abortedError(operation: string, signal: AbortSignal): TokenCacheError {
  const reason = signal.reason as { name?: unknown } | undefined;
  const why = reason?.name === 'TimeoutError' ? 'its deadline passed' : 'it was aborted';
  return new TokenCacheError(operation, `Token cache ${operation} did not complete: ${why}.`, { cause: signal.reason, aborted: true });
}

function failedError(operation: string, error: unknown): TokenCacheError {
  const detail = error instanceof Error ? error.message : String(error);
  return new TokenCacheError(operation, `Token cache ${operation} failed: ${detail}`, { cause: error });
}
