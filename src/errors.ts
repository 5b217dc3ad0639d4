/**
 * Every error this library throws is a `CognitoAuthError` with a stable string `code`, so callers can
 * `switch (err.code)` and TypeScript narrows. Messages name what to fix and never contain a password,
 * token, client secret, device password or TOTP secret.
 */

export type CognitoErrorCode =
  | 'CONFIG_INVALID'
  | 'SRP_INVALID_INPUT'
  | 'NOT_AUTHORIZED'
  | 'USER_NOT_FOUND'
  | 'USER_NOT_CONFIRMED'
  | 'PASSWORD_RESET_REQUIRED'
  | 'MFA_REQUIRED'
  | 'NEW_PASSWORD_REQUIRED'
  | 'UNSUPPORTED_CHALLENGE'
  | 'REFRESH_TOKEN_EXPIRED'
  | 'DEVICE_NOT_FOUND'
  | 'DEVICE_STORE_ERROR'
  | 'TOKEN_INVALID'
  | 'THROTTLED'
  | 'SERVICE_ERROR'
  | 'NETWORK_ERROR'
  | 'CODE_MISMATCH'
  | 'EXPIRED_CODE'
  | 'USERNAME_EXISTS'
  | 'INVALID_PASSWORD'
  | 'LIMIT_EXCEEDED'
  | 'INVALID_PARAMETER'
  | 'RESOURCE_NOT_FOUND'
  | 'ABORTED'
  | 'TOKEN_STORE_ERROR'
  | 'INVALID_CLIENT'
  | 'INVALID_SCOPE'
  | 'UNAUTHORIZED_CLIENT'
  | 'OAUTH_ERROR'
  | 'TOKEN_CACHE_ERROR'
  | 'AUTH_FLOW_NOT_ENABLED';

export interface CognitoAuthErrorOptions {
  cause?: unknown;
  /** The AWS error name (`__type`) when the error came from Cognito, e.g. `NotAuthorizedException`. */
  awsType?: string;
}

export class CognitoAuthError extends Error {
  readonly code: CognitoErrorCode;
  readonly awsType: string | undefined;

  constructor(code: CognitoErrorCode, message: string, options: CognitoAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.awsType = options.awsType;
  }
}

/** Bad options or arguments: thrown synchronously, naming the option to fix. */
export class CognitoConfigError extends CognitoAuthError {
  /** The option or argument at fault, e.g. `userPoolId` or `device.devicePassword`. */
  readonly option: string;
  constructor(option: string, message: string, options?: CognitoAuthErrorOptions) {
    super('CONFIG_INVALID', `Invalid option \`${option}\`: ${message}`, options);
    this.option = option;
  }
}

/** A value in an SRP exchange is unusable (non-hex SRP_B, B ≡ 0 mod N, u = 0, empty password...). */
export class SrpError extends CognitoAuthError {
  /** The SRP parameter at fault, e.g. `SRP_B`, `SALT`, `password`. */
  readonly parameter: string;
  constructor(parameter: string, message: string, options?: CognitoAuthErrorOptions) {
    super('SRP_INVALID_INPUT', `SRP parameter ${parameter}: ${message}`, options);
    this.parameter = parameter;
  }
}

/** Cognito refused the credentials (wrong password, disabled user, bad secret hash, lockout...). Never retried. */
export class NotAuthorizedError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('NOT_AUTHORIZED', message, options);
  }
}

export class UserNotFoundError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('USER_NOT_FOUND', message, options);
  }
}

export class UserNotConfirmedError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('USER_NOT_CONFIRMED', message, options);
  }
}

export class PasswordResetRequiredError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('PASSWORD_RESET_REQUIRED', message, options);
  }
}

/** The MFA challenges Cognito may send after the password step. */
export type MfaChallengeName = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP' | 'SELECT_MFA_TYPE' | 'MFA_SETUP';

/**
 * What a caller needs to answer a challenge itself. The `session` is Cognito's opaque challenge session
 * (valid for a few minutes); it is kept out of `util.inspect` and `JSON.stringify`.
 */
export interface ChallengeContinuation {
  challengeName: string;
  /** The internal user name Cognito expects in the challenge response (USERNAME / SECRET_HASH). */
  username: string;
  /** Challenge parameters as Cognito sent them (delivery medium, destination, MFAS_CAN_CHOOSE...). */
  parameters: Readonly<Record<string, string>>;
  /** Cognito's challenge session. Secret: pass it back, never log it. */
  readonly session: string;
  /** The remembered device in play, if any. */
  deviceKey?: string;
}

function hideSession(target: object, session: string): void {
  Object.defineProperty(target, 'session', { value: session, enumerable: false, writable: false });
}

