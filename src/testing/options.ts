import { randomBytes } from 'node:crypto';

import { CognitoConfigError } from '../errors.js';
import { AUTH_FLOW_VALUES, EMULATOR_AUTH_FLOWS } from './client-config.js';
import type {
  CognitoEmulatorOptions,
  DeviceTrackingMode,
  EmulatorPasswordPolicy,
  PoolMfaMode,
  UserExistenceErrors,
} from './types.js';

export const DEFAULT_REGION = 'us-east-1';
/** Cognito's default access/ID token validity: 1 hour. */
export const DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS = 3600;
/** Cognito's default refresh token validity: 30 days. */
export const DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS = 30 * 24 * 3600;
/** Cognito's default app-client AuthSessionValidity: 3 minutes. */
export const DEFAULT_SESSION_VALIDITY_SECONDS = 180;
/** Cognito's sign-up and attribute-verification codes live 24 hours. */
export const DEFAULT_CODE_VALIDITY_SECONDS = 24 * 3600;
/** Cognito's password-reset codes live 1 hour. */
export const DEFAULT_RESET_CODE_VALIDITY_SECONDS = 3600;

/** Cognito's default password policy. */
export const DEFAULT_PASSWORD_POLICY: Required<EmulatorPasswordPolicy> = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

export interface ResolvedEmulatorOptions {
  port: number;
  region: string;
  poolName: string;
  clientId: string;
  clientSecret: string | undefined;
  accessTokenValiditySeconds: number;
  idTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
  deviceTracking: DeviceTrackingMode;
  mfa: PoolMfaMode;
  /** undefined = rotation off. */
  rotationGraceSeconds: number | undefined;
  sessionValiditySeconds: number;
  emailAsUsername: boolean;
  passwordPolicy: Required<EmulatorPasswordPolicy>;
  /** Lifetime of sign-up and attribute-verification codes. */
  codeValiditySeconds: number;
  /** Lifetime of ForgotPassword / AdminResetUserPassword codes. */
  resetCodeValiditySeconds: number;
  clock: () => number;
  explicitAuthFlows: string[];
  preventUserExistenceErrors: UserExistenceErrors;
  lockout: boolean;
  allowTotpReuse: boolean;
  preferredChallenge: 'honour' | 'ignore';
}

function resolveAuthFlows(flows: unknown): string[] {
  if (flows === undefined) return [...EMULATOR_AUTH_FLOWS];
  if (!Array.isArray(flows) || flows.length === 0) {
    throw new CognitoConfigError('explicitAuthFlows', "must be a non-empty array such as ['ALLOW_USER_AUTH'].");
  }
  for (const flow of flows) {
    if (!(AUTH_FLOW_VALUES as readonly unknown[]).includes(flow)) {
      throw new CognitoConfigError('explicitAuthFlows', `must contain only ${AUTH_FLOW_VALUES.join(', ')}.`);
    }
  }
  return [...new Set(flows as string[])];
}

function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new CognitoConfigError(name, 'must be a boolean.');
  return value;
}

function resolvePasswordPolicy(policy: EmulatorPasswordPolicy | undefined): Required<EmulatorPasswordPolicy> {
  if (policy === undefined) return { ...DEFAULT_PASSWORD_POLICY };
  if (policy === null || typeof policy !== 'object') {
    throw new CognitoConfigError('passwordPolicy', 'must be an object such as { minimumLength: 8 }.');
  }
  const resolved = { ...DEFAULT_PASSWORD_POLICY, ...policy };
  const { minimumLength } = resolved;
  if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 99) {
    throw new CognitoConfigError('passwordPolicy.minimumLength', 'must be an integer between 6 and 99.');
  }
  for (const flag of ['requireUppercase', 'requireLowercase', 'requireNumbers', 'requireSymbols'] as const) {
    if (typeof resolved[flag] !== 'boolean') {
      throw new CognitoConfigError(`passwordPolicy.${flag}`, 'must be a boolean.');
    }
  }
  return resolved;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string over [A-Za-z0-9]; the shape of pool ids, client ids and client secrets. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

function positiveSeconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new CognitoConfigError(name, 'must be a positive number of seconds.');
  }
  return value;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new CognitoConfigError(name, `must be one of ${allowed.join(', ')}.`);
  return value;
}

