/** Local Cognito emulator: see `startCognitoEmulator`. */
export function startCognitoEmulator(): never {
  throw new Error('cognito-srp-auth/testing: not yet implemented');
}
