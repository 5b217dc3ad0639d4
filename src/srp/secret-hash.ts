import { createHmac } from 'node:crypto';
import { CognitoConfigError } from '../errors.js';

/**
 * SECRET_HASH = base64(HMAC-SHA256(key = clientSecret, message = username || clientId)).
 * Pass the name Cognito expects at that step: what the user typed for InitiateAuth, the internal
 * username (USER_ID_FOR_SRP / `cognito:username`) for challenge answers and refreshes.
 *
 * @example secretHash('alice', '1example23456789', clientSecret)
 * @throws CognitoConfigError naming the empty argument (the secret itself is never included).
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  if (typeof username !== 'string' || username.length === 0) {
    throw new CognitoConfigError('username', 'SECRET_HASH needs a non-empty username.');
  }
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw new CognitoConfigError('clientId', 'SECRET_HASH needs a non-empty app client id.');
  }
  if (typeof clientSecret !== 'string' || clientSecret.length === 0) {
    throw new CognitoConfigError('clientSecret', 'must be a non-empty string when given.');
  }
  return createHmac('sha256', clientSecret).update(username + clientId, 'utf8').digest('base64');
}
