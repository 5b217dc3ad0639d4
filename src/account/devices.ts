import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  type DeviceType,
} from '@aws-sdk/client-cognito-identity-provider';
import { inspect } from 'node:util';
import { hostname } from 'node:os';
import { CognitoConfigError } from '../errors.js';
import { defineHidden } from '../secret.js';
import { createDeviceSecrets } from '../srp/index.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import { type AccountContext, allPages, requireArgument, send } from './context.js';
import { fromCognitoAttributes } from './users.js';

/** Cognito caps ListDevices pages at 60. */
const LIST_DEVICES_PAGE_SIZE = 60;

/** A device as GetDevice and ListDevices describe it. */
export interface CognitoDevice {
  deviceKey: string;
  /** The `device_name` attribute (ConfirmDevice's DeviceName). */
  name: string | undefined;
  /** `true` remembered, `false` not remembered, `undefined` when Cognito did not say. */
  remembered: boolean | undefined;
  attributes: Record<string, string>;
  createdAt: Date | undefined;
  modifiedAt: Date | undefined;
  lastAuthenticatedAt: Date | undefined;
}

export function deviceFromCognito(device: DeviceType): CognitoDevice {
  const attributes = fromCognitoAttributes(device.DeviceAttributes);
  const status = attributes['dev:device_remembered_status'];
  return {
    deviceKey: device.DeviceKey ?? '',
    name: attributes.device_name,
    remembered: status === undefined ? undefined : status === 'remembered',
    attributes,
    createdAt: device.DeviceCreateDate,
    modifiedAt: device.DeviceLastModifiedDate,
    lastAuthenticatedAt: device.DeviceLastAuthenticatedDate,
  };
}

/** The device credentials a later sign-in needs; `devicePassword` is hidden from inspect and JSON. */
export interface ConfirmedDevice extends DeviceCredentials {
  /** The pool asks the user to opt in: call `updateDeviceStatus(true)` to remember the device. */
  userConfirmationNecessary: boolean;
}

/** The DeviceName sent when none is given: the host name, as pycognito does. */
export function defaultDeviceName(): string {
  return hostname().slice(0, 1024) || 'cognito-srp-auth';
}

/** ConfirmDevice with a freshly generated SRP verifier for the device Cognito issued at sign-in. */
export async function confirmDevice(
  ctx: AccountContext,
  accessToken: string,
  device: { deviceKey: string; deviceGroupKey: string },
  deviceName: string,
): Promise<ConfirmedDevice> {
  const secrets = createDeviceSecrets(device.deviceGroupKey, device.deviceKey);
  const output = await send(
    () =>
      ctx.client.send(
        new ConfirmDeviceCommand({
          AccessToken: accessToken,
          DeviceKey: device.deviceKey,
          DeviceName: deviceName,
          DeviceSecretVerifierConfig: { PasswordVerifier: secrets.passwordVerifier, Salt: secrets.salt },
        }),
      ),
    device.deviceKey,
  );
  const confirmed = {
    deviceKey: device.deviceKey,
    deviceGroupKey: device.deviceGroupKey,
    userConfirmationNecessary: output.UserConfirmationNecessary === true,
  };
  defineHidden(confirmed, 'devicePassword', secrets.devicePassword);
  const shown = (): string => `ConfirmedDevice ${inspect({ ...confirmed, devicePassword: '[redacted]' })}`;
  defineHidden(confirmed, inspect.custom, shown);
  return confirmed as unknown as ConfirmedDevice;
}

function statusOf(remembered: boolean): 'remembered' | 'not_remembered' {
  if (typeof remembered !== 'boolean') throw new CognitoConfigError('remembered', 'expected a boolean.');
  return remembered ? 'remembered' : 'not_remembered';
}

export async function updateDeviceStatus(
  ctx: AccountContext,
  accessToken: string,
  deviceKey: string,
  remembered: boolean,
): Promise<void> {
  const status = statusOf(remembered);
  await send(
    () =>
      ctx.client.send(
        new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: status }),
      ),
    deviceKey,
  );
}

export async function forgetDevice(ctx: AccountContext, accessToken: string, deviceKey: string): Promise<void> {
  await send(() => ctx.client.send(new ForgetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey })), deviceKey);
}

export async function getDevice(ctx: AccountContext, accessToken: string, deviceKey: string): Promise<CognitoDevice> {
  const output = await send(
    () => ctx.client.send(new GetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey })),
    deviceKey,
  );
  return deviceFromCognito(output.Device ?? { DeviceKey: deviceKey });
}

/** ListDevices, every page. */
export async function listDevices(ctx: AccountContext, accessToken: string): Promise<CognitoDevice[]> {
  const devices = await allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new ListDevicesCommand({
            AccessToken: accessToken,
            Limit: LIST_DEVICES_PAGE_SIZE,
            ...(token === undefined ? {} : { PaginationToken: token }),
          }),
        ),
      ),
    (page) => page.Devices,
    (page) => page.PaginationToken,
  );
  return devices.map(deviceFromCognito);
}

export async function adminGetDevice(ctx: AccountContext, username: string, deviceKey: string): Promise<CognitoDevice> {
  requireArgument(deviceKey, 'deviceKey');
  const output = await send(
    () => ctx.client.send(new AdminGetDeviceCommand({ UserPoolId: ctx.userPoolId, Username: username, DeviceKey: deviceKey })),
    deviceKey,
  );
  return deviceFromCognito(output.Device ?? { DeviceKey: deviceKey });
}

/** AdminListDevices, every page. */
export async function adminListDevices(ctx: AccountContext, username: string): Promise<CognitoDevice[]> {
  const devices = await allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new AdminListDevicesCommand({
            UserPoolId: ctx.userPoolId,
            Username: username,
            Limit: LIST_DEVICES_PAGE_SIZE,
            ...(token === undefined ? {} : { PaginationToken: token }),
          }),
        ),
      ),
    (page) => page.Devices,
    (page) => page.PaginationToken,
  );
  return devices.map(deviceFromCognito);
}

export async function adminForgetDevice(ctx: AccountContext, username: string, deviceKey: string): Promise<void> {
  requireArgument(deviceKey, 'deviceKey');
  await send(
    () => ctx.client.send(new AdminForgetDeviceCommand({ UserPoolId: ctx.userPoolId, Username: username, DeviceKey: deviceKey })),
    deviceKey,
  );
}

export async function adminUpdateDeviceStatus(
  ctx: AccountContext,
  username: string,
  deviceKey: string,
  remembered: boolean,
): Promise<void> {
  requireArgument(deviceKey, 'deviceKey');
  const status = statusOf(remembered);
  await send(
    () =>
      ctx.client.send(
        new AdminUpdateDeviceStatusCommand({
          UserPoolId: ctx.userPoolId,
          Username: username,
          DeviceKey: deviceKey,
          DeviceRememberedStatus: status,
        }),
      ),
    deviceKey,
  );
}
