import { randomBytes } from 'node:crypto';

import type { Secret } from '../secret.js';
import { invalidSession } from './errors.js';
import type { UserRecord } from './state.js';

/** Server-side SRP state between a challenge and its answer. */
export interface SrpExchange {
  A: bigint;
  B: bigint;
  b: bigint;
  v: bigint;
  secretBlock: string;
}

/** What a challenge session remembers between RespondToAuthChallenge calls. */
export interface ChallengeSession {
  readonly id: string;
  readonly expiresAt: number;
  /** The challenge the next RespondToAuthChallenge must answer. */
  challenge: string;
  /** Internal user name (or the typed name for an unknown user). */
  readonly username: string;
  /** The name as typed at InitiateAuth (may be an alias); SELECT_CHALLENGE answers may hash it. */
  readonly typedName?: string;
  /** undefined for the fake challenge given to unknown users. */
  readonly user: UserRecord | undefined;
  srp?: SrpExchange;
  /** Device key presented with InitiateAuth. */
  deviceKey?: string;
  /** Device key after a successful device verification (or the one issued in NewDeviceMetadata). */
  verifiedDeviceKey?: string;
  /** The code sent for SMS_MFA / EMAIL_OTP. */
  code?: string;
  /** MFA_SETUP: the TOTP secret handed out by AssociateSoftwareToken, and whether VerifySoftwareToken accepted it. */
  pendingTotpSecret?: Secret<string>;
  totpVerified?: boolean;
  passwordChanged?: boolean;
  mfaDone?: boolean;
}

export type NewChallengeSession = Omit<ChallengeSession, 'id' | 'expiresAt'>;

const SWEEP_EVERY = 256;

/**
 * Challenge sessions keyed by the opaque `Session` string. Each step issues a new session and retires the
 * previous one, so a session answers one challenge (a wrong MFA code may be retried within the session; the
 * failures count towards the user's lockout).
 */
export class SessionStore {
  readonly #sessions = new Map<string, ChallengeSession>();
  #created = 0;

  constructor(
    private readonly validityMs: number,
    private readonly clock: () => number,
  ) {}

  create(init: NewChallengeSession): ChallengeSession {
    if (++this.#created % SWEEP_EVERY === 0) this.#sweep();
    const session: ChallengeSession = {
      ...init,
      id: randomBytes(192).toString('base64'),
      expiresAt: this.clock() + this.validityMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /**
   * The live session for `id`.
   * @throws CognitoWireError NotAuthorizedException `Invalid session for the user, session is expired.`
   */
  get(id: string): ChallengeSession {
    const session = this.#sessions.get(id);
    if (session === undefined) throw invalidSession();
    if (this.clock() >= session.expiresAt) {
      this.#sessions.delete(id);
      throw invalidSession();
    }
    return session;
  }

  /** Replaces `session` by a fresh one (new id, new expiry) carrying the same state. */
  advance(session: ChallengeSession, challenge: string): ChallengeSession {
    this.#sessions.delete(session.id);
    const { id: _id, expiresAt: _expiresAt, ...state } = session;
    return this.create({ ...state, challenge });
  }

  retire(session: ChallengeSession): void {
    this.#sessions.delete(session.id);
  }

  #sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.#sessions) if (now >= session.expiresAt) this.#sessions.delete(id);
  }
}
