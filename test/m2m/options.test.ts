import { inspect } from 'node:util';

import { CognitoConfigError } from '../../src/errors.js';
import {
  clientCredentialsIdentity,
  resolveClientCredentialsOptions,
  type CognitoClientCredentialsOptions,
} from '../../src/m2m/index.js';

const SECRET = 'm2m-client-secret-value-1234567890';
const base: CognitoClientCredentialsOptions = {
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: 'client123',
  clientSecret: SECRET,
};

function optionAtFault(overrides: Record<string, unknown>): string {
  try {
    resolveClientCredentialsOptions({ ...base, ...overrides } as CognitoClientCredentialsOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as Error).message).not.toContain(SECRET);
    return (error as CognitoConfigError).option;
  }
  throw new Error('expected a CognitoConfigError');
}

describe('resolveClientCredentialsOptions', () => {
  test('defaults: GetClientToken, all scopes, verify with the regional issuer, 300 s window, 10 s deadline', () => {
    const resolved = resolveClientCredentialsOptions(base);
    expect(resolved).toMatchObject({
      region: 'eu-west-1',
      scopes: [],
      tokenEndpoint: undefined,
      refreshBeforeExpirySeconds: 300,
      timeoutMs: 10_000,
      retry: { maxAttempts: 3 },
      cache: undefined,
    });
    expect(resolved.verify).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      clientId: 'client123',
    });
    expect(inspect(resolved, { depth: 5 })).not.toContain(SECRET);
    expect(JSON.stringify(resolved)).not.toContain(SECRET);
  });

  test('scopes de-duplicated; tokenEndpoint normalised; verify: false; a secret function kept', () => {
    const secret = async (): Promise<string> => SECRET;
    const resolved = resolveClientCredentialsOptions({
      ...base,
      clientSecret: secret,
      scopes: ['orders/read', 'orders/read', 'https://api.example.com/admin'],
      tokenEndpoint: 'https://auth.example.com/oauth2/token',
      verify: false,
      endpoint: 'http://127.0.0.1:9229/',
    });
    expect(resolved.scopes).toEqual(['orders/read', 'https://api.example.com/admin']);
    expect(resolved.tokenEndpoint).toBe('https://auth.example.com/oauth2/token');
    expect(resolved.verify).toBeUndefined();
    expect(resolved.endpoint).toBe('http://127.0.0.1:9229');
    expect(resolved.clientSecret.reveal()).toBe(secret);
  });

  test.each<[Record<string, unknown>, string]>([
    [{ userPoolId: 'nope' }, 'userPoolId'],
    [{ clientId: '' }, 'clientId'],
    [{ clientId: 'bad id' }, 'clientId'],
    [{ clientSecret: undefined }, 'clientSecret'],
    [{ clientSecret: '' }, 'clientSecret'],
    [{ clientSecret: 42 }, 'clientSecret'],
    [{ scopes: 'orders/read' }, 'scopes'],
    [{ scopes: ['orders/read', 'two words'] }, 'scopes[1]'],
    [{ scopes: [''] }, 'scopes[0]'],
    [{ tokenEndpoint: 'not a url' }, 'tokenEndpoint'],
    [{ tokenEndpoint: 'http://auth.example.com/oauth2/token' }, 'tokenEndpoint'],
    [{ tokenEndpoint: `https://id:${SECRET}@auth.example.com/oauth2/token` }, 'tokenEndpoint'],
    [{ tokenEndpoint: 'ftp://auth.example.com/oauth2/token' }, 'tokenEndpoint'],
    [{ endpoint: 'nope' }, 'endpoint'],
    [{ cognitoClient: {} }, 'cognitoClient'],
    [{ verify: 'yes' }, 'verify'],
    [{ verify: { audience: 'x' } }, 'verify.audience'],
    [{ refreshBeforeExpirySeconds: -1 }, 'refreshBeforeExpirySeconds'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs'],
    [{ cache: {} }, 'cache'],
    // Only get and set: every flight would fail over to its own token request, reported, never shared.
    [{ cache: { get: () => undefined, set: () => true } }, 'cache'],
    [{ region: 'moon' }, 'region'],
    [{ username: 'svc' }, 'username'],
    [{ scope: ['orders/read'] }, 'scope'],
  ])('%j → CognitoConfigError naming %s', (overrides, option) => {
    expect(optionAtFault(overrides)).toBe(option);
  });

  test('http token endpoints are accepted on loopback only', () => {
    expect(resolveClientCredentialsOptions({ ...base, tokenEndpoint: 'http://127.0.0.1:9229/oauth2/token' }).tokenEndpoint).toBe(
      'http://127.0.0.1:9229/oauth2/token',
    );
    expect(resolveClientCredentialsOptions({ ...base, tokenEndpoint: 'http://localhost:1/oauth2/token' }).tokenEndpoint).toBe(
      'http://localhost:1/oauth2/token',
    );
  });

  test('a cache without the lock methods names what is missing', () => {
    const cache = { get: () => undefined, set: () => true };
    expect(() => resolveClientCredentialsOptions({ ...base, cache } as never)).toThrow(/missing tryLock, unlock, delete, waitForChange/);
  });

  test('not an object → CognitoConfigError naming options', () => {
    expect(() => resolveClientCredentialsOptions(null as never)).toThrow(CognitoConfigError);
  });
});

describe('clientCredentialsIdentity', () => {
  test('same pool, client and scopes (any order) → same identity; any difference → another; never the secret', () => {
    const id = (extra: Partial<CognitoClientCredentialsOptions>) =>
      clientCredentialsIdentity(resolveClientCredentialsOptions({ ...base, ...extra }));
    const a = id({ scopes: ['a/x', 'b/y'] });
    expect(id({ scopes: ['b/y', 'a/x', 'a/x'], clientSecret: 'other', tokenEndpoint: 'https://auth.example.com/oauth2/token' })).toBe(a);
    expect(id({ scopes: ['a/x', 'b/y'], verify: false })).toBe(a);
    expect(id({ scopes: ['a/x'] })).not.toBe(a);
    expect(id({ scopes: ['a/x', 'b/y'], clientId: 'client456' })).not.toBe(a);
    expect(id({ scopes: ['a/x', 'b/y'], endpoint: 'http://127.0.0.1:9229' })).not.toBe(a);
    expect(id({ scopes: ['a/x', 'b/y'], userPoolId: 'eu-west-1_Other' })).not.toBe(a);
    expect(a).not.toContain(SECRET);
  });
});
