import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { TokenVerificationError } from '../../src/errors.js';
import { JwksCache, TokenVerifier } from '../../src/tokens/verifier.js';

const CLIENT_ID = 'client123';
let server: Server;
let jwksUri: string;
let issuer: string;
let served: { keys: JWK[] };
let requests = 0;
let signing: { kid: string; key: CryptoKey };

async function newKey(kid: string): Promise<{ kid: string; key: CryptoKey; jwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, key: privateKey, jwk };
}

function sign(claims: Record<string, unknown>, options: { kid?: string; key?: CryptoKey; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, iat: now, exp: options.exp ?? now + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? signing.kid })
    .sign(options.key ?? signing.key);
}

beforeAll(async () => {
  const first = await newKey('k1');
  signing = first;
  served = { keys: [first.jwk] };
  server = createServer((req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}/eu-west-1_Pool1`;
  jwksUri = `${issuer}/.well-known/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = 0;
});

const access = { token_use: 'access', client_id: CLIENT_ID, username: 'u1' };
const id = { token_use: 'id', aud: CLIENT_ID, 'cognito:username': 'u1' };

describe('TokenVerifier', () => {
  test('accepts a good access and ID token, fetching the JWKS once for concurrent verifications', async () => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri });
    const [a, b] = await Promise.all([
      verifier.verify(await sign(access), 'access'),
      verifier.verify(await sign(id), 'id'),
      verifier.verify(await sign(access), 'access'),
    ]);
    expect(a.username).toBe('u1');
    expect(b['cognito:username']).toBe('u1');
    expect(requests).toBe(1);
    expect(verifier.keys.fetches).toBe(1);
  });

  test.each([
    ['wrong issuer', { ...access, iss: 'https://evil.example/pool' }, 'access'],
    ['wrong token_use', { ...id }, 'access'],
    ['access token of another client', { ...access, client_id: 'other' }, 'access'],
    ['ID token for another audience', { ...id, aud: 'other' }, 'id'],
  ] as const)('rejects %s', async (_name, claims, use) => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri });
    const token = await sign(claims as Record<string, unknown>);
    const error = await verifier.verify(token, use).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenVerificationError);
    expect((error as Error).message).not.toContain(token);
  });

  test('rejects an expired token beyond the skew allowance, accepts one within it', async () => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri, clockSkewSeconds: 30 });
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await sign(access, { exp: now - 120 }), 'access')).rejects.toThrow(
      TokenVerificationError,
    );
    await expect(verifier.verify(await sign(access, { exp: now - 5 }), 'access')).resolves.toBeDefined();
  });

  test('rejects a signature from a key the pool does not publish', async () => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri });
    const rogue = await newKey('k1'); // same kid, different key
    await expect(verifier.verify(await sign(access, { key: rogue.key }), 'access')).rejects.toThrow(
      /signature/i,
    );
  });

  test('uses given keys (verify.jwks / COGNITO_JWKS) without fetching', async () => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri: 'http://127.0.0.1:1/none', jwks: served });
    await expect(verifier.verify(await sign(access), 'access')).resolves.toBeDefined();
    expect(requests).toBe(0);
  });
});

describe('JwksCache', () => {
  test('an unknown kid refetches once, then not again within the cooldown', async () => {
    const cache = new JwksCache(jwksUri, { cooldownMs: 60_000 });
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri });
    // Warm the cache.
    await verifier.verify(await sign(access), 'access');
    expect(requests).toBe(1);

    const rotated = await newKey('k2');
    served = { keys: [...served.keys, rotated.jwk] };
    // Within 60 s of the last fetch an unknown kid does not trigger another request...
    await expect(verifier.verify(await sign(access, rotated), 'access')).rejects.toThrow(TokenVerificationError);
    expect(requests).toBe(1);

    // ...while once the cooldown has passed (0 here) the unknown kid is fetched and accepted.
    const fresh = new JwksCache(jwksUri, { cooldownMs: 0 });
    const header = { alg: 'RS256', kid: 'k2' };
    await expect(fresh.getKey(header, undefined as never)).resolves.toBeDefined();
    expect(requests).toBe(2);
    const unknown = { alg: 'RS256', kid: 'nope' };
    await expect(fresh.getKey(unknown, undefined as never)).rejects.toThrow();
    expect(requests).toBe(3); // one refetch for the unknown kid (cooldown 0)
    await expect(cache.getKey(unknown, undefined as never)).rejects.toThrow();
    await expect(cache.getKey(unknown, undefined as never)).rejects.toThrow();
    expect(requests).toBe(4); // initial load only; the 60 s cooldown blocks refetches
  });

  test('a JWKS endpoint that fails yields a TokenVerificationError naming the URL', async () => {
    const cache = new JwksCache('http://127.0.0.1:1/jwks.json');
    await expect(cache.getKey({ alg: 'RS256', kid: 'x' }, undefined as never)).rejects.toThrow(
      /Could not fetch the JWKS from http:\/\/127\.0\.0\.1:1\/jwks\.json/,
    );
  });
});
