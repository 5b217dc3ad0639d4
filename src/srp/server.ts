import { timingSafeEqual } from 'node:crypto';
import { SrpError } from '../errors.js';
import { defineHidden } from '../secret.js';
import { g, k, N } from './constants.js';
import { claimMac, computeU, computeX, type ClaimMessage } from './client.js';
import { randomSecretExponent } from './ephemeral.js';
import { modPow } from './modpow.js';

/**
 * The password verifier v = g^x mod N the server stores (and ConfirmDevice receives for devices).
 */
export function computeVerifier(salt: bigint, poolName: string, userId: string, password: string): bigint {
  return modPow(g, computeX(salt, poolName, userId, password));
}

/** The server's ephemeral pair. `b` is secret: kept out of `util.inspect` and `JSON.stringify`. */
export interface ServerEphemeral {
  readonly b: bigint;
  readonly B: bigint;
}

/**
 * Creates the server ephemeral: a random `b` of EPHEMERAL_SECRET_BYTES (unless given) and B = (k·v + g^b) mod N.
 */
export function createServerEphemeral(v: bigint, b?: bigint): ServerEphemeral {
  if (typeof v !== 'bigint' || v <= 0n || v >= N) throw new SrpError('verifier', 'must be a bigint in [1, N).');
  const secret = b ?? randomSecretExponent();
  if (typeof secret !== 'bigint' || secret <= 0n) throw new SrpError('b', 'must be a positive bigint.');
  const B = (k * v + modPow(g, secret)) % N;
  if (B === 0n) throw new SrpError('SRP_B', 'B ≡ 0 (mod N); choose another b.');
  const ephemeral = { B } as { b: bigint; B: bigint };
  defineHidden(ephemeral, 'b', secret);
  return Object.freeze(ephemeral);
}

/**
 * The server premaster secret S = (A · v^u)^b mod N, with u = H(PAD(A) || PAD(B)).
 *
 * @throws SrpError('SRP_A') when A ≡ 0 (mod N).
 */
export function computeServerS(p: { A: bigint; B: bigint; b: bigint; v: bigint }): bigint {
  if (p.A % N === 0n) throw new SrpError('SRP_A', 'A ≡ 0 (mod N); the exchange must be aborted.');
  const u = computeU(p.A, p.B);
  const base = (((p.A % N) + N) % N) * modPow(p.v, u);
  return modPow(base, p.b);
}

/**
 * Checks a PASSWORD_CLAIM_SIGNATURE against the session key (constant-time). Returns false for any
 * malformed signature rather than throwing.
 */
export function verifyPasswordClaim(p: ClaimMessage & { signature: string; key: Buffer }): boolean {
  if (typeof p.signature !== 'string' || p.signature.length === 0) return false;
  let expected: Buffer;
  try {
    expected = claimMac(p.key, p);
  } catch {
    return false;
  }
  const given = Buffer.from(p.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
