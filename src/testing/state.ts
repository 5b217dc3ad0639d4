import { randomBytes, randomUUID } from 'node:crypto';

import { base32Decode } from '../auth/totp.js';
import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { ClientConfig } from './client-config.js';
import { SignInGuard } from './sign-in-guard.js';
import type { ResolvedEmulatorOptions } from './options.js';
import type { GroupDetails, GroupRecord, IdentityProviderRecord } from './pool-records.js';
import { VerificationCodes } from './verification-codes.js';
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
  emailVerified: boolean;
  phoneNumber: string | undefined;
  phoneNumberVerified: boolean;
  totpSecret: Secret<string> | undefined;
  /** Handed out by AssociateSoftwareToken (access-token form), not yet verified. */
  pendingTotpSecret: Secret<string> | undefined;
  mfa: EmulatorMfaType[];
  preferredMfa: EmulatorMfaType | undefined;
  forceChangePassword: boolean;
  /** False between SignUp and ConfirmSignUp / AdminConfirmSignUp (UNCONFIRMED). */
  confirmed: boolean;
  /** Set by AdminResetUserPassword: sign-in answers PasswordResetRequiredException until ConfirmForgotPassword. */
  resetRequired: boolean;
  groups: string[];
  attributes: Record<string, string>;
  enabled: boolean;
  /** One device group per user, as Cognito does. */
  readonly deviceGroupKey: string;
  readonly createdAt: number;
  modifiedAt: number;
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
  readonly groups = new Map<string, GroupRecord>();
  readonly identityProviders = new Map<string, IdentityProviderRecord>();
  /** Pending sign-up, password-reset and attribute-verification codes. */
  readonly verificationCodes: VerificationCodes;
  /** ForgotPassword / ResendConfirmationCode calls per user and hour. */
  readonly deliveryAttempts: AttemptLimiter;
  readonly client: ClientConfig;
  /** Failed sign-in lockout and spent TOTP codes. */
  readonly guard: SignInGuard;

  constructor(private readonly options: ResolvedEmulatorOptions) {
    this.verificationCodes = new VerificationCodes(options.clock);
    this.deliveryAttempts = new AttemptLimiter(options.clock);
    this.client = new ClientConfig(options);
    this.guard = new SignInGuard(options);
  }

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
      emailVerified: input.emailVerified !== false,
      phoneNumber: input.phoneNumber,
      phoneNumberVerified: input.phoneNumberVerified !== false,
      totpSecret: input.totpSecret === undefined ? undefined : new Secret(input.totpSecret),
      pendingTotpSecret: undefined,
      mfa: [...mfa],
      preferredMfa: input.preferredMfa,
      forceChangePassword: input.forceChangePassword === true,
      confirmed: input.confirmed !== false,
      resetRequired: false,
      groups: [...new Set(input.groups ?? [])],
      attributes: { ...(input.attributes ?? {}) },
      enabled: input.enabled !== false,
      deviceGroupKey: deviceGroupKey(),
      createdAt: this.options.clock(),
      modifiedAt: this.options.clock(),
    };
    this.users.set(username, record);
    this.#signInIndex.set(username, username);
    for (const name of record.signInNames) this.#signInIndex.set(name, username);
    for (const group of record.groups) if (!this.groups.has(group)) this.groups.set(group, this.newGroup(group));
    return record;
  }

  /** A group record created now (groups named by `addUser` are created implicitly). */
  newGroup(name: string, details: GroupDetails = {}): GroupRecord {
    const now = this.options.clock();
    return { name, ...details, createdAt: now, modifiedAt: now };
  }

  /** Whether `name` already names a user (as user name, internal name or sign-in alias). */
  isNameTaken(name: string): boolean {
    return this.#signInIndex.has(name) || this.users.has(name);
  }

  /**
   * Changes the user's email; when the email is a sign-in name (alias or email-as-username), the index follows.
   * @throws Error `alias exists` when another user signs in with that email (callers map it to AliasExistsException).
   */
  changeEmail(user: UserRecord, email: string | undefined): void {
    const old = user.email;
    if (old === email) return;
    const signsInWithEmail = old !== undefined && user.signInNames.includes(old) && old !== user.username;
    const aliased = signsInWithEmail || this.options.emailAsUsername;
    if (aliased && email !== undefined) {
      const owner = this.#signInIndex.get(email);
      if (owner !== undefined && owner !== user.username) throw new Error('alias exists');
    }
    if (signsInWithEmail && old !== undefined) {
      this.#signInIndex.delete(old);
      user.signInNames.splice(user.signInNames.indexOf(old), 1);
    }
    if (aliased && email !== undefined) {
      this.#signInIndex.set(email, user.username);
      user.signInNames.push(email);
    }
    user.email = email;
  }

  /** Removes the user, its devices, pending codes and sign-ins (their tokens stop working). */
  deleteUser(user: UserRecord): void {
    this.revokeUser(user.username);
    for (const [name, owner] of this.#signInIndex) if (owner === user.username) this.#signInIndex.delete(name);
    for (const [key, device] of this.devices) if (device.username === user.username) this.devices.delete(key);
    for (const channel of ['SMS', 'EMAIL', 'ANY']) this.#codes.delete(`${channel}:${user.username}`);
    this.verificationCodes.clear(user.username);
    this.users.delete(user.username);
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

  /** Remembers the last code "sent" to the user, for `emu.lastCode`; `undefined` channel = nowhere to send it. */
  recordCode(username: string, channel: 'SMS' | 'EMAIL' | undefined, code: string): void {
    if (channel !== undefined) this.#codes.set(`${channel}:${username}`, code);
    this.#codes.set(`ANY:${username}`, code);
  }

  lastCode(username: string, channel: 'SMS' | 'EMAIL' | undefined): string | undefined {
    const user = this.findUser(username);
    if (user === undefined) return undefined;
    return this.#codes.get(`${channel ?? 'ANY'}:${user.username}`);
  }
}
