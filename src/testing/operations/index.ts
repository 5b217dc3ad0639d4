import type { OperationHandler } from '../context.js';
import { adminInitiateAuth, adminRespondToAuthChallenge } from './admin-auth.js';
import { adminForgetDevice, adminGetDevice, adminListDevices, adminUpdateDeviceStatus } from './admin-devices.js';
import {
  adminCreateUser,
  adminDeleteUser,
  adminDeleteUserAttributes,
  adminDisableUser,
  adminEnableUser,
  adminGetUser,
  adminUpdateUserAttributes,
  adminUserGlobalSignOut,
} from './admin-users.js';
import {
  deleteUser,
  deleteUserAttributes,
  getUserAttributeVerificationCode,
  updateUserAttributes,
  verifyUserAttribute,
} from './attributes.js';
import { confirmDevice, forgetDevice, getDevice, listDevices, updateDeviceStatus } from './devices.js';
import {
  adminAddUserToGroup,
  adminListGroupsForUser,
  adminRemoveUserFromGroup,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listUsersInGroup,
  updateGroup,
} from './groups.js';
import {
  createIdentityProvider,
  deleteIdentityProvider,
  describeIdentityProvider,
  listIdentityProviders,
  updateIdentityProvider,
} from './identity-providers.js';
import { initiateAuth } from './initiate-auth.js';
import { listUsers } from './list-users.js';
import { associateSoftwareToken, setUserMfaPreference, verifySoftwareToken } from './mfa.js';
import { adminSetUserMfaPreference, getUserAuthFactors } from './mfa-preferences.js';
import {
  adminResetUserPassword,
  adminSetUserPassword,
  changePassword,
  confirmForgotPassword,
  forgotPassword,
} from './passwords.js';
import {
  describeUserPool,
  describeUserPoolClient,
  listUserPoolClients,
  updateUserPoolClient,
} from './pool-config.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { adminConfirmSignUp, confirmSignUp, resendConfirmationCode, signUp } from './sign-up.js';
import { getTokensFromRefreshToken, globalSignOut, revokeToken } from './tokens.js';
import { getUser } from './users.js';
import { m2mOperations } from './m2m.js';

/**
 * The operations Cognito models as `smithy.api#noAuth`: callable without SigV4 (self-service ones are authorised by
 * the AccessToken in the body). Every other operation requires a signed request.
 */
export const UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken',
  'ChangePassword',
  'CompleteWebAuthnRegistration',
  'ConfirmDevice',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'DeleteUser',
  'DeleteUserAttributes',
  'DeleteWebAuthnCredential',
  'ForgetDevice',
  'ForgotPassword',
  'GetDevice',
  'GetTokensFromRefreshToken',
  'GetClientToken',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GetUserAuthFactors',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ListWebAuthnCredentials',
  'ResendConfirmationCode',
  'RespondToAuthChallenge',
  'RevokeToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'StartWebAuthnRegistration',
  'UpdateAuthEventFeedback',
  'UpdateDeviceStatus',
  'UpdateUserAttributes',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

/** Every operation the emulator implements, by its X-Amz-Target name. */
export function emulatorOperations(): ReadonlyMap<string, OperationHandler> {
  return new Map<string, OperationHandler>([
    // Sign-in, tokens, devices, MFA.
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
    // Sign-up.
    ['SignUp', signUp],
    ['ConfirmSignUp', confirmSignUp],
    ['ResendConfirmationCode', resendConfirmationCode],
    ['AdminConfirmSignUp', adminConfirmSignUp],
    // Passwords.
    ['ForgotPassword', forgotPassword],
    ['ConfirmForgotPassword', confirmForgotPassword],
    ['ChangePassword', changePassword],
    ['AdminResetUserPassword', adminResetUserPassword],
    ['AdminSetUserPassword', adminSetUserPassword],
    // Profile.
    ['UpdateUserAttributes', updateUserAttributes],
    ['DeleteUserAttributes', deleteUserAttributes],
    ['GetUserAttributeVerificationCode', getUserAttributeVerificationCode],
    ['VerifyUserAttribute', verifyUserAttribute],
    ['DeleteUser', deleteUser],
    // Administration of users.
    ['AdminGetUser', adminGetUser],
    ['ListUsers', listUsers],
    ['AdminCreateUser', adminCreateUser],
    ['AdminUpdateUserAttributes', adminUpdateUserAttributes],
    ['AdminDeleteUserAttributes', adminDeleteUserAttributes],
    ['AdminDeleteUser', adminDeleteUser],
    ['AdminEnableUser', adminEnableUser],
    ['AdminDisableUser', adminDisableUser],
    ['AdminUserGlobalSignOut', adminUserGlobalSignOut],
    ['AdminInitiateAuth', adminInitiateAuth],
    ['AdminRespondToAuthChallenge', adminRespondToAuthChallenge],
    // Groups.
    ['CreateGroup', createGroup],
    ['GetGroup', getGroup],
    ['UpdateGroup', updateGroup],
    ['ListGroups', listGroups],
    ['DeleteGroup', deleteGroup],
    ['AdminAddUserToGroup', adminAddUserToGroup],
    ['AdminRemoveUserFromGroup', adminRemoveUserFromGroup],
    ['AdminListGroupsForUser', adminListGroupsForUser],
    ['ListUsersInGroup', listUsersInGroup],
    // MFA preferences.
    ['GetUserAuthFactors', getUserAuthFactors],
    ['AdminSetUserMFAPreference', adminSetUserMfaPreference],
    // Devices (admin).
    ['AdminGetDevice', adminGetDevice],
    ['AdminListDevices', adminListDevices],
    ['AdminForgetDevice', adminForgetDevice],
    ['AdminUpdateDeviceStatus', adminUpdateDeviceStatus],
    // Pool configuration.
    ['DescribeUserPool', describeUserPool],
    ['DescribeUserPoolClient', describeUserPoolClient],
    ['UpdateUserPoolClient', updateUserPoolClient],
    ['ListUserPoolClients', listUserPoolClients],
    ['CreateIdentityProvider', createIdentityProvider],
    ['DescribeIdentityProvider', describeIdentityProvider],
    ['ListIdentityProviders', listIdentityProviders],
    ['UpdateIdentityProvider', updateIdentityProvider],
    ['DeleteIdentityProvider', deleteIdentityProvider],
    ...m2mOperations(),
  ]);
}
