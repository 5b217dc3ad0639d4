import type { EmulatorContext } from './context.js';
import { CognitoWireError } from './errors.js';
import { checkPoolId, requireString } from './params.js';
import type { UserRecord } from './state.js';

export function userNotFound(): CognitoWireError {
  return new CognitoWireError('UserNotFoundException', 'User does not exist.');
}

/**
 * The user an Admin* request names by `UserPoolId` + `Username` (user name or alias). The SigV4 check is done by
 * the server before the handler runs.
 * @throws ResourceNotFoundException (other pool) / UserNotFoundException `User does not exist.`
 */
export function adminUser(input: Record<string, unknown>, ctx: EmulatorContext): UserRecord {
  checkPoolId(input, ctx);
  const user = ctx.state.findUser(requireString(input, 'Username'));
  if (user === undefined) throw userNotFound();
  return user;
}
