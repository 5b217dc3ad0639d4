import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import { CognitoWireError } from '../errors.js';
import { checkClientId, checkClientSecret, optionalString, requireString } from '../params.js';
import { checkRefreshDevice, checkReuse, liveRefreshToken } from '../refresh.js';
import { authenticationResult, type AuthenticationResultWire } from '../sign-in-flow.js';

/**
 * GetTokensFromRefreshToken: new ID and access tokens; with rotation, also a new refresh token (the presented one
 * stays usable for the grace period, then RefreshTokenReuseException).
 */
export async function getTokensFromRefreshToken(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ AuthenticationResult: AuthenticationResultWire }> {
  const token = requireString(input, 'RefreshToken');
  checkClientId(input, ctx);
  checkClientSecret(input, ctx);
  const deviceKey = optionalString(input, 'DeviceKey') || undefined;
  const { record, user } = liveRefreshToken(ctx, token, deviceKey);
  checkRefreshDevice(ctx, record, deviceKey);
  if (ctx.options.rotationGraceSeconds === undefined) {
    return { AuthenticationResult: await authenticationResult(ctx, user, record.origin) };
  }
  checkReuse(ctx, record);
  record.replacedAt ??= ctx.options.clock();
  const next = ctx.state.newRefreshToken(record.origin, record.expiresAt);
  return { AuthenticationResult: await authenticationResult(ctx, user, record.origin, next) };
}

/** RevokeToken: revokes a refresh token and every access/ID token issued from the same sign-in. */
export async function revokeToken(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const token = requireString(input, 'Token');
  checkClientId(input, ctx);
  checkClientSecret(input, ctx);
  if (ctx.tokens.originOf(token) !== undefined) {
    throw new CognitoWireError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  }
  const record = ctx.state.refreshTokens.get(token);
  // Like OAuth token revocation (RFC 7009), an unknown token is not an error.
  if (record !== undefined) record.origin.revoked = true;
  return {};
}

/** GlobalSignOut: revokes every sign-in of the token's user. */
export async function globalSignOut(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  ctx.state.revokeUser(user.username);
  return {};
}
