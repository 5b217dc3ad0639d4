import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
// Types only, with resolution-mode: jose is ESM-only, and the CJS declarations must still resolve them.
import type { JSONWebKeySet, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { jsonObjectOf } from '../json-object.js';

/**
 * RS256 JWT signature checks with `node:crypto`, synchronously: each JWK is imported once as a `KeyObject`,
 * and a verification is one `crypto.verify` on the calling thread (no WebCrypto promise, no thread-pool hop),
 * which is what a verification costs in CPU.
 */

/** Smallest RSA modulus accepted, as jose and the JWA spec (RFC 7518 §3.3) require for RS256. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The signing keys of a JWKS usable for RS256, imported once. */
export interface Rs256KeySet {
  /** The key for `kid`, or undefined when the set has none (or several without a `kid` to tell them apart). */
  keyFor(kid: string | undefined): KeyObject | undefined;
  readonly size: number;
}

/** Public keys imported lately, by modulus and exponent: every provider of a process verifies with the same few. */
const imported = new Map<string, KeyObject | undefined>();
const IMPORTED_KEYS_KEPT = 32;

function importedKey(n: unknown, e: unknown): KeyObject | undefined {
  // Only strings are keys of the cache: String(['x']) is 'x', and a malformed JWK must not stand for a valid one.
  if (typeof n !== 'string' || typeof e !== 'string') return undefined;
  const id = `${n}.${e}`;
  if (imported.has(id)) return imported.get(id);
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: { kty: 'RSA', n, e } as never, format: 'jwk' });
  } catch {
    key = undefined;
  }
  if (imported.size >= IMPORTED_KEYS_KEPT) imported.delete(imported.keys().next().value!);
  imported.set(id, key);
  return key;
}

/** Imports the RSA signature keys of `jwks` (keys for other uses, algorithms or types are skipped, as jose does). */
export function importRs256Keys(jwks: JSONWebKeySet): Rs256KeySet {
  const byKid = new Map<string, KeyObject>();
  const all: KeyObject[] = [];
  for (const jwk of jwks.keys) {
    if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'RSA') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
    if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) continue;
    const key = importedKey(jwk.n, jwk.e);
    // A malformed or short key cannot verify anything; the others still can.
    if (key === undefined || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS) continue;
    all.push(key);
    if (typeof jwk.kid === 'string' && !byKid.has(jwk.kid)) byKid.set(jwk.kid, key);
  }
  return {
    size: all.length,
    keyFor: (kid) => (kid === undefined ? (all.length === 1 ? all[0] : undefined) : byKid.get(kid)),
  };
}

/** A JWT split into its parts, header and payload parsed; the signature is not checked yet. */
export interface ParsedJwt {
  header: { alg?: unknown; kid?: unknown; crit?: unknown; b64?: unknown };
  payload: JWTPayload;
  signingInput: string;
  signature: Buffer;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Splits and parses a compact JWS; returns a reason string instead of throwing, so callers word the error. */
export function parseJwt(token: unknown): ParsedJwt | string {
  if (typeof token !== 'string') return 'the token is not a string';
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  if (firstDot <= 0 || secondDot <= firstDot + 1 || token.indexOf('.', secondDot + 1) !== -1) {
    return 'the token is not a compact JWS (three dot-separated parts)';
  }
  const headerPart = token.slice(0, firstDot);
  const payloadPart = token.slice(firstDot + 1, secondDot);
  const signaturePart = token.slice(secondDot + 1);
  if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart) || !SEGMENT.test(signaturePart)) {
    return 'a part of the token is not base64url';
  }
  const header = jsonObjectOf(Buffer.from(headerPart, 'base64url').toString('utf8'));
  if (header === undefined) return 'the token header is not a JSON object';
  const payload = jsonObjectOf(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  if (payload === undefined) return 'the token payload is not a JSON object';
  return {
    header,
    payload: payload as JWTPayload,
    signingInput: token.slice(0, secondDot),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/** True when `signature` is the RS256 signature of `signingInput` under `key`. */
export function rs256SignatureValid(jwt: ParsedJwt, key: KeyObject): boolean {
  return verifySignature('RSA-SHA256', Buffer.from(jwt.signingInput, 'latin1'), key, jwt.signature);
}

/**
 * The registered-claim checks (as jose's jwtVerify makes them): `iss` equal, `aud` containing `audience` when
 * given, `exp` in the future and `nbf` in the past within `toleranceSeconds`, numeric dates numeric.
 * Returns the failed check's description (prefixed with jose's error code), or undefined when all pass.
 */
export function claimProblem(
  payload: JWTPayload,
  expected: { issuer: string; audience?: string; toleranceSeconds: number; nowSeconds: number },
): string | undefined {
  if (payload.iss !== expected.issuer) return 'ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "iss" claim value';
  if (expected.audience !== undefined) {
    const aud = payload.aud;
    const ok = typeof aud === 'string' ? aud === expected.audience : Array.isArray(aud) && aud.includes(expected.audience);
    if (!ok) return 'ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "aud" claim value';
  }
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return `ERR_JWT_CLAIM_VALIDATION_FAILED: "${claim}" claim must be a number`;
  }
  const { nowSeconds, toleranceSeconds } = expected;
  if (payload.nbf !== undefined && payload.nbf > nowSeconds + toleranceSeconds) return 'ERR_JWT_CLAIM_VALIDATION_FAILED: "nbf" claim timestamp check failed';
  if (payload.exp !== undefined && payload.exp <= nowSeconds - toleranceSeconds) return 'ERR_JWT_EXPIRED: "exp" claim timestamp check failed';
  return undefined;
}
