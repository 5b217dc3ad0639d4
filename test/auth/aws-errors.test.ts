import {
  CognitoServiceError,
  DeviceNotFoundError,
  NetworkError,
  NotAuthorizedError,
  RefreshTokenExpiredError,
  ResourceNotFoundError,
  ThrottledError,
  CodeMismatchError,
  UserNotFoundError,
} from '../../src/errors.js';
import { awsErrorName, isOperationUnavailable, isRetryable, mapCognitoError } from '../../src/auth/aws-errors.js';
import { backoffDelay, withRetry } from '../../src/auth/retry.js';

function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

describe('mapCognitoError (by name, not status)', () => {
  test.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 'signIn', NotAuthorizedError],
    ['NotAuthorizedException', 'Refresh Token has expired', 'refresh', RefreshTokenExpiredError],
    ['NotAuthorizedException', 'Refresh Token has been revoked', 'refresh', RefreshTokenExpiredError],
    ['NotAuthorizedException', 'Invalid Refresh Token.', 'refresh', RefreshTokenExpiredError],
    ['NotAuthorizedException', 'Invalid Refresh Token.', 'signIn', NotAuthorizedError],
    ['RefreshTokenReuseException', 'reused', 'refresh', RefreshTokenExpiredError],
    ['ResourceNotFoundException', 'Device does not exist.', 'signIn', DeviceNotFoundError],
    ['ResourceNotFoundException', 'User pool client x does not exist.', 'signIn', ResourceNotFoundError],
    ['TooManyRequestsException', 'Rate exceeded', 'refresh', ThrottledError],
    ['InternalErrorException', 'oops', 'signIn', CognitoServiceError],
    ['UserNotFoundException', 'User does not exist.', 'signIn', UserNotFoundError],
    ['CodeMismatchException', 'Invalid code', 'signIn', CodeMismatchError],
  ] as const)('%s "%s" during %s', (name, message, kind, expected) => {
    const mapped = mapCognitoError(awsError(name, message, name === 'InternalErrorException' ? 500 : 400), kind, 'dk');
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.awsType).toBe(name);
    expect(mapped.message).toContain(message);
  });

  test('a 400 NotAuthorized is not retryable; throttling, 5xx and network errors are', () => {
    expect(isRetryable(mapCognitoError(awsError('NotAuthorizedException', 'x', 400), 'signIn'))).toBe(false);
    expect(isRetryable(mapCognitoError(awsError('TooManyRequestsException', 'x', 400), 'signIn'))).toBe(true);
    expect(isRetryable(mapCognitoError(awsError('InternalErrorException', 'x', 500), 'signIn'))).toBe(true);
    expect(isRetryable(mapCognitoError(awsError('SomethingNew', 'x', 503), 'signIn'))).toBe(true);
    expect(isRetryable(mapCognitoError(awsError('SomethingNew', 'x', 400), 'signIn'))).toBe(false);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const mapped = mapCognitoError(refused, 'refresh');
    expect(mapped).toBeInstanceOf(NetworkError);
    expect(isRetryable(mapped)).toBe(true);
  });

  test('an unknown 429 is throttling; the device key is carried on DeviceNotFoundError', () => {
    expect(mapCognitoError(awsError('Whatever', 'slow down', 429), 'refresh')).toBeInstanceOf(ThrottledError);
    const gone = mapCognitoError(awsError('ResourceNotFoundException', 'Device does not exist.'), 'signIn', 'eu-west-1_d');
    expect((gone as DeviceNotFoundError).deviceKey).toBe('eu-west-1_d');
  });

  test('JWT-looking text in a foreign message is masked', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(mapCognitoError(awsError('Odd', `bad token ${jwt}`), 'refresh').message).not.toContain(jwt);
  });

  test('names are normalised and "operation unavailable" is recognised', () => {
    expect(awsErrorName({ name: 'com.amazonaws#NotAuthorizedException:http://x' })).toBe('NotAuthorizedException');
    expect(isOperationUnavailable(awsError('UnknownOperationException', 'x'))).toBe(true);
    expect(isOperationUnavailable(awsError('Whatever', 'x', 404))).toBe(true);
    expect(isOperationUnavailable(awsError('ResourceNotFoundException', 'x', 404))).toBe(false);
    expect(isOperationUnavailable(awsError('NotAuthorizedException', 'x', 400))).toBe(false);
  });
});

describe('retry with full jitter', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 350 };

  test('backoff ceilings double up to the maximum, and the delay is uniform below them', () => {
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(199);
    expect(backoffDelay(policy, 2, () => 0.999)).toBe(349);
    expect(backoffDelay(policy, 50, () => 0.999)).toBe(349);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  test('retries retryable errors up to maxAttempts, then throws the last one', async () => {
    let calls = 0;
    const retries: number[] = [];
    const error = await withRetry(
      { ...policy, baseDelayMs: 1, maxDelayMs: 1 },
      async () => {
        calls++;
        throw new ThrottledError('slow down');
      },
      { onRetry: (info) => retries.push(info.attempt) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(calls).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
  });

  test('does not retry NotAuthorized (lockout doubles) and returns the first success', async () => {
    let calls = 0;
    await expect(
      withRetry(policy, async () => {
        calls++;
        throw new NotAuthorizedError('Incorrect username or password.');
      }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(calls).toBe(1);
    let attempts = 0;
    const value = await withRetry({ ...policy, baseDelayMs: 1 }, async () => {
      attempts++;
      if (attempts < 3) throw new CognitoServiceError('5xx', { statusCode: 500 });
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(attempts).toBe(3);
  });
});
