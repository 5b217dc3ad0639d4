/** `cognito-srp-auth token` end to end against the emulator, in-process (`main(argv, io)`). */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { main, type CliIo } from '../../src/cli/program.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import {
  Captured,
  decodePayload,
  FakeTerminal,
  JWT_SHAPE,
  PASSWORD,
  pipedStdin,
  poolFlags,
  runCli,
  waitForText,
} from './helpers.js';

let emu: CognitoEmulator;
let dir: string;
const totpSecret = randomTotpSecret();

beforeAll(async () => {
  emu = await startCognitoEmulator({ clientSecret: true, deviceTracking: 'always' });
  emu.addUser({ username: 'svc', password: PASSWORD });
  emu.addUser({ username: 'mfa-user', password: PASSWORD, totpSecret });
  // One user per test that types a code: real Cognito refuses a code used twice.
  emu.addUser({ username: 'tty-user', password: PASSWORD, totpSecret });
  emu.addUser({ username: 'stdin-user', password: PASSWORD, totpSecret });
  emu.addUser({ username: 'device-user', password: PASSWORD, totpSecret });
  dir = await mkdtemp(join(tmpdir(), 'cli-token-'));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

/** Env with the client secret; the password and TOTP secret are added per test. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { COGNITO_CLIENT_SECRET: emu.clientSecret!, ...extra };
}

/** Nothing secret besides what was asked for may be printed. */
function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(totpSecret);
    expect(text).not.toContain(emu.clientSecret!);
  }
}

describe('password sources', () => {
  test('--password-stdin: the first stdin line; prints only the access token on stdout', async () => {
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--password-stdin'], {
      stdin: pipedStdin(`${PASSWORD}\n`),
      env: env(),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const token = r.stdout.trimEnd();
    expect(token).toMatch(JWT_SHAPE);
    expect(r.stdout).toBe(`${token}\n`);
    expect(decodePayload(token)).toMatchObject({ token_use: 'access', client_id: emu.clientId, username: 'svc' });
    expectNoSecrets(r.stderr);
  });

  test('COGNITO_PASSWORD, with every pool setting from the environment', async () => {
    const r = await runCli(main, ['token'], {
      env: env({
        COGNITO_PASSWORD: PASSWORD,
        COGNITO_USER_POOL_ID: emu.userPoolId,
        COGNITO_CLIENT_ID: emu.clientId,
        COGNITO_ENDPOINT: emu.endpoint,
        COGNITO_USERNAME: 'svc',
      }),
    });
    expect(r.code).toBe(0);
    expect(decodePayload(r.stdout.trim())).toMatchObject({ token_use: 'access', iss: emu.issuer });
  });

  test('--password-env NAME and --token-type id print the ID token', async () => {
    const r = await runCli(
      main,
      ['token', ...poolFlags(emu), '--username', 'svc', '--password-env', 'SVC_PW', '--token-type', 'id'],
      { env: env({ SVC_PW: PASSWORD }) },
    );
    expect(r.code).toBe(0);
    expect(decodePayload(r.stdout.trim())).toMatchObject({ token_use: 'id', aud: emu.clientId, 'cognito:username': 'svc' });
  });

  test('--password-env naming an unset variable is a usage error naming the variable', async () => {
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--password-env', 'NOPE'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: Invalid option `--password-env`: the environment variable NOPE is not set or empty.\n');
  });

  test('no password source and no terminal: exit 2 with what to do', async () => {
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*COGNITO_PASSWORD.*--password-stdin.*\n$/);
  });

  test.each([['--password', 'hunter2-secret'], ['--password=hunter2-secret']])(
    'a %s flag is refused without echoing its value',
    async (...flag) => {
      const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', ...flag], {
        env: env({ COGNITO_PASSWORD: PASSWORD }),
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2); // one line + final newline
      expect(r.stderr).toMatch(/^error: Invalid option `--password`: not accepted: a password on the command line is visible/);
      expect(r.stderr).not.toContain('hunter2');
    },
  );

  test('--client-secret and an unknown flag are refused by name only', async () => {
    const a = await runCli(main, ['token', '--client-secret=s3cr3t-value'], { env: env() });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--client-secret-env');
    expect(a.stderr).not.toContain('s3cr3t-value');
    const b = await runCli(main, ['token', '--pasword=typo-secret'], { env: env() });
    expect(b.code).toBe(2);
    expect(b.stderr).toBe('error: Invalid option `--pasword`: unknown option for `token` (see `cognito-srp-auth token --help`).\n');
  });
});

