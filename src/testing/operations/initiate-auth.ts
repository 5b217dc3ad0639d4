import type { EmulatorContext } from '../context.js';
import { invalidParameter, notAuthorized, userNotFound } from '../errors.js';
import { checkClientId, checkSecretHash, oneOfParameter, requireMember, requireString, stringMap } from '../params.js';
import { checkRefreshDevice, liveRefreshToken } from '../refresh.js';
import type { ChallengeSession } from '../sessions.js';
import { adoptDevice, checkEnabled, checkNoResetRequired, presentedDeviceKey } from '../sign-in-checks.js';
import { authenticationResult, continueSignIn, type SignInStep } from '../sign-in-flow.js';
import { challengeParameters, fakeExchange, parseSrpA, startExchange, userVerifier } from '../srp-exchange.js';
import type { UserRecord } from '../state.js';

const AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
] as const;

/** @throws UserNotFoundException when the app client has PreventUserExistenceErrors LEGACY. */
export function checkUserExists(ctx: EmulatorContext, user: UserRecord | undefined): void {
  if (user === undefined && ctx.state.client.preventUserExistenceErrors === 'LEGACY') throw userNotFound();
}

/**
 * PASSWORD_VERIFIER for `session` (USER_SRP_AUTH, or USER_AUTH with PASSWORD_SRP): a real SRP exchange, or for an
 * unknown user (PreventUserExistenceErrors ENABLED) a fake one that fails like a wrong password.
 */
export function passwordVerifierStep(ctx: EmulatorContext, session: ChallengeSession, A: bigint): SignInStep {
  const { user } = session;
  let salt: string;
  if (user === undefined) {
    const fake = fakeExchange(ctx, session.username, A);
    session.srp = fake.exchange;
    salt = fake.salt;
  } else {
    const srp = userVerifier(ctx, user);
    session.srp = startExchange(A, srp.verifier);
    salt = srp.salt;
  }
  const next = session.challenge === 'PASSWORD_VERIFIER' ? session : ctx.sessions.advance(session, 'PASSWORD_VERIFIER');
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: next.id,
    ChallengeParameters: {
      ...challengeParameters(next.srp!, salt),
      USER_ID_FOR_SRP: session.username,
      USERNAME: session.username,
    },
  };
}

/** A new sign-in session for the name typed: the user's, or a fake one for an unknown name (checked first). */
function openSession(
  ctx: EmulatorContext,
  challenge: string,
  typed: string,
  raw: unknown,
): ChallengeSession {
  const user = ctx.state.findUser(typed);
  checkUserExists(ctx, user);
  if (user === undefined) return ctx.sessions.create({ challenge, username: typed, typedName: typed, user: undefined });
  checkNoResetRequired(user);
  const deviceKey = presentedDeviceKey(raw, undefined);
  return ctx.sessions.create({
    challenge,
    username: user.username,
    typedName: typed,
    user,
    ...(deviceKey === undefined ? {} : { deviceKey }),
  });
}

export function startUserSrp(ctx: EmulatorContext, params: Record<string, string>, raw: unknown): SignInStep {
  const typed = requireMember(params, 'USERNAME');
  const A = parseSrpA(requireMember(params, 'SRP_A'));
  checkSecretHash(ctx, params.SECRET_HASH, typed);
  return passwordVerifierStep(ctx, openSession(ctx, 'PASSWORD_VERIFIER', typed, raw), A);
}

/** The challenges USER_AUTH offers a user who has a password (the emulator has no passwordless factors). */
export const AVAILABLE_CHALLENGES = ['PASSWORD', 'PASSWORD_SRP'];

/**
 * USER_AUTH (choice-based sign-in): PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A → PASSWORD_VERIFIER at once;
 * PASSWORD with PASSWORD → checked on the server; no (or another) preference → SELECT_CHALLENGE with
 * AvailableChallenges.
 */
