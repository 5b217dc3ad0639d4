import type { EmulatorContext } from '../context.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import { checkClientId, checkSecretHash, oneOfParameter, requireMember, requireString, stringMap } from '../params.js';
import { checkRefreshDevice, liveRefreshToken } from '../refresh.js';
import { adoptDevice, checkEnabled, checkNoResetRequired, presentedDeviceKey } from '../sign-in-checks.js';
import { authenticationResult, continueSignIn, type SignInStep } from '../sign-in-flow.js';
import { challengeParameters, fakeExchange, parseSrpA, startExchange, userVerifier } from '../srp-exchange.js';

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

export function startUserSrp(ctx: EmulatorContext, params: Record<string, string>, raw: unknown): SignInStep {
  const typed = requireMember(params, 'USERNAME');
  const A = parseSrpA(requireMember(params, 'SRP_A'));
  checkSecretHash(ctx, params.SECRET_HASH, typed);
  const user = ctx.state.findUser(typed);
  const deviceKey = presentedDeviceKey(raw, undefined);
  if (user === undefined) {
    const { exchange, salt } = fakeExchange(ctx, typed, A);
    const session = ctx.sessions.create({
      challenge: 'PASSWORD_VERIFIER',
      username: typed,
      user: undefined,
      srp: exchange,
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: session.id,
      ChallengeParameters: { ...challengeParameters(exchange, salt), USER_ID_FOR_SRP: typed, USERNAME: typed },
    };
  }
  checkNoResetRequired(user);
  const { salt, verifier } = userVerifier(ctx, user);
  const exchange = startExchange(A, verifier);
  const session = ctx.sessions.create({
    challenge: 'PASSWORD_VERIFIER',
    username: user.username,
    user,
    srp: exchange,
    ...(deviceKey === undefined ? {} : { deviceKey }),
  });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: session.id,
    ChallengeParameters: {
      ...challengeParameters(exchange, salt),
      USER_ID_FOR_SRP: user.username,
      USERNAME: user.username,
    },
  };
}

export async function passwordAuth(
  ctx: EmulatorContext,
  params: Record<string, string>,
  raw: unknown,
): Promise<SignInStep> {
  const typed = requireMember(params, 'USERNAME');
  const password = requireMember(params, 'PASSWORD');
  checkSecretHash(ctx, params.SECRET_HASH, typed);
  const user = ctx.state.findUser(typed);
  if (user !== undefined) checkNoResetRequired(user);
  if (user === undefined || user.password.reveal() !== password) throw notAuthorized();
  checkEnabled(user);
  const session = ctx.sessions.create({ challenge: 'PASSWORD_VERIFIER', username: user.username, user });
  try {
    adoptDevice(ctx, session, presentedDeviceKey(raw, undefined));
  } catch (error) {
    ctx.sessions.retire(session);
    throw error;
  }
  return continueSignIn(ctx, session);
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

/** @throws InvalidParameterException when UpdateUserPoolClient's ExplicitAuthFlows leave `flow` out. */
export function checkFlowEnabled(ctx: EmulatorContext, flow: string): void {
  if (!ctx.state.client.allowsFlow(flow)) throw invalidParameter(`${flow} flow not enabled for this client`);
}

/** InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH (alias REFRESH_TOKEN). */
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