function continuationOf(c: ChallengeContinuation): ChallengeContinuation {
  const copy = {
    challengeName: c.challengeName,
    username: c.username,
    parameters: { ...c.parameters },
    ...(c.deviceKey === undefined ? {} : { deviceKey: c.deviceKey }),
  } as ChallengeContinuation;
  hideSession(copy, c.session);
  return copy;
}

/** An MFA challenge arrived that the configured `mfa` option cannot answer. Carries the session to continue. */
export class MfaRequiredError extends CognitoAuthError {
  readonly challengeName: MfaChallengeName;
  readonly continuation: ChallengeContinuation;
  constructor(challengeName: MfaChallengeName, continuation: ChallengeContinuation, message?: string) {
    super(
      'MFA_REQUIRED',
      message ??
        `Cognito asks for ${challengeName}; configure \`mfa.totpSecret\` or \`mfa.code\`, or answer it with the carried continuation.`,
    );
    this.challengeName = challengeName;
    this.continuation = continuationOf(continuation);
  }
}

/** NEW_PASSWORD_REQUIRED arrived and no `newPassword` callback was configured. */
export class PasswordChangeRequiredError extends CognitoAuthError {
  readonly continuation: ChallengeContinuation;
  /** Attributes Cognito requires with the new password (`requiredAttributes`). */
  readonly requiredAttributes: readonly string[];
  constructor(continuation: ChallengeContinuation, requiredAttributes: readonly string[], message?: string) {
    super(
      'NEW_PASSWORD_REQUIRED',
      message ?? 'Cognito requires a new password for this user; configure the `newPassword` option to answer it.',
    );
    this.continuation = continuationOf(continuation);
    this.requiredAttributes = [...requiredAttributes];
  }
}

/** A challenge this library does not answer (CUSTOM_CHALLENGE, WEB_AUTHN...). */
export class UnsupportedChallengeError extends CognitoAuthError {
  readonly continuation: ChallengeContinuation;
  constructor(continuation: ChallengeContinuation, message?: string) {
    super(
      'UNSUPPORTED_CHALLENGE',
      message ?? `Cognito sent the challenge ${continuation.challengeName}, which this library cannot answer.`,
    );
    this.continuation = continuationOf(continuation);
  }
}

/** The refresh token is expired, revoked or was rotated out; a full sign-in is needed. */
export class RefreshTokenExpiredError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('REFRESH_TOKEN_EXPIRED', message, options);
  }
}

/** Cognito no longer knows the remembered device (`Device does not exist.`). */
export class DeviceNotFoundError extends CognitoAuthError {
  readonly deviceKey: string | undefined;
  constructor(message: string, deviceKey?: string, options?: CognitoAuthErrorOptions) {
    super('DEVICE_NOT_FOUND', message, options);
    this.deviceKey = deviceKey;
  }
}

/** A device store could not be read or written (corrupt file, permissions). */
export class DeviceStoreError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('DEVICE_STORE_ERROR', message, options);
  }
}

/** A JWT failed verification (signature, issuer, token_use, audience, expiry). */
export class TokenVerificationError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('TOKEN_INVALID', message, options);
  }
}

/** Cognito throttled the call (TooManyRequestsException) after the retries the policy allows. */
export class ThrottledError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('THROTTLED', message, options);
  }
}

/** Cognito answered with an error this library has no narrower class for (5xx, InternalErrorException...). */
export class CognitoServiceError extends CognitoAuthError {
  /** HTTP status of the response, when known. */
  readonly statusCode: number | undefined;
  constructor(message: string, options: CognitoAuthErrorOptions & { statusCode?: number } = {}) {
    super('SERVICE_ERROR', message, options);
    this.statusCode = options.statusCode;
  }
}

/** The request to Cognito did not complete (connection refused, reset, timeout). */
export class NetworkError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('NETWORK_ERROR', message, options);
  }
}

/**
 * The app client does not allow the sign-in flow this library used (`InvalidParameterException: <FLOW> flow not
 * enabled for this client`): set the `authFlow` option, or enable one of `flowsToEnable` on the app client.
 */
export class AuthFlowNotEnabledError extends CognitoAuthError {
  /** The flow Cognito refused: `USER_SRP_AUTH` or `USER_AUTH`. */
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_AUTH';
  /** ExplicitAuthFlows values that would let this sign-in through, e.g. `['ALLOW_USER_SRP_AUTH']`. */
  readonly flowsToEnable: readonly string[];
  constructor(
    authFlow: 'USER_SRP_AUTH' | 'USER_AUTH',
    flowsToEnable: readonly string[],
    message: string,
    options?: CognitoAuthErrorOptions,
  ) {
    super('AUTH_FLOW_NOT_ENABLED', message, options);
    this.authFlow = authFlow;
    this.flowsToEnable = flowsToEnable;
  }
}

