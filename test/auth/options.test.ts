import { CognitoConfigError } from '../../src/errors.js';
import { resolveOptions, defaultIssuer, jwksFromEnvironment } from '../../src/auth/options.js';
import type { CognitoTokenProviderOptions } from '../../src/auth/types.js';
import { CognitoTokenProvider } from '../../src/tokens/provider.js';

const PASSWORD = 'Sup3r-Secret-Passw0rd!';
const base: CognitoTokenProviderOptions = {
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: 'client123',
  username: 'svc@example.com',
  password: PASSWORD,
};

function optionAtFault(overrides: Record<string, unknown>): string {
  try {
    new CognitoTokenProvider({ ...base, ...overrides } as CognitoTokenProviderOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as Error).message).not.toContain(PASSWORD);
    return (error as CognitoConfigError).option;
  }
  throw new Error('expected a CognitoConfigError');
}

describe('option validation', () => {
  test('valid options resolve with defaults and the region from the pool id', () => {
    const resolved = resolveOptions(base);
    expect(resolved.region).toBe('eu-west-1');
    expect(resolved.poolName).toBe('AbCdEf123');
    expect(resolved.tokenType).toBe('access');
    expect(resolved.refreshBeforeExpirySeconds).toBe(300);
    expect(resolved.verify?.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
    expect(resolved.verify?.jwksUri).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
    );
    expect(resolved.rememberDevice).toBe(false);
  });

  test('a custom endpoint moves the issuer to <endpoint>/<pool>', () => {
    const resolved = resolveOptions({ ...base, endpoint: 'http://127.0.0.1:9229/' });
    expect(resolved.endpoint).toBe('http://127.0.0.1:9229');
    expect(resolved.verify?.issuer).toBe('http://127.0.0.1:9229/eu-west-1_AbCdEf123');
    expect(defaultIssuer('cn-north-1_x', 'cn-north-1', undefined)).toBe(
      'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_x',
    );
  });

  test.each([
    [{ userPoolId: 'AbCdEf123' }, 'userPoolId'],
    [{ userPoolId: 'eu-west-1_' }, 'userPoolId'],
    [{ userPoolId: 42 }, 'userPoolId'],
    [{ clientId: '' }, 'clientId'],
    [{ clientId: 'bad id!' }, 'clientId'],
    [{ username: '' }, 'username'],
    [{ password: '' }, 'password'],
    [{ password: 12 }, 'password'],
    [{ clientSecret: '' }, 'clientSecret'],
    [{ region: 'Europe' }, 'region'],
    [{ endpoint: 'not a url' }, 'endpoint'],
    [{ endpoint: 'ftp://127.0.0.1' }, 'endpoint'],
    [{ endpoint: 'http://user:pw@127.0.0.1' }, 'endpoint'],
    [{ cognitoClient: {} }, 'cognitoClient'],
    [{ tokenType: 'refresh' }, 'tokenType'],
    [{ refreshBeforeExpirySeconds: -1 }, 'refreshBeforeExpirySeconds'],
    [{ refreshBeforeExpirySeconds: Number.NaN }, 'refreshBeforeExpirySeconds'],
    [{ mfa: 'x' }, 'mfa'],
    [{ mfa: { totpSecret: 'not base32 !!' } }, 'mfa.totpSecret'],
    [{ mfa: { totpSecret: undefined } }, 'mfa.totpSecret'],
    [{ mfa: { totpSecret: '' } }, 'mfa.totpSecret'],
    [{ mfa: { code: 'x' } }, 'mfa.code'],
    [{ mfa: { totp: 'x' } }, 'mfa.totp'],
    [{ newPassword: 'x' }, 'newPassword'],
    [{ device: { deviceKey: 'eu-west-1_abc' } }, 'device.deviceGroupKey'],
    [{ device: { deviceKey: 'k', deviceGroupKey: 'g', devicePassword: '' } }, 'device.devicePassword'],
    [{ device: 'k' }, 'device'],
    [{ deviceStore: { load: () => undefined } }, 'deviceStore'],
    [{ tokenStore: { load: () => undefined, save: () => undefined } }, 'tokenStore'],
    [{ tokenStore: '/var/lib/session.json' }, 'tokenStore'],
    [{ rememberDevice: 'yes' }, 'rememberDevice'],
    [{ rememberDevice: { name: 5 } }, 'rememberDevice.name'],
    [{ verify: true }, 'verify'],
    [{ verify: { jwks: { nokeys: [] } } }, 'verify.jwks'],
    [{ verify: { jwksUri: 'file:///etc/passwd' } }, 'verify.jwksUri'],
    [{ verify: { audience: 'x' } }, 'verify.audience'],
    [{ clientMetadata: { a: 1 } }, 'clientMetadata.a'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ retry: { maxAttempts: 1.5 } }, 'retry.maxAttempts'],
    [{ retry: { baseDelayMs: 100, maxDelayMs: 10 } }, 'retry.maxDelayMs'],
    [{ passwrd: 'typo' }, 'passwrd'],
  ])('%j is rejected naming %s', (overrides, option) => {
    expect(optionAtFault(overrides)).toBe(option);
  });

  test('a partial device names the missing field and never echoes the device password', () => {
    const devicePassword = 'device-pass-do-not-print';
    try {
      new CognitoTokenProvider({ ...base, device: { deviceKey: '', deviceGroupKey: 'g', devicePassword } });
      throw new Error('expected a throw');
    } catch (error) {
      expect((error as CognitoConfigError).option).toBe('device.deviceKey');
      expect(String((error as Error).message)).not.toContain(devicePassword);
    }
  });

  test('COGNITO_JWKS is parsed, and a malformed value names the variable', () => {
    expect(jwksFromEnvironment({ COGNITO_JWKS: '{"keys":[{"kty":"RSA"}]}' })?.keys).toHaveLength(1);
    expect(jwksFromEnvironment({})).toBeUndefined();
    expect(() => jwksFromEnvironment({ COGNITO_JWKS: '{nope' })).toThrow(
      expect.objectContaining({ option: 'COGNITO_JWKS' }),
    );
    expect(() => jwksFromEnvironment({ COGNITO_JWKS: '{"keys":3}' })).toThrow(CognitoConfigError);
  });

  test('verify: false turns verification off; rememberDevice takes a name', () => {
    const resolved = resolveOptions({ ...base, verify: false, rememberDevice: { name: 'worker-1' } });
    expect(resolved.verify).toBeUndefined();
    expect(resolved.rememberDevice).toEqual({ name: 'worker-1' });
  });

  test('resolved options keep secrets out of inspect and JSON', async () => {
    const { inspect } = await import('node:util');
    const resolved = resolveOptions({
      ...base,
      clientSecret: 'client-secret-value',
      mfa: { totpSecret: 'JBSWY3DPEHPK3PXP' },
      device: { deviceKey: 'k', deviceGroupKey: 'g', devicePassword: 'device-secret-value' },
    });
    for (const text of [inspect(resolved, { depth: 10 }), JSON.stringify(resolved)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('client-secret-value');
      expect(text).not.toContain('JBSWY3DPEHPK3PXP');
      expect(text).not.toContain('device-secret-value');
    }
  });
});
