import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * SDK middleware the provider's own client does without. Every operation it calls (InitiateAuth,
 * RespondToAuthChallenge, GetTokensFromRefreshToken, ConfirmDevice, UpdateDeviceStatus, GlobalSignOut,
 * RevokeToken) is unsigned, SDK retries are off (the provider retries with its own policy), and the
 * service needs no SDK user-agent string, Lambda recursion-detection header or SDK log line. Each of these costs
 * CPU on every request (together about a third of an SDK call's client CPU, measured in bench/signin.bench.mjs).
 * The request path that remains: serialize, content-length, host header, send, deserialize.
 *
 * Only the client built by the library is stripped; a `cognitoClient` a user passes is used as given.
 */
export const UNUSED_MIDDLEWARE = [
  'getUserAgentMiddleware',
  'recursionDetectionMiddleware',
  'loggerMiddleware',
  // Signing is placed relative to retry, so it goes first.
  'httpSigningMiddleware',
  'retryMiddleware',
] as const;

/** Removes `UNUSED_MIDDLEWARE` from `client` (names a future SDK no longer has are skipped) and returns it. */
export function withoutUnusedMiddleware(client: CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  for (const name of UNUSED_MIDDLEWARE) client.middlewareStack.remove(name);
  return client;
}
