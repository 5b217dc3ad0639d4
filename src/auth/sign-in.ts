import type {
  AuthenticationResultType,
  InitiateAuthCommandOutput,
  NewDeviceMetadataType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash, type SrpEphemeral, type VerifierCache } from '../srp/index.js';
import { CodeMismatchError, CognitoAuthError, CognitoConfigError, UnsupportedChallengeError } from '../errors.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import { flowNotEnabled, refusedFlow, type AuthFlow, type AuthFlowFallback, type AuthFlowSelector } from './auth-flow.js';
import { readClientSecret, type ClientSecretSource } from './client-secret.js';
import type { CognitoApi } from './cognito-client.js';
import {
  answerDevicePasswordVerifier,
  answerDeviceSrpAuth,
  answerMfaCode,
  answerNewPassword,
  answerPasswordVerifier,
  answerSelectMfaType,
  baseResponses,
  chooseMfaType,
  continuationOf,
  mfaRequired,
  newPasswordChallengeOf,
  passwordChangeRequired,
  type ChallengeIdentity,
  type ChallengeResponses,
} from './challenges.js';
import type { TotpAnswerer } from './totp-answer.js';
import type { MfaChallenge, NewPasswordChallenge } from './types.js';

/** A sign-in that takes more round trips than this is looping; Cognito's longest real chain is ~5. */
const MAX_CHALLENGE_STEPS = 10;

export interface SignInRequest {
  api: CognitoApi;
  clientId: string;
  /** Read once at the start of the sign-in (a rotated secret is picked up by the next sign-in). */
  clientSecret: ClientSecretSource | undefined;
  /** USER_SRP_AUTH or USER_AUTH; a default USER_SRP_AUTH refused by the client falls back to USER_AUTH once. */
  authFlow: AuthFlowSelector;
  poolName: string;
  /** The sign-in name as configured (may be an alias). */
  username: string;
  password: string;
  device: DeviceCredentials | undefined;
  clientMetadata: Record<string, string> | undefined;
  takeEphemeral: () => Promise<SrpEphemeral>;
  /** Keeps g^x between sign-ins of a password this process holds anyway (see `VerifierCache`). */
  verifierCache?: VerifierCache;
  /** Answers SOFTWARE_TOKEN_MFA when a TOTP secret is configured (one per sign-in: it holds the one retry). */
  totp: TotpAnswerer | undefined;
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
  /** The flow that signed in. */
  authFlow: AuthFlow;
  /** Set when the configured flow was refused and another one worked (report it: the app client lacks a flow). */
  fallback: AuthFlowFallback | undefined;
}

type CognitoStep = Pick<
  InitiateAuthCommandOutput,
  'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session' | 'AvailableChallenges'
>;

/**
 * InitiateAuth with `flow`: USER_SRP_AUTH sends SRP_A; USER_AUTH sends PREFERRED_CHALLENGE PASSWORD_SRP with the
 * same SRP_A, so Cognito answers PASSWORD_VERIFIER at once when it honours the preference.
 */
function initiate(
  request: SignInRequest,
  flow: AuthFlow,
  authParameters: Record<string, string>,
): Promise<CognitoStep> {
  return request.api.initiateAuth({
    AuthFlow: flow,
    ClientId: request.clientId,
    AuthParameters: flow === 'USER_AUTH' ? { ...authParameters, PREFERRED_CHALLENGE: 'PASSWORD_SRP' } : authParameters,
    ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
  });
}

/** InitiateAuth with the selected flow; a default USER_SRP_AUTH the client refuses is retried once as USER_AUTH. */
async function initiateWithFallback(
  request: SignInRequest,
  authParameters: Record<string, string>,
): Promise<{ step: CognitoStep; flow: AuthFlow; fallback: AuthFlowFallback | undefined }> {
  const selector = request.authFlow;
  const flow = selector.current;
  try {
    return { step: await initiate(request, flow, authParameters), flow, fallback: undefined };
  } catch (error) {
    if (refusedFlow(error) !== flow) throw error;
    const other = selector.fallbackFor(flow);
    if (other === undefined) throw flowNotEnabled(flow, error);
    let step: CognitoStep;
    try {
      step = await initiate(request, other, authParameters);
    } catch (second) {
      if (refusedFlow(second) === other) throw flowNotEnabled(flow, second, other);
      throw second;
    }
    selector.adopt(other);
    return { step, flow: other, fallback: { from: flow, to: other, reason: (error as Error).message } };
  }
}

