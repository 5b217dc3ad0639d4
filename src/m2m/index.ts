/** Machine-to-machine (client credentials) tokens: options, token requests by either transport, verification. */
export { resolveClientCredentialsOptions, type ResolvedClientCredentialsOptions } from './options.js';
export { ClientTokenFetcher, obtainClientCredentialsToken, type ClientCredentialsToken, type ObtainOptions } from './obtain.js';
export type { CognitoClientCredentialsOptions } from './types.js';
export { clientCredentialsIdentity } from './identity.js';
