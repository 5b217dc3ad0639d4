import { adminUser } from '../admin-access.js';
import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import type { EmulatorMfaType } from '../types.js';
import { applyMfaPreference } from './mfa.js';

/** GetUserAuthFactors: the sign-in factors (password only: passwordless USER_AUTH is not emulated) and MFA. */
export async function getUserAuthFactors(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{
  Username: string;
  ConfiguredUserAuthFactors: string[];
  UserMFASettingList: EmulatorMfaType[];
  PreferredMfaSetting?: EmulatorMfaType;
}> {
  const { user } = await authorizeAccessToken(input, ctx);
  return {
    Username: user.username,
    ConfiguredUserAuthFactors: ['PASSWORD'],
    UserMFASettingList: [...user.mfa],
    ...(user.preferredMfa === undefined ? {} : { PreferredMfaSetting: user.preferredMfa }),
  };
}

/** AdminSetUserMFAPreference: SetUserMFAPreference for a user named by the administrator. */
export async function adminSetUserMfaPreference(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  applyMfaPreference(input, user);
  user.modifiedAt = ctx.options.clock();
  return {};
}
