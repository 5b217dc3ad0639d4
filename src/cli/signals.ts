/** How the executables stop on SIGINT/SIGTERM: at once, with the shell's exit code for the signal. */
import { raceSignal } from '../auth/deadline.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal number, as a shell reports a process ended by that signal. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** After a signal, the command has this long to wind down (close sockets, flush output) before a hard exit. */
export const SIGNAL_GRACE_MS = 1_000;

/** The command was stopped by a signal (the reason of `CliIo.signal` when the process got one). */
export class InterruptedError extends Error {
  readonly signal: StopSignal;
  constructor(signal: StopSignal) {
    super(`interrupted by ${signal}.`);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** The interruption `signal` carries: its reason when that is one, else SIGINT (a plain `abort()`). */
export function interruptionOf(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT');
}

/**
 * Settles like `work`, or rejects with an `InterruptedError` as soon as `signal` aborts. `work` is not
 * stopped by this; the caller closes what it started (e.g. `provider.close()`).
 */
export function interruptible<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? work : raceSignal(work, signal, () => interruptionOf(signal));
}

/** The parts of `process` the signal handling uses (a fake in tests). */
export interface SignalTarget {
  on(event: StopSignal, listener: () => void): unknown;
  exit(code: number): never | void;
  stdin?: { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };
}

/**
 * Stops on the first SIGINT or SIGTERM: aborts `stop` with an `InterruptedError` (the running command
 * settles and the caller exits with its code), puts a raw-mode terminal back to normal, and exits with
 * 130/143 after `graceMs` if the command has not finished by then. A second signal exits at once.
 */
export function stopOnSignals(target: SignalTarget, stop: AbortController, graceMs = SIGNAL_GRACE_MS): void {
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (signal: StopSignal): void => {
    const code = SIGNAL_EXIT_CODES[signal];
    if (target.stdin?.isTTY === true && target.stdin.isRaw === true) target.stdin.setRawMode?.(false);
    if (stop.signal.aborted) {
      clearTimeout(grace);
      target.exit(code);
      return;
    }
    stop.abort(new InterruptedError(signal));
    // Not unref'd: a command stuck on nothing that keeps the loop alive must still end with this code.
    grace = setTimeout(() => target.exit(code), graceMs);
  };
  target.on('SIGINT', () => onSignal('SIGINT'));
  target.on('SIGTERM', () => onSignal('SIGTERM'));
}
