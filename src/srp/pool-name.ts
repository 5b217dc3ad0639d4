import { CognitoConfigError } from '../errors.js';

/** `<region>_<id>`, e.g. `eu-west-1_AbC123`: exactly one underscore, both parts non-empty, at most 55 chars. */
const USER_POOL_ID = /^[A-Za-z0-9-]+_([0-9A-Za-z]+)$/;
const MAX_USER_POOL_ID_LENGTH = 55;

/**
 * The pool-name part of a user pool id, which Cognito mixes into the SRP password hash.
 *
 * @example poolNameOf('eu-west-1_AbC123') // 'AbC123'
 * @throws CognitoConfigError('userPoolId') when the id is not `<region>_<id>`.
 */
export function poolNameOf(userPoolId: string): string {
  if (typeof userPoolId !== 'string' || userPoolId.length > MAX_USER_POOL_ID_LENGTH) {
    throw new CognitoConfigError('userPoolId', 'must be a string like "eu-west-1_AbC123" of at most 55 characters.');
  }
  const match = USER_POOL_ID.exec(userPoolId);
  if (match === null) {
    throw new CognitoConfigError(
      'userPoolId',
      `"${userPoolId}" is not a user pool id; expected "<region>_<id>", e.g. "eu-west-1_AbC123".`,
    );
  }
  return match[1] as string;
}
