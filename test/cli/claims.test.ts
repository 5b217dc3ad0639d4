/** `cognito-srp-auth claims`: verify against the emulator's JWKS, reject tampering, decode-only mode. */
import { main } from '../../src/cli/program.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { CognitoTokenProvider } from '../../src/tokens/provider.js';
import { PASSWORD, pipedStdin, poolFlags, runCli } from './helpers.js';

let emu: CognitoEmulator;
let accessToken: string;
let idToken: string;

beforeAll(async () => {
  emu = await startCognitoEmulator();
  emu.addUser({ username: 'svc', password: PASSWORD, groups: ['readers'] });
  const provider = new CognitoTokenProvider({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    endpoint: emu.endpoint,
    username: 'svc',
    password: PASSWORD,
  });
  ({ accessToken, idToken } = await provider.getTokens());
  provider.close();
});
afterAll(async () => {
  await emu.close();
});

interface ClaimsOutput {
  verified: boolean;
  tokenUse?: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

test('verifies an access token given as an argument and prints header and claims', async () => {
  const r = await runCli(main, ['claims', accessToken, ...poolFlags(emu)]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const out = JSON.parse(r.stdout) as ClaimsOutput;
  expect(out.verified).toBe(true);
  expect(out.tokenUse).toBe('access');
  expect(out.header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
  expect(out.claims).toMatchObject({ iss: emu.issuer, client_id: emu.clientId, username: 'svc', 'cognito:groups': ['readers'] });
});

test('"-" reads an ID token from stdin (settings from the environment)', async () => {
  const r = await runCli(main, ['claims', '-'], {
    stdin: pipedStdin(`${idToken}\n`),
    env: { COGNITO_USER_POOL_ID: emu.userPoolId, COGNITO_CLIENT_ID: emu.clientId, COGNITO_ENDPOINT: emu.endpoint },
  });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ verified: true, tokenUse: 'id', claims: { aud: emu.clientId } });
});

test('a tampered token is rejected: exit 1, one line, the token not repeated', async () => {
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, username: 'admin' })).toString('base64url');
  const tampered = `${header}.${forged}.${signature}`;
  const r = await runCli(main, ['claims', tampered, ...poolFlags(emu)]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: The access token failed verification: [^\n]*signature[^\n]*\n$/);
  expect(r.stderr).not.toContain(forged);
});

test('a token for another app client or another pool is rejected', async () => {
  const otherClient = await runCli(main, ['claims', accessToken, '--user-pool-id', emu.userPoolId, '--client-id', 'someotherclient', '--endpoint', emu.endpoint]);
  expect(otherClient.code).toBe(1);
  expect(otherClient.stderr).toContain('another app client');
  const otherPool = await runCli(main, ['claims', accessToken, '--user-pool-id', 'us-east-1_other', '--client-id', emu.clientId, '--endpoint', emu.endpoint]);
  expect(otherPool.code).toBe(1);
});

test('COGNITO_JWKS is used instead of fetching the keys', async () => {
  // A key set without the emulator's key: verification fails although the real JWKS is one fetch away.
  const empty = await runCli(main, ['claims', accessToken, ...poolFlags(emu)], { env: { COGNITO_JWKS: '{"keys":[]}' } });
  expect(empty.code).toBe(1);
  expect(empty.stderr).toMatch(/^error: The access token failed verification: ERR_JWKS_NO_MATCHING_KEY[^\n]*\n$/);
  const jwks = await (await fetch(emu.jwksUri)).text();
  const ok = await runCli(main, ['claims', accessToken, ...poolFlags(emu)], { env: { COGNITO_JWKS: jwks } });
  expect(ok.code).toBe(0);
});

test('keys that cannot be fetched → exit 3 (unavailable), not a verdict on the token', async () => {
  const r = await runCli(main, ['claims', accessToken, '--user-pool-id', emu.userPoolId, '--client-id', emu.clientId, '--endpoint', 'http://127.0.0.1:9']);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^error: Could not fetch the JWKS from http:\/\/127\.0\.0\.1:9\/[^\n]+\n$/);
});

test('--no-verify only decodes, says so on stderr and in the output, and needs no pool settings', async () => {
  const r = await runCli(main, ['claims', accessToken, '--no-verify']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('NOT VERIFIED: decoded only (--no-verify); do not trust these claims.\n');
  const out = JSON.parse(r.stdout) as ClaimsOutput;
  expect(out.verified).toBe(false);
  expect(out.claims.username).toBe('svc');
});

test('input that is not a JWT, or no token at all, fails with one line', async () => {
  const notJwt = await runCli(main, ['claims', 'not-a-jwt', '--no-verify']);
  expect(notJwt).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: The input is not a JWT[^\n]*\n$/) });
  const empty = await runCli(main, ['claims', '-', ...poolFlags(emu)], { stdin: pipedStdin('') });
  expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('stdin is empty') });
  const noPool = await runCli(main, ['claims', accessToken]);
  expect(noPool).toMatchObject({ code: 2, stderr: expect.stringContaining('--user-pool-id') });
});
