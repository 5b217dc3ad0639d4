import { setMaxListeners } from 'node:events';
import { AbortedError, NetworkError } from '../errors.js';

/** Deadline of each Cognito call (and JWKS fetch) unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A signal that fires with a `TimeoutError` after `timeoutMs`, or with `parent`'s reason when `parent` fires
 * first. Not `AbortSignal.any([AbortSignal.timeout(ms), parent])`: on Node 20 the timeout signal inside it is held
 * only weakly and can be garbage-collected before it fires (seen: a first call after a busy start-up waited for
 * the socket timeout instead). Here the (unref'd) timer holds the controller, so the deadline always fires.
 */
export function deadlineSignal(timeoutMs: number, parent?: AbortSignal): AbortSignal {
  return deadline(timeoutMs, parent).signal;
}

/**
 * `deadlineSignal`, with `release()` to call once the work is done: it clears the timer and the listener on
 * `parent` at once (otherwise they go when the deadline passes).
 */
export function deadline(timeoutMs: number, parent?: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  // The signal serves a whole flight or provider lifetime, one listener per call made under it.
  setMaxListeners(0, controller.signal);
  if (parent?.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const onParent = (): void => {
    clearTimeout(timer);
    controller.abort(parent!.reason);
  };
  const timer = setTimeout(() => {
    parent?.removeEventListener('abort', onParent);
    controller.abort(new DOMException(`The operation did not complete within ${timeoutMs} ms.`, 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}


/**
 * The typed error for a call that `signal` ended: `AbortedError` when the provider was closed (or the caller
 * aborted), `NetworkError` naming the call when its deadline passed. `undefined` when `signal` has not fired.
 */
export function abortError(signal: AbortSignal, what: string, timeoutMs: number): Error | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  // By name: the DOMException may come from another realm (vm contexts, test runners).
  if ((reason as { name?: unknown } | null)?.name === 'TimeoutError') {
    return new NetworkError(`${what} did not answer within ${timeoutMs} ms (timeoutMs).`, { cause: reason });
  }
  if (reason instanceof AbortedError) return reason;
  return new AbortedError(`${what} was aborted: the provider was closed.`, { cause: reason });
}

/** Resolves after `ms`, or rejects with an `AbortedError` as soon as `signal` fires (the timer is cleared). */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(asAborted(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(asAborted(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `work`, or rejects when `signal` fires first (the work itself goes on unobserved; its
 * rejection is swallowed). Bounds waits on things that cannot be cancelled, such as a user's callback.
 */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/**
 * Throws an `AbortedError` when `signal` has fired. For work that resumes after a wait it could not cancel (a
 * user's callback, a store): once its flight is closed or past its deadline, it must not go on to call Cognito.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw asAborted(signal);
}

function asAborted(signal: AbortSignal): AbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortedError ? reason : new AbortedError('Aborted: the provider was closed.', { cause: reason });
}

/**
 * Waits for a shared promise, or rejects with `signal.reason` as soon as the caller's signal aborts.
 * The shared promise itself is never cancelled: other callers keep waiting on it.
 */
export function waitUnlessAborted<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? shared : raceSignal(shared, signal, () => signal.reason as Error);
}
