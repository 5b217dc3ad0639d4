import type { EmulatorContext } from '../context.js';
import {
  CognitoWireError,
  codeMismatch,
  deviceNotFound,
  INCORRECT_CREDENTIALS,
  invalidParameter,
  notAuthorized,
} from '../errors.js';
import {
  AVAILABLE_CHALLENGES,
  checkPasswordAndContinue,
  passwordVerifierStep,
} from './initiate-auth.js';
import { checkClientId, checkSecretHash, checkSecretHashForEither, oneOfParameter, requireMember, requireString, stringMap } from '../params.js';
import { ADMIN_PREFIX, checkPasswordPolicy } from '../password-policy.js';
import type { ChallengeSession } from '../sessions.js';
import { adoptDevice, checkEnabled, presentedDeviceKey } from '../sign-in-checks.js';
import { continueSignIn, mfaChallenge, type SignInStep } from '../sign-in-flow.js';
import { challengeParameters, parseSrpA, startExchange, verifyClaim } from '../srp-exchange.js';
import type { EmulatorMfaType } from '../types.js';

const CHALLENGE_NAMES = [
  'SMS_MFA',
  'EMAIL_OTP',
  'SOFTWARE_TOKEN_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'PASSWORD_VERIFIER',
  'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
  'NEW_PASSWORD_REQUIRED',
  'SMS_OTP',
  'PASSWORD',
  'WEB_AUTHN',
  'PASSWORD_SRP',
] as const;

function passwordVerifier(
  ctx: EmulatorContext,
  session: ChallengeSession,
  responses: Record<string, string>,
  raw: unknown,
): Promise<SignInStep> {
  const { guard } = ctx.state;
  try {
    if (session.user !== undefined) guard.checkNotLocked(session.user.username);
    // An unknown user's fake exchange has a random verifier, so it fails here exactly like a wrong password.
    verifyClaim(ctx, session.srp!, { poolName: ctx.poolName, userId: session.username, responses });
  } catch (error) {
    if (error instanceof CognitoWireError && error.type === 'NotAuthorizedException') {
      ctx.sessions.retire(session);
      if (session.user !== undefined && error.message === INCORRECT_CREDENTIALS) {
        guard.recordFailure(session.user.username);
      }
    }
    throw error;
  }
  if (session.user === undefined) throw notAuthorized();
  checkEnabled(session.user);
  adoptDevice(ctx, session, presentedDeviceKey(raw, session.deviceKey));
  return continueSignIn(ctx, session);
}

function deviceSrpAuth(ctx: EmulatorContext, session: ChallengeSession, responses: Record<string, string>): SignInStep {
  const deviceKey = requireMember(responses, 'DEVICE_KEY');
  const A = parseSrpA(requireMember(responses, 'SRP_A'));
  const device = ctx.state.findDevice(session.username, deviceKey);
  if (device?.verifier === undefined || device.salt === undefined) throw deviceNotFound();
  if (deviceKey !== session.deviceKey) throw notAuthorized('Invalid device key given.');
  session.srp = startExchange(A, device.verifier);
  const next = ctx.sessions.advance(session, 'DEVICE_PASSWORD_VERIFIER');
  return {
    ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
    Session: next.id,
    ChallengeParameters: {
      ...challengeParameters(next.srp!, device.salt),
      USERNAME: session.username,
      DEVICE_KEY: deviceKey,
    },
  };
}

function devicePasswordVerifier(
  ctx: EmulatorContext,
  session: ChallengeSession,
  responses: Record<string, string>,
): Promise<SignInStep> {
  const deviceKey = requireMember(responses, 'DEVICE_KEY');
  const device = ctx.state.findDevice(session.username, deviceKey);
  if (device === undefined) throw deviceNotFound();
  if (deviceKey !== session.deviceKey) throw notAuthorized('Invalid device key given.');
  try {
    verifyClaim(ctx, session.srp!, { poolName: session.user!.deviceGroupKey, userId: deviceKey, responses });
  } catch (error) {
    if (error instanceof CognitoWireError && error.type === 'NotAuthorizedException') ctx.sessions.retire(session);
    throw error;
  }
  session.verifiedDeviceKey = deviceKey;
  return continueSignIn(ctx, session);
}

function codeIsValid(ctx: EmulatorContext, session: ChallengeSession, challenge: string, code: string): boolean {
  if (challenge === 'SOFTWARE_TOKEN_MFA') {
    const user = session.user!;
    const secret = user.totpSecret?.reveal();
    if (secret === undefined) return false;
    // The client stamps real time; accept codes valid at the emulator's clock or the wall clock, each once.
    return ctx.state.guard.acceptTotp(user.username, secret, code, [ctx.options.clock(), Date.now()]);
  }
  return session.code !== undefined && code === session.code;
}

const CODE_FIELDS: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

function mfaAnswer(
  ctx: EmulatorContext,
  session: ChallengeSession,
  challenge: string,
  responses: Record<string, string>,
): Promise<SignInStep> {
  const code = requireMember(responses, CODE_FIELDS[challenge]!);
  const { username } = session.user!;
  const { guard } = ctx.state;
  // AWS: "After five unsuccessful attempts to present an MFA code, Amazon Cognito begins the exponential-timeout
  // lockout process"; the session itself stays open for another try, as long as it lives.
  guard.checkNotLocked(username);
  if (!codeIsValid(ctx, session, challenge, code)) {
    guard.recordFailure(username);
    throw codeMismatch();
  }
  session.mfaDone = true;
  delete session.code;
  return continueSignIn(ctx, session);
}

