/**
 * Runs CPU-heavy SRP steps one per event-loop turn. Each exponentiation step is short (a few ms), but many
 * sign-ins whose responses arrive together would otherwise run back to back inside one timers or poll phase
 * and block the loop for all of them. Queued tasks run in FIFO order, one per `setImmediate` turn, so timers
 * and I/O run between any two of them.
 */

type Job = () => void;

const queue: Job[] = [];
let scheduled = false;

function runNext(): void {
  scheduled = false;
  const job = queue.shift();
  if (queue.length > 0) schedule();
  job?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runNext);
}

/**
 * Runs `task` on a later event-loop turn, after the tasks queued before it, and settles with its result.
 *
 * @example const claim = await runInTurn(() => computePasswordClaim(input));
 */
export function runInTurn<T>(task: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push(() => {
      try {
        resolve(task());
      } catch (error) {
        reject(error);
      }
    });
    schedule();
  });
}

/** Number of SRP tasks waiting for their turn (for diagnostics and tests). */
export function pendingTurns(): number {
  return queue.length;
}
