import { inspect } from 'node:util';

import { CognitoIdentityProviderClient, GetClientTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { JwtVerifier } from 'aws-jwt-verify';

import {
  InvalidClientError,
  InvalidScopeError,
  NetworkError,
  UnauthorizedClientError,
  AbortedError,
} from '../../src/errors.js';
import {
  ClientTokenFetcher,
  obtainClientCredentialsToken,
  type CognitoClientCredentialsOptions,
} from '../../src/m2m/index.js';
import { deadline, m2mFixture, optionsFor, recordingProxy, silentServer } from './helpers.js';

const fx = m2mFixture();
const TRANSPORTS = ['GetClientToken', 'tokenEndpoint'] as const;
type Transport = (typeof TRANSPORTS)[number];

function transportOptions(transport: Transport): { tokenEndpoint?: string } {
  return transport === 'tokenEndpoint' ? { tokenEndpoint: fx.emu.tokenEndpoint } : {};
}

function requestsMade(transport: Transport): number {
  return (transport === 'tokenEndpoint' ? fx.emu.calls.TokenEndpoint : fx.emu.calls.GetClientToken) ?? 0;
}

describe.each(TRANSPORTS)('obtainClientCredentialsToken via %s', (transport) => {
  it('returns a verified token with the requested scopes, in one request', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read', 'orders/write', 'https://api.example.com/admin'] });
    const before = Date.now();
    const token = await obtainClientCredentialsToken(
      optionsFor(emu, client, { scopes: ['orders/read', 'https://api.example.com/admin'], ...transportOptions(transport) }),
      { signal: deadline() },
    );
    expect(token.scopes).toEqual(['orders/read', 'https://api.example.com/admin']);
    expect(token.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(token.issuedAt).toBeLessThanOrEqual(Date.now());
    expect(requestsMade(transport)).toBe(1);
    // Second check, independent of our verifier: aws-jwt-verify with the pool's JWKS.
    // (CognitoJwtVerifier insists on the AWS issuer URL; the generic verifier takes the emulator's.)
    const verifier = JwtVerifier.create({
      issuer: emu.issuer,
      audience: null,
      jwksUri: emu.jwksUri,
      scope: ['orders/read', 'https://api.example.com/admin'],
    });
    // aws-jwt-verify fetches over https only: hand it the emulator's JWKS.
    verifier.cacheJwks((await (await fetch(emu.jwksUri)).json()) as never);
    const payload = await verifier.verify(token.accessToken);
    expect(payload).toMatchObject({ sub: client.clientId, client_id: client.clientId, token_use: 'access', version: 2 });
    expect(payload).not.toHaveProperty('username');
    expect(typeof payload.jti).toBe('string');
    expect(typeof payload.auth_time).toBe('number');
  });

  it('without scopes gets every scope of the app client', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    const token = await obtainClientCredentialsToken(optionsFor(emu, client, transportOptions(transport)), {
      signal: deadline(),
    });
    expect(token.scopes.sort()).toEqual(['orders/read', 'orders/write']);
  });

  it('a wrong secret → InvalidClientError without the secret in message or JSON', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const wrong = 'wrong-secret-value-0123456789';
    const error = await obtainClientCredentialsToken(
      optionsFor(emu, { clientId: client.clientId, clientSecret: wrong }, transportOptions(transport)),
      { signal: deadline() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as InvalidClientError).code).toBe('INVALID_CLIENT');
    const texts = [(error as Error).message, JSON.stringify(error), String((error as Error).stack), inspect(error, { depth: 10 })];
    for (const text of texts) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(client.clientSecret);
    }
  });

  it('an unknown client → InvalidClientError', async () => {
    const emu = await fx.start();
    emu.addM2mClient({ scopes: ['orders/read'] });
    await expect(
      obtainClientCredentialsToken(
        optionsFor(emu, { clientId: 'nosuchclient0000000000000a', clientSecret: 'x' }, transportOptions(transport)),
        { signal: deadline() },
      ),
    ).rejects.toBeInstanceOf(InvalidClientError);
  });

  it('a scope the client lacks → InvalidScopeError', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    emu.addM2mClient({ scopes: ['orders/write'] }); // defined in the pool, but not allowed to `client`
    for (const scope of ['orders/write', 'nosuch/scope']) {
      const error = await obtainClientCredentialsToken(
        optionsFor(emu, client, { scopes: [scope], ...transportOptions(transport) }),
        { signal: deadline() },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidScopeError);
      expect((error as InvalidScopeError).code).toBe('INVALID_SCOPE');
    }
  });

  it('a client without the flow → UnauthorizedClientError', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'], explicitAuthFlows: [], allowedOAuthFlows: [] });
    const error = await obtainClientCredentialsToken(optionsFor(emu, client, transportOptions(transport)), {
      signal: deadline(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedClientError);
    expect((error as UnauthorizedClientError).code).toBe('UNAUTHORIZED_CLIENT');
  });

  it('picks up a rotated secret: re-reads it once after invalid_client, then succeeds', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    let current = client.clientSecret;
    let reads = 0;
    const fetcher = new ClientTokenFetcher(
      optionsFor(emu, client, {
        ...transportOptions(transport),
        clientSecret: async () => {
          reads++;
          return current;
        },
      }),
    );
    try {
      await fetcher.obtain({ signal: deadline() });
      expect(reads).toBe(1);
      // Rotation as an operator does it: add a second secret, deploy it, delete the old one.
      const added = await adminSend(emu, 'AddUserPoolClientSecret', { UserPoolId: emu.userPoolId, ClientId: client.clientId });
      const newSecret = (added.ClientSecretDescriptor as { ClientSecretValue: string }).ClientSecretValue;
      const listed = await adminSend(emu, 'ListUserPoolClientSecrets', { UserPoolId: emu.userPoolId, ClientId: client.clientId });
      const secrets = listed.ClientSecrets as { ClientSecretId: string }[];
      expect(secrets).toHaveLength(2);
      // Both secrets work while both exist.
      await fetcher.obtain({ signal: deadline() });
      const oldId = secrets.find((s) => s.ClientSecretId !== (added.ClientSecretDescriptor as { ClientSecretId: string }).ClientSecretId)!;
      await adminSend(emu, 'DeleteUserPoolClientSecret', {
        UserPoolId: emu.userPoolId,
        ClientId: client.clientId,
        ClientSecretId: oldId.ClientSecretId,
      });
      // The old secret fails; the function (now returning the new secret) is read again and the request repeated.
      let first = true;
      const secretReads = reads;
      current = client.clientSecret;
      const rotating = new ClientTokenFetcher(
        optionsFor(emu, client, {
          ...transportOptions(transport),
          clientSecret: () => {
            reads++;
            const value = first ? client.clientSecret : newSecret;
            first = false;
            return value;
          },
        }),
      );
      const before = requestsMade(transport);
      const token = await rotating.obtain({ signal: deadline() });
      expect(token.scopes).toEqual(['orders/read']);
      expect(reads - secretReads).toBe(2);
      expect(requestsMade(transport) - before).toBe(2);
      rotating.destroy();
    } finally {
      fetcher.destroy();
    }
  });

  it('a secret that stays wrong is read again once, and not retried when unchanged', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    let reads = 0;
    const options = optionsFor(emu, client, {
      ...transportOptions(transport),
      clientSecret: () => {
        reads++;
        return 'stale-secret';
      },
    });
    await expect(obtainClientCredentialsToken(options, { signal: deadline() })).rejects.toBeInstanceOf(InvalidClientError);
    expect(reads).toBe(2);
    expect(requestsMade(transport)).toBe(1);
  });

  it('a silent server ends at the deadline with NetworkError (also by timeoutMs alone); a caller abort with AbortedError', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const silent = await silentServer();
    const at = (extra: Partial<CognitoClientCredentialsOptions>) =>
      optionsFor(emu, client, {
        ...(transport === 'tokenEndpoint' ? { tokenEndpoint: `${silent.url}/oauth2/token` } : { endpoint: silent.url }),
        verify: { issuer: emu.issuer, jwksUri: emu.jwksUri },
        ...extra,
      });
    try {
      await expect(obtainClientCredentialsToken(at({}), { signal: AbortSignal.timeout(100) })).rejects.toBeInstanceOf(
        NetworkError,
      );
      // timeoutMs bounds each request even when the caller's signal has no deadline.
      await expect(
        obtainClientCredentialsToken(at({ timeoutMs: 100 }), { signal: new AbortController().signal }),
      ).rejects.toBeInstanceOf(NetworkError);
      const controller = new AbortController();
      const pending = obtainClientCredentialsToken(at({}), { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
      expect(silent.requests).toBe(3);
    } finally {
      await silent.close();
    }
  });

  it('a token without a requested scope → InvalidScopeError naming it', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const fetcher = new ClientTokenFetcher(optionsFor(emu, client, { scopes: ['orders/read'], ...transportOptions(transport) }));
    try {
      // Simulate a server that grants less than asked: the check runs on what arrives.
      const { checkClientToken } = await import('../../src/m2m/verify.js');
      const token = await fetcher.obtain({ signal: deadline() });
      const error = await checkClientToken(token.accessToken, fetcher.verifier, ['orders/read', 'orders/delete']).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidScopeError);
      expect((error as InvalidScopeError).scopes).toEqual(['orders/delete']);
      expect((error as Error).message).toContain('orders/delete');
    } finally {
      fetcher.destroy();
    }
  });
});

