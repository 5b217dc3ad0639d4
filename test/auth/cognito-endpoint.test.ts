import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { sdkResolvedEndpoint } from '../../src/auth/cognito-endpoint.js';
import { startCognitoEmulator } from '../../src/testing/index.js';

/**
 * Where a plain SDK client sends InitiateAuth for `region`, read from a request handler that records the request
 * and sends nothing: the value sdkResolvedEndpoint must agree with, from the SDK itself rather than a guess.
 */
async function whereTheSdkSends(region: string): Promise<string> {
  class Recorded extends Error {}
  let recorded: { protocol: string; hostname: string; port?: number; path: string } | undefined;
  const client = new CognitoIdentityProviderClient({
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    requestHandler: {
      handle: async (request: typeof recorded) => {
        recorded = request;
        throw new Recorded('recorded, not sent');
      },
    },
  });
  try {
    await expect(client.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: 'c' }))).rejects.toBeInstanceOf(Recorded);
  } finally {
    client.destroy();
  }
  const { protocol, hostname, port, path } = recorded!;
  return `${protocol}//${hostname}${port === undefined ? '' : `:${port}`}${path}`;
}

/** The SDK settings that move an endpoint, cleared for the in-process tests (a developer's machine may have them). */
const ENDPOINT_SETTINGS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_DEFAULTS_MODE', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
const savedSettings = Object.fromEntries(ENDPOINT_SETTINGS.map((name) => [name, process.env[name]]));
beforeAll(() => {
  for (const name of ENDPOINT_SETTINGS) delete process.env[name];
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
});
afterAll(() => {
  for (const [name, value] of Object.entries(savedSettings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('sdkResolvedEndpoint in this process (no endpoint settings in the environment)', () => {
  test('eu-west-1 is the regional host', async () => {
    const url = await sdkResolvedEndpoint('eu-west-1');
    expect(url.href).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(url.href).toBe(await whereTheSdkSends('eu-west-1'));
  });

  test('cn-north-1 is the China partition host the SDK gives', async () => {
    const url = await sdkResolvedEndpoint('cn-north-1');
    expect(url.hostname.endsWith('.amazonaws.com.cn')).toBe(true);
    expect(url.href).toBe(await whereTheSdkSends('cn-north-1'));
  });

  test.each(['us-gov-west-1', 'ap-southeast-5', 'eu-central-2'])('%s is where the SDK sends', async (region) => {
    expect((await sdkResolvedEndpoint(region)).href).toBe(await whereTheSdkSends(region));
  });

  test('a region is resolved once: later calls share the answer', async () => {
    const first = sdkResolvedEndpoint('eu-north-1');
    expect(sdkResolvedEndpoint('eu-north-1')).toBe(first);
    expect((await first).href).toBe('https://cognito-idp.eu-north-1.amazonaws.com/');
  });
});

describe('sdkResolvedEndpoint with endpoint settings in the environment (a child process each)', () => {
  interface Report {
    resolved: string;
    sdk: string;
    sent?: { output?: unknown; error?: string };
    connects: string[];
  }

  /** Runs a fixture from the sources with only `env`'s AWS settings; resolves with the JSON line it prints. */
  function runFixture<T>(fixture: string, args: string[], env: Record<string, string>): Promise<T> {
    const clean: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) clean[name] = value;
    // No shared config file either: only the variables under test decide.
    const none = join(process.cwd(), 'test', 'auth', 'fixtures', 'no-such-aws-config');
    return new Promise((done, fail) => {
      execFile(
        process.execPath,
        ['--import', './test/support/source-loader.mjs', join('test', 'auth', 'fixtures', fixture), ...args],
        { env: { ...clean, AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, ...env }, timeout: 30_000 },
        (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout.trim()) as T)),
      );
    });
  }

  const child = (region: string, env: Record<string, string>, send = false): Promise<Report> =>
    runFixture('sdk-endpoint.mjs', [process.cwd(), region, ...(send ? ['send'] : [])], env);

  test('AWS_USE_FIPS_ENDPOINT=true gives the FIPS host the SDK sends to', async () => {
    const report = await child('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' });
    expect(report.resolved).toBe(report.sdk);
    expect(new URL(report.resolved).hostname).toContain('fips');
    expect(report.resolved).not.toBe('https://cognito-idp.us-east-1.amazonaws.com/');
    expect(report.connects).toEqual([]);
  });

  test('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER is honoured, and the provider transport sends there', async () => {
    const received: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const report = await child('eu-west-1', { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint }, true);
      expect(report.sdk).toBe(`${endpoint}/`);
      expect(report.resolved).toBe(report.sdk);
      expect(report.sent).toEqual({ output: {} });
      expect(received.map((headers) => headers['x-amz-target'])).toEqual(['AWSCognitoIdentityProviderService.GlobalSignOut']);
      expect(report.connects).toEqual(['127.0.0.1']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  test('a provider given no endpoint signs in where AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER points', async () => {
    const emu = await startCognitoEmulator({ region: 'eu-west-1' });
    try {
      emu.addUser({ username: 'svc', password: 'Corr3ct-Horse-Battery!' });
      const report = await runFixture<Record<string, unknown>>(
        'provider-sign-in.mjs',
        [join(process.cwd(), 'src', 'index.ts'), JSON.stringify({ userPoolId: emu.userPoolId, clientId: emu.clientId, issuer: emu.issuer })],
        { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emu.endpoint },
      );
      expect(report).toEqual({ outcome: 'signed-in', tokenUse: 'access', username: 'svc', tokenIssuer: emu.issuer });
      expect(emu.calls.InitiateAuth).toBe(1);
      expect(emu.calls.RespondToAuthChallenge).toBe(1);
    } finally {
      await emu.close();
    }
  });
});

describe('settings the SDK reads in this process', () => {
  test('an IPv6 AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER resolves (the SDK itself sends there)', async () => {
    const name = 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER';
    const saved = process.env[name];
    process.env[name] = 'http://[::1]:9229';
    try {
      const outcome = await sdkResolvedEndpoint('eu-west-3').then((url) => url.href, (error: Error) => `${error.name}: ${error.message}`);
      expect(outcome).toBe('http://[::1]:9229/');
    } finally {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  });

  test('resolving the endpoint sends nothing off the process, also with AWS_DEFAULTS_MODE=auto', async () => {
    const seen: string[] = [];
    const imds = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(req.method === 'PUT' ? 200 : 200).end(req.method === 'PUT' ? 'token' : 'eu-west-1');
    });
    imds.listen(0, '127.0.0.1');
    await once(imds, 'listening');
    const env = {
      AWS_DEFAULTS_MODE: 'auto',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(imds.address() as AddressInfo).port}`,
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const url = await sdkResolvedEndpoint('sa-east-1');
      expect(url.href).toBe('https://cognito-idp.sa-east-1.amazonaws.com/');
      expect(seen).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      imds.closeAllConnections();
      imds.close();
    }
  });
});
