export { waitUnlessAborted } from '../auth/deadline.js';

/** The caller's signal when it is a real `AbortSignal` (clients also accept look-alikes we cannot listen to). */
export function asAbortSignal(signal: unknown): AbortSignal | undefined {
  return signal instanceof AbortSignal ? signal : undefined;
}
