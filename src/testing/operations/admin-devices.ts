import { adminUser } from '../admin-access.js';
import type { EmulatorContext } from '../context.js';
import { deviceNotFound } from '../errors.js';
import { requireString } from '../params.js';
import { type DeviceTypeWire, devicePage, deviceWire, ownDevice, setRememberedStatus } from './devices.js';

/** AdminGetDevice: one confirmed device of the named user. */
export async function adminGetDevice(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Device: DeviceTypeWire }> {
  const user = adminUser(input, ctx);
  return { Device: deviceWire(ownDevice(ctx, user.username, requireString(input, 'DeviceKey'))) };
}

export async function adminListDevices(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Devices: DeviceTypeWire[]; PaginationToken?: string }> {
  return devicePage(ctx, adminUser(input, ctx).username, input);
}

/** AdminForgetDevice: as ForgetDevice, the device's sign-ins are revoked. */
export async function adminForgetDevice(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  const deviceKey = requireString(input, 'DeviceKey');
  if (ctx.state.findDevice(user.username, deviceKey) === undefined) throw deviceNotFound();
  ctx.state.forgetDevice(deviceKey);
  return {};
}

export async function adminUpdateDeviceStatus(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  setRememberedStatus(ctx, ownDevice(ctx, user.username, requireString(input, 'DeviceKey')), input);
  return {};
}
