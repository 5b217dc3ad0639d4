import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { TokenVerificationError } from '../../src/errors.js';
import { importRs256Keys } from '../../src/tokens/jwt-rs256.js';
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

describe('TokenVerifier: each check failing on its own', () => {
  const segments = (token: string) => token.split('.') as [string, string, string];
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const verifierWithKeys = () => new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri, jwks: served });

  async function rejection(token: string, use: 'access' | 'id' = 'access'): Promise<Error> {
    const error = await verifierWithKeys()
      .verify(token, use)
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TokenVerificationError);
    expect((error as Error).message).not.toContain(token);
    return error as Error;
  }

  test('a tampered payload or signature fails the signature check', async () => {
    const [header, payload, signature] = segments(await sign(access));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${encode({ ...claims, username: 'admin' })}.${signature}`;
    expect((await rejection(forged)).message).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await rejection(`${header}.${payload}.${flipped}`)).message).toMatch(/signature/);
  });

  test.each(['none', 'HS256', 'RS512', 'PS256'])('a token whose alg is %s is refused before any key is used', async (alg) => {
    const [, payload, signature] = segments(await sign(access));
    const token = `${encode({ alg, kid: signing.kid })}.${payload}.${signature}`;
    expect((await rejection(token)).message).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED/);
  });

  test('expired beyond the tolerance, and not valid before nbf beyond the tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await rejection(await sign(access, { exp: now - 31 }))).message).toMatch(/ERR_JWT_EXPIRED/);
    expect((await rejection(await sign({ ...access, nbf: now + 120 }))).message).toMatch(/"nbf"/);
    await expect(verifierWithKeys().verify(await sign({ ...access, nbf: now + 10 }), 'access')).resolves.toBeDefined();
  });

  test('a non-numeric exp, a missing exp and a wrong issuer each fail', async () => {
    expect((await rejection(await sign({ ...access, exp: 'tomorrow' }))).message).toMatch(/"exp" claim must be a number/);
    const withoutExp = await new SignJWT({ ...access, iss: issuer })
      .setProtectedHeader({ alg: 'RS256', kid: signing.kid })
      .sign(signing.key);
    expect((await rejection(withoutExp)).message).toMatch(/no exp claim/);
    expect((await rejection(await sign({ ...access, iss: `${issuer}x` }))).message).toMatch(/"iss"/);
  });

  test('an ID token whose aud array lacks the client is refused; one that lists it is accepted', async () => {
    expect((await rejection(await sign({ ...id, aud: ['other'] }), 'id')).message).toMatch(/"aud"/);
    await expect(verifierWithKeys().verify(await sign({ ...id, aud: ['other', CLIENT_ID] }), 'id')).resolves.toBeDefined();
  });

  test('an unknown kid, a crit header and malformed tokens are refused', async () => {
    const [, payload, signature] = segments(await sign(access));
    expect((await rejection(await sign(access, { kid: 'nope' }))).message).toMatch(/ERR_JWKS_NO_MATCHING_KEY/);
    expect((await rejection(`${encode({ alg: 'RS256', kid: signing.kid, crit: ['exp'] })}.${payload}.${signature}`)).message).toMatch(
      /crit/,
    );
    expect((await rejection(`${payload}.${signature}`)).message).toMatch(/ERR_JWT_INVALID/);
    expect((await rejection(`${encode({ alg: 'RS256' })}.${encode([1, 2])}.${signature}`)).message).toMatch(/payload/);
    expect((await rejection(`${encode({ alg: 'RS256' })}.${payload}.${signature}.extra`)).message).toMatch(/three/);
    expect((await rejection(`${encode({ alg: 'RS256' })}.${payload}.sig+nature/`)).message).toMatch(/base64url/);
  });

  test('a key shorter than 2048 bits in the JWKS is never used', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weak = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'weak', alg: 'RS256', use: 'sig' };
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri, jwks: { keys: [weak] } });
    const input = `${encode({ alg: 'RS256', kid: 'weak' })}.${encode({ ...access, iss: issuer, exp: Math.floor(Date.now() / 1000) + 600 })}`;
    const token = `${input}.${cryptoSign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
    await expect(verifier.verify(token, 'access')).rejects.toThrow(/ERR_JWKS_NO_MATCHING_KEY/);
  });

  test('once the keys are loaded, verifications fetch nothing more', async () => {
    const verifier = new TokenVerifier({ issuer, clientId: CLIENT_ID, jwksUri });
    for (let i = 0; i < 5; i++) await verifier.verify(await sign(access), 'access');
    expect(verifier.keys.fetches).toBe(1);
    expect(requests).toBe(1);
  });
});

describe('the process-wide cache of imported keys', () => {
  test('a malformed JWK (n as an array) does not poison the import cache for the valid key', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    expect(importRs256Keys({ keys: [{ kty: 'RSA', n: [jwk.n], e: jwk.e } as never] }).size).toBe(0);
    expect(importRs256Keys({ keys: [{ kty: 'RSA', n: jwk.n, e: jwk.e, kid: 'k' }] }).size).toBe(1);
  });
});
