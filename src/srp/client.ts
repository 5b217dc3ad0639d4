import { createHmac, hkdfSync } from 'node:crypto';
import { SrpError } from '../errors.js';
import { DERIVED_KEY_BYTES, g, HKDF_INFO, k, N } from './constants.js';
import { padBytes, parseSignedHex } from './encoding.js';
import type { SrpEphemeral } from './ephemeral.js';
import { sha256, sha256Int } from './hash.js';
import { modPow } from './modpow.js';
import { runInTurn } from './scheduler.js';
import { formatTimestamp } from './timestamp.js';
import type { VerifierCache } from './verifier-cache.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function requireText(value: unknown, parameter: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SrpError(parameter, 'must be a non-empty string.');
  }
}

function requireNonZeroModN(value: bigint, parameter: string, name: string): void {
  if (value % N === 0n) {
    throw new SrpError(parameter, `${name} ≡ 0 (mod N); the exchange must be aborted.`);
  }
}

/**
 * The scrambling parameter u = H(PAD(A) || PAD(B)).
 *
 * @throws SrpError('SRP_B') when B ≡ 0 (mod N), SrpError('u') when u = 0.
 */
export function computeU(A: bigint, B: bigint): bigint {
  requireNonZeroModN(B, 'SRP_B', 'B');
  const u = sha256Int(padBytes(A), padBytes(B));
  requireNonZeroU(u);
  return u;
}

function requireNonZeroU(u: bigint): void {
  if (u === 0n) throw new SrpError('u', 'u = H(PAD(A) || PAD(B)) is 0; the exchange must be aborted.');
}

/**
 * The private key x = H(PAD(salt) || H(utf8(poolName || userId || ":" || password))).
 * For the device step, `poolName` is the DeviceGroupKey, `userId` the DeviceKey and `password` the device password.
 *
 * @throws SrpError('password') when the password is empty.
 */
export function computeX(salt: bigint, poolName: string, userId: string, password: string): bigint {
  requireText(password, 'password');
  requireText(poolName, 'poolName');
  requireText(userId, 'userId');
  const inner = sha256(`${poolName}${userId}:${password}`);
  return sha256Int(padBytes(salt), inner);
}

/**
 * The client premaster secret S = (B − k·g^x)^(a + u·x) mod N. Two OpenSSL exponentiations, one when `v` = g^x
 * is given (see `VerifierCache`).
 *
 * @throws SrpError('SRP_B') when B ≡ 0 (mod N), SrpError('u') when u = 0.
 */
export function computeS(params: { a: bigint; B: bigint; u: bigint; x: bigint; v?: bigint }): bigint {
  const { a, B, u, x } = params;
  requireNonZeroModN(B, 'SRP_B', 'B');
  requireNonZeroU(u);
  const v = params.v ?? modPow(g, x);
  const base = (((B - k * v) % N) + N) % N;
  return modPow(base, a + u * x);
}

/** The 16-byte session key: HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = "Caldera Derived Key"). */
export function deriveKey(u: bigint, S: bigint): Buffer {
  return Buffer.from(hkdfSync('sha256', padBytes(S), padBytes(u), HKDF_INFO, DERIVED_KEY_BYTES));
}

/** Inputs of PASSWORD_CLAIM_SIGNATURE. */
export interface ClaimMessage {
  /** Pool name part (user step) or DeviceGroupKey (device step). */
  poolName: string;
  /** USER_ID_FOR_SRP (user step) or DeviceKey (device step). */
  userId: string;
  /** SECRET_BLOCK from the challenge, base64. */
  secretBlock: string;
  /** The TIMESTAMP string sent with the answer. */
  timestamp: string;
}

/** The raw HMAC behind PASSWORD_CLAIM_SIGNATURE (shared by signing and verification). */
export function claimMac(key: Buffer, message: ClaimMessage): Buffer {
  requireText(message.poolName, 'poolName');
  requireText(message.userId, 'userId');
  requireText(message.timestamp, 'TIMESTAMP');
  requireText(message.secretBlock, 'SECRET_BLOCK');
  if (!BASE64.test(message.secretBlock)) throw new SrpError('SECRET_BLOCK', 'must be base64.');
  if (!Buffer.isBuffer(key) || key.length === 0) throw new SrpError('key', 'must be a non-empty Buffer.');
  return createHmac('sha256', key)
    .update(message.poolName, 'utf8')
    .update(message.userId, 'utf8')
    .update(Buffer.from(message.secretBlock, 'base64'))
    .update(message.timestamp, 'utf8')
    .digest();
}

