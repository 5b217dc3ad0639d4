/** `cognito-srp-auth token --token-store <file>`: resume without the password, `--sign-out`, a file shared with `--device-store`. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { main } from '../../src/cli/program.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { Captured, decodePayload, FakeTerminal, JWT_SHAPE, PASSWORD, pipedStdin, poolFlags, runCli, type RunResult } from './helpers.js';

let emu: CognitoEmulator;
let dir: string;
const totpSecret = randomTotpSecret();

beforeAll(async () => {
  emu = await startCognitoEmulator({ clientSecret: true, deviceTracking: 'always' });
  for (const username of ['svc', 'tty-user', 'revoked-user', 'out-user', 'warn-user']) emu.addUser({ username, password: PASSWORD });
  emu.addUser({ username: 'mfa-user', password: PASSWORD, totpSecret });
  emu.addUser({ username: 'retry-user', password: PASSWORD, totpSecret });
  dir = await mkdtemp(join(tmpdir(), 'cli-token-store-'));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

/** Env with the client secret only: no password source unless a test adds one. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { COGNITO_CLIENT_SECRET: emu.clientSecret!, ...extra };
}

function tokenArgs(username: string, file: string, ...more: string[]): string[] {
  return ['token', ...poolFlags(emu), '--username', username, '--token-store', file, ...more];
}

interface SavedFile {
  version: number;
  sessions?: Record<string, { refreshToken: string; username: string; clientId: string; deviceKey?: string }>;
  devices?: Record<string, { deviceKey: string; devicePassword: string }>;
}

async function saved(file: string): Promise<SavedFile> {
  return JSON.parse(await readFile(file, 'utf8')) as SavedFile;
}

async function storedSession(file: string, username: string) {
  return (await saved(file)).sessions?.[`${emu.userPoolId}/${username}`];
}

/** Runs that printed one token line and nothing else; returns the token. */
function tokenOnly(r: RunResult): string {
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  return r.stdout.trimEnd();
}

/** The password, client secret, TOTP secret and the given secrets (refresh tokens, device passwords) are never printed. */
function expectNoSecrets(texts: string[], secrets: string[] = []): void {
  for (const text of texts) {
    for (const secret of [PASSWORD, emu.clientSecret!, totpSecret, ...secrets]) expect(text).not.toContain(secret);
  }
}

test('first run signs in with the password from stdin; the next run resumes by one refresh with no password source at all', async () => {
  const file = join(dir, 'svc.json');
  const first = await runCli(main, tokenArgs('svc', file, '--password-stdin'), { stdin: pipedStdin(`${PASSWORD}\n`), env: env() });
  const firstToken = tokenOnly(first);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const session = await storedSession(file, 'svc');
  expect(session).toEqual({ refreshToken: expect.any(String), username: 'svc', clientId: emu.clientId });

  emu.resetCalls();
  const second = await runCli(main, tokenArgs('svc', file), { env: env() });
  const secondToken = tokenOnly(second);
  expect(decodePayload(secondToken)).toMatchObject({ token_use: 'access', username: 'svc', client_id: emu.clientId });
  expect(emu.calls.InitiateAuth).toBe(0);
  expect(emu.calls.RespondToAuthChallenge).toBe(0);
  expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
  // Without rotation the same refresh token stays stored.
  expect((await storedSession(file, 'svc'))?.refreshToken).toBe(session!.refreshToken);
  expectNoSecrets([first.stdout, first.stderr, second.stdout, second.stderr], [session!.refreshToken]);
  expect(firstToken).toMatch(JWT_SHAPE);

  // --password-stdin with nothing on stdin is fine when the password is not needed.
  const piped = await runCli(main, tokenArgs('svc', file, '--password-stdin', '--token-type', 'id'), { stdin: pipedStdin(''), env: env() });
  expect(decodePayload(tokenOnly(piped))).toMatchObject({ token_use: 'id', 'cognito:username': 'svc' });
  expect(emu.calls.InitiateAuth).toBe(0);
});

test('on a terminal, a resumed session never shows the password prompt; progress says what happened', async () => {
  const file = join(dir, 'tty.json');
  expect((await runCli(main, tokenArgs('tty-user', file), { env: env({ COGNITO_PASSWORD: PASSWORD }) })).code).toBe(0);
  const stdin = new FakeTerminal();
  const stdout = new Captured();
  const stderr = new Captured(true);
  const code = await main(tokenArgs('tty-user', file), { stdin, stdout, stderr, env: env() });
  expect(code).toBe(0);
  expect(stdin.rawModes).toEqual([]);
  expect(stderr.text).not.toContain('Password for');
  expect(stderr.text).toContain(`Getting a token for tty-user from ${emu.userPoolId}`);
  expect(stderr.text).toMatch(new RegExp(`Resumed the session stored in ${file.replace(/[.\\]/g, '\\$&')} \\(GetTokensFromRefreshToken\\) in \\d+ ms`));
  expect(stdout.text.trim()).toMatch(JWT_SHAPE);
});

