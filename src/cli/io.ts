/** The streams and environment a CLI run uses: the real process, or fakes in tests. */

/** A readable stream that may be a terminal (then `setRawMode` turns echo off for a password prompt). */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  /**
   * Ends the running command: the process entry point aborts it on the first SIGINT/SIGTERM, with an
   * `InterruptedError` as the reason (the exit code is then 130 or 143; `emulator` closes and exits 0).
   */
  signal?: AbortSignal;
  /** What `--version` prints (the entry point reads it from package.json). */
  version?: string;
}

/** Exit codes, documented in `--help` and in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** Cognito refused the sign-in, or a token failed verification. */
  refused: 1,
  /** Bad or missing arguments or options. */
  usage: 2,
  /** Cognito or the JWKS could not be reached, or answered with a service error or throttling. */
  unavailable: 3,
  /** Cancelled at a prompt (Ctrl-C / Ctrl-D), or interrupted by SIGINT. */
  cancelled: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The user cancelled a prompt. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
