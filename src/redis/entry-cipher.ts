import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { CognitoConfigError } from '../errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Stored entries start with this, so a future format can be told apart (and a clear value is never mistaken for one). */
const FORMAT = 'v1.';
const HOW_TO_MAKE_ONE = 'generate one with `openssl rand -base64 32` and pass it as a base64 string or a Buffer';

/**
 * AES-256-GCM for cache entries: a random 12-byte IV per write, and the entry's full Redis key as
 * associated data, so an entry copied under another key (another identity) fails authentication.
 * Stored form: `v1.` + base64(iv | ciphertext | tag). The key is held in a private field and never printed.
 */
export class EntryCipher {
  readonly #key: Buffer;

  constructor(encryptionKey: unknown, option = 'encryptionKey') {
    this.#key = parseKey(encryptionKey, option);
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FORMAT + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The plaintext, or throws (a plain Error without the entry's content) when the entry is corrupt, moved or under another key. */
  decrypt(stored: string, associatedData: string): string {
    if (!stored.startsWith(FORMAT)) throw new Error('the entry is not in the expected format');
    const raw = Buffer.from(stored.slice(FORMAT.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('the entry is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the entry failed authentication (corrupt, moved from another key, or written under another encryptionKey)');
    }
  }

  toJSON(): string {
    return 'EntryCipher([redacted])';
  }

  [inspect.custom](): string {
    return 'EntryCipher([redacted])';
  }
}

function parseKey(value: unknown, option: string): Buffer {
  if (value === undefined || value === null || value === '') {
    throw new CognitoConfigError(option, `is required: 32 random bytes that encrypt the cached tokens; ${HOW_TO_MAKE_ONE}.`);
  }
  let key: Buffer;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) && !/^[A-Za-z0-9_-]+={0,2}$/.test(text)) {
      throw new CognitoConfigError(option, `must be base64 (32 bytes); ${HOW_TO_MAKE_ONE}.`);
    }
    key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  } else if (value instanceof Uint8Array) {
    key = Buffer.from(value);
  } else {
    throw new CognitoConfigError(option, `must be a base64 string or a Buffer of 32 bytes, got ${typeof value}; ${HOW_TO_MAKE_ONE}.`);
  }
  if (key.length !== KEY_BYTES) {
    throw new CognitoConfigError(option, `must be 32 bytes, got ${key.length}; ${HOW_TO_MAKE_ONE}.`);
  }
  return key;
}