export class CodeMismatchError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('CODE_MISMATCH', message, options);
  }
}

export class ExpiredCodeError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('EXPIRED_CODE', message, options);
  }
}

export class UsernameExistsError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('USERNAME_EXISTS', message, options);
  }
}

export class InvalidPasswordError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('INVALID_PASSWORD', message, options);
  }
}

export class LimitExceededError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('LIMIT_EXCEEDED', message, options);
  }
}

export class InvalidParameterError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('INVALID_PARAMETER', message, options);
  }
}

export class ResourceNotFoundError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('RESOURCE_NOT_FOUND', message, options);
  }
}

/** The caller's AbortSignal fired while it waited. */
export class AbortedError extends CognitoAuthError {
  constructor(message = 'The operation was aborted.', options?: CognitoAuthErrorOptions) {
    super('ABORTED', message, options);
  }
}

/** A token store could not be read or written (corrupt file, permissions); the provider signs in with the password. */
export class TokenStoreError extends CognitoAuthError {
  constructor(message: string, options?: CognitoAuthErrorOptions) {
    super('TOKEN_STORE_ERROR', message, options);
  }
}

/** Options of the client-credentials (machine-to-machine) errors. */
export interface ClientCredentialsErrorOptions extends CognitoAuthErrorOptions {
  /** The OAuth 2.0 `error` of a token-endpoint answer (`invalid_client`...), when it came from there. */
  oauthError?: string;
  /** HTTP status of the token-endpoint answer, when there was one. */
  statusCode?: number;
}

/** A machine-to-machine token request failed; `oauthError` or `awsType` says what the server answered. */
export class ClientCredentialsError extends CognitoAuthError {
  readonly oauthError: string | undefined;
  readonly statusCode: number | undefined;
  constructor(
    code: 'INVALID_CLIENT' | 'INVALID_SCOPE' | 'UNAUTHORIZED_CLIENT' | 'OAUTH_ERROR',
    message: string,
    options: ClientCredentialsErrorOptions = {},
  ) {
    super(code, message, options);
    this.oauthError = options.oauthError;
    this.statusCode = options.statusCode;
  }
}

/** The app client id or secret was refused (`invalid_client`, NotAuthorizedException, unknown client). */
export class InvalidClientError extends ClientCredentialsError {
  constructor(message: string, options?: ClientCredentialsErrorOptions) {
    super('INVALID_CLIENT', message, options);
  }
}

/**
 * A scope was refused (`invalid_scope`), or the token arrived without a requested scope. `scopes` lists the
 * scopes at fault when known.
 */
export class InvalidScopeError extends ClientCredentialsError {
  readonly scopes: readonly string[];
  constructor(message: string, scopes: readonly string[] = [], options?: ClientCredentialsErrorOptions) {
    super('INVALID_SCOPE', message, options);
    this.scopes = [...scopes];
  }
}

/**
 * The app client may not use this grant (`unauthorized_client`: no `client_credentials` in AllowedOAuthFlows) or
 * API (GetClientToken without `ALLOW_CLIENT_TOKEN_AUTH`, OperationNotEnabledException).
 */
export class UnauthorizedClientError extends ClientCredentialsError {
  constructor(message: string, options?: ClientCredentialsErrorOptions) {
    super('UNAUTHORIZED_CLIENT', message, options);
  }
}

/** Any other OAuth 2.0 error (`invalid_request`, `unsupported_grant_type`, `invalid_grant`...); see `oauthError`. */
export class OAuthRequestError extends ClientCredentialsError {
  constructor(message: string, options?: ClientCredentialsErrorOptions) {
    super('OAUTH_ERROR', message, options);
  }
}

/**
 * A shared token cache (`RedisTokenCache`) call failed, timed out or was aborted, or an entry could not be
 * decrypted. The provider reports it as a `failure` and carries on with its own single flight.
 */
export class TokenCacheError extends CognitoAuthError {
  /** What failed: the cache method (`get`, `set`, `tryLock`, `unlock`, `delete`, `waitForChange`) or `decrypt`. */
  readonly operation: string;
  /** `true` when the call ended because its signal aborted (deadline or close), not because Redis answered an error. */
  readonly aborted: boolean;
  constructor(operation: string, message: string, options: CognitoAuthErrorOptions & { aborted?: boolean } = {}) {
    super('TOKEN_CACHE_ERROR', message, options);
    this.operation = operation;
    this.aborted = options.aborted ?? false;
  }
}

export function isCognitoAuthError(value: unknown): value is CognitoAuthError {
  return value instanceof CognitoAuthError;
}
