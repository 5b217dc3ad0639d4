import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

let sharedAgents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | undefined;

/**
 * One keep-alive connection pool for every connection the library's own transport (`CognitoJsonTransport`) opens to
 * Cognito, so a provider created after another one (a provider per user, or a process that signs in again) reuses an
 * open connection instead of opening a new one (a TCP and TLS handshake: CPU and round trips). Idle sockets never
 * keep the process alive (Node's agent unreferences them) and go when the server closes them.
 */
export function sharedConnectionPool(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  sharedAgents ??= { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
  return sharedAgents;
}
