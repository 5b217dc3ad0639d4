import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * SDK middleware the library's own SDK client (the machine-to-machine provider's GetClientToken) does without. The
 * operation is unsigned, SDK retries are off (the provider retries with its own policy), and the
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

/**
 * One keep-alive connection pool for every connection the library opens to Cognito (its SDK clients and the token
 * provider's own transport, `CognitoJsonTransport`), so a provider created after another one
 * (a provider per user, or a process that signs in again) reuses an open connection to Cognito instead of opening a
 * new one (a TCP and TLS handshake: CPU and round trips). Idle sockets never keep the process alive (Node's agent
 * unreferences them) and go when the server closes them. The SDK destroys a client's agents when the client is
 * destroyed; these are shared by other clients, so that call leaves them as they are.
 */
class SharedAgent extends HttpAgent {
  override destroy(): void {}
}

class SharedTlsAgent extends HttpsAgent {
  override destroy(): void {}
}

let sharedAgents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | undefined;

/** The shared agents (created on first use). */
export function sharedConnectionPool(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  sharedAgents ??= { httpAgent: new SharedAgent({ keepAlive: true }), httpsAgent: new SharedTlsAgent({ keepAlive: true }) };
  return sharedAgents;
}
