import { awsErrorName, mapCognitoError } from '../auth/aws-errors.js';
import { CodeMismatchError, CognitoAuthError, ExpiredCodeError } from '../errors.js';

/**
 * Maps an SDK error from an account operation. The shared mapping words CodeMismatch and ExpiredCode for
 * sign-in MFA; here the code may be a sign-up, password-reset or attribute-verification code.
 */
export function mapAccountError(error: unknown, deviceKey?: string): CognitoAuthError {
  const name = awsErrorName(error);
  const mapped = mapCognitoError(error, 'device', deviceKey);
  if (name === 'CodeMismatchException') {
    return new CodeMismatchError(`Cognito rejected the code (wrong code): ${cognitoMessage(mapped)}`, {
      cause: error,
      awsType: name,
    });
  }
  if (name === 'ExpiredCodeException') {
    return new ExpiredCodeError(`The code has expired or was already used; request a new one: ${cognitoMessage(mapped)}`, {
      cause: error,
      awsType: name,
    });
  }
  return mapped;
}

/** Cognito's own words, as the shared mapping already made them safe to show (after the first `: `). */
function cognitoMessage(error: CognitoAuthError): string {
  const index = error.message.indexOf(': ');
  return index < 0 ? error.message : error.message.slice(index + 2);
}
