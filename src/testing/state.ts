import { randomBytes, randomUUID } from 'node:crypto';

import { base32Decode } from '../auth/totp.js';
import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import type { ResolvedEmulatorOptions } from './options.js';
import type { EmulatorMfaType, EmulatorUser } from './types.js';

export interface UserRecord {
  /** Internal user name (`cognito:username`, USER_ID_FOR_SRP). */
  readonly username: string;
  readonly sub: string;
  /** Every name the user can type to sign in. */
  readonly signInNames: string[];
  password: Secret<string>;
  /** Lazily computed SRP verifier for the current password. */
  srp: { salt: string; verifier: bigint } | undefined;
  email: string | undefined;
  phoneNumber: string | undefined;
  totpSecret: Secret<string> | undefined;
  /** Handed out by AssociateSoftwareToken (access-token form), not yet verified. */
  pendingTotpSecret: Secret<string> | undefined;
  mfa: EmulatorMfaType[];
  preferredMfa: EmulatorMfaType | undefined;
  forceChangePassword: boolean;
  groups: string[];
  attributes: Record<string, string>;
  enabled: boolean;
  /** One device group per user, as Cognito does. */
  readonly deviceGroupKey: string;
  readonly createdAt: number;
}

export interface DeviceRecord {
  readonly deviceKey: string;
  readonly username: string;
  confirmed: boolean;
  remembered: boolean;
  /** From ConfirmDevice: the device's SRP verifier and salt (hex). */
  verifier: bigint | undefined;
  salt: string | undefined;
  name: string | undefined;
  readonly createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number;
}

/** One sign-in: every token issued from it shares `origin_jti`; revoking it revokes them all. */
export interface OriginRecord {
  readonly originJti: string;
  readonly username: string;
  readonly deviceKey: string | undefined;
  /** Epoch seconds of the sign-in; kept across refreshes. */
  readonly authTime: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  readonly token: string;
  readonly origin: OriginRecord;
  readonly expiresAt: number;
  /** When rotation replaced this token (ms epoch); reuse after the grace period is refused. */
  replacedAt: number | undefined;
}

