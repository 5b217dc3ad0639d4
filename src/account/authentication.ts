import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandInput,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  answerMfaCode,
  answerSelectMfaType,
  continuationOf,
  mfaRequired,
  passwordChangeRequired,
  type ChallengeIdentity,
} from '../auth/challenges.js';
import { readClientSecret } from '../auth/client-secret.js';
import type { CognitoApi } from '../auth/cognito-client.js';
import {
  CognitoAuthError,
  CognitoConfigError,
  MfaRequiredError,
  UnsupportedChallengeError,
  type ChallengeContinuation,
} from '../errors.js';
import { secretHash } from '../srp/index.js';
import { type AccountContext, clientMetadataMember, requireArgument, send } from './context.js';

type Step = Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session'>;

/** The MFA challenges a code answers. */
export type MfaCodeChallenge = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';

/**
 * Tokens, or the typed error for the challenge Cognito asked instead: `MfaRequiredError` (answer it with
 * `respondTo*MfaChallenge`), `PasswordChangeRequiredError` (use `newPasswordChallenge`), or `UnsupportedChallengeError`.
 */
export function tokensOrChallenge(identity: ChallengeIdentity, step: Step): AuthenticationResultType {
  if (step.AuthenticationResult !== undefined) return step.AuthenticationResult;
  const name = step.ChallengeName;
  const parameters: Record<string, string> = { ...(step.ChallengeParameters ?? {}) };
  const session = step.Session ?? '';
  if (name === undefined) {
    throw new CognitoAuthError('SERVICE_ERROR', 'Cognito answered with neither tokens nor a challenge.');
  }
  identity.username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? identity.username;
  switch (name) {
    case 'SOFTWARE_TOKEN_MFA':
    case 'SMS_MFA':
    case 'EMAIL_OTP':
    case 'SELECT_MFA_TYPE':
    case 'MFA_SETUP':
      throw mfaRequired(identity, name, parameters, session);
    case 'NEW_PASSWORD_REQUIRED':
      throw passwordChangeRequired(identity, parameters, session);
    default:
      throw new UnsupportedChallengeError(continuationOf(identity, name, parameters, session));
  }
}

/**
 * Continuations of challenges that AdminInitiateAuth started: they are answered with AdminRespondToAuthChallenge
 * (the same object is handed to other instances, so a module-wide weak set follows it without keeping it alive).
 */
const adminContinuations = new WeakSet<ChallengeContinuation>();

/** AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH (needs IAM credentials; the app client must allow the flow). */
export async function adminAuthenticate(
  ctx: AccountContext,
  username: string,
  password: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<{ result: AuthenticationResultType; identity: ChallengeIdentity }> {
  requireArgument(password, 'password');
  const identity: ChallengeIdentity = {
    clientId: ctx.clientId,
    clientSecret: await readClientSecret(ctx.clientSecret),
    username,
    deviceKey: undefined,
  };
  const parameters: Record<string, string> = { USERNAME: username, PASSWORD: password };
  if (identity.clientSecret !== undefined) {
    parameters.SECRET_HASH = secretHash(username, ctx.clientId, identity.clientSecret.reveal());
  }
  const step = await send(() =>
    ctx.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: ctx.userPoolId,
        ClientId: ctx.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: parameters,
        ...clientMetadataMember(clientMetadata),
      }),
    ),
  );
  try {
    return { result: tokensOrChallenge(identity, step), identity };
  } catch (error) {
    if (error instanceof MfaRequiredError) adminContinuations.add(error.continuation);
    throw error;
  }
}

/** Checks a continuation handed in by the caller (usually `MfaRequiredError.continuation`). */
export function checkContinuation(value: unknown): ChallengeContinuation {
  const c = value as Partial<ChallengeContinuation> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.challengeName !== 'string' ||
    typeof c.username !== 'string' ||
    typeof c.session !== 'string' ||
    c.session.length === 0
  ) {
    throw new CognitoConfigError(
      'continuation',
      'expected the `continuation` of the MfaRequiredError that authenticate() threw (it carries the challenge session).',
    );
  }
  return c as ChallengeContinuation;
}

/**
 * Answers a pending MFA challenge with `code`. A SELECT_MFA_TYPE continuation is first answered with `challenge`,
 * then the code is sent for it.
 */
export async function respondToMfaChallenge(
  api: CognitoApi,
  ctx: AccountContext,
  continuation: ChallengeContinuation,
  challenge: MfaCodeChallenge,
  code: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<{ result: AuthenticationResultType; identity: ChallengeIdentity }> {
  requireArgument(code, 'code');
  const identity: ChallengeIdentity = {
    clientId: ctx.clientId,
    clientSecret: await readClientSecret(ctx.clientSecret),
    username: continuation.username,
    deviceKey: continuation.deviceKey,
  };
  const metadata = clientMetadataMember(clientMetadata);
  const admin = adminContinuations.has(continuation);
  const respond = (input: RespondToAuthChallengeCommandInput): Promise<Step> =>
    admin
      ? send(() => ctx.client.send(new AdminRespondToAuthChallengeCommand({ ...input, UserPoolId: ctx.userPoolId })))
      : api.respondToAuthChallenge(input);
  let session = continuation.session;
  if (continuation.challengeName === 'SELECT_MFA_TYPE') {
    const selected = await respond({
      ChallengeName: 'SELECT_MFA_TYPE',
      ClientId: ctx.clientId,
      Session: session,
      ChallengeResponses: answerSelectMfaType(identity, challenge),
      ...metadata,
    });
    if (selected.ChallengeName !== challenge) return { result: tokensOrChallenge(identity, selected), identity };
    session = selected.Session ?? '';
    identity.username = selected.ChallengeParameters?.USERNAME ?? identity.username;
  } else if (continuation.challengeName !== challenge) {
    throw new CognitoConfigError(
      'continuation',
      `the pending challenge is ${continuation.challengeName}, not ${challenge}; answer it with the matching method.`,
    );
  }
  const step = await respond({
    ChallengeName: challenge,
    ClientId: ctx.clientId,
    Session: session,
    ChallengeResponses: answerMfaCode(identity, challenge, code.trim()),
    ...metadata,
  });
  return { result: tokensOrChallenge(identity, step), identity };
}
