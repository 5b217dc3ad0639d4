import type { EmulatorContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { CLIENT_TOKEN_AUTH_FLOW, clientAuthError, flowNotEnabled } from '../m2m-state.js';
import { issueClientToken } from '../m2m-tokens.js';
import { requireString, stringList, stringMap } from '../params.js';

/**
 * GetClientToken: a machine-to-machine access token for an app client with a secret and
 * `ALLOW_CLIENT_TOKEN_AUTH`. Without `Scopes`, every scope of the client is granted. Unsigned, like InitiateAuth
 * (Cognito does not evaluate IAM for it); a signed request is accepted too.
 * @throws ResourceNotFoundException (unknown client), NotAuthorizedException (wrong secret),
 *   InvalidParameterException (flow not enabled, scope not allowed).
 */
export async function getClientToken(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  const clientId = requireString(input, 'ClientId');
  const secret = requireString(input, 'Secret');
  const requested = input.Scopes === undefined || input.Scopes === null ? undefined : stringList(input, 'Scopes', false);
  stringMap(input, 'ClientMetadata', false);
  const client = ctx.m2m.authenticate(clientId, secret);
  if (typeof client === 'string') {
    // The pool's SRP app client exists but is not an M2M client: the flow is not enabled on it.
    if (client === 'unknown-client' && clientId === ctx.clientId) throw flowNotEnabled();
    throw clientAuthError(client, clientId);
  }
  if (!client.explicitAuthFlows.includes(CLIENT_TOKEN_AUTH_FLOW)) throw flowNotEnabled();
  const granted = ctx.m2m.grantScopes(client, requested);
  if (!Array.isArray(granted)) {
    throw invalidParameter(
      granted.refused === '' ? 'The client has no scopes to grant.' : `Invalid scope requested: ${granted.refused}`,
    );
  }
  const token = await issueClientToken(ctx, client, granted);
  return {
    ClientAuthenticationResult: { AccessToken: token.accessToken, ExpiresIn: token.expiresIn, TokenType: 'Bearer' },
  };
}
