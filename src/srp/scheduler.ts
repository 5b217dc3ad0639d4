/**
 * Runs CPU-heavy SRP steps one per event-loop turn. Each exponentiation step is short (a few ms), but many
 * sign-ins whose responses arrive together would otherwise run back to back inside one timers or poll phase
 * and block the loop for all of them. Queued tasks (the answers of sign-ins and the EphemeralPool's refills alike)
 * run in FIFO order, one per `setImmediate` turn, so timers and I/O run between any two of them.
 */

interface Job {
  run: () => void;
  /** Nobody waits for it (a pool refill ahead of need): it must not keep the process alive. */
  background: boolean;
}

const queue: Job[] = [];
let immediate: NodeJS.Immediate | undefined;

function runNext(): void {
  immediate = undefined;
  const job = queue.shift();
  if (queue.length > 0) schedule();
  job?.run();
}

/** One turn for the next job; it holds the process only while a job someone waits for is queued. */
function schedule(): void {
  immediate ??= setImmediate(runNext);
  if (queue.some((job) => !job.background)) immediate.ref();
  else immediate.unref();
}

/**
 * Runs `task` on a later event-loop turn, after the tasks queued before it, and settles with its result.
 *
 * @example const claim = await runInTurn(() => computePasswordClaim(input));
 */
export function runInTurn<T>(task: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push({
      run: () => {
        try {
          resolve(task());
        } catch (error) {
          reject(error);
        }
      },
      background: false,
    });
    schedule();
  });
}

/** A job queued by `queueInTurn`. */
export interface QueuedTurn {
  /** Someone waits for the job now: it keeps the process alive until it has run. */
  ref(): void;
}

/** Queues `run` for a later turn as a background job (see `runInTurn`); `ref()` makes it one someone waits for. */
export function queueInTurn(run: () => void): QueuedTurn {
  const job: Job = { run, background: true };
  queue.push(job);
  schedule();
  return {
    ref: () => {
      if (!job.background) return;
      job.background = false;
      if (queue.includes(job)) schedule();
    },
  };
}

/** Number of SRP tasks waiting for their turn (for diagnostics and tests). */
export function pendingTurns(): number {
  return queue.length;
}
