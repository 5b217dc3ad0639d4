import { computePasswordClaimAsync, secretHash, type SrpEphemeral, type VerifierCache } from '../srp/index.js';
import {
  CognitoAuthError,
  MfaRequiredError,
  PasswordChangeRequiredError,
  type ChallengeContinuation,
  type MfaChallengeName,
} from '../errors.js';
import type { Secret } from '../secret.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import type { MfaChallenge, NewPasswordChallenge } from './types.js';

/** What every challenge answer needs: who answers, for which client, with which device. */
export interface ChallengeIdentity {
  clientId: string;
  clientSecret: Secret | undefined;
  /** The internal user name Cognito sent (USERNAME / USER_ID_FOR_SRP), not the alias typed. */
  username: string;
  deviceKey: string | undefined;
}

export type ChallengeResponses = Record<string, string>;

/** USERNAME, plus SECRET_HASH computed for that same name and DEVICE_KEY when a device is in play. */
export function baseResponses(identity: ChallengeIdentity): ChallengeResponses {
  const responses: ChallengeResponses = { USERNAME: identity.username };
  if (identity.clientSecret !== undefined) {
    responses.SECRET_HASH = secretHash(identity.username, identity.clientId, identity.clientSecret.reveal());
  }
  if (identity.deviceKey !== undefined) responses.DEVICE_KEY = identity.deviceKey;
  return responses;
}

function requireParameter(parameters: Readonly<Record<string, string>>, name: string, challenge: string): string {
  const value = parameters[name];
  if (value === undefined || value === '') {
    throw new CognitoAuthError('SERVICE_ERROR', `Cognito sent ${challenge} without ${name}.`);
  }
  return value;
}

/**
 * The SRP proof Cognito checks at PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER. Async: the exponentiation
 * runs on its own event-loop turn, so concurrent sign-ins never block the loop together.
 */
async function answerVerifier(
  challenge: 'PASSWORD_VERIFIER' | 'DEVICE_PASSWORD_VERIFIER',
  identity: ChallengeIdentity,
  parameters: Readonly<Record<string, string>>,
  proof: { poolName: string; userId: string; password: string; ephemeral: SrpEphemeral; verifierCache?: VerifierCache },
): Promise<ChallengeResponses> {
  const claim = await computePasswordClaimAsync({
    ...proof,
    salt: requireParameter(parameters, 'SALT', challenge),
    srpB: requireParameter(parameters, 'SRP_B', challenge),
    secretBlock: requireParameter(parameters, 'SECRET_BLOCK', challenge),
  });
  return {
    ...baseResponses(identity),
    PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock,
    PASSWORD_CLAIM_SIGNATURE: claim.signature,
    TIMESTAMP: claim.timestamp,
  };
}

/** PASSWORD_VERIFIER: prove the password with the pool name and USER_ID_FOR_SRP (never the alias). */
export function answerPasswordVerifier(
  identity: ChallengeIdentity,
  parameters: Readonly<Record<string, string>>,
  proof: { poolName: string; password: string; ephemeral: SrpEphemeral; verifierCache?: VerifierCache },
): Promise<ChallengeResponses> {
  return answerVerifier('PASSWORD_VERIFIER', identity, parameters, { ...proof, userId: identity.username });
}

/** DEVICE_SRP_AUTH: open the device's own SRP exchange with a fresh ephemeral. */
export function answerDeviceSrpAuth(identity: ChallengeIdentity, ephemeral: SrpEphemeral): ChallengeResponses {
  return { ...baseResponses(identity), SRP_A: ephemeral.srpA };
}

/** DEVICE_PASSWORD_VERIFIER: the same proof with pool name := DeviceGroupKey, user := DeviceKey. */
export function answerDevicePasswordVerifier(
  identity: ChallengeIdentity,
  parameters: Readonly<Record<string, string>>,
  device: DeviceCredentials,
  ephemeral: SrpEphemeral,
): Promise<ChallengeResponses> {
  return answerVerifier('DEVICE_PASSWORD_VERIFIER', identity, parameters, {
    poolName: device.deviceGroupKey,
    userId: device.deviceKey,
    password: device.devicePassword,
    ephemeral,
  });
}

