import { randomInt } from 'node:crypto';

import type { EmulatorContext } from './context.js';
import { maskEmail, maskPhone } from './delivery.js';
import type { ChallengeSession } from './sessions.js';
import { checkConfirmed } from './sign-in-checks.js';
import type { DeviceRecord, OriginRecord, RefreshTokenRecord, UserRecord } from './state.js';
import type { EmulatorMfaType } from './types.js';
import { attributeMap } from './user-wire.js';

export interface AuthenticationResultWire {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  IdToken: string;
  RefreshToken?: string;
  NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
}

/** What InitiateAuth and RespondToAuthChallenge answer: a challenge with a Session, or the tokens. */
export type SignInStep =
  | {
      ChallengeName: string;
      Session: string;
      ChallengeParameters: Record<string, string>;
      /** USER_AUTH's SELECT_CHALLENGE: the factors the user may pick. */
      AvailableChallenges?: string[];
    }
  | { ChallengeParameters: Record<string, never>; AuthenticationResult: AuthenticationResultWire };

/** Access and ID tokens for `origin`, plus the refresh token when one is given. */
export async function authenticationResult(
  ctx: EmulatorContext,
  user: UserRecord,
  origin: OriginRecord,
  refresh?: RefreshTokenRecord,
): Promise<AuthenticationResultWire> {
  const issued = await ctx.tokens.issue(user, origin);
  return {
    AccessToken: issued.accessToken,
    ExpiresIn: issued.expiresIn,
    TokenType: 'Bearer',
    IdToken: issued.idToken,
    ...(refresh === undefined ? {} : { RefreshToken: refresh.token }),
  };
}

/** The MFA methods the user must choose from now, or none. */
function mfaMethods(ctx: EmulatorContext, user: UserRecord): EmulatorMfaType[] {
  if (ctx.options.mfa === 'off') return [];
  return user.mfa;
}

function challenge(
  ctx: EmulatorContext,
  session: ChallengeSession,
  name: string,
  parameters: Record<string, string>,
): SignInStep {
  const next = ctx.sessions.advance(session, name);
  return { ChallengeName: name, Session: next.id, ChallengeParameters: parameters };
}

/** Issues the MFA challenge `type`, "sending" a code for SMS_MFA and EMAIL_OTP. */
export function mfaChallenge(ctx: EmulatorContext, session: ChallengeSession, type: EmulatorMfaType): SignInStep {
  const user = session.user!;
  if (type === 'SOFTWARE_TOKEN_MFA') return challenge(ctx, session, type, {});
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const channel = type === 'SMS_MFA' ? 'SMS' : 'EMAIL';
  ctx.state.recordCode(user.username, channel, code);
  session.code = code;
  return challenge(ctx, session, type, {
    CODE_DELIVERY_DELIVERY_MEDIUM: channel,
    CODE_DELIVERY_DESTINATION: channel === 'SMS' ? maskPhone(user.phoneNumber ?? '') : maskEmail(user.email ?? ''),
  });
}

function userAttributesJson(user: UserRecord): string {
  const { sub: _sub, ...attributes } = attributeMap(user);
  return JSON.stringify(attributes);
}

/** The confirmed device the session signs in with, if any. */
function confirmedDevice(ctx: EmulatorContext, session: ChallengeSession): DeviceRecord | undefined {
  if (session.deviceKey === undefined) return undefined;
  const device = ctx.state.findDevice(session.username, session.deviceKey);
  return device?.confirmed === true ? device : undefined;
}

/**
 * After the password is proven: NEW_PASSWORD_REQUIRED, then MFA (skipped for a remembered device), then
 * DEVICE_SRP_AUTH for a confirmed device, then the tokens (with NewDeviceMetadata for a new device).
 */
export async function continueSignIn(ctx: EmulatorContext, session: ChallengeSession): Promise<SignInStep> {
  const user = session.user!;
  if (!user.confirmed) {
    ctx.sessions.retire(session);
    checkConfirmed(user);
  }
  if (user.forceChangePassword && session.passwordChanged !== true) {
    return challenge(ctx, session, 'NEW_PASSWORD_REQUIRED', {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: '[]',
      userAttributes: userAttributesJson(user),
    });
  }
  const device = confirmedDevice(ctx, session);
  if (session.mfaDone !== true && device?.remembered !== true) {
    const methods = mfaMethods(ctx, user);
    if (methods.length > 0) {
      const chosen = user.preferredMfa ?? (methods.length === 1 ? methods[0] : undefined);
      if (chosen !== undefined) return mfaChallenge(ctx, session, chosen);
      return challenge(ctx, session, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(methods) });
    }
    if (ctx.options.mfa === 'on') {
      // MFA is required and the user has none: set up TOTP (AssociateSoftwareToken, VerifySoftwareToken).
      return challenge(ctx, session, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(['SOFTWARE_TOKEN_MFA']) });
    }
  }
  if (device !== undefined && session.verifiedDeviceKey !== device.deviceKey) {
    return challenge(ctx, session, 'DEVICE_SRP_AUTH', {});
  }
  ctx.sessions.retire(session);
  return { ChallengeParameters: {}, AuthenticationResult: await finishSignIn(ctx, user, device) };
}

/** A new sign-in (origin) with its refresh token; a new device is tracked when tracking is on and none was proven. */
async function finishSignIn(
  ctx: EmulatorContext,
  user: UserRecord,
  provenDevice: DeviceRecord | undefined,
): Promise<AuthenticationResultWire> {
  let deviceKey = provenDevice?.deviceKey;
  let newDevice: DeviceRecord | undefined;
  if (deviceKey === undefined && ctx.options.deviceTracking !== 'off') {
    newDevice = ctx.state.newDevice(user.username);
    deviceKey = newDevice.deviceKey;
  }
  if (provenDevice !== undefined) provenDevice.lastAuthenticatedAt = ctx.options.clock();
  ctx.state.guard.recordSuccess(user.username);
  const origin = ctx.state.newOrigin(user.username, deviceKey);
  const refresh = ctx.state.newRefreshToken(origin);
  const result = await authenticationResult(ctx, user, origin, refresh);
  if (newDevice !== undefined) {
    result.NewDeviceMetadata = { DeviceKey: newDevice.deviceKey, DeviceGroupKey: user.deviceGroupKey };
  }
  return result;
}
