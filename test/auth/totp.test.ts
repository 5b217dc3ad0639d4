import { base32Decode, base32Encode, generateTotp, randomTotpSecret, verifyTotp } from '../../src/auth/totp.js';
import { CognitoConfigError } from '../../src/errors.js';

// RFC 6238 appendix B, SHA-1 key "12345678901234567890"; the RFC prints 8 digits, Cognito uses the last 6.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  test.each(RFC_VECTORS)('at %i s the code is the last 6 digits of %s', (seconds, eightDigits) => {
    expect(generateTotp(RFC_SECRET, seconds * 1000)).toBe(eightDigits.slice(2));
  });

  test('base32 round-trips and matches RFC 4648 vectors', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb-oi==').toString()).toBe('foobar');
    const secret = randomTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
  });

  test('verifyTotp accepts one step of drift either side and nothing further', () => {
    const t = 1_700_000_000_000;
    const secret = randomTotpSecret();
    expect(verifyTotp(secret, generateTotp(secret, t), t)).toBe(true);
    expect(verifyTotp(secret, generateTotp(secret, t - 30_000), t)).toBe(true);
    expect(verifyTotp(secret, generateTotp(secret, t + 30_000), t)).toBe(true);
    expect(verifyTotp(secret, generateTotp(secret, t - 90_000), t)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', t)).toBe(false);
    expect(verifyTotp(secret, '12345', t)).toBe(false);
  });

  test('a malformed secret is a CognitoConfigError that does not echo the secret', () => {
    const bad = 'NOT-BASE32-!!-SECRETVALUE1';
    let caught: unknown;
    try {
      generateTotp(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CognitoConfigError);
    expect((caught as CognitoConfigError).option).toBe('mfa.totpSecret');
    expect((caught as Error).message).not.toContain('SECRETVALUE');
    expect(() => base32Decode('   ')).toThrow(/empty/);
  });
});
