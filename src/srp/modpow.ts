import { createDiffieHellman } from 'node:crypto';
import { SrpError } from '../errors.js';
import { N, N_HEX } from './constants.js';
import { bigintFromBytes, bytesFromBigint } from './encoding.js';

const PRIME = Buffer.from(N_HEX, 'hex');
const GENERATOR = Buffer.from([2]);

/**
 * Modular exponentiation mod N through OpenSSL. A Diffie-Hellman context over Cognito's group (g = 2) does the
 * work in constant time: `generateKeys()` with a preset private key computes 2^exp, `computeSecret(base)` computes
 * base^exp. OpenSSL refuses bases 0, 1 and N - 1 as "public keys"; those (cheap: the powers cycle at once) and
 * anything else it might refuse go through a BigInt square-and-multiply.
 * (A DH context with another generator would run OpenSSL's slow DH_check on construction, so it is not used.)
 *
 * @example modPow(2n, 10n) // 1024n
 */
export function modPow(base: bigint, exp: bigint): bigint {
  if (exp < 0n) throw new SrpError('exponent', 'must not be negative.');
  const b = ((base % N) + N) % N;
  if (b < 2n || b > N - 2n) return modPowBigInt(b, exp);
  const dh = createDiffieHellman(PRIME, GENERATOR);
  dh.setPrivateKey(bytesFromBigint(exp));
  try {
    if (b === 2n) {
      dh.generateKeys();
      return bigintFromBytes(dh.getPublicKey());
    }
    return bigintFromBytes(dh.computeSecret(bytesFromBigint(b)));
  } catch {
    // Not expected for 2 <= base <= N - 2, but a future OpenSSL may refuse more "keys": stay correct.
    return modPowBigInt(b, exp);
  }
}

/** Square-and-multiply in BigInt: independent of OpenSSL, not constant-time, ~8x slower (~20 ms for a 1024-bit exponent). */
export function modPowBigInt(base: bigint, exp: bigint, modulus: bigint = N): bigint {
  if (exp < 0n) throw new SrpError('exponent', 'must not be negative.');
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exp;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}
