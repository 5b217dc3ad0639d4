/** The emulator CLI: `main(argv)` directly, and the built bin when `npm run build` has produced it. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CognitoConfigError } from '../../src/errors.js';
import { main, parseCliArgs, USAGE } from '../../src/testing/cli-main.js';
import { sdkClient, srpSignIn } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): { out: string[]; err: string[]; io: { stdout: (t: string) => void; stderr: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) } };
}

test('main starts the emulator with the users file and prints endpoint, pool id and client id', async () => {
  const usersFile = join(dir, 'users.json');
  await writeFile(usersFile, JSON.stringify([{ username: 'alice', password: 'Passw0rd!', groups: ['g'] }, { username: 'bob', password: 'Passw0rd!' }]));
  const { out, io } = capture();
  const handle = await main(['--port', '0', '--users', usersFile, '--client-id', 'localclient', '--client-secret', 'cli-secret-value'], io);
  try {
    const text = out.join('');
    expect(text).toContain(`Cognito emulator listening on ${handle!.emulator.endpoint}`);
    expect(text).toMatch(/userPoolId:\s+us-east-1_local/);
    expect(text).toMatch(/clientId:\s+localclient/);
    expect(text).toMatch(/users:\s+2/);
    expect(text).not.toContain('cli-secret-value');
    expect(text).not.toContain('Passw0rd!');
    const client = sdkClient(handle!.emulator);
    const result = await srpSignIn(client, handle!.emulator, 'alice', 'Passw0rd!');
    expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    client.destroy();
  } finally {
    await handle!.close();
  }
});

test('--json prints one machine-readable line', async () => {
  const { out, io } = capture();
  const handle = await main(['--port', '0', '--json', '--region', 'eu-west-1', '--device-tracking', 'always'], io);
  try {
    const details = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(details).toMatchObject({ userPoolId: 'eu-west-1_local', region: 'eu-west-1', clientSecret: false, users: 0 });
    expect(details.endpoint).toBe(handle!.emulator.endpoint);
  } finally {
    await handle!.close();
  }
});

test('--help prints the usage; bad arguments and users files are CognitoConfigErrors without secrets', async () => {
  const { out, io } = capture();
  await expect(main(['--help'], io)).resolves.toBeUndefined();
  expect(out.join('')).toBe(USAGE);
  expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port/);
  expect(() => parseCliArgs(['--nope'])).toThrow(CognitoConfigError);
  expect(parseCliArgs([]).options).toMatchObject({ port: 9229, poolName: 'local' });
  expect(parseCliArgs(['--refresh-token-rotation', '--mfa', 'off']).options).toMatchObject({ refreshTokenRotation: true, mfa: 'off' });
  expect(
    parseCliArgs([
      '--explicit-auth-flows',
      'ALLOW_USER_AUTH, ALLOW_REFRESH_TOKEN_AUTH',
      '--prevent-user-existence-errors',
      'ENABLED',
      '--no-lockout',
      '--allow-totp-reuse',
    ]).options,
  ).toMatchObject({
    explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    preventUserExistenceErrors: 'ENABLED',
    lockout: false,
    allowTotpReuse: true,
  });

  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{ not json');
  await expect(main(['--port', '0', '--users', broken], io)).rejects.toThrow(/not valid JSON/);
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify([{ username: 'x', password: 'TopSecret-1', mfa: ['SMS_MFA'] }]));
  const error = await main(['--port', '0', '--users', bad], io).catch((e: unknown) => e as Error);
  expect(error).toBeInstanceOf(CognitoConfigError);
  expect((error as Error).message).toMatch(/--users\[0\]/);
  expect((error as Error).message).not.toContain('TopSecret-1');
  await expect(main(['--port', '0', '--users', join(dir, 'missing.json')], io)).rejects.toThrow(/cannot read/);
});

const binPath = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[
  'cognito-srp-auth-emulator'
]!;
const builtCli = join(process.cwd(), binPath);

// dist/ is built by jest's global set-up when missing or stale.
test('the built bin prints its details and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [builtCli, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)}`)));
  });
  const details = JSON.parse(line) as { endpoint: string; jwksUri: string };
  const jwks = (await (await fetch(details.jwksUri)).json()) as { keys: unknown[] };
  expect(jwks.keys).toHaveLength(2);
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});
