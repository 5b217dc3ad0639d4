/**
 * One USER_SRP_AUTH sign-in's client-side math, for the bench files: a fixed PASSWORD_VERIFIER challenge made with
 * our server-side functions (as the emulator makes it), our answer to it, and the server-side check that an answer
 * is right, so no benchmark can time a broken computation.
 */
import { srp } from '../../dist/esm/src/index.js';

export const POOL_NAME = 'AbC123xyz';
export const USER_ID = '3f1b6c2e-8a9d-4e5f-9a7b-0c1d2e3f4a5b';
export const PASSWORD = 'Correct-horse-battery-staple-1!';

/** A fixed PASSWORD_VERIFIER challenge (salt, B, a 1 KiB SECRET_BLOCK) and the server state to check answers. */
export function fixedChallenge() {
  const saltHex = '5d3c1b2a998877665544332211aabbcc';
  const v = srp.computeVerifier(srp.parseSignedHex(saltHex, 'SALT'), POOL_NAME, USER_ID, PASSWORD);
  const server = srp.createServerEphemeral(v, BigInt(`0x${'9b'.repeat(128)}`));
  return { saltHex, srpB: srp.toHex(server.B), secretBlock: Buffer.alloc(1024, 7).toString('base64'), v, server };
}

/** The client's math of one sign-in: A (from a fresh `a` unless `ephemeral` is given), then the answer. */
export function oursSignIn(challenge, ephemeral = srp.createEphemeral(), verifierCache = undefined) {
  const claim = srp.computePasswordClaim({
    ...(verifierCache === undefined ? {} : { verifierCache }),
    poolName: POOL_NAME,
    userId: USER_ID,
    password: PASSWORD,
    ephemeral,
    salt: challenge.saltHex,
    srpB: challenge.srpB,
    secretBlock: challenge.secretBlock,
  });
  return { srpA: ephemeral.srpA, ...claim };
}

/** Throws unless the server side accepts `answer`'s PASSWORD_CLAIM_SIGNATURE. */
export function assertAccepted(challenge, answer, label) {
  const A = srp.parseSignedHex(answer.srpA, 'SRP_A');
  const { B, b } = challenge.server;
  const key = srp.deriveKey(srp.computeU(A, B), srp.computeServerS({ A, B, b, v: challenge.v }));
  const ok = srp.verifyPasswordClaim({
    poolName: POOL_NAME,
    userId: USER_ID,
    secretBlock: answer.secretBlock,
    timestamp: answer.timestamp,
    signature: answer.signature,
    key,
  });
  if (!ok) throw new Error(`${label}: the server rejected the computed PASSWORD_CLAIM_SIGNATURE`);
}
