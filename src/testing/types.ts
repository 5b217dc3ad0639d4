/** Public option, user and handle shapes of the local Cognito emulator (`cognito-srp-auth/testing`). */

export type DeviceTrackingMode = 'off' | 'always' | 'opt-in';
export type PoolMfaMode = 'off' | 'optional' | 'on';
/** PreventUserExistenceErrors of the app client (Cognito's API default is LEGACY). */
export type UserExistenceErrors = 'ENABLED' | 'LEGACY';
export type EmulatorMfaType = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';
/** Cognito's `UserStatus` values the emulator produces. */
export type EmulatorUserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

/** Password rules checked by SignUp, ConfirmForgotPassword, ChangePassword, AdminSetUserPassword... (not `addUser`). */
export interface EmulatorPasswordPolicy {
  /** Default 8 (6–99). */
  minimumLength?: number;
  /** Default true for each. */
  requireUppercase?: boolean;
  requireLowercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
}

export interface CognitoEmulatorOptions {
  /** TCP port on 127.0.0.1; default 0 (an ephemeral port). */
  port?: number;
  /** The part after `_` in the pool id; default a random 9-character id. */
  poolName?: string;
  /** Region prefix of the pool id; default `us-east-1`. */
  region?: string;
  /** App client id; default a random 26-character id. */
  clientId?: string;
  /** `true` generates an app-client secret; a string uses that secret; default none. */
  clientSecret?: boolean | string;
  /** Access token lifetime in seconds; default 3600. Small values (e.g. 2) are allowed for tests. */
  accessTokenValiditySeconds?: number;
  /** ID token lifetime in seconds; default the access token lifetime. */
  idTokenValiditySeconds?: number;
  /** Refresh token lifetime in seconds; default 30 days. */
  refreshTokenValiditySeconds?: number;
  /** Device remembering: `always`, user `opt-in`, or `off` (default). */
  deviceTracking?: DeviceTrackingMode;
  /** Pool MFA: `optional` (default) challenges users that have an MFA method; `on` requires one; `off` never asks. */
  mfa?: PoolMfaMode;
  /** Refresh-token rotation; `{ gracePeriodSeconds }` lets a rotated token be reused for that long (default 0). */
  refreshTokenRotation?: boolean | { gracePeriodSeconds?: number };
  /** Lifetime of a challenge `Session` in seconds; default 180. */
  sessionValiditySeconds?: number;
  /** `['email']`: users sign in with their email and get a UUID as internal user name. */
  usernameAttributes?: 'email'[];
  /** Milliseconds since the epoch; default `Date.now`. Lets tests expire sessions and tokens without waiting. */
  clock?: () => number;
  /** Password policy of the pool; default Cognito's (8 characters, upper, lower, digit, symbol). */
  passwordPolicy?: EmulatorPasswordPolicy;
  /**
   * Lifetime in seconds of every confirmation code (sign-up, password reset, attribute verification); default as
   * Cognito: 24 hours, 1 hour for password-reset codes.
   */
  codeValiditySeconds?: number;
  /**
   * ExplicitAuthFlows of the app client, e.g. `['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']`; a flow left out
   * is refused as Cognito does (`InvalidParameterException: USER_SRP_AUTH flow not enabled for this client`).
   * Default: SRP, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, custom and refresh (not USER_AUTH).
   */
  explicitAuthFlows?: string[];
  /**
   * `LEGACY` (default, as Cognito's CreateUserPoolClient API): an unknown user gets `UserNotFoundException` at
   * InitiateAuth. `ENABLED`: a fake challenge, then `NotAuthorizedException`, as for a wrong password.
   */
  preventUserExistenceErrors?: UserExistenceErrors;
  /**
   * Failed sign-in lockout as AWS documents it: from the fifth consecutive failure, `NotAuthorizedException:
   * Password attempts exceeded` for 1 s, doubling with each further failure up to 15 minutes. Default true.
   */
  lockout?: boolean;
  /**
   * USER_AUTH's PREFERRED_CHALLENGE: `honour` (default) answers PASSWORD_SRP at once; `ignore` answers every
   * USER_AUTH InitiateAuth with SELECT_CHALLENGE, as Cognito does when it does not take the preference.
   */
  preferredChallenge?: 'honour' | 'ignore';
  /** `true` lets a TOTP code be used again by the same user (Cognito accepts each code once). Default false. */
  allowTotpReuse?: boolean;
}

