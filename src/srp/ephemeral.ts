import { randomBytes } from 'node:crypto';
import { SrpError } from '../errors.js';
import { defineHidden } from '../secret.js';
import { EPHEMERAL_SECRET_BYTES, g, N } from './constants.js';
import { bigintFromBytes, toHex } from './encoding.js';
import { modPow } from './modpow.js';
import { queueInTurn, runInTurn, type QueuedTurn } from './scheduler.js';

/** The client's SRP ephemeral pair. `a` is secret: it is kept out of `util.inspect` and `JSON.stringify`. */
export interface SrpEphemeral {
  readonly a: bigint;
  readonly A: bigint;
  /** A as sent in `SRP_A`: plain lowercase hex. */
  readonly srpA: string;
}

/** A fresh random secret exponent of `EPHEMERAL_SECRET_BYTES` bytes (never 0). */
export function randomSecretExponent(): bigint {
  for (;;) {
    const value = bigintFromBytes(randomBytes(EPHEMERAL_SECRET_BYTES));
    if (value !== 0n) return value;
  }
}

/**
 * Creates the client ephemeral: a random `a` of EPHEMERAL_SECRET_BYTES (unless given) and A = g^a mod N.
 * One OpenSSL exponentiation (about 2.5 ms); use an `EphemeralPool` to take it off the critical path.
 *
 * @example const { srpA } = createEphemeral(); // send SRP_A with InitiateAuth
 */
export function createEphemeral(a?: bigint): SrpEphemeral {
  const secret = a ?? randomSecretExponent();
  if (typeof secret !== 'bigint' || secret <= 0n) {
    throw new SrpError('a', 'must be a positive bigint.');
  }
  const A = modPow(g, secret);
  // g^a is never 0 mod a prime; the check documents the SRP-6a requirement.
  if (A % N === 0n) throw new SrpError('SRP_A', 'A ≡ 0 (mod N); choose another a.');
  const ephemeral = { A, srpA: toHex(A) } as { a: bigint; A: bigint; srpA: string };
  defineHidden(ephemeral, 'a', secret);
  return Object.freeze(ephemeral);
}

/** `createEphemeral` on its own event-loop turn (see `runInTurn`). */
export function createEphemeralAsync(): Promise<SrpEphemeral> {
  return runInTurn(() => createEphemeral());
}

/** Default number of ephemerals an `EphemeralPool` keeps ready. */
export const DEFAULT_EPHEMERAL_POOL_SIZE = 2;

/**
 * Keeps a few client ephemerals computed ahead of time so a sign-in does not pay for A on its critical path.
 * Refills one ephemeral per `setImmediate` turn (so no refill blocks the event loop for longer than one
 * `createEphemeral`), and the refill timer never keeps the process alive. Each ephemeral is handed out once.
 *
 * @example
 * const pool = new EphemeralPool();
 * const ephemeral = pool.take(); // ready-made, or computed now if the pool ran dry
 */
export class EphemeralPool {
  readonly #size: number;
  readonly #ready: SrpEphemeral[] = [];
  /** `takeAsync` callers that found the pool empty: each gets the next ephemeral the refill computes. */
  readonly #waiting: { resolve: (e: SrpEphemeral) => void; reject: (error: unknown) => void }[] = [];
  #refill: QueuedTurn | undefined;

  constructor(size: number = DEFAULT_EPHEMERAL_POOL_SIZE) {
    if (!Number.isInteger(size) || size < 0 || size > 64) {
      throw new SrpError('poolSize', 'must be an integer between 0 and 64.');
    }
    this.#size = size;
    this.#scheduleRefill();
  }

  /** Number of precomputed ephemerals ready to take. */
  get available(): number {
    return this.#ready.length;
  }

  /** Hands out a ready ephemeral (or computes one now when none is ready) and schedules a refill. */
  take(): SrpEphemeral {
    const ephemeral = this.#ready.shift() ?? createEphemeral();
    this.#scheduleRefill();
    return ephemeral;
  }

  /**
   * Like `take()`, but when no ephemeral is ready it waits for the next one the refill computes, on its own
   * event-loop turn: A is computed once, never a second time beside a refill that is already under way (as on the
   * first sign-in of a process, which finds the pool still filling).
   */
  takeAsync(): Promise<SrpEphemeral> {
    const ready = this.#ready.shift();
    if (ready !== undefined) {
      this.#scheduleRefill();
      return Promise.resolve(ready);
    }
    if (this.#size === 0) return runInTurn(() => createEphemeral());
    return new Promise<SrpEphemeral>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#scheduleRefill();
      this.#refill?.ref(); // someone waits for it now: it must keep the process alive
    });
  }

  #scheduleRefill(): void {
    if (this.#refill !== undefined || (this.#ready.length >= this.#size && this.#waiting.length === 0)) return;
    // In the SRP queue, so a refill never runs in the same turn as a sign-in's answer (one heavy step per turn).
    this.#refill = queueInTurn(() => {
      this.#refill = undefined;
      const waiter = this.#waiting.shift();
      if (waiter !== undefined || this.#ready.length < this.#size) {
        let ephemeral: SrpEphemeral;
        try {
          ephemeral = createEphemeral();
        } catch (error) {
          waiter?.reject(error);
          this.#scheduleRefill();
          return;
        }
        if (waiter === undefined) this.#ready.push(ephemeral);
        else waiter.resolve(ephemeral);
      }
      this.#scheduleRefill();
    });
    if (this.#waiting.length > 0) this.#refill.ref();
  }
}
