/** The `cognito-srp-auth` entry: help, command dispatch, the emulator command, and the built executable. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/program.js';
import { startCognitoEmulator } from '../../src/testing/index.js';
import { Captured, decodePayload, JWT_SHAPE, PASSWORD, poolFlags, runCli, waitForText } from './helpers.js';

const BUILT = resolve('dist/esm/src/cli/main.js');

describe('help', () => {
  test('--help lists the commands and the exit codes', async () => {
    const r = await runCli(main, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cognito-srp-auth <command>/);
    for (const word of ['token', 'claims', 'emulator', 'Exit codes', '130']) expect(r.stdout).toContain(word);
  });

  test('token --help and claims --help describe every option', async () => {
    const token = await runCli(main, ['token', '--help']);
    expect(token.code).toBe(0);
    for (const flag of ['--user-pool-id', '--client-id', '--client-secret-env', '--username', '--region', '--endpoint', '--token-type', '--json', '--password-env', '--password-stdin', '--totp-secret-env', '--device-store', '--remember-device', '--token-store', '--sign-out']) {
      expect(token.stdout).toContain(flag);
    }
    const claims = await runCli(main, ['claims', '-h']);
    expect(claims.code).toBe(0);
    expect(claims.stdout).toContain('--no-verify');
  });

  test('no command prints the help on stderr with exit 2; an unknown command is one line', async () => {
    const none = await runCli(main, []);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('Usage: cognito-srp-auth');
    const unknown = await runCli(main, ['tokne']);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'error: expected a command (token, claims or emulator), got "tokne"; see cognito-srp-auth --help.\n' });
  });
});

test('emulator: runs the emulator until the signal aborts; `token` signs in against it', async () => {
  const stop = new AbortController();
  const stdout = new Captured();
  const running = main(['emulator', '--port', '0', '--json', '--client-id', 'cliclient'], {
    stdin: new PassThrough(),
    stdout,
    stderr: new Captured(),
    env: {},
    signal: stop.signal,
  });
  await waitForText(() => stdout.text, '\n');
  const details = JSON.parse(stdout.text) as { endpoint: string; userPoolId: string; clientId: string };
  expect(details.clientId).toBe('cliclient');
  // No users were added: the pool answers, and refuses the unknown user.
  const r = await runCli(main, ['token', '--user-pool-id', details.userPoolId, '--client-id', details.clientId, '--endpoint', details.endpoint, '--username', 'nobody'], {
    env: { COGNITO_PASSWORD: PASSWORD },
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  stop.abort();
  expect(await running).toBe(0);
  await expect(fetch(`${details.endpoint}/`)).rejects.toThrow();
});

/** Spawns the built executable (jest's global set-up builds dist/ when it is missing or stale). */
function spawnBuilt(args: string[], env: Record<string, string>, command = process.execPath, commandArgs = [BUILT, ...args]) {
  const child = spawn(command, commandArgs, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number>((resolveExit) => child.on('close', (code) => resolveExit(code ?? -1)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('the built executable (dist/esm/src/cli/main.js)', () => {
  test('signs in with the password from stdin and exits with the token on stdout', async () => {
    const emu = await startCognitoEmulator();
    try {
      emu.addUser({ username: 'svc', password: PASSWORD });
      const run = spawnBuilt(['token', ...poolFlags(emu), '--username', 'svc', '--password-stdin'], {});
      run.child.stdin.end(`${PASSWORD}\n`);
      expect(await run.exited).toBe(0);
      expect(run.out().trim()).toMatch(JWT_SHAPE);
      expect(decodePayload(run.out().trim()).username).toBe('svc');
      expect(run.err()).toBe('');
      const bad = spawnBuilt(['token', '--password', 'x'], {});
      bad.child.stdin.end();
      expect(await bad.exited).toBe(2);
      expect(bad.err()).toMatch(/^error: Invalid option `--password`/);
    } finally {
      await emu.close();
    }
  });

  // `script` is util-linux's (Linux); elsewhere this test fails with ENOENT rather than skip silently.
  test('in a real pseudo-terminal (script -qc): the password prompt does not echo', async () => {
    const emu = await startCognitoEmulator();
    try {
      emu.addUser({ username: 'svc', password: PASSWORD });
      const quoted = [process.execPath, BUILT, 'token', ...poolFlags(emu), '--username', 'svc'].map((a) => `'${a}'`).join(' ');
      const run = spawnBuilt([], {}, 'script', ['-qec', quoted, '/dev/null']);
      await waitForText(run.out, 'Password for svc: ');
      // Raw mode is on once the prompt is shown; typed characters would appear in the output if echoed.
      run.child.stdin.write(`${PASSWORD}\r`);
      expect(await run.exited).toBe(0);
      const transcript = run.out();
      expect(transcript).not.toContain(PASSWORD);
      expect(transcript).toMatch(/[\w-]+\.[\w-]+\.[\w-]{20,}/);
    } finally {
      await emu.close();
    }
  });
});
