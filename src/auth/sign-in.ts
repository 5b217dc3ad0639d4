import type {
  AuthenticationResultType,
  InitiateAuthCommandOutput,
  NewDeviceMetadataType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash, type SrpEphemeral } from '../srp/index.js';
import { CognitoAuthError, CognitoConfigError, UnsupportedChallengeError } from '../errors.js';
import type { Secret } from '../secret.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import type { CognitoApi } from './cognito-client.js';
import {
  answerDevicePasswordVerifier,
  answerDeviceSrpAuth,
  answerMfaCode,
  answerNewPassword,
  answerPasswordVerifier,
  answerSelectMfaType,
  chooseMfaType,
  continuationOf,
  mfaRequired,
  newPasswordChallengeOf,
  passwordChangeRequired,
  type ChallengeIdentity,
  type ChallengeResponses,
} from './challenges.js';
import type { MfaChallenge, NewPasswordChallenge } from './types.js';

/** A sign-in that takes more round trips than this is looping; Cognito's longest real chain is ~5. */
const MAX_CHALLENGE_STEPS = 10;

export interface SignInRequest {
  api: CognitoApi;
  clientId: string;
  clientSecret: Secret | undefined;
  poolName: string;
  /** The sign-in name as configured (may be an alias). */
  username: string;
  password: string;
  device: DeviceCredentials | undefined;
  clientMetadata: Record<string, string> | undefined;
  takeEphemeral: () => Promise<SrpEphemeral>;
  /** The TOTP code to send now, when a TOTP secret is configured. */
  totpCode: (() => string) | undefined;
  mfaCode: ((challenge: MfaChallenge) => Promise<string>) | undefined;
  newPassword: ((info: NewPasswordChallenge) => Promise<string>) | undefined;
}

export interface SignInOutcome {
  result: AuthenticationResultType;
  /** Cognito's internal user name (USER_ID_FOR_SRP), used later for REFRESH_TOKEN_AUTH. */
  username: string;
  /** The remembered device that was used, if any. */
  deviceKey: string | undefined;
  newDevice: NewDeviceMetadataType | undefined;
  /** The challenges answered, in order (for events). */
  challenges: string[];
  /** Set when NEW_PASSWORD_REQUIRED was answered: later sign-ins must use it. */
  changedPassword: string | undefined;
}

type CognitoStep = Pick<
  InitiateAuthCommandOutput,
  'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session'
>;

/**
 * USER_SRP_AUTH as Cognito speaks it: InitiateAuth, then one RespondToAuthChallenge per challenge
 * (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, MFA, SELECT_MFA_TYPE,
 * NEW_PASSWORD_REQUIRED) until tokens arrive. A challenge it cannot answer ends in a typed error
 * that carries Cognito's session so the caller can continue by hand.
 */
