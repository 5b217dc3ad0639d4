import { jsonObjectOf } from '../json-object.js';
import { CognitoConfigError } from '../errors.js';

const DAY_MS = 86_400_000;

/** Where the "trusted until" date of each device is kept (a custom attribute, a database row, memory...). */
export interface TrustRecordStore {
  /** When the trust of `deviceKey` ends, in ms since the epoch, if recorded. */
  get(deviceKey: string): Promise<number | undefined>;
  set(deviceKey: string, trustedUntil: number): Promise<void>;
  delete(deviceKey: string): Promise<void>;
}

/** Keeps trust dates in process memory. */
export class MemoryTrustStore implements TrustRecordStore {
  readonly #until = new Map<string, number>();
  async get(deviceKey: string): Promise<number | undefined> {
    return this.#until.get(deviceKey);
  }
  async set(deviceKey: string, trustedUntil: number): Promise<void> {
    this.#until.set(deviceKey, trustedUntil);
  }
  async delete(deviceKey: string): Promise<void> {
    this.#until.delete(deviceKey);
  }
}

/**
 * Keeps every device's date in one JSON text (`{"<deviceKey>": "<ISO date>"}`) read and written through `io`,
 * e.g. a custom user attribute as AWS suggests (see `Cognito.trustedDeviceAttributeStore`).
 */
export function jsonTrustStore(io: {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}): TrustRecordStore {
  async function load(): Promise<Record<string, string>> {
    const text = await io.read();
    if (text === undefined) return {};
    return (jsonObjectOf(text) as Record<string, string> | undefined) ?? {};
  }
  return {
    async get(deviceKey) {
      const value = (await load())[deviceKey];
      const time = value === undefined ? NaN : Date.parse(value);
      return Number.isNaN(time) ? undefined : time;
    },
    async set(deviceKey, trustedUntil) {
      const all = await load();
      all[deviceKey] = new Date(trustedUntil).toISOString();
      await io.write(JSON.stringify(all));
    },
    async delete(deviceKey) {
      const all = await load();
      if (!(deviceKey in all)) return;
      delete all[deviceKey];
      await io.write(JSON.stringify(all));
    },
  };
}

export type TrustStatus =
  | { status: 'trusted'; trustedUntil: Date }
  /** The date passed: the device was set back to not remembered (MFA is asked again). */
  | { status: 'expired'; trustedUntil: Date }
  /** No date recorded for this device. */
  | { status: 'unknown' };

export interface DeviceTrustOptions {
  store: TrustRecordStore;
  /** UpdateDeviceStatus (or its admin variant) for the device. */
  setRemembered: (deviceKey: string, remembered: boolean) => Promise<void>;
  /** ms since the epoch; default `Date.now`. */
  clock?: () => number;
}

/**
 * "Trust this device for N days", as AWS describes it for remembered devices: `trust()` marks the device
 * remembered (MFA is skipped at device sign-in) and records the end date; `enforce()`, called at sign-in or from
 * a scheduled job, sets the device back to not remembered once that date has passed, so the user answers MFA
 * again and may choose to trust the device anew.
 *
 * @example
 * const trust = cognito.deviceTrust(new MemoryTrustStore());
 * await trust.trust(device.deviceKey, 30);
 * // later, e.g. at each sign-in:
 * if ((await trust.enforce(device.deviceKey)).status === 'expired') askForMfaAgain();
 */
export class DeviceTrust {
  readonly #store: TrustRecordStore;
  readonly #setRemembered: DeviceTrustOptions['setRemembered'];
  readonly #clock: () => number;

  constructor(options: DeviceTrustOptions) {
    const store = options?.store;
    if (typeof store?.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
      throw new CognitoConfigError('store', 'expected an object with get, set and delete methods.');
    }
    if (typeof options.setRemembered !== 'function') throw new CognitoConfigError('setRemembered', 'expected a function.');
    this.#store = options.store;
    this.#setRemembered = options.setRemembered;
    this.#clock = options.clock ?? Date.now;
  }

  /** Remembers the device and records that the trust ends `days` from now. Returns that date. */
  async trust(deviceKey: string, days: number): Promise<Date> {
    if (typeof deviceKey !== 'string' || deviceKey.length === 0) {
      throw new CognitoConfigError('deviceKey', 'expected a device key.');
    }
    if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
      throw new CognitoConfigError('days', 'expected a positive number of days, e.g. 30.');
    }
    await this.#setRemembered(deviceKey, true);
    const until = this.#clock() + days * DAY_MS;
    await this.#store.set(deviceKey, until);
    return new Date(until);
  }

  /** Whether the device is still trusted; when its date has passed, sets it to not remembered and forgets the date. */
  async enforce(deviceKey: string): Promise<TrustStatus> {
    const until = await this.#store.get(deviceKey);
    if (until === undefined) return { status: 'unknown' };
    if (this.#clock() < until) return { status: 'trusted', trustedUntil: new Date(until) };
    await this.#setRemembered(deviceKey, false);
    await this.#store.delete(deviceKey);
    return { status: 'expired', trustedUntil: new Date(until) };
  }

  /** Ends the trust now: not remembered, date forgotten. */
  async revoke(deviceKey: string): Promise<void> {
    await this.#setRemembered(deviceKey, false);
    await this.#store.delete(deviceKey);
  }
}
