import { SrpError } from '../errors.js';

/** Longest hex string accepted from the wire (a 3072-bit value is 768 digits; leave room for leading zeros). */
const MAX_HEX_DIGITS = 2048;
const SIGNED_HEX = /^-?[0-9a-fA-F]+$/;

/**
 * Parses hex the way Java's `new BigInteger(s, 16)` does: an optional leading `-` and the magnitude.
 * Cognito sends negative salts (`-16e4...`) for users that do not exist, so the sign must be honoured.
 *
 * @example parseSignedHex('-16e462a84f2df159eee0c14642974ee7', 'SALT') // a negative bigint
 * @throws SrpError naming `parameter` when the value is not a string of hex digits.
 */
export function parseSignedHex(hex: string, parameter: string): bigint {
  if (typeof hex !== 'string' || hex.length === 0) {
    throw new SrpError(parameter, 'must be a non-empty hexadecimal string.');
  }
  if (hex.length > MAX_HEX_DIGITS) {
    throw new SrpError(parameter, `is longer than ${MAX_HEX_DIGITS} hexadecimal digits.`);
  }
  if (!SIGNED_HEX.test(hex)) {
    throw new SrpError(parameter, "must contain only hexadecimal digits, optionally after a leading '-'.");
  }
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

/** Number of bits needed for a non-negative value (0 for 0). */
export function bitLength(v: bigint): number {
  if (v < 0n) throw new RangeError('bitLength expects a non-negative value');
  if (v === 0n) return 0;
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + Number.parseInt(hex[0] as string, 16).toString(2).length;
}

/**
 * PAD as Cognito (and Java's `BigInteger.toByteArray()`) encodes integers: the minimal big-endian two's
 * complement, as even-length lowercase hex. Non-negative values gain a `00` byte when the top bit is set.
 *
 * @example padHex(236n) // '00ec'
 * @example padHex(-236n) // 'ff14'
 * @example padHex(-128n) // '80'
 */
export function padHex(v: bigint): string {
  const bytes = (bitLength(v >= 0n ? v : -v - 1n) + 8) >> 3;
  const unsigned = v >= 0n ? v : (1n << BigInt(bytes * 8)) + v;
  return unsigned.toString(16).padStart(bytes * 2, '0');
}

/** The bytes of `padHex(v)`. */
export function padBytes(v: bigint): Buffer {
  return Buffer.from(padHex(v), 'hex');
}

/**
 * Plain lowercase hex without padding (how SRP_A is sent). Negative values get a leading `-`, so
 * `parseSignedHex(toHex(v))` round-trips.
 *
 * @example toHex(255n) // 'ff'
 */
export function toHex(v: bigint): string {
  return v < 0n ? `-${(-v).toString(16)}` : v.toString(16);
}

/** Big-endian unsigned bytes to bigint (empty buffer is 0). */
export function bigintFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

/** Non-negative bigint to minimal big-endian unsigned bytes (at least one byte). */
export function bytesFromBigint(v: bigint): Buffer {
  if (v < 0n) throw new RangeError('bytesFromBigint expects a non-negative value');
  const hex = v.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}
