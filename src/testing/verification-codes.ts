import { randomInt } from 'node:crypto';

import { CognitoWireError } from './errors.js';

/** What a code confirms: the sign-up, a password reset, or one attribute (`email`, `phone_number`). */
export type CodePurpose = 'SIGN_UP' | 'FORGOT_PASSWORD' | 'email' | 'phone_number';
const PURPOSES: readonly CodePurpose[] = ['SIGN_UP', 'FORGOT_PASSWORD', 'email', 'phone_number'];

interface PendingCode {
  code: string;
  expiresAt: number;
}

export function codeMismatchOnConfirm(): CognitoWireError {
  return new CognitoWireError('CodeMismatchException', 'Invalid verification code provided, please try again.');
}

export function expiredCode(): CognitoWireError {
  return new CognitoWireError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
}

/** Six-digit codes per user and purpose; a new code replaces the previous one, a used code is gone. */
export class VerificationCodes {
  readonly #pending = new Map<string, PendingCode>();

  constructor(private readonly clock: () => number) {}

  issue(username: string, purpose: CodePurpose, validitySeconds: number): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.#pending.set(`${purpose}:${username}`, { code, expiresAt: this.clock() + validitySeconds * 1000 });
    return code;
  }

  /**
   * Consumes the code when it matches.
   * @throws CodeMismatchException (wrong or no code) / ExpiredCodeException (past its validity; the code is dropped).
   */
  consume(username: string, purpose: CodePurpose, code: string): void {
    const key = `${purpose}:${username}`;
    const pending = this.#pending.get(key);
    if (pending === undefined || pending.code !== code) throw codeMismatchOnConfirm();
    this.#pending.delete(key);
    if (this.clock() >= pending.expiresAt) throw expiredCode();
  }

  clear(username: string): void {
    for (const purpose of PURPOSES) this.#pending.delete(`${purpose}:${username}`);
  }
}