describe('failures are one line with an exit code', () => {
  test('wrong password → exit 1, "error: ..." naming the problem, no password', async () => {
    const wrong = 'Wrong-Passw0rd-xyz!';
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc'], { env: env({ COGNITO_PASSWORD: wrong }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]*(Incorrect username or password|not authorized)[^\n]*\n$/i);
    expect(r.stderr).not.toContain(wrong);
  });

  test('missing pool id, client id, username and bad --token-type are usage errors (exit 2)', async () => {
    const base = { env: env({ COGNITO_PASSWORD: PASSWORD }) };
    const noPool = await runCli(main, ['token', '--client-id', 'x', '--username', 'svc'], base);
    expect(noPool).toMatchObject({ code: 2, stderr: expect.stringContaining('COGNITO_USER_POOL_ID') });
    const noClient = await runCli(main, ['token', '--user-pool-id', emu.userPoolId, '--username', 'svc'], base);
    expect(noClient).toMatchObject({ code: 2, stderr: expect.stringContaining('--client-id') });
    const noUser = await runCli(main, ['token', ...poolFlags(emu)], base);
    expect(noUser).toMatchObject({ code: 2, stderr: expect.stringContaining('COGNITO_USERNAME') });
    const badType = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--token-type', 'refresh'], base);
    expect(badType).toMatchObject({ code: 2, stderr: 'error: Invalid option `--token-type`: expected access or id.\n' });
    const badEndpoint = await runCli(main, ['token', ...poolFlags(emu).slice(0, 4), '--endpoint', 'ftp://x', '--username', 'svc'], base);
    expect(badEndpoint.code).toBe(2);
  });

  test('Cognito unreachable → exit 3', async () => {
    const r = await runCli(
      main,
      ['token', '--user-pool-id', emu.userPoolId, '--client-id', emu.clientId, '--endpoint', 'http://127.0.0.1:9', '--username', 'svc'],
      { env: env({ COGNITO_PASSWORD: PASSWORD }) },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});

describe('MFA', () => {
  test('--totp-secret-env answers SOFTWARE_TOKEN_MFA', async () => {
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'mfa-user', '--totp-secret-env', 'MY_TOTP'], {
      env: env({ COGNITO_PASSWORD: PASSWORD, MY_TOTP: totpSecret }),
    });
    expect(r.code).toBe(0);
    expect(decodePayload(r.stdout.trim())).toMatchObject({ username: 'mfa-user' });
    expectNoSecrets(r.stdout, r.stderr);
  });

  test('without a TOTP secret or a terminal: exit 1 saying how to answer the challenge', async () => {
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'mfa-user'], { env: env({ COGNITO_PASSWORD: PASSWORD }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Cognito asks for SOFTWARE_TOKEN_MFA;.*--totp-secret-env NAME\.\n$/);
  });

  test('with --password-stdin the MFA code is the next stdin line', async () => {
    const code = generateTotp(totpSecret);
    const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'stdin-user', '--password-stdin'], {
      stdin: pipedStdin(`${PASSWORD}\n${code}\n`),
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(JWT_SHAPE);
  });
});

test('--json prints the whole token set', async () => {
  const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--json'], { env: env({ COGNITO_PASSWORD: PASSWORD }) });
  expect(r.code).toBe(0);
  const set = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(Object.keys(set).sort()).toEqual(['accessToken', 'expiresAt', 'expiresIn', 'idToken', 'refreshToken', 'tokenType', 'username']);
  expect(set).toMatchObject({
    tokenType: 'Bearer',
    accessToken: expect.stringMatching(JWT_SHAPE),
    idToken: expect.stringMatching(JWT_SHAPE),
    refreshToken: expect.any(String),
    username: 'svc',
  });
  const exp = decodePayload(set.accessToken as string).exp as number;
  expect(set.expiresAt).toBe(new Date(exp * 1000).toISOString());
  expect(set.expiresIn).toBeGreaterThan(3500);
  expect(set.expiresIn).toBeLessThanOrEqual(3600);
});

test('--device-store + --remember-device writes a 0600 file; the next run signs in on the device without MFA', async () => {
  const file = join(dir, 'devices.json');
  const first = await runCli(
    main,
    ['token', ...poolFlags(emu), '--username', 'device-user', '--totp-secret-env', 'T', '--device-store', file, '--remember-device', '--json'],
    { env: env({ COGNITO_PASSWORD: PASSWORD, T: totpSecret }), stderrTty: true },
  );
  expect(first.code).toBe(0);
  const deviceKey = (JSON.parse(first.stdout) as { deviceKey?: string }).deviceKey;
  expect(deviceKey).toEqual(expect.any(String));
  expect(first.stderr).toContain('SOFTWARE_TOKEN_MFA');
  expect(first.stderr).toContain(`Device ${deviceKey} remembered in ${file}`);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const saved = await readFile(file, 'utf8');
  expect(saved).toContain(deviceKey);

  const confirmsBefore = emu.calls.ConfirmDevice ?? 0;
  // No TOTP secret, no terminal: only the remembered device can get past MFA.
  const second = await runCli(main, ['token', ...poolFlags(emu), '--username', 'device-user', '--device-store', file], {
    env: env({ COGNITO_PASSWORD: PASSWORD }),
    stderrTty: true,
  });
  expect(second.code).toBe(0);
  expect(second.stderr).toContain('PASSWORD_VERIFIER → DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER');
  expect(second.stderr).not.toContain('SOFTWARE_TOKEN_MFA');
  expect(emu.calls.ConfirmDevice ?? 0).toBe(confirmsBefore);
  const devicePassword = (JSON.parse(saved) as { devices: Record<string, { devicePassword: string }> }).devices[`${emu.userPoolId}/device-user`]!
    .devicePassword;
  for (const text of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(text).not.toContain(devicePassword);
  expectNoSecrets(first.stderr, second.stderr, first.stdout);
});

test('--remember-device without --device-store is a usage error', async () => {
  const r = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--remember-device'], { env: env({ COGNITO_PASSWORD: PASSWORD }) });
  expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('--remember-device') });
});

