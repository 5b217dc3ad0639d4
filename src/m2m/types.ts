import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

import type { RetryOptions, VerifyOptions } from '../auth/types.js';
import type { TokenCache } from '../tokens/token-cache.js';

/** Options of `CognitoClientCredentialsProvider` (the "Machine-to-machine" contract in the API docs). */
export interface CognitoClientCredentialsOptions {
  /** The pool that issues the tokens: issuer and JWKS; the region is taken from it unless `region` is given. */
  userPoolId: string;
  /** An app client with a secret (and `ALLOW_CLIENT_TOKEN_AUTH` or the `client_credentials` OAuth flow). */
  clientId: string;
  /** The app client's secret, or a function read at every token request (secret rotation without a restart). */
  clientSecret: string | (() => Promise<string> | string);
  /** Custom scopes to request, `resource-server-identifier/scope-name`; default: every scope of the app client. */
  scopes?: string[];
  /**
   * `https://<pool domain>/oauth2/token`: request tokens from the OAuth 2.0 token endpoint (client_credentials,
   * HTTP Basic client authentication). Without it: the GetClientToken API.
   */
  tokenEndpoint?: string;
  region?: string;
  /** Custom Cognito API endpoint (the emulator, a VPC endpoint). */
  endpoint?: string;
  /** Bring your own SDK client; GetClientToken is still sent unsigned. */
  cognitoClient?: CognitoIdentityProviderClient;
  /** Default: verify every token with the pool's JWKS. */
  verify?: false | VerifyOptions;
  /** Request a new token this long before `exp`; default 300 (capped at half the lifetime). */
  refreshBeforeExpirySeconds?: number;
  retry?: RetryOptions;
  /** Deadline of each token request in ms; default 10000. */
  timeoutMs?: number;
  /** Share the token across processes (see `cognito-srp-auth/redis`). */
  cache?: TokenCache;
}
