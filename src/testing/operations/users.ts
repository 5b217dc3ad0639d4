import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import { attributesOf } from '../user-wire.js';

/** GetUser: the token's user; handy to check that GlobalSignOut / RevokeToken revoked an access token. */
export async function getUser(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  const { user } = await authorizeAccessToken(input, ctx);
  return {
    Username: user.username,
    UserAttributes: attributesOf(user),
    UserMFASettingList: [...user.mfa],
    ...(user.preferredMfa === undefined ? {} : { PreferredMfaSetting: user.preferredMfa }),
  };
}
