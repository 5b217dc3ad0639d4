import {
  AssociateSoftwareTokenCommand,
  GetUserAuthFactorsCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { inspect } from 'node:util';
import { TOTP_DIGITS, TOTP_STEP_SECONDS } from '../auth/totp.js';
import { CognitoAuthError, CognitoConfigError } from '../errors.js';
import { defineHidden } from '../secret.js';
import { type AccountContext, requireArgument, send } from './context.js';

/**
 * The TOTP secret AssociateSoftwareToken issued, and the `otpauth://` URI an authenticator app scans (as a
 * QR code). Both are secrets: they are readable properties but `util.inspect` and `JSON.stringify` omit them.
 */
export interface SoftwareTokenSetup {
  readonly secretCode: string;
  /** Cognito's session, when the token was associated during an MFA_SETUP challenge. */
  readonly session: string | undefined;
  /** `otpauth://totp/<issuer>:<account>?secret=...&issuer=...` for authenticator apps. */
  otpauthUri(account: string, issuer: string): string;
}

/** The Key URI Format authenticator apps understand (HMAC-SHA1, 6 digits, 30 s, as Cognito's TOTP). */
export function otpauthUri(secretCode: string, account: string, issuer: string): string {
  requireArgument(account, 'account');
  requireArgument(issuer, 'issuer');
  if (issuer.includes(':')) {
    throw new CognitoConfigError('issuer', 'must not contain ":" (it separates issuer and account in the label).');
  }
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: secretCode,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

function setupOf(secretCode: string, session: string | undefined): SoftwareTokenSetup {
  const setup = {
    otpauthUri: (account: string, issuer: string) => otpauthUri(secretCode, account, issuer),
    [inspect.custom]: () => 'SoftwareTokenSetup { secretCode: [redacted] }',
    toJSON: () => ({ secretCode: '[redacted]' }),
  };
  defineHidden(setup, 'secretCode', secretCode);
  defineHidden(setup, 'session', session);
  return setup as unknown as SoftwareTokenSetup;
}

/** AssociateSoftwareToken with the access token (signed in) or a MFA_SETUP challenge session. */
export async function associateSoftwareToken(
  ctx: AccountContext,
  auth: { accessToken: string } | { session: string },
): Promise<SoftwareTokenSetup> {
  const output = await send(() =>
    ctx.client.send(
      new AssociateSoftwareTokenCommand(
        'accessToken' in auth ? { AccessToken: auth.accessToken } : { Session: auth.session },
      ),
    ),
  );
  if (output.SecretCode === undefined) {
    throw new CognitoAuthError('SERVICE_ERROR', 'Cognito answered AssociateSoftwareToken without a SecretCode.');
  }
  return setupOf(output.SecretCode, output.Session);
}

/** VerifySoftwareToken: `true` once Cognito accepted the code (TOTP is then usable as an MFA method). */
export async function verifySoftwareToken(
  ctx: AccountContext,
  auth: { accessToken: string } | { session: string },
  code: string,
  deviceName: string | undefined,
): Promise<{ verified: boolean; session: string | undefined }> {
  requireArgument(code, 'code');
  const output = await send(() =>
    ctx.client.send(
      new VerifySoftwareTokenCommand({
        ...('accessToken' in auth ? { AccessToken: auth.accessToken } : { Session: auth.session }),
        UserCode: code,
        ...(deviceName === undefined || deviceName === '' ? {} : { FriendlyDeviceName: deviceName }),
      }),
    ),
  );
  return { verified: output.Status === 'SUCCESS', session: output.Session };
}

export type PreferredMfa = 'SMS' | 'SOFTWARE_TOKEN';

/**
 * SetUserMFAPreference as pycognito's `set_user_mfa_preference(sms_mfa, software_token_mfa, preferred)`:
 * `preferred` must name an enabled method, and is required when any method is enabled.
 */
export async function setUserMfaPreference(
  ctx: AccountContext,
  accessToken: string,
  smsMfa: boolean,
  softwareTokenMfa: boolean,
  preferred: PreferredMfa | undefined,
): Promise<void> {
  if (typeof smsMfa !== 'boolean') throw new CognitoConfigError('smsMfa', 'expected a boolean.');
  if (typeof softwareTokenMfa !== 'boolean') throw new CognitoConfigError('softwareTokenMfa', 'expected a boolean.');
  if (smsMfa || softwareTokenMfa) {
    if (preferred !== 'SMS' && preferred !== 'SOFTWARE_TOKEN') {
      throw new CognitoConfigError('preferred', "expected 'SMS' or 'SOFTWARE_TOKEN' when a method is enabled.");
    }
    if ((preferred === 'SMS' && !smsMfa) || (preferred === 'SOFTWARE_TOKEN' && !softwareTokenMfa)) {
      throw new CognitoConfigError('preferred', `names ${preferred}, which is not enabled.`);
    }
  }
  await send(() =>
    ctx.client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SMSMfaSettings: { Enabled: smsMfa, PreferredMfa: smsMfa && preferred === 'SMS' },
        SoftwareTokenMfaSettings: {
          Enabled: softwareTokenMfa,
          PreferredMfa: softwareTokenMfa && preferred === 'SOFTWARE_TOKEN',
        },
      }),
    ),
  );
}

export interface UserAuthFactors {
  username: string | undefined;
  preferredMfa: string | undefined;
  mfaSettings: string[];
  /** e.g. `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`. */
  authFactors: string[];
}

export async function getUserAuthFactors(ctx: AccountContext, accessToken: string): Promise<UserAuthFactors> {
  const output = await send(() => ctx.client.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken })));
  return {
    username: output.Username,
    preferredMfa: output.PreferredMfaSetting,
    mfaSettings: [...(output.UserMFASettingList ?? [])],
    authFactors: [...(output.ConfiguredUserAuthFactors ?? [])],
  };
}