test('a stored session Cognito refuses is deleted; the password sign-in that follows stores a new one', async () => {
  const file = join(dir, 'revoked.json');
  expect((await runCli(main, tokenArgs('revoked-user', file), { env: env({ COGNITO_PASSWORD: PASSWORD }) })).code).toBe(0);
  const old = (await storedSession(file, 'revoked-user'))!.refreshToken;
  emu.revokeUserTokens('revoked-user');

  // No password source: the refresh is refused, the dead session removed, and the sign-in cannot proceed.
  const stuck = await runCli(main, tokenArgs('revoked-user', file), { env: env(), stderrTty: true });
  expect(stuck.code).toBe(2);
  expect(stuck.stdout).toBe('');
  expect(stuck.stderr).toContain('The stored session was refused');
  expect(stuck.stderr).toMatch(/error: Invalid option `password`: no password given: [^\n]*\n$/);
  expect(await storedSession(file, 'revoked-user')).toBeUndefined();

  emu.resetCalls();
  const again = await runCli(main, tokenArgs('revoked-user', file, '--password-stdin'), { stdin: pipedStdin(`${PASSWORD}\n`), env: env() });
  tokenOnly(again);
  expect(emu.calls.InitiateAuth).toBe(1);
  const fresh = (await storedSession(file, 'revoked-user'))!.refreshToken;
  expect(fresh).not.toBe(old);
  expect(emu.isTokenRevoked(fresh)).toBe(false);
  expectNoSecrets([stuck.stderr, again.stderr], [old, fresh]);
});

test('--sign-out revokes the stored refresh token and deletes the session; the next run needs the password again', async () => {
  const file = join(dir, 'out.json');
  expect((await runCli(main, tokenArgs('out-user', file), { env: env({ COGNITO_PASSWORD: PASSWORD }) })).code).toBe(0);
  const refreshToken = (await storedSession(file, 'out-user'))!.refreshToken;
  expect(emu.isTokenRevoked(refreshToken)).toBe(false);

  emu.resetCalls();
  // No password source: signing out never needs one.
  const out = await runCli(main, tokenArgs('out-user', file, '--sign-out'), { env: env() });
  expect(out).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(emu.isTokenRevoked(refreshToken)).toBe(true);
  expect(emu.calls.RevokeToken).toBe(1);
  expect(emu.calls.InitiateAuth).toBe(0);
  expect(await storedSession(file, 'out-user')).toBeUndefined();
  expect((await stat(file)).mode & 0o777).toBe(0o600);

  const after = await runCli(main, tokenArgs('out-user', file), { env: env() });
  expect(after.code).toBe(2);
  expect(after.stderr).toMatch(/^error: Invalid option `password`: no password given: /);

  // Again: nothing stored, nothing revoked, still success.
  const twice = await runCli(main, tokenArgs('out-user', file, '--sign-out'), { env: env(), stderrTty: true });
  expect(twice.code).toBe(0);
  expect(twice.stderr).toContain(`No session of out-user for this app client in ${file}; nothing to sign out`);
  expect(emu.calls.RevokeToken).toBe(1);
  expectNoSecrets([out.stderr, twice.stderr, after.stderr], [refreshToken]);
});

test('one file for --device-store and --token-store: both sections; resume with the device key; --sign-out keeps the device', async () => {
  const file = join(dir, 'shared.json');
  const first = await runCli(
    main,
    tokenArgs('mfa-user', file, '--device-store', file, '--remember-device', '--totp-secret-env', 'T', '--json'),
    { env: env({ COGNITO_PASSWORD: PASSWORD, T: totpSecret }) },
  );
  expect(first.code).toBe(0);
  const deviceKey = (JSON.parse(first.stdout) as { deviceKey?: string }).deviceKey;
  expect(deviceKey).toEqual(expect.any(String));
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const key = `${emu.userPoolId}/mfa-user`;
  const both = await saved(file);
  expect(both.devices?.[key]?.deviceKey).toBe(deviceKey);
  expect(both.sessions?.[key]).toMatchObject({ deviceKey, clientId: emu.clientId });
  const devicePassword = both.devices![key]!.devicePassword;
  const refreshToken = both.sessions![key]!.refreshToken;

  // No password, no TOTP secret, no terminal: only the stored session can produce a token.
  emu.resetCalls();
  const second = await runCli(main, tokenArgs('mfa-user', file, '--device-store', file, '--json'), { env: env() });
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ deviceKey, username: 'mfa-user', accessToken: expect.stringMatching(JWT_SHAPE) });
  expect(emu.calls.GetTokensFromRefreshToken).toBe(1);
  expect(emu.calls.InitiateAuth).toBe(0);

  const out = await runCli(main, tokenArgs('mfa-user', file, '--device-store', file, '--sign-out'), { env: env() });
  expect(out).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(emu.isTokenRevoked(refreshToken)).toBe(true);
  const afterSignOut = await saved(file);
  expect(afterSignOut.sessions?.[key]).toBeUndefined();
  expect(afterSignOut.devices?.[key]).toEqual(both.devices![key]);

  // The device still skips MFA: a password sign-in without any way to answer MFA succeeds.
  const third = await runCli(main, tokenArgs('mfa-user', file, '--device-store', file), { env: env({ COGNITO_PASSWORD: PASSWORD }), stderrTty: true });
  expect(third.code).toBe(0);
  expect(third.stderr).toContain('PASSWORD_VERIFIER → DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER');
  expect((await storedSession(file, 'mfa-user'))?.deviceKey).toBe(deviceKey);
  expectNoSecrets([first.stderr, second.stderr, out.stderr, third.stderr], [devicePassword, refreshToken]);
  expectNoSecrets([first.stdout, second.stdout], [devicePassword]);
});

