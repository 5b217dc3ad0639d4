import type { EmulatorContext } from './context.js';
import { CognitoWireError, deviceNotFound, notAuthorized } from './errors.js';
import type { ChallengeSession } from './sessions.js';
import type { UserRecord } from './state.js';

/** DEVICE_KEY from a map that may carry JSON null (amazon-cognito-identity-js clears it that way). */
export function presentedDeviceKey(raw: unknown, fallback: string | undefined): string | undefined {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'DEVICE_KEY')) return fallback;
  const value = (raw as Record<string, unknown>).DEVICE_KEY;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** @throws NotAuthorizedException `User is disabled.` */
export function checkEnabled(user: UserRecord): void {
  if (!user.enabled) throw notAuthorized('User is disabled.');
}

/** An admin reset (AdminResetUserPassword) blocks sign-in until the password is reset. */
export function checkNoResetRequired(user: UserRecord): void {
  if (user.resetRequired) {
    throw new CognitoWireError('PasswordResetRequiredException', 'Password reset required for the user');
  }
}

/** Checked once the password is proven, so the status is not revealed to someone without it. */
export function checkConfirmed(user: UserRecord): void {
  if (!user.confirmed) throw new CognitoWireError('UserNotConfirmedException', 'User is not confirmed.');
}

/**
 * A device key presented at sign-in must exist for the user; an unconfirmed one is ignored (the sign-in gets new
 * device metadata). The session is kept so the client can retry without the key, as the AWS SDKs do.
 */
export function adoptDevice(ctx: EmulatorContext, session: ChallengeSession, deviceKey: string | undefined): void {
  if (deviceKey === undefined) {
    delete session.deviceKey;
    return;
  }
  const device = ctx.state.findDevice(session.username, deviceKey);
  if (device === undefined) {
    // Forget the key given with InitiateAuth too, so a retry of this answer without DEVICE_KEY goes through.
    delete session.deviceKey;
    throw deviceNotFound();
  }
  if (device.confirmed) session.deviceKey = deviceKey;
  else delete session.deviceKey;
}
