import type { EmulatorContext } from './context.js';
import { notAuthorized } from './errors.js';
import { requireString } from './params.js';
import type { OriginRecord, UserRecord } from './state.js';

export interface AccessGrant {
  user: UserRecord;
  origin: OriginRecord;
  /** `device_key` claim of the token, if any. */
  deviceKey: string | undefined;
}

/**
 * Authorises a self-service call by the `AccessToken` in its body, as Cognito does (no SigV4).
 * @throws NotAuthorizedException `Invalid Access Token` / `Access Token has expired` / `Access Token has been revoked`.
 */
export async function authorizeAccessToken(input: Record<string, unknown>, ctx: EmulatorContext): Promise<AccessGrant> {
  const payload = await ctx.tokens.verifyAccessToken(requireString(input, 'AccessToken'));
  const origin = ctx.state.origins.get(payload.origin_jti);
  if (origin === undefined) throw notAuthorized('Invalid Access Token');
  if (origin.revoked) throw notAuthorized('Access Token has been revoked');
  const user = ctx.state.users.get(payload.username);
  if (user === undefined) throw notAuthorized('User does not exist.');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  const deviceKey = typeof payload.device_key === 'string' ? payload.device_key : undefined;
  return { user, origin, deviceKey };
}