function selectMfaType(ctx: EmulatorContext, session: ChallengeSession, responses: Record<string, string>): SignInStep {
  const answer = requireMember(responses, 'ANSWER');
  const user = session.user!;
  if (!(user.mfa as string[]).includes(answer)) {
    throw invalidParameter(`${answer} is not one of the MFA types the user can choose.`);
  }
  return mfaChallenge(ctx, session, answer as EmulatorMfaType);
}

function newPasswordRequired(
  ctx: EmulatorContext,
  session: ChallengeSession,
  responses: Record<string, string>,
): Promise<SignInStep> {
  const password = requireMember(responses, 'NEW_PASSWORD');
  checkPasswordPolicy(ctx, password, ADMIN_PREFIX);
  const user = session.user!;
  ctx.state.setPassword(user, password);
  user.forceChangePassword = false;
  user.modifiedAt = ctx.options.clock();
  for (const [key, value] of Object.entries(responses)) {
    if (key.startsWith('userAttributes.')) user.attributes[key.slice('userAttributes.'.length)] = value;
  }
  session.passwordChanged = true;
  return continueSignIn(ctx, session);
}

/** MFA_SETUP is answered after AssociateSoftwareToken + VerifySoftwareToken succeeded in this session. */
function mfaSetupDone(ctx: EmulatorContext, session: ChallengeSession): Promise<SignInStep> {
  if (session.totpVerified !== true) {
    throw invalidParameter(
      'Software token MFA has not been set up: call AssociateSoftwareToken and VerifySoftwareToken.',
    );
  }
  session.mfaDone = true;
  return continueSignIn(ctx, session);
}

/**
 * USER_AUTH's SELECT_CHALLENGE: ANSWER PASSWORD_SRP with SRP_A → PASSWORD_VERIFIER; ANSWER PASSWORD with PASSWORD
 * → checked at once. Other factors (EMAIL_OTP, SMS_OTP, WEB_AUTHN) are not emulated.
 */
function selectChallenge(
  ctx: EmulatorContext,
  session: ChallengeSession,
  responses: Record<string, string>,
  raw: unknown,
): Promise<SignInStep> | SignInStep {
  const answer = requireMember(responses, 'ANSWER');
  if (answer === 'PASSWORD_SRP') {
    return passwordVerifierStep(ctx, session, parseSrpA(requireMember(responses, 'SRP_A')));
  }
  if (answer === 'PASSWORD') {
    const next = ctx.sessions.advance(session, 'PASSWORD');
    return checkPasswordAndContinue(
      ctx,
      next,
      requireMember(responses, 'PASSWORD'),
      presentedDeviceKey(raw, session.deviceKey),
    );
  }
  throw invalidParameter(`${answer} is not one of the available challenges: ${AVAILABLE_CHALLENGES.join(', ')}.`);
}

/** RespondToAuthChallenge for every challenge the emulator issues. */
export async function respondToAuthChallenge(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<SignInStep> {
  const challenge = oneOfParameter(requireString(input, 'ChallengeName'), 'challengeName', CHALLENGE_NAMES);
  checkClientId(input, ctx);
  const responses = stringMap(input, 'ChallengeResponses', true);
  const sessionId = requireString(input, 'Session');
  const session = ctx.sessions.get(sessionId);
  if (challenge !== session.challenge) {
    throw invalidParameter(`Invalid challenge name: expected ${session.challenge}.`);
  }
  const username = requireMember(responses, 'USERNAME');
  const named = session.user === undefined ? undefined : ctx.state.findUser(username);
  if (session.user === undefined ? username !== session.username : named !== session.user) {
    throw notAuthorized();
  }
  // After InitiateAuth, SECRET_HASH is over the internal user name (USER_ID_FOR_SRP). SELECT_CHALLENGE comes
  // before the client learns it, so the name as typed is accepted there too.
  if (challenge === 'SELECT_CHALLENGE' && session.typedName !== undefined) {
    checkSecretHashForEither(ctx, responses.SECRET_HASH, [session.username, session.typedName]);
  } else {
    checkSecretHash(ctx, responses.SECRET_HASH, session.username);
  }
  switch (challenge) {
    case 'PASSWORD_VERIFIER':
      return passwordVerifier(ctx, session, responses, input.ChallengeResponses);
    case 'DEVICE_SRP_AUTH':
      return deviceSrpAuth(ctx, session, responses);
    case 'DEVICE_PASSWORD_VERIFIER':
      return devicePasswordVerifier(ctx, session, responses);
    case 'SOFTWARE_TOKEN_MFA':
    case 'SMS_MFA':
    case 'EMAIL_OTP':
      return mfaAnswer(ctx, session, challenge, responses);
    case 'SELECT_MFA_TYPE':
      return selectMfaType(ctx, session, responses);
    case 'NEW_PASSWORD_REQUIRED':
      return newPasswordRequired(ctx, session, responses);
    case 'MFA_SETUP':
      return mfaSetupDone(ctx, session);
    case 'SELECT_CHALLENGE':
      return selectChallenge(ctx, session, responses, input.ChallengeResponses);
    default:
      throw invalidParameter(`Invalid challenge name: expected ${session.challenge}.`);
  }
}
