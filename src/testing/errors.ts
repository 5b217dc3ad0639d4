/**
 * Errors the emulator answers with, in Cognito's AWS JSON 1.1 form: `{"__type": <type>, "message": <text>}`
 * plus the `x-amzn-ErrorType` header. Cognito is observed sending 400 for the modelled client errors.
 */
export class CognitoWireError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'CognitoWireError';
    this.type = type;
    this.status = status;
  }
}

export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';

export function notAuthorized(message = INCORRECT_CREDENTIALS): CognitoWireError {
  return new CognitoWireError('NotAuthorizedException', message);
}

export function invalidParameter(message: string): CognitoWireError {
  return new CognitoWireError('InvalidParameterException', message);
}

export function missingParameter(name: string): CognitoWireError {
  return invalidParameter(`Missing required parameter ${name}`);
}

export function resourceNotFound(message: string): CognitoWireError {
  return new CognitoWireError('ResourceNotFoundException', message);
}

export function userNotFound(): CognitoWireError {
  return new CognitoWireError('UserNotFoundException', 'User does not exist.');
}

export function deviceNotFound(): CognitoWireError {
  return resourceNotFound('Device does not exist.');
}

export function invalidSession(): CognitoWireError {
  return notAuthorized('Invalid session for the user, session is expired.');
}

export function codeMismatch(): CognitoWireError {
  return new CognitoWireError('CodeMismatchException', 'Invalid code received for user');
}

export function tooManyRequests(): CognitoWireError {
  return new CognitoWireError('TooManyRequestsException', 'Rate exceeded', 429);
}

export function internalError(): CognitoWireError {
  return new CognitoWireError('InternalErrorException', 'Internal server error.', 500);
}
