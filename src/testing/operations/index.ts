import type { OperationHandler } from '../context.js';
import { initiateAuth } from './initiate-auth.js';
import { confirmDevice, forgetDevice, getDevice, listDevices, updateDeviceStatus } from './devices.js';
import { associateSoftwareToken, setUserMfaPreference, verifySoftwareToken } from './mfa.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { getTokensFromRefreshToken, globalSignOut, revokeToken } from './tokens.js';
import { getUser } from './users.js';

/** Every operation the emulator implements, by its X-Amz-Target name. */
export function emulatorOperations(): ReadonlyMap<string, OperationHandler> {
  return new Map<string, OperationHandler>([
    ['InitiateAuth', initiateAuth],
    ['RespondToAuthChallenge', respondToAuthChallenge],
    ['GetTokensFromRefreshToken', getTokensFromRefreshToken],
    ['RevokeToken', revokeToken],
    ['GlobalSignOut', globalSignOut],
    ['ConfirmDevice', confirmDevice],
    ['UpdateDeviceStatus', updateDeviceStatus],
    ['ForgetDevice', forgetDevice],
    ['GetDevice', getDevice],
    ['ListDevices', listDevices],
    ['GetUser', getUser],
    ['AssociateSoftwareToken', associateSoftwareToken],
    ['VerifySoftwareToken', verifySoftwareToken],
    ['SetUserMFAPreference', setUserMfaPreference],
  ]);
}