test('with refresh-token rotation each run stores the rotated token and the next run resumes from it', async () => {
  const rotating = await startCognitoEmulator({ refreshTokenRotation: true });
  try {
    rotating.addUser({ username: 'svc', password: PASSWORD });
    const file = join(dir, 'rotating.json');
    const args = ['token', ...poolFlags(rotating), '--username', 'svc', '--token-store', file];
    const stored = async () => (JSON.parse(await readFile(file, 'utf8')) as SavedFile).sessions?.[`${rotating.userPoolId}/svc`]?.refreshToken;
    expect((await runCli(main, args, { env: { COGNITO_PASSWORD: PASSWORD } })).code).toBe(0);
    const first = await stored();
    const tokens = [first];
    for (let run = 0; run < 2; run++) {
      const r = await runCli(main, args, { env: {} });
      expect(r.code).toBe(0);
      tokens.push(await stored());
    }
    expect(new Set(tokens).size).toBe(3);
    expect(rotating.calls.InitiateAuth).toBe(1);
    expect(rotating.calls.GetTokensFromRefreshToken).toBe(2);
  } finally {
    await rotating.close();
  }
});

test('a throttled sign-in is retried without reading the password again (stdin: password, then the MFA code)', async () => {
  const file = join(dir, 'retry.json');
  emu.resetCalls();
  emu.faults.inject('InitiateAuth', { error: 'TooManyRequestsException' });
  const r = await runCli(main, tokenArgs('retry-user', file, '--password-stdin'), {
    stdin: pipedStdin(`${PASSWORD}\n${generateTotp(totpSecret)}\n`),
    env: env(),
  });
  // A second read would take the MFA code's line as the password.
  tokenOnly(r);
  expect(emu.calls.InitiateAuth).toBe(2);
  expect((await storedSession(file, 'retry-user'))?.refreshToken).toEqual(expect.any(String));
});

test('a token file in a missing folder: the folder is created (0700) and the session kept', async () => {
  const folder = join(dir, 'no-such-folder');
  const file = join(folder, 'session.json');
  const r = await runCli(main, tokenArgs('warn-user', file), { env: env({ COGNITO_PASSWORD: PASSWORD }) });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout.trim()).toMatch(JWT_SHAPE);
  expect((await stat(folder)).mode & 0o777).toBe(0o700);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
});

test('a token file that cannot be written: the token is still printed, with one-line warnings naming the folder', async () => {
  const blocker = join(dir, 'a-file');
  await writeFile(blocker, 'not a folder');
  const file = join(blocker, 'sub', 'session.json');
  const r = await runCli(main, tokenArgs('warn-user', file), { env: env({ COGNITO_PASSWORD: PASSWORD }) });
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toMatch(JWT_SHAPE);
  expect(r.stderr).toMatch(/^(warning: Cannot create the folder [^\n]*a-file[^\n]* \((ENOTDIR|EEXIST)\)\.\n)+$/);
  expect(r.stderr).not.toContain(PASSWORD);
});

(existsSync('/usr/bin/mkfifo') || existsSync('/bin/mkfifo') ? test : test.skip)(
  'a FIFO as --token-store is refused at once: the token is still printed, with one-line warnings',
  async () => {
    const fifo = join(dir, 'session.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(main, tokenArgs('warn-user', fifo), { env: env({ COGNITO_PASSWORD: PASSWORD }) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(JWT_SHAPE);
    expect(r.stderr).toMatch(/^(warning: Cannot read the token file [^\n]*session\.fifo: it is not a regular file[^\n]*\n)+$/);
  },
);

test('usage errors: --sign-out without --token-store or with --json, and an empty --token-store', async () => {
  const base = { env: env({ COGNITO_PASSWORD: PASSWORD }) };
  const noStore = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--sign-out'], base);
  expect(noStore).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^error: Invalid option `--sign-out`: needs --token-store <file>/) });
  const withJson = await runCli(main, tokenArgs('svc', join(dir, 'x.json'), '--sign-out', '--json'), base);
  expect(withJson).toMatchObject({ code: 2, stderr: 'error: Invalid option `--json`: not used with --sign-out, which prints no token.\n' });
  const empty = await runCli(main, ['token', ...poolFlags(emu), '--username', 'svc', '--token-store='], base);
  expect(empty).toMatchObject({ code: 2, stderr: 'error: Invalid option `--token-store`: expected a file path.\n' });
});

test('token --help documents --token-store, --sign-out and the risk of a refresh token on disk', async () => {
  const r = await runCli(main, ['token', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('--token-store <file>');
  expect(r.stdout).toContain('--sign-out');
  expect(r.stdout).toContain('whoever can read it gets fresh tokens as this user');
});