export function resolveEmulatorOptions(options: CognitoEmulatorOptions = {}): ResolvedEmulatorOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CognitoConfigError('port', 'must be an integer between 0 and 65535.');
  }
  const region = options.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new CognitoConfigError('region', 'must look like `us-east-1`.');
  }
  const poolName = options.poolName ?? randomAlphanumeric(9);
  if (!/^[A-Za-z0-9]+$/.test(poolName)) {
    throw new CognitoConfigError('poolName', 'must contain only letters and digits.');
  }
  const clientId = options.clientId ?? randomAlphanumeric(26).toLowerCase();
  if (typeof clientId !== 'string' || !/^[\w+]{1,128}$/.test(clientId)) {
    throw new CognitoConfigError('clientId', 'must be 1 to 128 letters, digits, `_` or `+`.');
  }
  let clientSecret: string | undefined;
  if (options.clientSecret === true) clientSecret = randomAlphanumeric(51).toLowerCase();
  else if (typeof options.clientSecret === 'string') {
    if (options.clientSecret.length === 0) throw new CognitoConfigError('clientSecret', 'must not be empty.');
    clientSecret = options.clientSecret;
  } else if (options.clientSecret !== undefined && options.clientSecret !== false) {
    throw new CognitoConfigError('clientSecret', 'must be a boolean or a string.');
  }
  const accessTokenValiditySeconds = positiveSeconds(
    'accessTokenValiditySeconds',
    options.accessTokenValiditySeconds,
    DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS,
  );
  let rotationGraceSeconds: number | undefined;
  const rotation = options.refreshTokenRotation;
  if (rotation === true) rotationGraceSeconds = 0;
  else if (typeof rotation === 'object' && rotation !== null) {
    const grace = rotation.gracePeriodSeconds ?? 0;
    if (!Number.isFinite(grace) || grace < 0 || grace > 60) {
      throw new CognitoConfigError('refreshTokenRotation.gracePeriodSeconds', 'must be between 0 and 60.');
    }
    rotationGraceSeconds = grace;
  }
  const usernameAttributes = options.usernameAttributes ?? [];
  if (!Array.isArray(usernameAttributes) || usernameAttributes.some((a) => a !== 'email')) {
    throw new CognitoConfigError('usernameAttributes', "may only contain 'email'.");
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new CognitoConfigError('clock', 'must be a function returning milliseconds since the epoch.');
  }
  return {
    port,
    region,
    poolName,
    clientId,
    clientSecret,
    accessTokenValiditySeconds,
    idTokenValiditySeconds: positiveSeconds(
      'idTokenValiditySeconds',
      options.idTokenValiditySeconds,
      accessTokenValiditySeconds,
    ),
    refreshTokenValiditySeconds: positiveSeconds(
      'refreshTokenValiditySeconds',
      options.refreshTokenValiditySeconds,
      DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS,
    ),
    deviceTracking: oneOf('deviceTracking', options.deviceTracking, ['off', 'always', 'opt-in'], 'off'),
    mfa: oneOf('mfa', options.mfa, ['off', 'optional', 'on'], 'optional'),
    rotationGraceSeconds,
    sessionValiditySeconds: positiveSeconds(
      'sessionValiditySeconds',
      options.sessionValiditySeconds,
      DEFAULT_SESSION_VALIDITY_SECONDS,
    ),
    emailAsUsername: usernameAttributes.includes('email'),
    passwordPolicy: resolvePasswordPolicy(options.passwordPolicy),
    codeValiditySeconds: positiveSeconds(
      'codeValiditySeconds',
      options.codeValiditySeconds,
      DEFAULT_CODE_VALIDITY_SECONDS,
    ),
    resetCodeValiditySeconds: positiveSeconds(
      'codeValiditySeconds',
      options.codeValiditySeconds,
      DEFAULT_RESET_CODE_VALIDITY_SECONDS,
    ),
    clock: options.clock ?? Date.now,
    explicitAuthFlows: resolveAuthFlows(options.explicitAuthFlows),
    preventUserExistenceErrors: oneOf(
      'preventUserExistenceErrors',
      options.preventUserExistenceErrors,
      ['ENABLED', 'LEGACY'],
      'LEGACY',
    ),
    lockout: optionalBoolean('lockout', options.lockout, true),
    allowTotpReuse: optionalBoolean('allowTotpReuse', options.allowTotpReuse, false),
    preferredChallenge: oneOf('preferredChallenge', options.preferredChallenge, ['honour', 'ignore'], 'honour'),
  };
}
