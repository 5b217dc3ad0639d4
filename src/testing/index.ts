/**
 * `cognito-srp-auth/testing`: a local Amazon Cognito user pool for tests. It speaks Cognito's AWS JSON 1.1 wire
 * protocol on 127.0.0.1, verifies SRP for real, issues RS256 tokens with Cognito's claims and serves the JWKS.
 */
export { startCognitoEmulator } from './emulator.js';
export type {
  CognitoEmulator,
  CognitoEmulatorOptions,
  DeviceTrackingMode,
  EmulatorFault,
  EmulatorFaults,
  EmulatorM2mClient,
  EmulatorMfaType,
  EmulatorPasswordPolicy,
  EmulatorUser,
  EmulatorUserStatus,
  PoolMfaMode,
  UserExistenceErrors,
} from './types.js';
