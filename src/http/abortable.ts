import { raceSignal } from '../auth/deadline.js';

/**
 * Waits for a shared promise, or rejects with `signal.reason` as soon as the caller's signal aborts.
 * The shared promise itself is never cancelled: other callers keep waiting on it.
 */
export function waitUnlessAborted<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? shared : raceSignal(shared, signal, () => signal.reason as Error);
}

/** The caller's signal when it is a real `AbortSignal` (clients also accept look-alikes we cannot listen to). */
export function asAbortSignal(signal: unknown): AbortSignal | undefined {
  return signal instanceof AbortSignal ? signal : undefined;
}
