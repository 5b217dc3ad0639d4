import type { EmulatorContext } from './context.js';
import { CognitoWireError, deviceNotFound, notAuthorized } from './errors.js';
import type { RefreshTokenRecord, UserRecord } from './state.js';

export const INVALID_REFRESH_TOKEN = 'Invalid Refresh Token';

/**
 * The live record of a presented refresh token.
 * @throws ResourceNotFoundException `Device does not exist.` for an unknown presented device key;
 *   NotAuthorizedException `Invalid Refresh Token` / `Refresh Token has been revoked` / `Refresh Token has expired`.
 */
export function liveRefreshToken(
  ctx: EmulatorContext,
  token: string,
  presentedDeviceKey: string | undefined,
): { record: RefreshTokenRecord; user: UserRecord } {
  const record = ctx.state.refreshTokens.get(token);
  if (record === undefined) throw notAuthorized(INVALID_REFRESH_TOKEN);
  // A stale device key is reported first, so the client drops it before deciding to sign in again.
  const { username } = record.origin;
  if (presentedDeviceKey !== undefined && ctx.state.findDevice(username, presentedDeviceKey) === undefined) {
    throw deviceNotFound();
  }
  if (record.origin.revoked) throw notAuthorized('Refresh Token has been revoked');
  if (ctx.options.clock() >= record.expiresAt) throw notAuthorized('Refresh Token has expired');
  const user = ctx.state.users.get(record.origin.username);
  if (user === undefined) throw notAuthorized(INVALID_REFRESH_TOKEN);
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { record, user };
}

/**
 * A refresh token bound to a confirmed device needs that DEVICE_KEY; a presented key must exist.
 * @throws ResourceNotFoundException `Device does not exist.` or NotAuthorizedException `Invalid Refresh Token`.
 */
export function checkRefreshDevice(
  ctx: EmulatorContext,
  record: RefreshTokenRecord,
  presented: string | undefined,
): void {
  const bound = record.origin.deviceKey;
  if (presented !== undefined) {
    if (ctx.state.findDevice(record.origin.username, presented) === undefined) throw deviceNotFound();
    if (presented !== bound) throw notAuthorized(INVALID_REFRESH_TOKEN);
    return;
  }
  if (bound !== undefined && ctx.state.findDevice(record.origin.username, bound)?.confirmed === true) {
    throw notAuthorized(INVALID_REFRESH_TOKEN);
  }
}

/**
 * Rotation bookkeeping for GetTokensFromRefreshToken: a token replaced longer ago than the grace period is refused.
 * @throws RefreshTokenReuseException
 */
export function checkReuse(ctx: EmulatorContext, record: RefreshTokenRecord): void {
  if (record.replacedAt === undefined) return;
  const graceMs = (ctx.options.rotationGraceSeconds ?? 0) * 1000;
  if (graceMs === 0 || ctx.options.clock() > record.replacedAt + graceMs) {
    throw new CognitoWireError('RefreshTokenReuseException', 'Refresh token has already been used.');
  }
}