export interface EmulatorUser {
  /** Sign-in name. With `usernameAttributes: ['email']` this is the email and the internal name is a UUID. */
  username: string;
  password: string;
  email?: string;
  /** Allow signing in with `email` as an alias (the internal name stays `username`). */
  alias?: boolean;
  /** Base32 TOTP secret: enables SOFTWARE_TOKEN_MFA for the user. */
  totpSecret?: string;
  /** MFA methods the user has; default derived from `totpSecret`. */
  mfa?: EmulatorMfaType[];
  preferredMfa?: EmulatorMfaType;
  phoneNumber?: string;
  /** The user must answer NEW_PASSWORD_REQUIRED at the next sign-in. */
  forceChangePassword?: boolean;
  groups?: string[];
  /** Extra attributes, e.g. `{ 'custom:tenant': 'a' }`; they appear in the ID token. */
  attributes?: Record<string, string>;
  /** `false` makes every sign-in fail with `User is disabled.`; default true. */
  enabled?: boolean;
  /** `false` adds the user UNCONFIRMED, as after SignUp (sign-in → UserNotConfirmedException); default true. */
  confirmed?: boolean;
  /** Default true. */
  emailVerified?: boolean;
  /** Default true. */
  phoneNumberVerified?: boolean;
}

/** A machine-to-machine app client for `emu.addM2mClient`. */
export interface EmulatorM2mClient {
  /** Custom scopes the client may be granted, `resource-server-identifier/scope-name`. */
  scopes?: string[];
  /** The client secret; default a generated one. */
  secret?: string;
  /** Default a random 26-character id. */
  clientId?: string;
  name?: string;
  /** Default `['ALLOW_CLIENT_TOKEN_AUTH']` (GetClientToken); `[]` makes GetClientToken refuse the client. */
  explicitAuthFlows?: string[];
  /** Default `['client_credentials']` (the token endpoint); `[]` makes `/oauth2/token` answer unauthorized_client. */
  allowedOAuthFlows?: string[];
  /** Default the emulator's `accessTokenValiditySeconds`. */
  accessTokenValiditySeconds?: number;
  /** Create the resource servers and scopes named in `scopes` when missing; default true. */
  createResourceServers?: boolean;
}

export interface EmulatorFault {
  /** How many of the next calls the fault applies to; default 1. */
  times?: number;
  /** Delay before answering (or before the injected error). */
  latencyMs?: number;
  error?: 'TooManyRequestsException' | 'InternalErrorException' | { type: string; status: number; message?: string };
  /** Destroy the socket without answering. */
  drop?: boolean;
}

export interface EmulatorFaults {
  /** Apply `fault` to the next `times` calls of `operation` (`'*'` = any operation). */
  inject(operation: string, fault: EmulatorFault): void;
  clear(): void;
}

export interface CognitoEmulator {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` to the SDK, amazon-cognito-identity-js or the provider. */
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** `<endpoint>/<userPoolId>`: the `iss` of every token. */
  readonly issuer: string;
  /** `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** `<endpoint>/oauth2/token`: the OAuth 2.0 token endpoint (`grant_type=client_credentials`). */
  readonly tokenEndpoint: string;
  /**
   * Adds an app client with a secret for machine-to-machine tokens (GetClientToken and `/oauth2/token`).
   * Requests to the token endpoint are counted as `calls.TokenEndpoint`.
   */
  addM2mClient(client?: EmulatorM2mClient): { clientId: string; clientSecret: string };
  /** Adds a user; returns its internal user name and `sub`. */
  addUser(user: EmulatorUser): { username: string; sub: string };
  /** Live count of requests per operation, e.g. `calls.InitiateAuth` (0 if never called). */
  readonly calls: Record<string, number>;
  resetCalls(): void;
  readonly faults: EmulatorFaults;
  /**
   * The last code "sent" to the user by SMS (channel `SMS`) or email (`EMAIL`), any channel when omitted: SMS_MFA /
   * EMAIL_OTP codes, sign-up and password-reset codes, attribute-verification codes, and the generated temporary
   * password of an AdminCreateUser invitation.
   */
  lastCode(username: string, channel?: 'SMS' | 'EMAIL'): string | undefined;
  /** The user's `UserStatus` (as AdminGetUser shows it), or undefined when there is no such user. */
  getUserStatus(username: string): EmulatorUserStatus | undefined;
  /** True when the access, ID or refresh token was revoked by GlobalSignOut, RevokeToken or `revokeUserTokens`. */
  isTokenRevoked(token: string): boolean;
  /** Server-side sign-out of every session of the user (like AdminUserGlobalSignOut). */
  revokeUserTokens(username: string): void;
  /**
   * Replaces the app client's secret (like AddUserPoolClientSecret then DeleteUserPoolClientSecret for the old
   * one); a random one when omitted. Returns the new secret. Only for an emulator started with `clientSecret`.
   */
  rotateClientSecret(secret?: string): string;
  /** Server-side forget (like AdminForgetDevice). */
  forgetDevice(username: string, deviceKey: string): void;
  close(): Promise<void>;
}
