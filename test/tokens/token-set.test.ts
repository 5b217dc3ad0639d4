import { inspect } from 'node:util';
import { TokenVerificationError } from '../../src/errors.js';
import { tokenSetFromResult } from '../../src/tokens/token-set.js';

function jwt(claims: Record<string, unknown>): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const now = 1_800_000_000_000;
const access = jwt({ token_use: 'access', username: 'internal-1', iat: 1_800_000_000, exp: 1_800_003_600, device_key: 'dk-claim' });
const id = jwt({ token_use: 'id', 'cognito:username': 'internal-1', iat: 1_800_000_000, exp: 1_800_003_000 });

describe('TokenSet', () => {
  test('takes the earliest exp, the internal user name, and keeps the previous refresh token', () => {
    const set = tokenSetFromResult(
      { AccessToken: access, IdToken: id },
      { previousRefreshToken: 'refresh-OLD', username: 'alias@example.com', deviceKey: undefined, now },
    );
    expect(set.expiresAt).toBe(1_800_003_000_000);
    expect(set.issuedAt).toBe(1_800_000_000_000);
    expect(set.username).toBe('internal-1');
    expect(set.refreshToken).toBe('refresh-OLD');
    expect(set.deviceKey).toBeUndefined(); // the claim alone does not make a device confirmed
    expect(set.token('access')).toBe(access);
    expect(set.token('id')).toBe(id);
  });

  test('a rotated refresh token replaces the old one; ExpiresIn is the fallback without exp', () => {
    const bare = jwt({ token_use: 'access' });
    const set = tokenSetFromResult(
      { AccessToken: bare, IdToken: bare, RefreshToken: 'refresh-NEW', ExpiresIn: 60 },
      { previousRefreshToken: 'refresh-OLD', username: 'svc', deviceKey: 'dk', now },
    );
    expect(set.refreshToken).toBe('refresh-NEW');
    expect(set.expiresAt).toBe(now + 60_000);
    expect(set.username).toBe('svc');
    expect(set.deviceKey).toBe('dk');
  });

  test('inspect, JSON and string conversion never show the tokens', () => {
    const set = tokenSetFromResult(
      { AccessToken: access, IdToken: id, RefreshToken: 'refresh-SECRET' },
      { username: 'svc', deviceKey: undefined, now },
    );
    for (const text of [inspect(set, { depth: 5, showHidden: true }), JSON.stringify(set), `${set}`]) {
      expect(text).not.toContain(access);
      expect(text).not.toContain(id);
      expect(text).not.toContain('refresh-SECRET');
    }
    expect(JSON.parse(JSON.stringify(set))).toEqual(
      expect.objectContaining({ accessToken: '[redacted]', refreshToken: '[redacted]', username: 'internal-1' }),
    );
  });

  test('missing or non-JWT tokens are a TokenVerificationError', () => {
    expect(() => tokenSetFromResult({ AccessToken: access }, { username: 'u', deviceKey: undefined })).toThrow(
      TokenVerificationError,
    );
    expect(() => tokenSetFromResult({ AccessToken: 'opaque', IdToken: id }, { username: 'u', deviceKey: undefined })).toThrow(
      'not a JWT',
    );
  });
});
