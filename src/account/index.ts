/** The `Cognito` account class (pycognito's `Cognito` in TypeScript) and what its methods take and return. */
export { Cognito, type ClientMetadataOption, type NewDeviceMetadata } from './cognito.js';
export type { AdminCredentials, CognitoOptions } from './options.js';
export {
  CognitoUser,
  fromCognitoAttributes,
  toCognitoAttributes,
  type AttrMap,
  type AttributeValue,
  type UserMetadata,
} from './users.js';
export type { CodeDelivery, SignUpResult } from './registration.js';
export type { AdminCreateUserOptions, UserQuery } from './profile.js';
export { groupFromData, type CognitoGroup } from './groups.js';
export { otpauthUri, type PreferredMfa, type SoftwareTokenSetup, type UserAuthFactors } from './mfa.js';
export type { CognitoDevice, ConfirmedDevice } from './devices.js';
export type { MfaCodeChallenge } from './authentication.js';
export type { UserPoolClientSettings } from './pool-admin.js';
export {
  DeviceTrust,
  MemoryTrustStore,
  jsonTrustStore,
  type DeviceTrustOptions,
  type TrustRecordStore,
  type TrustStatus,
} from './trusted-device.js';
