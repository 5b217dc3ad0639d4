import { N } from '../../srp/index.js';
import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import { CognitoWireError, deviceNotFound, invalidParameter, missingParameter } from '../errors.js';
import { oneOfParameter, optionalString, requireString } from '../params.js';
import type { DeviceRecord } from '../state.js';

export interface DeviceTypeWire {
  DeviceKey: string;
  DeviceAttributes: { Name: string; Value: string }[];
  DeviceCreateDate: number;
  DeviceLastModifiedDate: number;
  DeviceLastAuthenticatedDate: number;
}

const MAX_LIST_LIMIT = 60;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function deviceWire(device: DeviceRecord): DeviceTypeWire {
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    { Name: 'dev:device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
    { Name: 'last_ip_used', Value: '127.0.0.1' },
  ];
  if (device.name !== undefined) attributes.push({ Name: 'device_name', Value: device.name });
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: attributes,
    DeviceCreateDate: epochSeconds(device.createdAt),
    DeviceLastModifiedDate: epochSeconds(device.modifiedAt),
    DeviceLastAuthenticatedDate: epochSeconds(device.lastAuthenticatedAt),
  };
}

function base64Bytes(value: unknown, name: string): Buffer {
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  if (typeof value !== 'string' || !BASE64.test(value)) throw invalidParameter(`${name} must be base64.`);
  return Buffer.from(value, 'base64');
}

/**
 * ConfirmDevice: stores the device's SRP verifier and salt. `UserConfirmationNecessary` is true in opt-in mode,
 * where the device stays "not remembered" until UpdateDeviceStatus.
 */
export async function confirmDevice(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ UserConfirmationNecessary: boolean }> {
  const { user } = await authorizeAccessToken(input, ctx);
  const deviceKey = requireString(input, 'DeviceKey');
  const config = input.DeviceSecretVerifierConfig;
  if (config === undefined || config === null || typeof config !== 'object') {
    throw missingParameter('DeviceSecretVerifierConfig');
  }
  const { PasswordVerifier, Salt } = config as Record<string, unknown>;
  const verifierBytes = base64Bytes(PasswordVerifier, 'DeviceSecretVerifierConfig.PasswordVerifier');
  const saltBytes = base64Bytes(Salt, 'DeviceSecretVerifierConfig.Salt');
  const device = ctx.state.findDevice(user.username, deviceKey);
  if (device === undefined) throw deviceNotFound();
  if (device.confirmed) throw new CognitoWireError('DeviceKeyExistsException', 'Device key already exists.');
  const verifier = BigInt(`0x${verifierBytes.toString('hex') || '0'}`);
  if (verifier <= 1n || verifier >= N) {
    throw invalidParameter('DeviceSecretVerifierConfig.PasswordVerifier is not a valid verifier.');
  }
  const optIn = ctx.options.deviceTracking === 'opt-in';
  device.confirmed = true;
  device.remembered = !optIn;
  device.verifier = verifier;
  device.salt = saltBytes.toString('hex');
  device.name = optionalString(input, 'DeviceName');
  device.modifiedAt = ctx.options.clock();
  return { UserConfirmationNecessary: optIn };
}

export function ownDevice(ctx: EmulatorContext, username: string, deviceKey: string): DeviceRecord {
  const device = ctx.state.findDevice(username, deviceKey);
  if (device === undefined || !device.confirmed) throw deviceNotFound();
  return device;
}

/** UpdateDeviceStatus: remembered / not_remembered. */
export async function updateDeviceStatus(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  setRememberedStatus(ctx, ownDevice(ctx, user.username, requireString(input, 'DeviceKey')), input);
  return {};
}

/** Applies `DeviceRememberedStatus` (remembered / not_remembered) of an (Admin)UpdateDeviceStatus request. */
export function setRememberedStatus(ctx: EmulatorContext, device: DeviceRecord, input: Record<string, unknown>): void {
  const status = optionalString(input, 'DeviceRememberedStatus');
  if (status !== undefined) {
    oneOfParameter(status, 'deviceRememberedStatus', ['remembered', 'not_remembered']);
    device.remembered = status === 'remembered';
  }
  device.modifiedAt = ctx.options.clock();
}

/** ForgetDevice: the device's refresh tokens stop working and its key answers `Device does not exist.` */
export async function forgetDevice(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  const deviceKey = requireString(input, 'DeviceKey');
  if (ctx.state.findDevice(user.username, deviceKey) === undefined) throw deviceNotFound();
  ctx.state.forgetDevice(deviceKey);
  return {};
}

export async function getDevice(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Device: DeviceTypeWire }> {
  const { user } = await authorizeAccessToken(input, ctx);
  return { Device: deviceWire(ownDevice(ctx, user.username, requireString(input, 'DeviceKey'))) };
}

/** ListDevices: the user's confirmed devices, paginated by `Limit` / `PaginationToken`. */
export async function listDevices(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Devices: DeviceTypeWire[]; PaginationToken?: string }> {
  const { user } = await authorizeAccessToken(input, ctx);
  return devicePage(ctx, user.username, input);
}

/** One page of the user's confirmed devices, by `Limit` / `PaginationToken` (ListDevices, AdminListDevices). */
export function devicePage(
  ctx: EmulatorContext,
  username: string,
  input: Record<string, unknown>,
): { Devices: DeviceTypeWire[]; PaginationToken?: string } {
  const limit = input.Limit ?? MAX_LIST_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIST_LIMIT) {
    throw invalidParameter(`Limit must be an integer between 0 and ${MAX_LIST_LIMIT}.`);
  }
  const devices = [...ctx.state.devices.values()].filter((d) => d.username === username && d.confirmed);
  const token = optionalString(input, 'PaginationToken');
  let start = 0;
  if (token !== undefined) {
    start = Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid PaginationToken.');
  }
  const page = devices.slice(start, start + (limit === 0 ? MAX_LIST_LIMIT : limit));
  const end = start + page.length;
  return {
    Devices: page.map(deviceWire),
    ...(end < devices.length ? { PaginationToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}
