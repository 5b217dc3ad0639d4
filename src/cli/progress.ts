import type { CliOutput } from './io.js';

/** After this long, a waiting step shows a ticking elapsed time. */
export const PROGRESS_TICK_MS = 1_000;

/**
 * Status lines on stderr, only when stderr is a terminal (piped or captured output stays clean).
 * `step()` shows what is being waited for; it ticks the elapsed seconds while the wait lasts, and
 * is cleared before a prompt or the next line.
 */
export class Progress {
  readonly #out: CliOutput;
  readonly #enabled: boolean;
  #label: string | undefined;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: CliOutput) {
    this.#out = out;
    this.#enabled = out.isTTY === true;
  }

  /** Shows `label…` until the next call; adds the elapsed seconds every second. */
  step(label: string): void {
    if (!this.#enabled) return;
    this.clear();
    this.#label = label;
    this.#startedAt = Date.now();
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), PROGRESS_TICK_MS);
    this.#timer.unref();
  }

  /** A finished fact, on its own line. */
  note(text: string): void {
    if (!this.#enabled) return;
    this.clear();
    this.#out.write(`${text}\n`);
  }

  /** Removes the status line (before a prompt, an error, or the result). */
  clear(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#label !== undefined && this.#enabled) this.#out.write('\r\u001b[2K');
    this.#label = undefined;
  }

  #draw(): void {
    const seconds = Math.floor((Date.now() - this.#startedAt) / 1000);
    const suffix = seconds >= 1 ? ` ${seconds} s` : '';
    this.#out.write(`\r\u001b[2K${this.#label ?? ''}…${suffix}`);
  }
}
