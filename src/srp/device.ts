import { randomBytes } from 'node:crypto';
import { defineHidden } from '../secret.js';
import { bigintFromBytes, padBytes } from './encoding.js';
import { computeVerifier } from './server.js';

/** Bytes of randomness in a device password (base64-encoded, as every Cognito client does). */
export const DEVICE_PASSWORD_BYTES = 40;
/** Bytes of randomness in a device salt. */
export const DEVICE_SALT_BYTES = 16;

/**
 * What ConfirmDevice needs (`DeviceSecretVerifierConfig: { PasswordVerifier, Salt }`) and the device password to
 * keep for later DEVICE_SRP_AUTH sign-ins. `devicePassword` is a secret: it is a non-enumerable property, so
 * `util.inspect`, `JSON.stringify` and object spread leave it out; read it explicitly.
 */
export interface DeviceSecrets {
  readonly devicePassword: string;
  /** base64 of PAD(v), v = g^x. */
  readonly passwordVerifier: string;
  /** base64 of PAD(salt). */
  readonly salt: string;
}

/**
 * Creates a random device password, salt and SRP verifier for ConfirmDevice.
 *
 * @example
 * const secrets = createDeviceSecrets(meta.DeviceGroupKey, meta.DeviceKey);
 * // ConfirmDevice({ DeviceKey, DeviceSecretVerifierConfig: { PasswordVerifier: secrets.passwordVerifier, Salt: secrets.salt } })
 * // then store secrets.devicePassword with the device key and group key
 */
export function createDeviceSecrets(deviceGroupKey: string, deviceKey: string): DeviceSecrets {
  const devicePassword = randomBytes(DEVICE_PASSWORD_BYTES).toString('base64');
  const salt = bigintFromBytes(randomBytes(DEVICE_SALT_BYTES));
  const verifier = computeVerifier(salt, deviceGroupKey, deviceKey, devicePassword);
  const secrets = {
    passwordVerifier: padBytes(verifier).toString('base64'),
    salt: padBytes(salt).toString('base64'),
  } as { devicePassword: string; passwordVerifier: string; salt: string };
  defineHidden(secrets, 'devicePassword', devicePassword);
  return Object.freeze(secrets);
}
