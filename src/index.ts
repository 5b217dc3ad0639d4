/**
 * cognito-srp-auth: Amazon Cognito User Pools SRP sign-in and a single-flight token provider for
 * Node services. HTTP client adapters live in the `./axios`, `./got`, `./undici` and `./fetch` subpaths.
 */
export * from './errors.js';
export { Secret } from './secret.js';
export {
  CognitoTokenProvider,
  type CognitoTokenProviderEvents,
  type SignInEvent,
  type RefreshEvent,
  type FailureEvent,
  type RetryEvent,
  type DeviceEvent,
  type DeviceForgottenEvent,
  type ProviderOperation,
} from './tokens/provider.js';
export {
  CognitoClientCredentialsProvider,
  type CognitoClientCredentialsProviderEvents,
  type ClientTokenEvent,
} from './m2m/provider.js';
export type { CognitoClientCredentialsOptions } from './m2m/types.js';
export type { ClientCredentialsToken } from './m2m/obtain.js';
export { TokenSet } from './tokens/token-set.js';
export {
  FileDeviceStore,
  MemoryDeviceStore,
  deviceStoreKey,
  type DeviceCredentials,
  type DeviceStore,
  type FileStoreOptions,
} from './tokens/device-store.js';
export {
  FileTokenStore,
  MemoryTokenStore,
  type StoredSession,
  type TokenStore,
} from './tokens/token-store.js';
export type { TokenSource } from './tokens/token-source.js';
export type {
  TokenCache,
  TokenCacheCallOptions,
  TokenCacheLock,
  TokenCacheLockOptions,
  TokenCacheSetOptions,
  TokenCacheWaitOptions,
} from './tokens/token-cache.js';
export type {
  CognitoTokenProviderOptions,
  MfaChallenge,
  MfaOptions,
  NewPasswordChallenge,
  RetryOptions,
  VerifyOptions,
} from './auth/types.js';
export { generateTotp } from './auth/totp.js';
export type { AuthFlow, AuthFlowFallback } from './auth/auth-flow.js';
export type { ClientSecretOption } from './auth/client-secret.js';
export type { TotpRetryEvent } from './auth/totp-answer.js';
export * as srp from './srp/index.js';
export * from './account/index.js';
