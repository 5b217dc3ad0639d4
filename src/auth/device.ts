import { hostname } from 'node:os';
import { createDeviceSecrets } from '../srp/index.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import type { CognitoApi } from './cognito-client.js';

export interface NewDevice {
  deviceKey: string;
  deviceGroupKey: string;
}

/** The DeviceName shown in the Cognito console unless `rememberDevice.name` is set. */
export function defaultDeviceName(): string {
  return `cognito-srp-auth@${hostname()}`.slice(0, 1024);
}

/**
 * Remembers the device Cognito just issued: ConfirmDevice with a freshly generated SRP verifier, and
 * UpdateDeviceStatus("remembered") when the pool asks the user to opt in (UserConfirmationNecessary).
 * Returns the credentials a later sign-in needs; `devicePassword` never leaves this process except
 * through the device store.
 */
export async function rememberNewDevice(
  api: CognitoApi,
  accessToken: string,
  device: NewDevice,
  deviceName: string,
  keep?: (credentials: DeviceCredentials) => Promise<void>,
): Promise<{ credentials: DeviceCredentials; userConfirmationNecessary: boolean }> {
  const secrets = createDeviceSecrets(device.deviceGroupKey, device.deviceKey);
  const credentials: DeviceCredentials = {
    deviceKey: device.deviceKey,
    deviceGroupKey: device.deviceGroupKey,
    devicePassword: secrets.devicePassword,
  };
  // Kept before Cognito hears of it: a device confirmed but never saved would be a new device (and MFA) at every
  // restart. A saved device whose confirmation then fails is dropped at its first use (DEVICE_SRP_AUTH fails).
  await keep?.(credentials);
  const confirmed = await api.confirmDevice({
    AccessToken: accessToken,
    DeviceKey: device.deviceKey,
    DeviceName: deviceName,
    DeviceSecretVerifierConfig: { PasswordVerifier: secrets.passwordVerifier, Salt: secrets.salt },
  });
  const userConfirmationNecessary = confirmed.UserConfirmationNecessary === true;
  if (userConfirmationNecessary) {
    await api.updateDeviceStatus({
      AccessToken: accessToken,
      DeviceKey: device.deviceKey,
      DeviceRememberedStatus: 'remembered',
    });
  }
  return { credentials, userConfirmationNecessary };
}
