import { createHash } from 'node:crypto';
import { bigintFromBytes } from './encoding.js';

/** SHA-256 over the concatenation of the given byte strings. */
export function sha256(...parts: readonly (Uint8Array | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SHA-256 read as a positive integer (how Cognito turns hashes into u and x). */
export function sha256Int(...parts: readonly (Uint8Array | string)[]): bigint {
  return bigintFromBytes(sha256(...parts));
}