async function adminSend(
  emu: { endpoint: string; region: string },
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const Command = (sdk as unknown as Record<string, new (input: unknown) => never>)[`${operation}Command`]!;
  const client = new CognitoIdentityProviderClient({
    region: emu.region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    return (await client.send(new Command(input))) as unknown as Record<string, unknown>;
  } finally {
    client.destroy();
  }
}

describe('GetClientToken is sent unsigned', () => {
  const CREDENTIAL_ENV = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_CONFIG_FILE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ];
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of CREDENTIAL_ENV) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    // No credentials anywhere; the metadata service is off so a credential lookup fails fast instead of probing.
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterEach(() => {
    for (const name of CREDENTIAL_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('with no AWS credentials, through a caller-supplied SDK client, and no signature header reaches the server', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const proxy = await recordingProxy(emu.endpoint);
    const sdkClient = new CognitoIdentityProviderClient({ region: emu.region, endpoint: proxy.url, maxAttempts: 1 });
    try {
      // Control: the SDK alone signs GetClientToken and fails without credentials.
      await expect(
        sdkClient.send(new GetClientTokenCommand({ ClientId: client.clientId, Secret: client.clientSecret })),
      ).rejects.toMatchObject({ name: 'CredentialsProviderError' });
      expect(proxy.requests).toHaveLength(0);

      const token = await obtainClientCredentialsToken(
        optionsFor(emu, client, { cognitoClient: sdkClient, verify: { issuer: emu.issuer, jwksUri: emu.jwksUri } }),
        { signal: deadline() },
      );
      expect(token.scopes).toEqual(['orders/read']);
      expect(proxy.requests).toHaveLength(1);
      const headers = proxy.requests[0]!;
      expect(headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.GetClientToken');
      expect(headers.authorization).toBeUndefined();
      expect(Object.keys(headers).filter((name) => /^x-amz-(date|security-token|content-sha256)$/.test(name))).toEqual([]);
    } finally {
      sdkClient.destroy();
      await proxy.close();
    }
  });

  it("the library's own transport sends no signature either", async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const proxy = await recordingProxy(emu.endpoint);
    try {
      await obtainClientCredentialsToken(
        optionsFor(emu, client, { endpoint: proxy.url, verify: { issuer: emu.issuer, jwksUri: emu.jwksUri } }),
        { signal: deadline() },
      );
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0]!.authorization).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });
});

