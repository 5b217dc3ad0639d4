import { randomTotpSecret, verifyTotp } from '../../auth/totp.js';
import { Secret } from '../../secret.js';
import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import { CognitoWireError, invalidParameter } from '../errors.js';
import { requireString } from '../params.js';
import type { ChallengeSession } from '../sessions.js';
import type { UserRecord } from '../state.js';
import type { EmulatorMfaType } from '../types.js';

function enableSoftwareTokenError(): CognitoWireError {
  return new CognitoWireError('EnableSoftwareTokenMFAException', 'Code mismatch');
}

/** The MFA_SETUP session named by `Session`, or undefined when the call carries an AccessToken instead. */
function setupSession(input: Record<string, unknown>, ctx: EmulatorContext): ChallengeSession | undefined {
  if (input.Session === undefined || input.Session === null) return undefined;
  const session = ctx.sessions.get(requireString(input, 'Session'));
  if (session.challenge !== 'MFA_SETUP' || session.user === undefined) {
    throw invalidParameter('The session is not in the MFA_SETUP step.');
  }
  return session;
}

function codeMatches(ctx: EmulatorContext, secret: string, code: string): boolean {
  return verifyTotp(secret, code, ctx.options.clock()) || verifyTotp(secret, code, Date.now());
}

/** AssociateSoftwareToken: a new TOTP secret, for an MFA_SETUP `Session` or a signed-in user's `AccessToken`. */
export async function associateSoftwareToken(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ SecretCode: string; Session?: string }> {
  const secret = randomTotpSecret();
  const session = setupSession(input, ctx);
  if (session !== undefined) {
    session.pendingTotpSecret = new Secret(secret);
    const next = ctx.sessions.advance(session, 'MFA_SETUP');
    return { SecretCode: secret, Session: next.id };
  }
  const { user } = await authorizeAccessToken(input, ctx);
  user.pendingTotpSecret = new Secret(secret);
  return { SecretCode: secret };
}

/**
 * VerifySoftwareToken: checks a code of the associated secret. In MFA_SETUP it also enables TOTP MFA (the pool
 * requires MFA); with an AccessToken the secret is kept and SetUserMFAPreference enables it.
 */
export async function verifySoftwareToken(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Status: 'SUCCESS'; Session?: string }> {
  const code = requireString(input, 'UserCode');
  const session = setupSession(input, ctx);
  if (session !== undefined) {
    const secret = session.pendingTotpSecret?.reveal();
    if (secret === undefined) throw invalidParameter('Call AssociateSoftwareToken first.');
    if (!codeMatches(ctx, secret, code)) throw enableSoftwareTokenError();
    const user = session.user!;
    user.totpSecret = new Secret(secret);
    if (!user.mfa.includes('SOFTWARE_TOKEN_MFA')) user.mfa.push('SOFTWARE_TOKEN_MFA');
    session.totpVerified = true;
    const next = ctx.sessions.advance(session, 'MFA_SETUP');
    return { Status: 'SUCCESS', Session: next.id };
  }
  const { user } = await authorizeAccessToken(input, ctx);
  const secret = user.pendingTotpSecret?.reveal();
  if (secret === undefined) throw invalidParameter('Call AssociateSoftwareToken first.');
  if (!codeMatches(ctx, secret, code)) throw enableSoftwareTokenError();
  user.totpSecret = new Secret(secret);
  user.pendingTotpSecret = undefined;
  return { Status: 'SUCCESS' };
}

interface MfaSettings {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

const SETTINGS: readonly [string, EmulatorMfaType][] = [
  ['SoftwareTokenMfaSettings', 'SOFTWARE_TOKEN_MFA'],
  ['SMSMfaSettings', 'SMS_MFA'],
  ['EmailMfaSettings', 'EMAIL_OTP'],
];

/** SetUserMFAPreference: enables/disables the user's MFA methods and sets the preferred one. */
export async function setUserMfaPreference(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  applyMfaPreference(input, user);
  return {};
}

/** Applies the `*MfaSettings` members of a (Admin)SetUserMFAPreference request to `user`. */
export function applyMfaPreference(input: Record<string, unknown>, user: UserRecord): void {
  for (const [field, type] of SETTINGS) {
    const settings = input[field] as MfaSettings | undefined | null;
    if (settings === undefined || settings === null) continue;
    if (typeof settings !== 'object') {
      throw new CognitoWireError('SerializationException', `Value for ${field} must be an object`);
    }
    if (settings.Enabled === true) {
      if (type === 'SOFTWARE_TOKEN_MFA' && user.totpSecret === undefined) {
        throw invalidParameter('User has not verified software token mfa');
      }
      if (type === 'SMS_MFA' && user.phoneNumber === undefined) {
        throw invalidParameter('User does not have a phone number.');
      }
      if (type === 'EMAIL_OTP' && user.email === undefined) {
        throw invalidParameter('User does not have an email address.');
      }
      if (!user.mfa.includes(type)) user.mfa.push(type);
    } else if (settings.Enabled === false) {
      user.mfa = user.mfa.filter((t) => t !== type);
      if (user.preferredMfa === type) user.preferredMfa = undefined;
    }
    if (settings.PreferredMfa === true && user.mfa.includes(type)) user.preferredMfa = type;
  }
}
