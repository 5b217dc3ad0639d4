import {
  CodeMismatchError,
  CognitoAuthError,
  CognitoServiceError,
  DeviceNotFoundError,
  ExpiredCodeError,
  InvalidParameterError,
  InvalidPasswordError,
  LimitExceededError,
  NetworkError,
  NotAuthorizedError,
  PasswordResetRequiredError,
  RefreshTokenExpiredError,
  ResourceNotFoundError,
  ThrottledError,
  UserNotConfirmedError,
  UserNotFoundError,
  UsernameExistsError,
} from '../errors.js';

/** What the failed call was doing; decides how an ambiguous Cognito error is read. */
export type CognitoCallKind = 'signIn' | 'refresh' | 'device' | 'signOut';

interface AwsLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  // TLS: the endpoint's certificate is not one this process trusts (a proxy, a wrong host, a missing CA).
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** An AWS error type as it travels (`ns.Service#NotAuthorizedException:http://…`) → `NotAuthorizedException`. */
export function bareErrorType(raw: string): string {
  return raw.replace(/^.*#/, '').replace(/:.*$/, '');
}

/** The AWS error name of `error`, with `namespace#` prefixes and `:suffix`es stripped. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as AwsLikeError | null)?.name;
  return typeof name === 'string' ? bareErrorType(name) : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as AwsLikeError | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Cognito's own messages carry no secrets; anything else is cut short and stripped of JWT-looking runs. */
function safeMessage(error: unknown): string {
  const raw = (error as AwsLikeError | null)?.message;
  if (typeof raw !== 'string' || raw.length === 0) return 'no message';
  return raw.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]').slice(0, 300);
}

function isNetworkFailure(error: unknown): boolean {
  const e = error as AwsLikeError & { cause?: AwsLikeError };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (statusOf(error) !== undefined) return false;
  const name = awsErrorName(error);
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError' || name === 'NetworkingError') {
    return true;
  }
  // The SDK wraps transport failures ("AWS SDK error wrapper for ...") with $metadata but no HTTP status:
  // no response arrived at all.
  return typeof e?.$metadata === 'object' && e.$metadata !== null && e.$fault === undefined;
}

/** GetTokensFromRefreshToken is new (2025): older emulators and partitions answer "unknown operation". */
export function isOperationUnavailable(error: unknown): boolean {
  const name = awsErrorName(error);
  if (
    name === 'UnknownOperationException' ||
    name === 'UnsupportedOperationException' ||
    name === 'InvalidAction' ||
    name === 'NotImplemented'
  ) {
    return true;
  }
  const status = statusOf(error);
  return (status === 404 || status === 501) && name !== 'ResourceNotFoundException';
}

const REFRESH_DEAD = /refresh token|invalid refresh|token has been revoked|token has expired/i;

/**
 * Maps an error thrown by the AWS SDK (matched by `name`, never by HTTP status, since Cognito often
 * answers 400 for everything) to this library's error classes.
 */
export function mapCognitoError(error: unknown, kind: CognitoCallKind, deviceKey?: string): CognitoAuthError {
  if (error instanceof CognitoAuthError) return error;
  const name = awsErrorName(error);
  const message = safeMessage(error);
  const options = { cause: error, awsType: name };
  if (isNetworkFailure(error)) return new NetworkError(`Could not reach Cognito: ${message}`, options);
  switch (name) {
    case 'NotAuthorizedException':
      if (kind === 'refresh' && REFRESH_DEAD.test(message)) {
        return new RefreshTokenExpiredError(`The refresh token no longer works: ${message}`, options);
      }
      return new NotAuthorizedError(`Cognito refused the request: ${message}`, options);
    case 'RefreshTokenReuseException':
      return new RefreshTokenExpiredError(`The refresh token was already rotated out: ${message}`, options);
    case 'ResourceNotFoundException':
      if (/device/i.test(message)) {
        return new DeviceNotFoundError(`Cognito does not know the remembered device: ${message}`, deviceKey, options);
      }
      return new ResourceNotFoundError(`Cognito resource not found (check userPoolId and clientId): ${message}`, options);
    case 'TooManyRequestsException':
    case 'ThrottlingException':
      return new ThrottledError(`Cognito throttled the request: ${message}`, options);
    case 'UserNotFoundException':
      return new UserNotFoundError(`Cognito does not know this user: ${message}`, options);
    case 'UserNotConfirmedException':
      return new UserNotConfirmedError(`The user has not confirmed sign-up: ${message}`, options);
    case 'PasswordResetRequiredException':
      return new PasswordResetRequiredError(`Cognito requires a password reset: ${message}`, options);
    case 'CodeMismatchException':
      return new CodeMismatchError(`Cognito rejected the MFA code: ${message}`, options);
    case 'ExpiredCodeException':
      return new ExpiredCodeError(`The MFA code has expired: ${message}`, options);
    case 'InvalidPasswordException':
    case 'PasswordHistoryPolicyViolationException':
      return new InvalidPasswordError(`Cognito rejected the new password: ${message}`, options);
    case 'LimitExceededException':
      return new LimitExceededError(`Cognito limit exceeded: ${message}`, options);
    case 'InvalidParameterException':
      return new InvalidParameterError(`Cognito rejected a parameter: ${message}`, options);
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new UsernameExistsError(`Another user already has this name, email or phone number: ${message}`, options);
    case 'TooManyFailedAttemptsException':
      return new LimitExceededError(`Too many failed attempts: ${message}`, options);
    case 'EnableSoftwareTokenMFAException':
      return new CodeMismatchError(`Cognito rejected the authenticator code: ${message}`, options);
    case 'UnsupportedUserStateException':
      return new InvalidParameterError(`The user's state does not allow this operation: ${message}`, options);
    case 'InternalErrorException':
    case 'InternalServerError':
    case 'ServiceUnavailable':
      return new CognitoServiceError(`Cognito failed internally: ${message}`, {
        ...options,
        statusCode: statusOf(error),
      });
    default: {
      const status = statusOf(error);
      const fault = (error as AwsLikeError | null)?.$fault;
      if (status === 429) return new ThrottledError(`Cognito throttled the request: ${message}`, options);
      const where = status === undefined ? '' : ` (HTTP ${status})`;
      return new CognitoServiceError(`Cognito answered ${name ?? 'an error'}${where}: ${message}`, {
        ...options,
        statusCode: status ?? (fault === 'server' ? 500 : undefined),
      });
    }
  }
}

/** Throttling, 5xx and network failures are worth another attempt; credentials and bad input are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ThrottledError || error instanceof NetworkError) return true;
  if (error instanceof CognitoServiceError) {
    return error.statusCode !== undefined && error.statusCode >= 500;
  }
  return false;
}