describe('the token endpoint request', () => {
  it('is form-encoded with HTTP Basic client authentication and space-separated scopes', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    const proxy = await recordingProxy(emu.endpoint);
    try {
      const token = await obtainClientCredentialsToken(
        optionsFor(emu, client, {
          tokenEndpoint: `${proxy.url}/oauth2/token`,
          scopes: ['orders/read', 'orders/write'],
        }),
        { signal: deadline() },
      );
      expect(token.scopes).toEqual(['orders/read', 'orders/write']);
      const headers = proxy.requests[0]!;
      expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
      const basic = Buffer.from(headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8');
      expect(basic).toBe(`${client.clientId}:${client.clientSecret}`);
    } finally {
      await proxy.close();
    }
  });

  it('the token verifies against the pool JWKS with jose too', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const token = await obtainClientCredentialsToken(optionsFor(emu, client, { tokenEndpoint: emu.tokenEndpoint }), {
      signal: deadline(),
    });
    const { payload, protectedHeader } = await jwtVerify(token.accessToken, createRemoteJWKSet(new URL(emu.jwksUri)), {
      issuer: emu.issuer,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.scope).toBe('orders/read');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });
});

describe('the secret function', () => {
  it('is bounded by the deadline, and its failure is a CognitoConfigError without its message', async () => {
    const emu = await fx.start();
    const client = emu.addM2mClient({ scopes: ['orders/read'] });
    const hanging = optionsFor(emu, client, { clientSecret: () => new Promise<string>(() => {}) });
    await expect(obtainClientCredentialsToken(hanging, { signal: AbortSignal.timeout(100) })).rejects.toBeInstanceOf(
      NetworkError,
    );
    const failing = optionsFor(emu, client, {
      clientSecret: async () => {
        throw new Error(`vault said: ${client.clientSecret}`);
      },
    });
    const error = await obtainClientCredentialsToken(failing, { signal: deadline() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', option: 'clientSecret' });
    expect((error as Error).message).not.toContain(client.clientSecret);
    expect(inspect(error, { depth: 10 })).not.toContain(client.clientSecret);
    const empty = optionsFor(emu, client, { clientSecret: () => '' });
    await expect(obtainClientCredentialsToken(empty, { signal: deadline() })).rejects.toMatchObject({ option: 'clientSecret' });
    expect(emu.calls.GetClientToken).toBe(0);
  });
});

describe('emu.addM2mClient', () => {
  it('refuses ALLOW_CLIENT_TOKEN_AUTH next to other flows, as Cognito does', async () => {
    const emu = await fx.start();
    expect(() => emu.addM2mClient({ explicitAuthFlows: ['ALLOW_CLIENT_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'] })).toThrow(
      /only flow/,
    );
    expect(() => emu.addM2mClient({ scopes: ['no-slash'] })).toThrow(/scopes/);
  });
});