describe('on a terminal', () => {
  function terminalIo(stdin: FakeTerminal): { io: CliIo; stdout: Captured; stderr: Captured } {
    const stdout = new Captured();
    const stderr = new Captured(true);
    return { io: { stdin, stdout, stderr, env: env() }, stdout, stderr };
  }

  test('asks for the password without echo (raw mode), then the MFA code; shows progress on stderr', async () => {
    const stdin = new FakeTerminal();
    const { io, stdout, stderr } = terminalIo(stdin);
    const run = main(['token', ...poolFlags(emu), '--username', 'tty-user'], io);
    await waitForText(() => stderr.text, 'Password for tty-user: ');
    expect(stdin.rawModes).toEqual([true]);
    stdin.write(`${PASSWORD.slice(0, -1)}x\u007f${PASSWORD.slice(-1)}\r`); // a typo fixed with Backspace
    await waitForText(() => stderr.text, 'MFA code from your authenticator app: ');
    stdin.write(`${generateTotp(totpSecret)}\r`);
    expect(await run).toBe(0);
    expect(stdin.rawModes).toEqual([true, false, true, false]);
    expect(stdout.text.trim()).toMatch(JWT_SHAPE);
    expect(stderr.text).toContain('Signing in to');
    expect(stderr.text).toContain('Signed in as tty-user (PASSWORD_VERIFIER → SOFTWARE_TOKEN_MFA)');
    expectNoSecrets(stderr.text);
    expect(stderr.text).not.toContain(PASSWORD.slice(0, 8));
  });

  test('Ctrl-C at the password prompt cancels with exit 130', async () => {
    const stdin = new FakeTerminal();
    const { io, stderr } = terminalIo(stdin);
    const run = main(['token', ...poolFlags(emu), '--username', 'svc'], io);
    await waitForText(() => stderr.text, 'Password for svc: ');
    stdin.write('abc\u0003');
    expect(await run).toBe(130);
    expect(stderr.text).toContain('error: cancelled.');
    expect(stdin.rawModes).toEqual([true, false]);
  });
});
