import { inspect } from 'node:util';
import {
  computePasswordClaim,
  computeServerS,
  computeU,
  createDeviceSecrets,
  createEphemeral,
  createServerEphemeral,
  deriveKey,
  g,
  modPow,
  N,
  padHex,
  toHex,
  verifyPasswordClaim,
} from '../../src/srp/index.js';
import { oracleDeviceVerifier } from './oracle.js';

const DEVICE_KEY = 'eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const DEVICE_GROUP_KEY = '-a1B2c3D4e';

function fromBase64Int(b64: string): bigint {
  return BigInt(`0x${Buffer.from(b64, 'base64').toString('hex')}`);
}

describe('createDeviceSecrets', () => {
  const secrets = createDeviceSecrets(DEVICE_GROUP_KEY, DEVICE_KEY);

  test('the device password is base64 of 40 random bytes; salt is PAD of a 16-byte value', () => {
    expect(Buffer.from(secrets.devicePassword, 'base64')).toHaveLength(40);
    expect(secrets.devicePassword).toMatch(/^[A-Za-z0-9+/]{54}==$/);
    const salt = Buffer.from(secrets.salt, 'base64');
    expect(salt.length === 16 || (salt.length === 17 && salt[0] === 0 && (salt[1] as number) >= 0x80)).toBe(true);
    expect(salt.toString('hex')).toBe(padHex(fromBase64Int(secrets.salt)));
  });

  test('the verifier is PAD(v) with v in [2, N) and equals amazon-cognito-identity-js generateHashDevice math', () => {
    const v = fromBase64Int(secrets.passwordVerifier);
    expect(Buffer.from(secrets.passwordVerifier, 'base64').toString('hex')).toBe(padHex(v));
    expect(v > 1n && v < N).toBe(true);
    const saltPadHex = Buffer.from(secrets.salt, 'base64').toString('hex');
    expect(v).toBe(oracleDeviceVerifier(DEVICE_GROUP_KEY, DEVICE_KEY, saltPadHex, secrets.devicePassword));
  });

  test('each call draws a new password and salt', () => {
    const other = createDeviceSecrets(DEVICE_GROUP_KEY, DEVICE_KEY);
    expect(other.devicePassword).not.toBe(secrets.devicePassword);
    expect(other.salt).not.toBe(secrets.salt);
    expect(other.passwordVerifier).not.toBe(secrets.passwordVerifier);
  });

  test('the device password stays out of inspect, JSON and spreads but is readable', () => {
    expect(typeof secrets.devicePassword).toBe('string');
    expect(inspect(secrets)).not.toContain(secrets.devicePassword);
    expect(JSON.stringify(secrets)).not.toContain(secrets.devicePassword);
    expect(Object.keys(secrets).sort()).toEqual(['passwordVerifier', 'salt']);
  });

  test('DEVICE_PASSWORD_VERIFIER: our client claim verifies against the registered verifier; another password fails', () => {
    const v = fromBase64Int(secrets.passwordVerifier);
    const saltHex = Buffer.from(secrets.salt, 'base64').toString('hex');
    for (const [password, expected] of [
      [secrets.devicePassword, true],
      [createDeviceSecrets(DEVICE_GROUP_KEY, DEVICE_KEY).devicePassword, false],
    ] as const) {
      const server = createServerEphemeral(v);
      const ephemeral = createEphemeral();
      const secretBlock = Buffer.from('device-secret-block').toString('base64');
      const claim = computePasswordClaim({
        poolName: DEVICE_GROUP_KEY,
        userId: DEVICE_KEY,
        password,
        ephemeral,
        salt: saltHex,
        srpB: toHex(server.B),
        secretBlock,
      });
      const key = deriveKey(computeU(ephemeral.A, server.B), computeServerS({ A: ephemeral.A, B: server.B, b: server.b, v }));
      expect(
        verifyPasswordClaim({ poolName: DEVICE_GROUP_KEY, userId: DEVICE_KEY, secretBlock, timestamp: claim.timestamp, signature: claim.signature, key }),
      ).toBe(expected);
    }
  });

  test('v is g^x (sanity: a verifier is a power of g, so v^q = 1 for q = (N-1)/2)', () => {
    const v = fromBase64Int(secrets.passwordVerifier);
    expect(modPow(v, (N - 1n) / 2n)).toBe(1n);
    expect(modPow(g, (N - 1n) / 2n)).toBe(1n);
  });
});
