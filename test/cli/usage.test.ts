/**
 * Both executables, in-process: errors name the flag the user typed, the same mistake gives the same
 * exit code, `--version`, a busy port, and stopping on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { main } from '../../src/cli/program.js';
import { InterruptedError, stopOnSignals, type StopSignal } from '../../src/cli/signals.js';
import { packageVersion } from '../../src/cli/version.js';
import { CognitoConfigError } from '../../src/errors.js';
import { main as emulatorMain } from '../../src/testing/cli-main.js';
import { PASSWORD, runCli, silentServer } from './helpers.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('errors name the flag the user typed', () => {
  const pool = ['--client-id', 'client1', '--username', 'svc'];
  const env = { COGNITO_PASSWORD: PASSWORD };

  test.each([
    [['--user-pool-id', 'no-underscore', ...pool], '--user-pool-id', 'userPoolId'],
    [['--user-pool-id', 'eu-west-1_abc', '--client-id', 'bad id!', '--username', 'svc'], '--client-id', 'clientId'],
    [['--user-pool-id', 'eu-west-1_abc', '--region', 'Not A Region', ...pool], '--region', 'region'],
  ])('token %j → exit 2 naming %s', async (args, flag, option) => {
    const r = await runCli(main, ['token', ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: Invalid option \`${flag}\`: [^\\n]+\\n$`));
    expect(r.stderr).not.toContain(`\`${option}\``);
    expect(r.stderr).not.toContain(PASSWORD);
  });

  test('emulator option errors name the emulator flag (--pool-name, --mfa, --access-token-validity)', async () => {
    for (const [args, flag] of [
      [['--pool-name', 'bad-name!'], '--pool-name'],
      [['--mfa', 'sometimes'], '--mfa'],
      [['--access-token-validity', '-5'], '--access-token-validity'],
    ] as const) {
      const r = await runCli(main, ['emulator', '--port', '0', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: Invalid option \`${flag}\`: [^\\n]+\\n$`));
    }
  });
});

describe('the same mistake gives the same exit code (2) in token, claims and emulator', () => {
  test.each([
    ['an unknown flag', ['--bogus'], '--bogus'],
    ['a missing value', ['--region'], '--region'],
  ])('%s', async (_what, args, flag) => {
    for (const command of ['token', 'claims', 'emulator']) {
      const r = await runCli(main, [command, ...args]);
      expect({ command, code: r.code }).toEqual({ command, code: 2 });
      expect(r.stderr).toMatch(new RegExp(`^error: Invalid option \`${flag}\`: [^\\n]+\\n$`));
    }
  });

  test('a stray positional is refused without repeating it (emulator)', async () => {
    const error = await emulatorMain(['some-secret'], { stdout: () => undefined, stderr: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as Error).message).not.toContain('some-secret');
  });
});

describe('--version', () => {
  test('cognito-srp-auth --version and cognito-srp-auth emulator --version print the version the entry point read', async () => {
    expect(await runCli(main, ['--version'], { version: '9.8.7' })).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
    expect(await runCli(main, ['emulator', '--version'], { version: '9.8.7' })).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
    const out: string[] = [];
    await expect(emulatorMain(['-V'], { stdout: (t) => out.push(t), stderr: () => undefined, version: '9.8.7' })).resolves.toBeUndefined();
    expect(out.join('')).toBe('9.8.7\n');
  });

  test('packageVersion finds package.json above the sources (and the build, which sits deeper)', () => {
    expect(packageVersion(resolve('src/cli/main.ts'))).toBe(VERSION);
    expect(packageVersion(resolve('dist/esm/src/cli/main.js'))).toBe(VERSION);
    expect(packageVersion('/no/such/dir/main.js')).toBe('unknown');
  });
});

test('a busy port is one line naming --port, exit 2', async () => {
  const taken = await silentServer();
  try {
    const r = await runCli(main, ['emulator', '--port', String(taken.port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: Invalid option \`--port\`: port ${taken.port} on 127.0.0.1 is already in use; pick another (--port 0 takes any free port).\n`,
    );
  } finally {
    await taken.close();
  }
});

describe('stopping on a signal', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while the token command waits on a silent Cognito → exit %i at once, one line', async (signal, code) => {
    const silent = await silentServer();
    const stop = new AbortController();
    try {
      const running = runCli(
        main,
        ['token', '--user-pool-id', 'us-east-1_silent', '--client-id', 'client1', '--username', 'svc', '--endpoint', `http://127.0.0.1:${silent.port}`],
        { env: { COGNITO_PASSWORD: PASSWORD }, signal: stop.signal },
      );
      await silent.connected;
      stop.abort(new InterruptedError(signal));
      const r = await running;
      expect(r).toEqual({ code, stdout: '', stderr: `error: interrupted by ${signal}.\n` });
    } finally {
      await silent.close();
    }
  });

  function fakeProcess(stdin?: { isTTY: boolean; isRaw: boolean; setRawMode: (mode: boolean) => void }) {
    const listeners = new Map<StopSignal, () => void>();
    const exits: number[] = [];
    return {
      exits,
      emit: (signal: StopSignal) => listeners.get(signal)?.(),
      target: {
        on: (event: StopSignal, listener: () => void) => listeners.set(event, listener),
        exit: (code: number) => void exits.push(code),
        ...(stdin === undefined ? {} : { stdin }),
      },
    };
  }

  test('stopOnSignals: the first signal aborts with its reason and restores a raw terminal; a second exits at once', () => {
    const modes: boolean[] = [];
    const stdin = { isTTY: true, isRaw: true, setRawMode: (mode: boolean) => void modes.push(mode) };
    const proc = fakeProcess(stdin);
    const stop = new AbortController();
    stopOnSignals(proc.target, stop, 60_000);
    proc.emit('SIGTERM');
    expect(stop.signal.reason).toBeInstanceOf(InterruptedError);
    expect((stop.signal.reason as InterruptedError).signal).toBe('SIGTERM');
    expect(modes).toEqual([false]);
    expect(proc.exits).toEqual([]);
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([130]);
  });

  test('stopOnSignals: a command that does not finish is ended after the grace period with 128 + signal', async () => {
    const proc = fakeProcess();
    stopOnSignals(proc.target, new AbortController(), 5);
    proc.emit('SIGTERM');
    for (let i = 0; i < 400 && proc.exits.length === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(proc.exits).toEqual([143]);
  });
});
