import { inspect } from 'node:util';
import { g } from './constants.js';
import { padBytes } from './encoding.js';
import { sha256 } from './hash.js';
import { modPow } from './modpow.js';

/**
 * Remembers g^x (the SRP verifier v) for the last private key x, so that a client signing in again with the same
 * password and salt (Cognito's salt is fixed per user and password) skips one of the three exponentiations of a
 * sign-in. Meant to live exactly as long as something that already holds the password in memory (a token provider
 * given a password string): what it holds, one SHA-256 digest of x and v = g^x mod N, is less than that password
 * (v is what Cognito itself stores; it allows a dictionary attack, as the password allows everything). It never
 * holds x or the password, and is redacted from `util.inspect` and `JSON.stringify`.
 *
 * @example const cache = new VerifierCache(); computePasswordClaim({ ...input, verifierCache: cache });
 */
export class VerifierCache {
  #xDigest: Buffer | undefined;
  #v: bigint | undefined;
  /** How many lookups found v ready (for tests and the benchmark). */
  hits = 0;

  /** v = g^x mod N, from the cache when x is the one seen last. */
  verifierFor(x: bigint): bigint {
    const digest = sha256(padBytes(x));
    if (this.#v !== undefined && this.#xDigest?.equals(digest) === true) {
      this.hits++;
      return this.#v;
    }
    const v = modPow(g, x);
    this.#xDigest = digest;
    this.#v = v;
    return v;
  }

  /** Forgets the verifier (e.g. when the password changes or the holder closes). */
  clear(): void {
    this.#xDigest = undefined;
    this.#v = undefined;
  }

  toJSON(): string {
    return '[VerifierCache]';
  }

  [inspect.custom](): string {
    return `VerifierCache { hits: ${this.hits} }`;
  }
}
