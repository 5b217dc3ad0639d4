/**
 * Both executables as real processes, run from the sources (no build needed): signals, `--version`,
 * exit codes and one-line errors. Each spawn loads the AWS SDK, so the waits are bounded generously.
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PASSWORD, silentServer, spawnSource, within } from './helpers.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const START_BOUND_MS = 90_000;
const EXIT_BOUND_MS = 30_000;

jest.setTimeout(180_000);

test.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)(
  'cognito-srp-auth token against an endpoint that never answers: %s once it has connected → exit %i',
  async (signal, code) => {
    const silent = await silentServer();
    const run = spawnSource(
      'cognito-srp-auth',
      ['token', '--user-pool-id', 'us-east-1_silent', '--client-id', 'client1', '--username', 'svc', '--endpoint', `http://127.0.0.1:${silent.port}`],
      { COGNITO_PASSWORD: PASSWORD },
    );
    try {
      await within(Promise.race([silent.connected, run.exited.then(() => Promise.reject(new Error(run.err())))]), START_BOUND_MS, 'connection');
      run.child.kill(signal);
      expect(await within(run.exited, EXIT_BOUND_MS, `exit after ${signal}`)).toBe(code);
      expect(run.out()).toBe('');
      expect(run.err()).toBe(`error: interrupted by ${signal}.\n`);
    } finally {
      run.child.kill('SIGKILL');
      await silent.close();
    }
  },
);

test('both executables: --version prints the package version; a bad flag or a busy port is exit 2 with one line', async () => {
  const taken = await silentServer();
  try {
    const runs = {
      version: spawnSource('cognito-srp-auth', ['--version']),
      emulatorVersion: spawnSource('cognito-srp-auth-emulator', ['--version']),
      emulatorUnknown: spawnSource('cognito-srp-auth-emulator', ['--bogus']),
      emulatorBusy: spawnSource('cognito-srp-auth-emulator', ['--port', String(taken.port)]),
    };
    try {
      const codes = await within(
        Promise.all(Object.values(runs).map((r) => r.exited)),
        START_BOUND_MS,
        'all four runs',
      );
      expect(codes).toEqual([0, 0, 2, 2]);
      expect(runs.version.out()).toBe(`${VERSION}\n`);
      expect(runs.emulatorVersion.out()).toBe(`${VERSION}\n`);
      expect(runs.emulatorUnknown.err()).toMatch(/^cognito-srp-auth-emulator: error: Invalid option `--bogus`: unknown option[^\n]*\n$/);
      expect(runs.emulatorBusy.err()).toBe(
        `cognito-srp-auth-emulator: error: Invalid option \`--port\`: port ${taken.port} on 127.0.0.1 is already in use; pick another (--port 0 takes any free port).\n`,
      );
    } finally {
      for (const run of Object.values(runs)) run.child.kill('SIGKILL');
    }
  } finally {
    await taken.close();
  }
});

test('cognito-srp-auth-emulator stops on the first SIGTERM with exit 0', async () => {
  const run = spawnSource('cognito-srp-auth-emulator', ['--port', '0', '--json']);
  try {
    await within(
      new Promise<void>((resolve, reject) => {
        run.child.stdout!.on('data', () => run.out().includes('\n') && resolve());
        void run.exited.then(() => reject(new Error(`exited early: ${run.err()}`)));
      }),
      START_BOUND_MS,
      'emulator start',
    );
    const { endpoint } = JSON.parse(run.out()) as { endpoint: string };
    // A client holding a keep-alive connection must not keep the process up.
    await fetch(`${endpoint}/`).catch(() => undefined);
    run.child.kill('SIGTERM');
    expect(await within(run.exited, EXIT_BOUND_MS, 'exit after SIGTERM')).toBe(0);
  } finally {
    run.child.kill('SIGKILL');
  }
});