export async function startUserAuth(
  ctx: EmulatorContext,
  params: Record<string, string>,
  raw: unknown,
): Promise<SignInStep> {
  const typed = requireMember(params, 'USERNAME');
  checkSecretHash(ctx, params.SECRET_HASH, typed);
  const preferred = ctx.options.preferredChallenge === 'honour' ? params.PREFERRED_CHALLENGE : undefined;
  if (preferred === 'PASSWORD_SRP') {
    const A = parseSrpA(requireMember(params, 'SRP_A'));
    return passwordVerifierStep(ctx, openSession(ctx, 'PASSWORD_VERIFIER', typed, raw), A);
  }
  if (preferred === 'PASSWORD') {
    const session = openSession(ctx, 'PASSWORD', typed, raw);
    return checkPasswordAndContinue(ctx, session, requireMember(params, 'PASSWORD'), presentedDeviceKey(raw, undefined));
  }
  const session = openSession(ctx, 'SELECT_CHALLENGE', typed, raw);
  return {
    ChallengeName: 'SELECT_CHALLENGE',
    Session: session.id,
    ChallengeParameters: {},
    AvailableChallenges: [...AVAILABLE_CHALLENGES],
  };
}

/**
 * A password sent in clear (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH PASSWORD): counted by the
 * lockout like an SRP proof; then the rest of the sign-in.
 */
export async function checkPasswordAndContinue(
  ctx: EmulatorContext,
  session: ChallengeSession,
  password: string,
  deviceKey: string | undefined,
): Promise<SignInStep> {
  const { user } = session;
  if (user === undefined) {
    ctx.sessions.retire(session);
    throw notAuthorized();
  }
  const { guard } = ctx.state;
  try {
    guard.checkNotLocked(user.username);
    if (user.password.reveal() !== password) {
      guard.recordFailure(user.username);
      throw notAuthorized();
    }
    checkEnabled(user);
    adoptDevice(ctx, session, deviceKey);
  } catch (error) {
    ctx.sessions.retire(session);
    throw error;
  }
  return continueSignIn(ctx, session);
}

export async function passwordAuth(
  ctx: EmulatorContext,
  params: Record<string, string>,
  raw: unknown,
): Promise<SignInStep> {
  const typed = requireMember(params, 'USERNAME');
  const password = requireMember(params, 'PASSWORD');
  checkSecretHash(ctx, params.SECRET_HASH, typed);
  const session = openSession(ctx, 'PASSWORD', typed, undefined);
  return checkPasswordAndContinue(ctx, session, password, presentedDeviceKey(raw, undefined));
}

export async function refreshTokenAuth(ctx: EmulatorContext, params: Record<string, string>): Promise<SignInStep> {
  if (ctx.options.rotationGraceSeconds !== undefined) {
    // With rotation on, Cognito requires GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH must be disabled).
    throw invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
  }
  const deviceKey = params.DEVICE_KEY || undefined;
  const { record, user } = liveRefreshToken(ctx, requireMember(params, 'REFRESH_TOKEN'), deviceKey);
  checkSecretHash(ctx, params.SECRET_HASH, user.username);
  checkRefreshDevice(ctx, record, deviceKey);
  return { ChallengeParameters: {}, AuthenticationResult: await authenticationResult(ctx, user, record.origin) };
}

/**
 * @throws InvalidParameterException when the client's ExplicitAuthFlows leave `flow` out: InitiateAuth names the
 * flow (`USER_SRP_AUTH flow not enabled for this client`), AdminInitiateAuth does not.
 */
export function checkFlowEnabled(ctx: EmulatorContext, flow: string, admin = false): void {
  if (ctx.state.client.allowsFlow(flow)) return;
  throw invalidParameter(admin ? 'Auth flow not enabled for this client' : `${flow} flow not enabled for this client`);
}

/** InitiateAuth: USER_SRP_AUTH, USER_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH (alias REFRESH_TOKEN). */
export async function initiateAuth(input: Record<string, unknown>, ctx: EmulatorContext): Promise<SignInStep> {
  const flow = oneOfParameter(requireString(input, 'AuthFlow'), 'authFlow', AUTH_FLOWS);
  checkClientId(input, ctx);
  checkFlowEnabled(ctx, flow);
  const params = stringMap(input, 'AuthParameters', false);
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startUserSrp(ctx, params, input.AuthParameters);
    case 'USER_PASSWORD_AUTH':
      return passwordAuth(ctx, params, input.AuthParameters);
    case 'USER_AUTH':
      return startUserAuth(ctx, params, input.AuthParameters);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refreshTokenAuth(ctx, params);
    case 'ADMIN_NO_SRP_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw invalidParameter(`${flow} flow not enabled for this client`);
  }
}