/**
 * USER_SRP_AUTH (or USER_AUTH with PASSWORD_SRP) as Cognito speaks it: InitiateAuth, then one RespondToAuthChallenge per challenge
 * (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, MFA, SELECT_MFA_TYPE,
 * NEW_PASSWORD_REQUIRED) until tokens arrive. A challenge it cannot answer ends in a typed error
 * that carries Cognito's session so the caller can continue by hand.
 */
export async function signInWithSrp(request: SignInRequest): Promise<SignInOutcome> {
  const { api, clientId, device } = request;
  const clientSecret = await readClientSecret(request.clientSecret);
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

  const started = await initiateWithFallback(request, authParameters);
  let step = started.step;

  for (let round = 0; round < MAX_CHALLENGE_STEPS; round++) {
    if (step.AuthenticationResult !== undefined) {
      return {
        result: step.AuthenticationResult,
        username: identity.username,
        deviceKey: device?.deviceKey,
        newDevice: step.AuthenticationResult.NewDeviceMetadata,
        challenges,
        changedPassword,
        authFlow: started.flow,
        fallback: started.fallback,
      };
    }
    const name = step.ChallengeName;
    const parameters: Record<string, string> = { ...(step.ChallengeParameters ?? {}) };
    const session = step.Session ?? '';
    if (name === undefined) throw new CognitoAuthError('SERVICE_ERROR', 'Cognito answered with neither tokens nor a challenge.');
    challenges.push(name);

    let responses: ChallengeResponses;
    let computedTotp = false;
    switch (name) {
      case 'SELECT_CHALLENGE': {
        // USER_AUTH without the preference honoured: pick PASSWORD_SRP with SRP_A inline (the name is still the
        // one typed: Cognito has not told the internal name yet).
        if (!(step.AvailableChallenges ?? []).includes('PASSWORD_SRP')) {
          throw unsupported(identity, name, parameters, session, 'PASSWORD_SRP is not among the available challenges');
        }
        responses = { ...baseResponses(identity), ANSWER: 'PASSWORD_SRP', SRP_A: userEphemeral.srpA };
        break;
      }
      case 'PASSWORD_VERIFIER': {
        // The proof and every later step use Cognito's internal name, not the alias the user typed.
        identity.username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? identity.username;
        responses = await answerPasswordVerifier(identity, parameters, {
          poolName: request.poolName,
          password: request.password,
          ephemeral: userEphemeral,
          ...(request.verifierCache === undefined ? {} : { verifierCache: request.verifierCache }),
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
        computedTotp = name === 'SOFTWARE_TOKEN_MFA' && request.totp !== undefined;
        const code = await mfaCodeFor(request, identity, name, parameters, session);
        responses = answerMfaCode(identity, name, code);
        break;
      }
      case 'SELECT_MFA_TYPE': {
        identity.username = parameters.USERNAME ?? identity.username;
        const choice = chooseMfaType(parameters, {
          totp: request.totp !== undefined,
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

    const respond = (answer: ChallengeResponses): Promise<CognitoStep> =>
      api.respondToAuthChallenge({
        ChallengeName: name,
        ClientId: clientId,
        Session: session,
        ChallengeResponses: answer,
        ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
      });
    try {
      step = await respond(responses);
    } catch (error) {
      // A computed TOTP code refused: it was used already (Cognito takes a code once), by this process or another
      // one sharing the secret. Answer once more with the next step's code, in the same session.
      const retry = computedTotp && error instanceof CodeMismatchError ? await request.totp!.retryCode() : undefined;
      if (retry === undefined) throw error;
      step = await respond(answerMfaCode(identity, 'SOFTWARE_TOKEN_MFA', retry));
    }
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
  if (name === 'SOFTWARE_TOKEN_MFA' && request.totp !== undefined) return request.totp.code();
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