/**
 * PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName || userId || base64decode(secretBlock) || timestamp)).
 */
export function signClaim(p: ClaimMessage & { key: Buffer }): string {
  return claimMac(p.key, p).toString('base64');
}

/** What `computePasswordClaim` needs; the names of the Cognito challenge parameters are given per field. */
export interface PasswordClaimInput {
  /** Pool name part (user step, see `poolNameOf`) or DeviceGroupKey (device step). */
  poolName: string;
  /** USER_ID_FOR_SRP (user step) or DeviceKey (device step). */
  userId: string;
  /** User password or device password. */
  password: string;
  /** The ephemeral whose `srpA` was sent. */
  ephemeral: SrpEphemeral;
  /** SALT from the challenge: signed hex. */
  salt: string;
  /** SRP_B from the challenge: signed hex. */
  srpB: string;
  /** SECRET_BLOCK from the challenge: base64. */
  secretBlock: string;
  /** Clock for TIMESTAMP; defaults to now. */
  now?: Date;
  /** Keeps g^x between sign-ins with the same password and salt; only for a holder of the password (see its docs). */
  verifierCache?: VerifierCache;
}

/** The PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER answer fields. */
export interface PasswordClaim {
  /** PASSWORD_CLAIM_SIGNATURE */
  signature: string;
  /** TIMESTAMP */
  timestamp: string;
  /** PASSWORD_CLAIM_SECRET_BLOCK (SECRET_BLOCK echoed) */
  secretBlock: string;
}

/**
 * Answers a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) challenge: u, x, S, the HKDF key and the signature.
 * About two OpenSSL exponentiations (~3 ms); the password never leaves this function.
 *
 * @example
 * const claim = computePasswordClaim({ poolName: poolNameOf(userPoolId), userId: params.USER_ID_FOR_SRP,
 *   password, ephemeral, salt: params.SALT, srpB: params.SRP_B, secretBlock: params.SECRET_BLOCK });
 * // respond with PASSWORD_CLAIM_SIGNATURE: claim.signature, TIMESTAMP: claim.timestamp, ...
 * @throws SrpError naming the parameter at fault (`password`, `SALT`, `SRP_B`, `SECRET_BLOCK`, ...).
 */
export function computePasswordClaim(input: PasswordClaimInput): PasswordClaim {
  requireText(input.password, 'password');
  requireText(input.poolName, 'poolName');
  requireText(input.userId, 'userId');
  requireText(input.secretBlock, 'SECRET_BLOCK');
  if (!BASE64.test(input.secretBlock)) throw new SrpError('SECRET_BLOCK', 'must be base64.');
  const { ephemeral } = input;
  if (ephemeral === null || typeof ephemeral !== 'object' || typeof ephemeral.a !== 'bigint' || typeof ephemeral.A !== 'bigint') {
    throw new SrpError('ephemeral', 'must come from createEphemeral() or EphemeralPool.take().');
  }
  const salt = parseSignedHex(input.salt, 'SALT');
  const B = parseSignedHex(input.srpB, 'SRP_B');
  const u = computeU(ephemeral.A, B);
  const x = computeX(salt, input.poolName, input.userId, input.password);
  const v = input.verifierCache?.verifierFor(x);
  const S = computeS({ a: ephemeral.a, B, u, x, ...(v === undefined ? {} : { v }) });
  const key = deriveKey(u, S);
  const timestamp = formatTimestamp(input.now ?? new Date());
  const signature = signClaim({
    key,
    poolName: input.poolName,
    userId: input.userId,
    secretBlock: input.secretBlock,
    timestamp,
  });
  return { signature, timestamp, secretBlock: input.secretBlock };
}

/**
 * `computePasswordClaim` on its own event-loop turn (see `runInTurn`): use it when many sign-ins may answer
 * their challenges at the same moment, so their exponentiations never stack into one long block.
 *
 * @example const claim = await computePasswordClaimAsync({ ...input, ephemeral: await pool.takeAsync() });
 */
export function computePasswordClaimAsync(input: PasswordClaimInput): Promise<PasswordClaim> {
  return runInTurn(() => computePasswordClaim(input));
}