const CODE_FIELD: Record<MfaChallenge['challengeName'], string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

/** SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP: the code in the field Cognito expects for that challenge. */
export function answerMfaCode(
  identity: ChallengeIdentity,
  challengeName: MfaChallenge['challengeName'],
  code: string,
): ChallengeResponses {
  return { ...baseResponses(identity), [CODE_FIELD[challengeName]]: code };
}

/** SELECT_MFA_TYPE: which of the offered factors this configuration can answer, if any. */
export function chooseMfaType(
  parameters: Readonly<Record<string, string>>,
  can: { totp: boolean; code: boolean },
): MfaChallenge['challengeName'] | undefined {
  let offered: string[] = [];
  try {
    const parsed: unknown = JSON.parse(parameters.MFAS_CAN_CHOOSE ?? '[]');
    if (Array.isArray(parsed)) offered = parsed.filter((v): v is string => typeof v === 'string');
  } catch {
    offered = [];
  }
  const normalised = new Set(offered.map((name) => (name === 'EMAIL_MFA' ? 'EMAIL_OTP' : name)));
  if (can.totp && normalised.has('SOFTWARE_TOKEN_MFA')) return 'SOFTWARE_TOKEN_MFA';
  if (!can.code) return undefined;
  for (const name of ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SMS_MFA'] as const) {
    if (normalised.has(name)) return name;
  }
  return undefined;
}

export function answerSelectMfaType(
  identity: ChallengeIdentity,
  choice: MfaChallenge['challengeName'],
): ChallengeResponses {
  return { ...baseResponses(identity), ANSWER: choice };
}

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The NEW_PASSWORD_REQUIRED details a `newPassword` callback receives. */
export function newPasswordChallengeOf(
  identity: ChallengeIdentity,
  parameters: Readonly<Record<string, string>>,
): NewPasswordChallenge {
  const required = parseJson<unknown>(parameters.requiredAttributes, []);
  const attributes = parseJson<unknown>(parameters.userAttributes, {});
  return {
    username: identity.username,
    requiredAttributes: Array.isArray(required)
      ? required.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/^userAttributes\./, ''))
      : [],
    userAttributes:
      typeof attributes === 'object' && attributes !== null
        ? Object.fromEntries(
            Object.entries(attributes as Record<string, unknown>).filter(
              (entry): entry is [string, string] => typeof entry[1] === 'string',
            ),
          )
        : {},
  };
}

export function answerNewPassword(identity: ChallengeIdentity, newPassword: string): ChallengeResponses {
  return { ...baseResponses(identity), NEW_PASSWORD: newPassword };
}

export function continuationOf(
  identity: ChallengeIdentity,
  challengeName: string,
  parameters: Readonly<Record<string, string>>,
  session: string,
): ChallengeContinuation {
  return {
    challengeName,
    username: identity.username,
    parameters: { ...parameters },
    session,
    ...(identity.deviceKey === undefined ? {} : { deviceKey: identity.deviceKey }),
  };
}

export function mfaRequired(
  identity: ChallengeIdentity,
  challengeName: MfaChallengeName,
  parameters: Readonly<Record<string, string>>,
  session: string,
  message?: string,
): MfaRequiredError {
  return new MfaRequiredError(challengeName, continuationOf(identity, challengeName, parameters, session), message);
}

export function passwordChangeRequired(
  identity: ChallengeIdentity,
  parameters: Readonly<Record<string, string>>,
  session: string,
): PasswordChangeRequiredError {
  const info = newPasswordChallengeOf(identity, parameters);
  return new PasswordChangeRequiredError(
    continuationOf(identity, 'NEW_PASSWORD_REQUIRED', parameters, session),
    info.requiredAttributes,
  );
}
