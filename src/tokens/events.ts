import type { EventEmitter } from 'node:events';
import { CognitoAuthError } from '../errors.js';

/** What failed, in a `failure` event. */
export type ProviderOperation =
  | 'signIn'
  | 'refresh'
  | 'rememberDevice'
  | 'deviceStore'
  | 'tokenStore'
  | 'signOut'
  | 'clientToken'
  | 'cache';

/** Payloads of the providers' events. None contains a password, token, secret, device password or TOTP secret. */
export interface FailureEvent {
  operation: ProviderOperation;
  /** A `CognitoAuthError`, or what one of your callbacks (password, mfa.code, newPassword, clientSecret) threw. */
  error: Error;
  /** A background refresh failed; the still-valid token keeps being served. */
  background: boolean;
  /** The provider recovered by itself (e.g. dead refresh token → full sign-in follows; cache down → own flight). */
  recovered: boolean;
}

export interface RetryEvent {
  operation: 'signIn' | 'refresh' | 'clientToken';
  attempt: number;
  delayMs: number;
  error: CognitoAuthError;
}

/** Emits without letting a throwing listener break a sign-in or refresh. */
export function emitSafely(emitter: EventEmitter, event: string, payload: unknown): void {
  try {
    emitter.emit(event, payload);
  } catch {
    // A listener's exception is the listener's problem.
  }
}

/**
 * The error to throw for `error` after it was reported: Cognito failures are already typed; what one of the
 * caller's own callbacks threw is passed on unchanged; a non-Error value becomes a `CognitoAuthError`.
 */
export function asError(error: unknown, operation: ProviderOperation): Error {
  return error instanceof Error ? error : new CognitoAuthError('SERVICE_ERROR', `${operation} failed with a non-Error value.`);
}
