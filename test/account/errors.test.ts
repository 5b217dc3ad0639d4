/** The AWS error names account operations meet, mapped to typed errors (unit: plain objects shaped like SDK errors). */
import { mapAccountError } from '../../src/account/errors.js';
import {
  CodeMismatchError,
  DeviceNotFoundError,
  ExpiredCodeError,
  InvalidParameterError,
  InvalidPasswordError,
  LimitExceededError,
  ResourceNotFoundError,
  UserNotConfirmedError,
  UsernameExistsError,
} from '../../src/errors.js';

function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

test.each([
  ['UsernameExistsException', 'User already exists', UsernameExistsError, 'USERNAME_EXISTS'],
  ['AliasExistsException', 'An account with the given email already exists.', UsernameExistsError, 'USERNAME_EXISTS'],
  ['CodeMismatchException', 'Invalid verification code provided, please try again.', CodeMismatchError, 'CODE_MISMATCH'],
  ['ExpiredCodeException', 'Invalid code provided, please request a code again.', ExpiredCodeError, 'EXPIRED_CODE'],
  ['InvalidPasswordException', 'Password did not conform with policy', InvalidPasswordError, 'INVALID_PASSWORD'],
  ['UserNotConfirmedException', 'User is not confirmed.', UserNotConfirmedError, 'USER_NOT_CONFIRMED'],
  ['LimitExceededException', 'Attempt limit exceeded, please try after some time.', LimitExceededError, 'LIMIT_EXCEEDED'],
  ['TooManyFailedAttemptsException', 'Too many failed attempts.', LimitExceededError, 'LIMIT_EXCEEDED'],
  ['EnableSoftwareTokenMFAException', 'Code mismatch', CodeMismatchError, 'CODE_MISMATCH'],
  ['UnsupportedUserStateException', 'Unsupported user state.', InvalidParameterError, 'INVALID_PARAMETER'],
  ['ResourceNotFoundException', 'Device does not exist.', DeviceNotFoundError, 'DEVICE_NOT_FOUND'],
  ['ResourceNotFoundException', 'Group not found.', ResourceNotFoundError, 'RESOURCE_NOT_FOUND'],
])('%s (%s) → %p', (name, message, type, code) => {
  const error = mapAccountError(sdkError(name, message));
  expect(error).toBeInstanceOf(type);
  expect(error.code).toBe(code);
  expect(error.awsType).toBe(name);
  expect(error.message).toContain(message);
});

test('a confirmation-code mismatch is not worded as an MFA failure, and JWT-looking text is cut out', () => {
  const error = mapAccountError(sdkError('CodeMismatchException', 'bad code for eyJhbGciOi.eyJzdWIiOi.sig'));
  expect(error.message).not.toMatch(/MFA/);
  expect(error.message).not.toContain('eyJhbGciOi');
});
