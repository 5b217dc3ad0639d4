import type { EmulatorContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { checkClientId, checkPoolId, oneOfParameter, requireString, stringMap } from '../params.js';
import type { SignInStep } from '../sign-in-flow.js';
import { checkFlowEnabled, passwordAuth, refreshTokenAuth, startUserSrp } from './initiate-auth.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';

const ADMIN_AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
] as const;

/**
 * AdminInitiateAuth: ADMIN_USER_PASSWORD_AUTH (alias ADMIN_NO_SRP_AUTH) checks the password on the server; then
 * the same challenges as InitiateAuth (NEW_PASSWORD_REQUIRED, MFA, devices). Also USER_SRP_AUTH and refresh.
 */
export async function adminInitiateAuth(input: Record<string, unknown>, ctx: EmulatorContext): Promise<SignInStep> {
  checkPoolId(input, ctx);
  const flow = oneOfParameter(requireString(input, 'AuthFlow'), 'authFlow', ADMIN_AUTH_FLOWS);
  checkClientId(input, ctx);
  checkFlowEnabled(ctx, flow, true);
  const params = stringMap(input, 'AuthParameters', false);
  switch (flow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      return passwordAuth(ctx, params, input.AuthParameters);
    case 'USER_SRP_AUTH':
      return startUserSrp(ctx, params, input.AuthParameters);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refreshTokenAuth(ctx, params);
    default:
      throw invalidParameter(`${flow} flow not enabled for this client`);
  }
}

/** AdminRespondToAuthChallenge: RespondToAuthChallenge for a session started by AdminInitiateAuth (or InitiateAuth). */
export async function adminRespondToAuthChallenge(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<SignInStep> {
  checkPoolId(input, ctx);
  return respondToAuthChallenge(input, ctx);
}
