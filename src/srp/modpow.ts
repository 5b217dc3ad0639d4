import { createDiffieHellman, createPrivateKey, createPublicKey, type DiffieHellman } from 'node:crypto';
import { SrpError } from '../errors.js';
import { N, N_HEX } from './constants.js';
import { bigintFromBytes, bytesFromBigint } from './encoding.js';

/**
 * Modular exponentiation mod N through OpenSSL, in constant time, by one of two engines:
 *
 * - OpenSSL 3.0 (Node 20, 22): one cached Diffie-Hellman context over the group; `setPrivateKey(exp)` +
 *   `computeSecret(base)` is base^exp. Building it is instant on 3.0.
 * - Later OpenSSL (Node 24 ships 3.5): building a context from a custom prime runs a full primality check
 *   (about 1.8 s, measured), which would block the event loop. Instead a DH private key is imported whose
 *   group generator is the *base* and whose private value is the exponent: OpenSSL derives its public value,
 *   base^exp mod N, on import, with no prime check (about 3 ms for a 1024-bit exponent).
 *
 * Bases 0, 1 and N - 1 (which OpenSSL refuses as keys or generators, and whose powers are trivial) and anything
 * else OpenSSL might refuse go through a BigInt square-and-multiply.
 *
 * @example modPow(2n, 10n) // 1024n
 */
export function modPow(base: bigint, exp: bigint): bigint {
  if (exp < 0n) throw new SrpError('exponent', 'must not be negative.');
  const b = ((base % N) + N) % N;
  if (b < 2n || b > N - 2n || exp === 0n) return modPowBigInt(b, exp);
  try {
    return engine()(b, exp);
  } catch {
    // Not expected for 2 <= base <= N - 2, but a future OpenSSL may refuse more keys: stay correct.
    return modPowBigInt(b, exp);
  }
}

export type ModPowEngine = (base: bigint, exp: bigint) => bigint;

let selected: ModPowEngine | undefined;

function engine(): ModPowEngine {
  selected ??= process.versions.openssl?.startsWith('3.0.') ? cachedContextEngine() : keyImportEngine;
  return selected;
}

/** OpenSSL 3.0: a single DH context, re-keyed for every call (JavaScript runs one call at a time). */
export function cachedContextEngine(): ModPowEngine {
  let dh: DiffieHellman | undefined;
  return (base, exp) => {
    dh ??= createDiffieHellman(Buffer.from(N_HEX, 'hex'), Buffer.from([2]));
    dh.setPrivateKey(bytesFromBigint(exp));
    return bigintFromBytes(dh.computeSecret(bytesFromBigint(base)));
  };
}

// DER pieces of a PKCS#8 DH private key (PKCS#3 dhKeyAgreement, parameters { prime, generator }).
const DH_KEY_AGREEMENT_OID = Buffer.from('06092a864886f70d010301', 'hex');
const VERSION_0 = Buffer.from('020100', 'hex');
const PRIME_INTEGER = derInteger(N);

/** Any OpenSSL: import a DH private key with generator = base and private value = exp; its public value is the power. */
export const keyImportEngine: ModPowEngine = (base, exp) => {
  const parameters = der(0x30, PRIME_INTEGER, derInteger(base));
  const algorithm = der(0x30, DH_KEY_AGREEMENT_OID, parameters);
  const pkcs8 = der(0x30, VERSION_0, algorithm, der(0x04, derInteger(exp)));
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return publicValueOf(spki);
};

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derInteger(v: bigint): Buffer {
  const magnitude = bytesFromBigint(v);
  return der(0x02, magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
}

/** Reads the header of the DER element at `offset`: where its content starts and how long it is. */
function derHeader(buf: Buffer, offset: number): { start: number; length: number } {
  const first = buf[offset + 1]!;
  if (first < 0x80) return { start: offset + 2, length: first };
  let length = 0;
  const count = first & 0x7f;
  for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
  return { start: offset + 2 + count, length };
}

/** SubjectPublicKeyInfo { AlgorithmIdentifier, BIT STRING { INTEGER y } } → y. */
function publicValueOf(spki: Buffer): bigint {
  const outer = derHeader(spki, 0);
  const algorithm = derHeader(spki, outer.start);
  const bitString = derHeader(spki, algorithm.start + algorithm.length);
  const integer = derHeader(spki, bitString.start + 1); // skip the unused-bits byte
  return bigintFromBytes(spki.subarray(integer.start, integer.start + integer.length));
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