const MFA_TYPES: readonly EmulatorMfaType[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'];

function deviceGroupKey(): string {
  return `-${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Users, devices, refresh tokens and delivered codes of one emulated user pool and app client. */
export class PoolState {
  readonly users = new Map<string, UserRecord>();
  /** Sign-in name (username, email alias) → internal user name. */
  readonly #signInIndex = new Map<string, string>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly origins = new Map<string, OriginRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly #codes = new Map<string, string>();

  constructor(private readonly options: ResolvedEmulatorOptions) {}

  addUser(input: EmulatorUser): UserRecord {
    if (typeof input?.username !== 'string' || input.username.length === 0) {
      throw new CognitoConfigError('user.username', 'must be a non-empty string.');
    }
    if (typeof input.password !== 'string' || input.password.length === 0) {
      throw new CognitoConfigError('user.password', 'must be a non-empty string.');
    }
    const mfa = input.mfa ?? (input.totpSecret === undefined ? [] : ['SOFTWARE_TOKEN_MFA']);
    for (const type of mfa) {
      if (!MFA_TYPES.includes(type)) {
        throw new CognitoConfigError('user.mfa', `must only contain ${MFA_TYPES.join(', ')}.`);
      }
    }
    if (mfa.includes('SOFTWARE_TOKEN_MFA') && input.totpSecret === undefined) {
      throw new CognitoConfigError('user.totpSecret', 'is required when `mfa` contains SOFTWARE_TOKEN_MFA.');
    }
    if (input.totpSecret !== undefined) base32Decode(input.totpSecret, 'user.totpSecret');
    if (input.preferredMfa !== undefined && !mfa.includes(input.preferredMfa)) {
      throw new CognitoConfigError('user.preferredMfa', 'must be one of the user’s `mfa` methods.');
    }
    const email = this.options.emailAsUsername ? (input.email ?? input.username) : input.email;
    if (input.alias === true && email === undefined) {
      throw new CognitoConfigError('user.email', 'is required when `alias` is true.');
    }
    if (mfa.includes('EMAIL_OTP') && email === undefined) {
      throw new CognitoConfigError('user.email', 'is required when `mfa` contains EMAIL_OTP.');
    }
    if (mfa.includes('SMS_MFA') && input.phoneNumber === undefined) {
      throw new CognitoConfigError('user.phoneNumber', 'is required when `mfa` contains SMS_MFA.');
    }
    const sub = randomUUID();
    const username = this.options.emailAsUsername ? sub : input.username;
    const signInNames = [input.username];
    if (email !== undefined && (input.alias === true || this.options.emailAsUsername)) signInNames.push(email);
    for (const name of [username, ...signInNames]) {
      if (this.#signInIndex.has(name) || this.users.has(name)) {
        throw new CognitoConfigError('user.username', 'a user with this name or email already exists.');
      }
    }
    const record: UserRecord = {
      username,
      sub,
      signInNames: [...new Set(signInNames)],
      password: new Secret(input.password),
      srp: undefined,
      email,
      phoneNumber: input.phoneNumber,
      totpSecret: input.totpSecret === undefined ? undefined : new Secret(input.totpSecret),
      pendingTotpSecret: undefined,
      mfa: [...mfa],
      preferredMfa: input.preferredMfa,
      forceChangePassword: input.forceChangePassword === true,
      groups: [...(input.groups ?? [])],
      attributes: { ...(input.attributes ?? {}) },
      enabled: input.enabled !== false,
      deviceGroupKey: deviceGroupKey(),
      createdAt: this.options.clock(),
    };
    this.users.set(username, record);
    this.#signInIndex.set(username, username);
    for (const name of record.signInNames) this.#signInIndex.set(name, username);
    return record;
  }

  /** The user a typed name (internal name, user name or email alias) refers to. */
  findUser(name: string): UserRecord | undefined {
    const username = this.#signInIndex.get(name);
    return username === undefined ? undefined : this.users.get(username);
  }

  setPassword(user: UserRecord, password: string): void {
    user.password = new Secret(password);
    user.srp = undefined;
  }

  newDevice(username: string): DeviceRecord {
    const now = this.options.clock();
    const device: DeviceRecord = {
      deviceKey: `${this.options.region}_${randomUUID()}`,
      username,
      confirmed: false,
      remembered: false,
      verifier: undefined,
      salt: undefined,
      name: undefined,
      createdAt: now,
      modifiedAt: now,
      lastAuthenticatedAt: now,
    };
    this.devices.set(device.deviceKey, device);
    return device;
  }

  /** The user's device, or undefined when the key is unknown, forgotten or someone else's. */
  findDevice(username: string, deviceKey: string): DeviceRecord | undefined {
    const device = this.devices.get(deviceKey);
    return device?.username === username ? device : undefined;
  }

  /** Forgets the device and revokes the sign-ins bound to it. */
  forgetDevice(deviceKey: string): void {
    this.devices.delete(deviceKey);
    for (const origin of this.origins.values()) if (origin.deviceKey === deviceKey) origin.revoked = true;
  }

  newOrigin(username: string, deviceKey: string | undefined): OriginRecord {
    const origin: OriginRecord = {
      originJti: randomUUID(),
      username,
      deviceKey,
      authTime: Math.floor(this.options.clock() / 1000),
      revoked: false,
    };
    this.origins.set(origin.originJti, origin);
    return origin;
  }

  newRefreshToken(origin: OriginRecord, expiresAt?: number): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      // Opaque like Cognito's (an encrypted JWE there); long enough that guessing is pointless.
      token: randomBytes(96).toString('base64url'),
      origin,
      expiresAt: expiresAt ?? this.options.clock() + this.options.refreshTokenValiditySeconds * 1000,
      replacedAt: undefined,
    };
    this.refreshTokens.set(record.token, record);
    return record;
  }

  /** Global sign-out: every sign-in of the user is revoked. */
  revokeUser(username: string): void {
    for (const origin of this.origins.values()) if (origin.username === username) origin.revoked = true;
  }

  recordCode(username: string, channel: 'SMS' | 'EMAIL', code: string): void {
    this.#codes.set(`${channel}:${username}`, code);
    this.#codes.set(`ANY:${username}`, code);
  }

  lastCode(username: string, channel: 'SMS' | 'EMAIL' | undefined): string | undefined {
    const user = this.findUser(username);
    if (user === undefined) return undefined;
    return this.#codes.get(`${channel ?? 'ANY'}:${user.username}`);
  }
}
