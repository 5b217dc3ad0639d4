import { createHmac, randomBytes } from 'node:crypto';

import {
  computeServerS,
  computeU,
  computeVerifier,
  createServerEphemeral,
  deriveKey,
  N,
  parseSignedHex,
  toHex,
  verifyPasswordClaim,
} from '../srp/index.js';
import type { EmulatorContext } from './context.js';
import { invalidParameter, notAuthorized } from './errors.js';
import { requireMember } from './params.js';
import type { SrpExchange } from './sessions.js';
import type { UserRecord } from './state.js';

/** Bytes of a SECRET_BLOCK (Cognito's is an opaque blob of several hundred bytes). */
const SECRET_BLOCK_BYTES = 256;
/** Bytes of a user's random SRP salt. */
const SALT_BYTES = 16;
/** How far TIMESTAMP may be from the server's clock. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

const TIMESTAMP_FORMAT = new RegExp(
  '^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ' +
    '(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) UTC (\\d{4})$',
);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ChallengeSrpParameters {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
}

function bigintOf(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** Parses SRP_A from a challenge answer. @throws InvalidParameterException when it is not usable. */
export function parseSrpA(value: string): bigint {
  let A: bigint;
  try {
    A = parseSignedHex(value, 'SRP_A');
  } catch {
    throw invalidParameter('SRP_A must be a hexadecimal string.');
  }
  if (A <= 0n || A % N === 0n) throw invalidParameter('SRP_A is not a valid SRP value.');
  return A;
}

/** The user's verifier for the current password, computed once per password. */
export function userVerifier(ctx: EmulatorContext, user: UserRecord): { salt: string; verifier: bigint } {
  if (user.srp === undefined) {
    const salt = bigintOf(randomBytes(SALT_BYTES));
    const verifier = computeVerifier(salt, ctx.poolName, user.username, user.password.reveal());
    user.srp = { salt: toHex(salt), verifier };
  }
  return user.srp;
}

/**
 * Bytes of the server secret exponent b. 256 bits is RFC 5054's minimum; Cognito's own size is not observable, and
 * this keeps the emulator fast enough for a thousand concurrent sign-ins.
 */
const SERVER_SECRET_BYTES = 32;

function randomServerSecret(): bigint {
  for (;;) {
    const b = bigintOf(randomBytes(SERVER_SECRET_BYTES));
    if (b !== 0n) return b;
  }
}

/** Starts an SRP exchange against verifier `v`: the server ephemeral and a fresh SECRET_BLOCK. */
export function startExchange(A: bigint, v: bigint): SrpExchange {
  const { b, B } = createServerEphemeral(v, randomServerSecret());
  return { A, B, b, v, secretBlock: randomBytes(SECRET_BLOCK_BYTES).toString('base64') };
}

export function challengeParameters(exchange: SrpExchange, saltHex: string): ChallengeSrpParameters {
  return { SALT: saltHex, SRP_B: toHex(exchange.B), SECRET_BLOCK: exchange.secretBlock };
}

/**
 * The fake PASSWORD_VERIFIER an unknown user gets (PreventUserExistenceErrors): a salt derived from the name, so
 * it is stable across attempts, and negative for about half of the names, as Cognito's sometimes is.
 */
export function fakeExchange(ctx: EmulatorContext, name: string, A: bigint): { exchange: SrpExchange; salt: string } {
  const digest = createHmac('sha256', ctx.fakeSaltKey).update(name, 'utf8').digest();
  const magnitude = bigintOf(digest.subarray(0, SALT_BYTES));
  const negative = (digest[SALT_BYTES]! & 1) === 1;
  const fakeVerifier = (bigintOf(digest) % (N - 2n)) + 2n;
  return { exchange: startExchange(A, fakeVerifier), salt: toHex(negative ? -magnitude : magnitude) };
}

/** Parses Cognito's TIMESTAMP (`EEE MMM d HH:mm:ss UTC yyyy`). @throws InvalidParameterException on a bad format. */
export function parseTimestamp(text: string): number {
  const match = TIMESTAMP_FORMAT.exec(text);
  if (match === null) throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  const [, month, day, hours, minutes, seconds, year] = match;
  return Date.UTC(
    Number(year),
    MONTHS.indexOf(month!),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}

/**
 * Fresh relative to the emulator's clock or the wall clock: tests that move the emulator clock forward still
 * sign in with clients that stamp real time.
 */
function isFresh(timestampMs: number, ctx: EmulatorContext): boolean {
  return [ctx.options.clock(), Date.now()].some((now) => Math.abs(now - timestampMs) <= TIMESTAMP_TOLERANCE_MS);
}

/**
 * Checks a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER answer: TIMESTAMP format (InvalidParameterException) and
 * freshness, the echoed secret block and the signature (NotAuthorizedException).
 */
export function verifyClaim(
  ctx: EmulatorContext,
  exchange: SrpExchange,
  claim: { poolName: string; userId: string; responses: Record<string, string>; failure?: string },
): void {
  const { responses } = claim;
  const timestamp = requireMember(responses, 'TIMESTAMP');
  const secretBlock = requireMember(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireMember(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestampMs = parseTimestamp(timestamp);
  const failure = notAuthorized(claim.failure);
  if (!isFresh(timestampMs, ctx) || secretBlock !== exchange.secretBlock) throw failure;
  let key: Buffer;
  try {
    key = deriveKey(computeU(exchange.A, exchange.B), computeServerS(exchange));
  } catch {
    throw failure;
  }
  const valid = verifyPasswordClaim({
    poolName: claim.poolName,
    userId: claim.userId,
    secretBlock,
    timestamp,
    signature,
    key,
  });
  if (!valid) throw failure;
}
