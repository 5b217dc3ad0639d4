/** `cognito-srp-auth token --client-credentials` against the emulator, in-process. */
import { main } from '../../src/cli/program.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { decodePayload, FakeTerminal, JWT_SHAPE, pipedStdin, runCli, waitForText } from './helpers.js';

let emu: CognitoEmulator;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  emu = await startCognitoEmulator();
  client = emu.addM2mClient({ scopes: ['orders/read', 'orders/write', 'billing/pay'] });
});
afterAll(async () => {
  await emu.close();
});

function flags(): string[] {
  return ['token', '--client-credentials', '--user-pool-id', emu.userPoolId, '--client-id', client.clientId, '--endpoint', emu.endpoint];
}

describe('token --client-credentials', () => {
  it('prints a verified M2M token with the --scope values (secret from COGNITO_CLIENT_SECRET)', async () => {
    const before = emu.calls.GetClientToken ?? 0;
    const result = await runCli(main, [...flags(), '--scope', 'orders/read', '--scope', 'billing/pay'], {
      env: { COGNITO_CLIENT_SECRET: client.clientSecret },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const token = result.stdout.trim();
    expect(token).toMatch(JWT_SHAPE);
    expect(decodePayload(token)).toMatchObject({ client_id: client.clientId, scope: 'orders/read billing/pay' });
    expect((emu.calls.GetClientToken ?? 0) - before).toBe(1);
  });

  it('--token-endpoint uses /oauth2/token; --json prints the token with its dates and scopes', async () => {
    const before = emu.calls.TokenEndpoint ?? 0;
    const result = await runCli(main, [...flags(), '--token-endpoint', emu.tokenEndpoint, '--json', '--client-secret-env', 'MY_SECRET'], {
      env: { MY_SECRET: client.clientSecret },
    });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { accessToken: string; expiresAt: string; scopes: string[] };
    expect(printed.scopes.sort()).toEqual(['billing/pay', 'orders/read', 'orders/write']);
    expect(Date.parse(printed.expiresAt)).toBeGreaterThan(Date.now());
    expect((emu.calls.TokenEndpoint ?? 0) - before).toBe(1);
  });

  it('asks for the secret on a terminal without echo when the environment has none', async () => {
    const stdin = new FakeTerminal();
    const pending = runCli(main, flags(), { stdin, stderrTty: true });
    // runCli captures stderr itself; the prompt is the only thing written before the token.
    await waitForText(() => (stdin.rawModes.length > 0 ? 'raw' : ''), 'raw');
    stdin.write(`${client.clientSecret}\r`);
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('App client secret: ');
    expect(result.stderr).not.toContain(client.clientSecret);
    expect(stdin.rawModes[0]).toBe(true);
  });

  it('a wrong secret → exit 1 with a clear message and no secret', async () => {
    const result = await runCli(main, flags(), { env: { COGNITO_CLIENT_SECRET: 'not-the-secret-123' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*(refused the app client|invalid_client)/i);
    expect(result.stderr).not.toContain('not-the-secret-123');
  });

  it('an unknown scope → exit 1 naming the scope problem', async () => {
    const result = await runCli(main, [...flags(), '--scope', 'nosuch/scope'], {
      env: { COGNITO_CLIENT_SECRET: client.clientSecret },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/scope/i);
  });

  it('no secret and no terminal → exit 2 saying where to put it; --client-secret is refused', async () => {
    const none = await runCli(main, flags(), { stdin: pipedStdin() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('COGNITO_CLIENT_SECRET');
    const onArgv = await runCli(main, [...flags(), `--client-secret=${client.clientSecret}`]);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).not.toContain(client.clientSecret);
  });

  it('bad flags are named as typed: --scope, --token-endpoint, user flags', async () => {
    const env = { COGNITO_CLIENT_SECRET: client.clientSecret };
    const badScope = await runCli(main, [...flags(), '--scope', 'two words'], { env });
    expect(badScope).toMatchObject({ code: 2 });
    expect(badScope.stderr).toContain('--scope');
    const badEndpoint = await runCli(main, [...flags(), '--token-endpoint', 'http://auth.example.com/oauth2/token'], { env });
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toContain('--token-endpoint');
    const userFlag = await runCli(main, [...flags(), '--username', 'svc'], { env });
    expect(userFlag.code).toBe(2);
    expect(userFlag.stderr).toContain('--username');
  });

  it('--help describes the command', async () => {
    const result = await runCli(main, ['token', '--client-credentials', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--scope <scope>');
    const tokenHelp = await runCli(main, ['token', '--help']);
    expect(tokenHelp.stdout).toContain('--client-credentials');
  });
});
