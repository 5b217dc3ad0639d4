import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import type { UserRecord } from '../state.js';

function attributesOf(user: UserRecord): { Name: string; Value: string }[] {
  const attributes = [{ Name: 'sub', Value: user.sub }];
  if (user.email !== undefined) {
    attributes.push({ Name: 'email', Value: user.email }, { Name: 'email_verified', Value: 'true' });
  }
  if (user.phoneNumber !== undefined) attributes.push({ Name: 'phone_number', Value: user.phoneNumber });
  for (const [Name, Value] of Object.entries(user.attributes)) attributes.push({ Name, Value });
  return attributes;
}

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
