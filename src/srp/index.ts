/**
 * Cognito's SRP-6a variant (RFC 3526 3072-bit group, g = 2, SHA-256, HKDF "Caldera Derived Key"):
 * pure functions for the client (USER_SRP_AUTH, DEVICE_SRP_AUTH), device registration (ConfirmDevice)
 * and the server side used by the local emulator. Exponentiations run in OpenSSL (~2.5 ms for a 1024-bit
 * exponent); `EphemeralPool` computes A ahead of time, and the `*Async` variants run each heavy step on its own
 * event-loop turn so concurrent sign-ins never stack into one long block.
 */
export { N, g, k, N_BYTES, N_HEX } from './constants.js';
export { parseSignedHex, padHex, toHex } from './encoding.js';
export { modPow } from './modpow.js';
export {
  createEphemeral,
  createEphemeralAsync,
  EphemeralPool,
  DEFAULT_EPHEMERAL_POOL_SIZE,
  type SrpEphemeral,
} from './ephemeral.js';
export { poolNameOf } from './pool-name.js';
export {
  computeU,
  computeX,
  computeS,
  deriveKey,
  signClaim,
  computePasswordClaim,
  computePasswordClaimAsync,
  type ClaimMessage,
  type PasswordClaimInput,
  type PasswordClaim,
} from './client.js';
export { formatTimestamp } from './timestamp.js';
export { VerifierCache } from './verifier-cache.js';
export { runInTurn, pendingTurns } from './scheduler.js';
export { secretHash } from './secret-hash.js';
export { createDeviceSecrets, type DeviceSecrets } from './device.js';
export {
  computeVerifier,
  createServerEphemeral,
  computeServerS,
  verifyPasswordClaim,
  type ServerEphemeral,
} from './server.js';