export async function signInWithSrp(request: SignInRequest): Promise<SignInOutcome> {
  const { api, clientId, clientSecret, device } = request;
  const identity: ChallengeIdentity = {
    clientId,
    clientSecret,
    username: request.username,
    deviceKey: device?.deviceKey,
  };
  const userEphemeral = await request.takeEphemeral();
  let deviceEphemeral: SrpEphemeral | undefined;
  const challenges: string[] = [];
  let changedPassword: string | undefined;

  const authParameters: Record<string, string> = { USERNAME: request.username, SRP_A: userEphemeral.srpA };
  if (clientSecret !== undefined) {
    authParameters.SECRET_HASH = secretHash(request.username, clientId, clientSecret.reveal());
  }
  if (device !== undefined) authParameters.DEVICE_KEY = device.deviceKey;

  let step: CognitoStep = await api.initiateAuth({
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: clientId,
    AuthParameters: authParameters,
    ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
  });

  for (let round = 0; round < MAX_CHALLENGE_STEPS; round++) {
    if (step.AuthenticationResult !== undefined) {
      return {
        result: step.AuthenticationResult,
        username: identity.username,
        deviceKey: device?.deviceKey,
        newDevice: step.AuthenticationResult.NewDeviceMetadata,
        challenges,
        changedPassword,
      };
    }
    const name = step.ChallengeName;
    const parameters: Record<string, string> = { ...(step.ChallengeParameters ?? {}) };
    const session = step.Session ?? '';
    if (name === undefined) throw new CognitoAuthError('SERVICE_ERROR', 'Cognito answered with neither tokens nor a challenge.');
    challenges.push(name);

    let responses: ChallengeResponses;
    switch (name) {
      case 'PASSWORD_VERIFIER': {
        // The proof and every later step use Cognito's internal name, not the alias the user typed.
        identity.username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? identity.username;
        responses = await answerPasswordVerifier(identity, parameters, {
          poolName: request.poolName,
          password: request.password,
          ephemeral: userEphemeral,
        });
        break;
      }
      case 'DEVICE_SRP_AUTH': {
        if (device === undefined) throw unsupported(identity, name, parameters, session, 'no remembered device is configured');
        identity.username = parameters.USERNAME ?? identity.username;
        deviceEphemeral = await request.takeEphemeral();
        responses = answerDeviceSrpAuth(identity, deviceEphemeral);
        break;
      }
      case 'DEVICE_PASSWORD_VERIFIER': {
        if (device === undefined || deviceEphemeral === undefined) {
          throw unsupported(identity, name, parameters, session, 'it did not follow DEVICE_SRP_AUTH');
        }
        identity.username = parameters.USERNAME ?? identity.username;
        responses = await answerDevicePasswordVerifier(identity, parameters, device, deviceEphemeral);
        break;
      }
      case 'SOFTWARE_TOKEN_MFA':
      case 'SMS_MFA':
      case 'EMAIL_OTP': {
        identity.username = parameters.USERNAME ?? identity.username;
        const code = await mfaCodeFor(request, identity, name, parameters, session);
        responses = answerMfaCode(identity, name, code);
        break;
      }
      case 'SELECT_MFA_TYPE': {
        identity.username = parameters.USERNAME ?? identity.username;
        const choice = chooseMfaType(parameters, {
          totp: request.totpCode !== undefined,
          code: request.mfaCode !== undefined,
        });
        if (choice === undefined) throw mfaRequired(identity, 'SELECT_MFA_TYPE', parameters, session);
        responses = answerSelectMfaType(identity, choice);
        break;
      }
      case 'MFA_SETUP':
        throw mfaRequired(
          identity,
          'MFA_SETUP',
          parameters,
          session,
          'Cognito requires this user to set up MFA first; enrol a TOTP authenticator for the user, then configure `mfa.totpSecret`.',
        );
      case 'NEW_PASSWORD_REQUIRED': {
        identity.username = parameters.USERNAME ?? parameters.USER_ID_FOR_SRP ?? identity.username;
        if (request.newPassword === undefined) throw passwordChangeRequired(identity, parameters, session);
        const chosen = await request.newPassword(newPasswordChallengeOf(identity, parameters));
        if (typeof chosen !== 'string' || chosen.length === 0) {
          throw new CognitoConfigError('newPassword', 'the callback must resolve to a non-empty string.');
        }
        changedPassword = chosen;
        responses = answerNewPassword(identity, chosen);
        break;
      }
      default:
        throw unsupported(identity, name, parameters, session);
    }

    step = await api.respondToAuthChallenge({
      ChallengeName: name,
      ClientId: clientId,
      Session: session,
      ChallengeResponses: responses,
      ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
    });
  }
  throw new CognitoAuthError('SERVICE_ERROR', `Sign-in did not finish after ${MAX_CHALLENGE_STEPS} challenges.`);
}

async function mfaCodeFor(
  request: SignInRequest,
  identity: ChallengeIdentity,
  name: MfaChallenge['challengeName'],
  parameters: Record<string, string>,
  session: string,
): Promise<string> {
  if (name === 'SOFTWARE_TOKEN_MFA' && request.totpCode !== undefined) return request.totpCode();
  if (request.mfaCode === undefined) throw mfaRequired(identity, name, parameters, session);
  const challenge: MfaChallenge = {
    challengeName: name,
    username: identity.username,
    parameters: { ...parameters },
    ...(parameters.CODE_DELIVERY_DELIVERY_MEDIUM === undefined
      ? {}
      : { deliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM }),
    ...(parameters.CODE_DELIVERY_DESTINATION === undefined ? {} : { destination: parameters.CODE_DELIVERY_DESTINATION }),
  };
  const code = await request.mfaCode(challenge);
  if (typeof code !== 'string' || code.trim() === '') {
    throw new CognitoConfigError('mfa.code', 'the callback must resolve to a non-empty code.');
  }
  return code.trim();
}

function unsupported(
  identity: ChallengeIdentity,
  name: string,
  parameters: Record<string, string>,
  session: string,
  why?: string,
): UnsupportedChallengeError {
  const message =
    why === undefined
      ? undefined
      : `Cognito sent the challenge ${name}, which cannot be answered: ${why}.`;
  return new UnsupportedChallengeError(continuationOf(identity, name, parameters, session), message);
}
