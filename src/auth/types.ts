import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { JSONWebKeySet } from 'jose' with { 'resolution-mode': 'import' };
import type { DeviceCredentials, DeviceStore } from '../tokens/device-store.js';
import type { AuthFlow } from './auth-flow.js';
import type { ClientSecretOption } from './client-secret.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { TokenCache } from '../tokens/token-cache.js';

/** An MFA challenge handed to `mfa.code`. Contains no secret. */
export interface MfaChallenge {
  challengeName: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';
  /** The internal user name Cognito uses for this user. */
  username: string;
  /** `SMS` or `EMAIL` for code-delivery challenges. */
  deliveryMedium?: string;
  /** Where the code went, masked by Cognito (e.g. `+*******1234`). */
  destination?: string;
  /** Challenge parameters as Cognito sent them. */
  parameters: Readonly<Record<string, string>>;
}

/** What `newPassword` receives when Cognito answers NEW_PASSWORD_REQUIRED. */
export interface NewPasswordChallenge {
  username: string;
  /** Attributes Cognito requires along with the new password. */
  requiredAttributes: readonly string[];
  /** The user's current attributes as Cognito sent them. */
  userAttributes: Readonly<Record<string, string>>;
}

export interface MfaOptions {
  /** Base32 TOTP secret: SOFTWARE_TOKEN_MFA is answered locally (RFC 6238). */
  totpSecret?: string;
  /** Returns the code for SMS_MFA, EMAIL_OTP (and SOFTWARE_TOKEN_MFA when no `totpSecret`). */
  code?: (challenge: MfaChallenge) => Promise<string>;
}

/** Bounded retries for throttling, 5xx and network errors: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Attempts per Cognito call, including the first. Default 3. */
  maxAttempts?: number;
  /** First backoff ceiling in ms; doubles each attempt. Default 200. */
  baseDelayMs?: number;
  /** Backoff ceiling in ms. Default 5000. */
  maxDelayMs?: number;
}

export interface VerifyOptions {
  /** Expected `iss`. Default: derived from `endpoint` or `region` and `userPoolId`. */
  issuer?: string;
  /** Use these keys instead of fetching the JWKS. */
  jwks?: JSONWebKeySet;
  /** Where to fetch the JWKS. Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
}

/** A password, or a function (sync or async) returning one; the function is called at each password sign-in. */
export type PasswordSource = string | (() => string | Promise<string>);

export interface CognitoTokenProviderOptions {
  userPoolId: string;
  clientId: string;
  /**
   * The app client's secret, when it has one. A function is called at every sign-in, refresh and sign-out, so a
   * rotated secret is picked up without a restart.
   */
  clientSecret?: ClientSecretOption;
  /**
   * `USER_SRP_AUTH` (default) or `USER_AUTH` (choice-based sign-in: PREFERRED_CHALLENGE PASSWORD_SRP). Left to
   * the default, a client that refuses USER_SRP_AUTH is tried once with USER_AUTH (reported in the signIn event).
   */
  authFlow?: AuthFlow;
  username: string;
  /** The password, or a function returning it (or a promise of it), called at each password sign-in. */
  password: PasswordSource;
  region?: string;
  endpoint?: string;
  cognitoClient?: CognitoIdentityProviderClient;
  tokenType?: 'access' | 'id';
  refreshBeforeExpirySeconds?: number;
  mfa?: MfaOptions;
  newPassword?: (info: NewPasswordChallenge) => Promise<string>;
  device?: DeviceCredentials;
  deviceStore?: DeviceStore;
  /**
   * Loads the last session at the first `getToken()` (a refresh instead of a password sign-in) and saves the
   * newest refresh token after every sign-in and refresh. The store holds a refresh token: keep it private.
   */
  tokenStore?: TokenStore;
  rememberDevice?: boolean | { name?: string };
  verify?: false | VerifyOptions;
  clientMetadata?: Record<string, string>;
  retry?: RetryOptions;
  /**
   * Deadline of each Cognito call and JWKS fetch, ms (default 10000): a silent Cognito ends in a `NetworkError`
   * naming the call, never a hang. A sign-in or refresh as a whole is bounded by its calls, retries and back-off.
   */
  timeoutMs?: number;
  /**
   * Shares the token set and the single flight with every process using the same cache and identity
   * (`RedisTokenCache` from `cognito-srp-auth/redis`): one sign-in and one refresh per token lifetime for the fleet.
   */
  cache?: TokenCache;
}
