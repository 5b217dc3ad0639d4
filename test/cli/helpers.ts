import { PassThrough } from 'node:stream';
import type { CliInput, CliIo, CliOutput } from '../../src/cli/program.js';
import type { CognitoEmulator } from '../../src/testing/index.js';

export const PASSWORD = 'Cli-Corr3ct-Horse-Battery!';

/** A captured stdout/stderr; `isTTY` makes the CLI draw progress on it. */
export class Captured implements CliOutput {
  readonly chunks: string[] = [];
  isTTY: boolean;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** A fake terminal stdin: records raw-mode switches; `type()` delivers keystrokes once the prompt is shown. */
export class FakeTerminal extends PassThrough implements CliInput {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

/** Non-terminal stdin with `text` (or nothing) in it, already ended. */
export function pipedStdin(text = ''): CliInput {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: CliInput;
  env?: Record<string, string | undefined>;
  stderrTty?: boolean;
  signal?: AbortSignal;
}

/** Runs `main` in-process. */
export async function runCli(
  main: (argv: readonly string[], io: CliIo) => Promise<number>,
  argv: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const stdout = new Captured();
  const stderr = new Captured(options.stderrTty ?? false);
  const io: CliIo = {
    stdin: options.stdin ?? pipedStdin(),
    stdout,
    stderr,
    env: options.env ?? {},
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The flags that point the CLI at `emu`. */
export function poolFlags(emu: CognitoEmulator): string[] {
  return ['--user-pool-id', emu.userPoolId, '--client-id', emu.clientId, '--endpoint', emu.endpoint];
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Resolves once `captured` contains `text` (polls; the CLI writes prompts synchronously). */
export async function waitForText(captured: () => string, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!captured().includes(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(captured())}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
