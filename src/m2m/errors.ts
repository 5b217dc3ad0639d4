import { awsErrorName, mapCognitoError } from '../auth/aws-errors.js';
import {
  AbortedError,
  CognitoAuthError,
  CognitoServiceError,
  InvalidClientError,
  InvalidScopeError,
  NetworkError,
  OAuthRequestError,
  ThrottledError,
  UnauthorizedClientError,
} from '../errors.js';

/** Cognito's messages carry no secret; anything else is cut short and stripped of JWT-looking runs. */
function safeText(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return '';
  return value.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]').replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}

/**
 * An OAuth 2.0 error answer of the token endpoint (RFC 6749 §5.2) as a typed error, keyed on `error` (Cognito
 * sends 400 for every one; other servers 401 for invalid_client).
 */
export function oauthError(status: number, error: string | undefined, description: unknown): CognitoAuthError {
  const detail = safeText(description);
  const suffix = detail === '' ? '' : ` (${detail})`;
  const options = { oauthError: error, statusCode: status };
  switch (error) {
    case 'invalid_client':
      return new InvalidClientError(
        `The token endpoint refused the app client: invalid_client — no such client id, or a wrong secret${suffix}.`,
        options,
      );
    case 'invalid_scope':
      return new InvalidScopeError(
        `The token endpoint refused the scopes: invalid_scope — a requested scope is not allowed to this app client ` +
          `or not defined by a resource server of the pool${suffix}.`,
        [],
        options,
      );
    case 'unauthorized_client':
      return new UnauthorizedClientError(
        `The app client may not use client_credentials: unauthorized_client — enable the client_credentials OAuth ` +
          `flow on it${suffix}.`,
        options,
      );
    case undefined:
      if (status === 429) return new ThrottledError(`The token endpoint throttled the request (HTTP 429).`);
      if (status >= 500) {
        return new CognitoServiceError(`The token endpoint failed (HTTP ${status})${suffix}.`, { statusCode: status });
      }
      return new CognitoServiceError(`The token endpoint answered HTTP ${status} without an OAuth error.`, {
        statusCode: status,
      });
    default:
      if (status === 429) return new ThrottledError(`The token endpoint throttled the request: ${safeText(error)}.`);
      if (status >= 500) {
        return new CognitoServiceError(`The token endpoint failed (HTTP ${status}): ${safeText(error)}${suffix}.`, {
          statusCode: status,
        });
      }
      return new OAuthRequestError(`The token endpoint refused the request: ${safeText(error)}${suffix}.`, options);
  }
}

/** A GetClientToken failure from the SDK as a typed error. */
export function clientTokenApiError(error: unknown): CognitoAuthError {
  if (error instanceof CognitoAuthError) return error;
  const name = awsErrorName(error);
  const message = safeText((error as { message?: unknown } | null)?.message) || 'no message';
  const options = { cause: error, awsType: name };
  switch (name) {
    case 'NotAuthorizedException':
      return new InvalidClientError(`Cognito refused the app client secret: ${message}`, options);
    case 'ResourceNotFoundException':
      return new InvalidClientError(`Cognito does not know this app client (check clientId): ${message}`, options);
    case 'OperationNotEnabledException':
      return new UnauthorizedClientError(`GetClientToken is not enabled for this pool or client: ${message}`, options);
    case 'InvalidParameterException':
      if (/scope/i.test(message)) return new InvalidScopeError(`Cognito refused the scopes: ${message}`, [], options);
      if (/flow|ALLOW_CLIENT_TOKEN_AUTH/i.test(message)) {
        return new UnauthorizedClientError(
          `The app client may not use GetClientToken (it needs ALLOW_CLIENT_TOKEN_AUTH): ${message}`,
          options,
        );
      }
      return mapCognitoError(error, 'signIn');
    default:
      return mapCognitoError(error, 'signIn');
  }
}

/** What an aborted request means: the deadline passed (NetworkError, retryable) or the caller gave up. */
export function abortError(signal: AbortSignal, cause?: unknown): CognitoAuthError {
  const reason: unknown = signal.reason;
  if (reason instanceof CognitoAuthError) return reason;
  // Checked by name: the DOMException may come from another realm (vm contexts, test runners).
  if ((reason as { name?: unknown } | null)?.name === 'TimeoutError') {
    return new NetworkError('The token request did not complete before its deadline.', { cause: cause ?? reason });
  }
  return new AbortedError('The token request was aborted.', { cause: cause ?? reason });
}

/** Whether a failed request should be repeated once with a secret read again (it may have been rotated). */
export function isWrongSecret(error: unknown): boolean {
  return error instanceof InvalidClientError && (error.oauthError === 'invalid_client' || error.awsType === 'NotAuthorizedException');
}
