import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CognitoConfigError } from '../errors.js';

/** RFC 6238 TOTP as Cognito's SOFTWARE_TOKEN_MFA uses it: HMAC-SHA1, 30-second steps, 6 digits. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps and Cognito's AssociateSoftwareToken use it. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32, ignoring case, spaces, dashes and `=` padding (secrets are often shown grouped).
 * @throws CognitoConfigError naming `option` when a character is not base32 or the secret is empty.
 */
export function base32Decode(text: string, option = 'mfa.totpSecret'): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  if (clean.length === 0) throw new CognitoConfigError(option, 'the TOTP secret is empty.');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new CognitoConfigError(option, 'the TOTP secret is not base32 (letters A-Z and digits 2-7).');
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** A new random 160-bit TOTP secret, base32-encoded (32 characters), as AssociateSoftwareToken returns. */
export function randomTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

function counterAt(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/** The 6-digit code for `secretBase32` at `timeMs` (default: now). */
export function generateTotp(secretBase32: string, timeMs: number = Date.now()): string {
  return hotp(base32Decode(secretBase32), counterAt(timeMs));
}

/**
 * Whether `code` is valid at `timeMs`, accepting `window` steps before and after (clock drift),
 * compared in constant time.
 */
export function verifyTotp(secretBase32: string, code: string, timeMs: number = Date.now(), window = 1): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const key = base32Decode(secretBase32);
  const counter = counterAt(timeMs);
  const given = Buffer.from(code);
  let ok = false;
  for (let step = -window; step <= window; step++) {
    if (timingSafeEqual(Buffer.from(hotp(key, counter + step)), given)) ok = true;
  }
  return ok;
}
