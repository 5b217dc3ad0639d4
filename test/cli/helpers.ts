import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
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
  version?: string;
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
    ...(options.version === undefined ? {} : { version: options.version }),
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

/** A TCP server on 127.0.0.1 that accepts connections and never answers. */
export async function silentServer(): Promise<{ port: number; connected: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnection: () => void = () => undefined;
  const connected = new Promise<void>((resolveConnected) => (onConnection = resolveConnected));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection();
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  return {
    port,
    connected,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}


/** The executables' sources, run without a build through test/support/source-loader.mjs. */
export const SOURCE_BINS = {
  'cognito-srp-auth': resolve('src/cli/main.ts'),
  'cognito-srp-auth-emulator': resolve('src/testing/cli.ts'),
} as const;

export interface SpawnedCli {
  child: ReturnType<typeof spawn>;
  /** The exit code the process chose; -1 when a signal killed it without a handler. */
  exited: Promise<number>;
  out(): string;
  err(): string;
}

/** Runs an executable from the TypeScript sources in a real child process (stdin ignored). */
export function spawnSource(bin: keyof typeof SOURCE_BINS, args: string[], env: Record<string, string> = {}): SpawnedCli {
  const child = spawn(process.execPath, ['--import', resolve('test/support/source-loader.mjs'), SOURCE_BINS[bin], ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number>((resolveExit) => child.on('close', (code) => resolveExit(code ?? -1)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** Resolves with `promise`, or rejects after `ms` (a bound on a wait, not a timing assertion). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}
