import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { JSONWebKeySet } from 'jose' with { 'resolution-mode': 'import' };
import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import { AuthFlowSelector } from './auth-flow.js';
import { ClientSecretSource } from './client-secret.js';
import { base32Decode } from './totp.js';
import { isDeviceCredentials, type DeviceCredentials, type DeviceStore } from '../tokens/device-store.js';
import type { TokenStore } from '../tokens/token-store.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { DEFAULT_TIMEOUT_MS } from './deadline.js';
import type { TokenCache } from '../tokens/token-cache.js';
import type { CognitoTokenProviderOptions, MfaChallenge, NewPasswordChallenge, PasswordSource } from './types.js';

/** Refresh this long before `exp` unless told otherwise (capped at half the token lifetime). */
export const DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS = 300;

const KNOWN_OPTIONS = new Set<string>([
  'userPoolId',
  'clientId',
  'clientSecret',
  'username',
  'password',
  'region',
  'endpoint',
  'cognitoClient',
  'tokenType',
  'refreshBeforeExpirySeconds',
  'mfa',
  'newPassword',
  'device',
  'deviceStore',
  'tokenStore',
  'rememberDevice',
  'verify',
  'clientMetadata',
  'retry',
  'timeoutMs',
  'cache',
  'authFlow',
]);

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_([0-9a-zA-Z]+)$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

export interface VerifySettings {
  issuer: string;
  clientId: string;
  /** Keys given in options or `COGNITO_JWKS`; when absent they are fetched from `jwksUri`. */
  jwks: JSONWebKeySet | undefined;
  jwksUri: string;
}

/** Options after validation, with secrets wrapped so they cannot be printed by accident. */
export interface ResolvedOptions {
  userPoolId: string;
  poolName: string;
  region: string;
  clientId: string;
  /** Read at each sign-in, refresh and sign-out (a function gives the current secret: rotation). */
  clientSecret: ClientSecretSource | undefined;
  /** The sign-in flow; a default USER_SRP_AUTH refused by the app client switches to USER_AUTH once. */
  authFlow: AuthFlowSelector;
  username: string;
  password: Secret<PasswordSource>;
  endpoint: string | undefined;
  cognitoClient: CognitoIdentityProviderClient | undefined;
  tokenType: 'access' | 'id';
  refreshBeforeExpirySeconds: number;
  totpSecret: Secret | undefined;
  mfaCode: ((challenge: MfaChallenge) => Promise<string>) | undefined;
  newPassword: ((info: NewPasswordChallenge) => Promise<string>) | undefined;
  device: Secret<DeviceCredentials> | undefined;
  deviceStore: DeviceStore | undefined;
  tokenStore: TokenStore | undefined;
  rememberDevice: false | { name: string | undefined };
  verify: VerifySettings | undefined;
  clientMetadata: Record<string, string> | undefined;
  retry: RetryPolicy;
  /** Deadline of each Cognito call and JWKS fetch, ms. */
  timeoutMs: number;
  cache: TokenCache | undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireString(value: unknown, option: string, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.length === 0) throw new CognitoConfigError(option, `expected ${what}.`);
  return value;
}

function optionalFunction<F>(value: unknown, option: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new CognitoConfigError(option, 'expected a function.');
  return value as F;
}

function nonNegative(value: unknown, option: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new CognitoConfigError(option, `expected a finite ${integer ? 'integer' : 'number'} >= 0.`);
  }
  return value;
}

export function parseEndpoint(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = requireString(value, 'endpoint', 'an http(s) URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CognitoConfigError('endpoint', 'expected an http(s) URL such as http://127.0.0.1:9229.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CognitoConfigError('endpoint', 'expected an http: or https: URL.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new CognitoConfigError('endpoint', 'must not contain credentials.');
  }
  return text.replace(/\/+$/, '');
}

function parseJwks(value: unknown, option: string): JSONWebKeySet {
  if (!isObject(value) || !Array.isArray(value.keys) || !value.keys.every(isObject)) {
    throw new CognitoConfigError(option, 'expected a JWKS: an object with a "keys" array.');
  }
  return value as unknown as JSONWebKeySet;
}

/** The JWKS from the `COGNITO_JWKS` environment variable, if set. */
export function jwksFromEnvironment(env: NodeJS.ProcessEnv = process.env): JSONWebKeySet | undefined {
  const text = env.COGNITO_JWKS;
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CognitoConfigError('COGNITO_JWKS', 'the environment variable is not valid JSON.');
  }
  return parseJwks(parsed, 'COGNITO_JWKS');
}

export function parseVerify(
  value: unknown,
  defaults: { issuer: string; clientId: string },
): VerifySettings | undefined {
  if (value === false) return undefined;
  if (value !== undefined && !isObject(value)) {
    throw new CognitoConfigError('verify', 'expected false or { issuer?, jwks?, jwksUri? }.');
  }
  const v = value ?? {};
  for (const key of Object.keys(v)) {
    if (key !== 'issuer' && key !== 'jwks' && key !== 'jwksUri') {
      throw new CognitoConfigError(`verify.${key}`, 'unknown option (expected issuer, jwks or jwksUri).');
    }
  }
  const issuer = v.issuer === undefined ? defaults.issuer : requireString(v.issuer, 'verify.issuer');
  let jwksUri = `${issuer}/.well-known/jwks.json`;
  if (v.jwksUri !== undefined) {
    jwksUri = requireString(v.jwksUri, 'verify.jwksUri', 'an http(s) URL');
    if (!URL.canParse(jwksUri) || !/^https?:$/.test(new URL(jwksUri).protocol)) {
      throw new CognitoConfigError('verify.jwksUri', 'expected an http(s) URL.');
    }
  }
  const jwks = v.jwks === undefined ? jwksFromEnvironment() : parseJwks(v.jwks, 'verify.jwks');
  return { issuer, clientId: defaults.clientId, jwks, jwksUri };
}

function parseDevice(value: unknown): Secret<DeviceCredentials> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new CognitoConfigError('device', 'expected { deviceKey, deviceGroupKey, devicePassword }.');
  for (const field of ['deviceKey', 'deviceGroupKey', 'devicePassword'] as const) {
    if (typeof value[field] !== 'string' || (value[field] as string).length === 0) {
      throw new CognitoConfigError(
        `device.${field}`,
        'missing: a remembered device needs deviceKey, deviceGroupKey and devicePassword together.',
      );
    }
  }
  if (!isDeviceCredentials(value)) throw new CognitoConfigError('device', 'incomplete device credentials.');
  return new Secret({
    deviceKey: value.deviceKey,
    deviceGroupKey: value.deviceGroupKey,
    devicePassword: value.devicePassword,
  });
}

/** A `deviceStore` or `tokenStore`: any object with load, save and delete methods. */
function parseStore<S extends object>(value: unknown, option: 'deviceStore' | 'tokenStore'): S | undefined {
  if (value === undefined) return undefined;
  const store = value as Record<string, unknown> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.load !== 'function' ||
    typeof store.save !== 'function' ||
    typeof store.delete !== 'function'
  ) {
    throw new CognitoConfigError(option, 'expected an object with load, save and delete methods.');
  }
  return store as S;
}

function parseRemember(value: unknown): false | { name: string | undefined } {
  if (value === undefined || value === false) return false;
  if (value === true) return { name: undefined };
  if (isObject(value)) {
    if (value.name !== undefined) requireString(value.name, 'rememberDevice.name');
    return { name: value.name as string | undefined };
  }
  throw new CognitoConfigError('rememberDevice', 'expected a boolean or { name?: string }.');
}

export function parseRetry(value: unknown): RetryPolicy {
  if (value === undefined) return { ...DEFAULT_RETRY };
  if (!isObject(value)) throw new CognitoConfigError('retry', 'expected { maxAttempts?, baseDelayMs?, maxDelayMs? }.');
  const policy = { ...DEFAULT_RETRY };
  if (value.maxAttempts !== undefined) {
    policy.maxAttempts = nonNegative(value.maxAttempts, 'retry.maxAttempts', true);
    if (policy.maxAttempts < 1) throw new CognitoConfigError('retry.maxAttempts', 'expected an integer >= 1.');
  }
  if (value.baseDelayMs !== undefined) policy.baseDelayMs = nonNegative(value.baseDelayMs, 'retry.baseDelayMs');
  if (value.maxDelayMs !== undefined) policy.maxDelayMs = nonNegative(value.maxDelayMs, 'retry.maxDelayMs');
  if (policy.maxDelayMs < policy.baseDelayMs) {
    throw new CognitoConfigError('retry.maxDelayMs', 'must be >= retry.baseDelayMs.');
  }
  return policy;
}

function parseClientMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new CognitoConfigError('clientMetadata', 'expected an object of string values.');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new CognitoConfigError(`clientMetadata.${key}`, 'expected a string.');
  }
  return { ...(value as Record<string, string>) };
}

/** The issuer Cognito puts in `iss`: `<endpoint>/<pool>` for custom endpoints, else the regional one. */
export function defaultIssuer(userPoolId: string, region: string, endpoint: string | undefined): string {
  if (endpoint !== undefined) return `${endpoint}/${userPoolId}`;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${domain}/${userPoolId}`;
}

/**
 * What every provider's options start with: an options object without unknown keys (each one named), the pool
 * (region taken from its id unless `region` is given) and the app client.
 */
export function parsePoolAndClient(
  input: unknown,
  known: ReadonlySet<string>,
): { options: Record<string, unknown>; userPoolId: string; poolName: string; region: string; clientId: string } {
  if (!isObject(input)) throw new CognitoConfigError('options', 'expected an options object.');
  const options = input;
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new CognitoConfigError(key, 'unknown option (check the spelling).');
  }
  const userPoolId = requireString(options.userPoolId, 'userPoolId', 'a pool id such as eu-west-1_AbCdEf123');
  const poolMatch = POOL_ID.exec(userPoolId);
  if (poolMatch === null) {
    throw new CognitoConfigError('userPoolId', 'expected <region>_<id>, such as eu-west-1_AbCdEf123.');
  }
  const region =
    options.region === undefined ? poolMatch[1]! : requireString(options.region, 'region', 'a region such as eu-west-1');
  if (!REGION.test(region)) throw new CognitoConfigError('region', 'expected a region such as eu-west-1.');
  const clientId = requireString(options.clientId, 'clientId');
  if (!CLIENT_ID.test(clientId)) throw new CognitoConfigError('clientId', 'expected letters, digits, _ or + only.');
  return { options, userPoolId, poolName: poolMatch[2]!, region, clientId };
}

/** Validates every option once; throws a `CognitoConfigError` naming the first bad one. */
export function resolveOptions(input: CognitoTokenProviderOptions): ResolvedOptions {
  const { options, userPoolId, poolName, region, clientId } = parsePoolAndClient(input, KNOWN_OPTIONS);
  const clientSecret = ClientSecretSource.from(options.clientSecret, 'clientSecret');
  const username = requireString(options.username, 'username');

  const password = options.password;
  if (!(typeof password === 'string' && password.length > 0) && typeof password !== 'function') {
    throw new CognitoConfigError('password', 'expected a non-empty string, or a function returning one (or a promise of one).');
  }

  const endpoint = parseEndpoint(options.endpoint);
  const cognitoClient = options.cognitoClient as CognitoIdentityProviderClient | undefined;
  if (cognitoClient !== undefined && typeof (cognitoClient as { send?: unknown })?.send !== 'function') {
    throw new CognitoConfigError('cognitoClient', 'expected a CognitoIdentityProviderClient.');
  }

  const tokenType = options.tokenType ?? 'access';
  if (tokenType !== 'access' && tokenType !== 'id') {
    throw new CognitoConfigError('tokenType', "expected 'access' or 'id'.");
  }
  const refreshBeforeExpirySeconds =
    options.refreshBeforeExpirySeconds === undefined
      ? DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS
      : nonNegative(options.refreshBeforeExpirySeconds, 'refreshBeforeExpirySeconds');

  let totpSecret: Secret | undefined;
  let mfaCode: ((challenge: MfaChallenge) => Promise<string>) | undefined;
  if (options.mfa !== undefined) {
    if (!isObject(options.mfa)) throw new CognitoConfigError('mfa', 'expected { totpSecret?, code? }.');
    for (const key of Object.keys(options.mfa)) {
      if (key !== 'totpSecret' && key !== 'code') {
        throw new CognitoConfigError(`mfa.${key}`, 'unknown option (expected totpSecret or code).');
      }
    }
    if ('totpSecret' in options.mfa && options.mfa.totpSecret === undefined) {
      // Usually `totpSecret: process.env.X` with X unset: signing in without it would fail later, at the MFA step.
      throw new CognitoConfigError('mfa.totpSecret', 'is present but undefined (an unset environment variable?); give the base32 secret or leave the key out.');
    }
    if (options.mfa.totpSecret !== undefined) {
      const secret = requireString(options.mfa.totpSecret, 'mfa.totpSecret', 'a base32 string');
      base32Decode(secret, 'mfa.totpSecret');
      totpSecret = new Secret(secret);
    }
    mfaCode = optionalFunction(options.mfa.code, 'mfa.code');
  }

  const verifyDefaults = { issuer: defaultIssuer(userPoolId, region, endpoint), clientId };
  return {
    userPoolId,
    poolName,
    region,
    clientId,
    clientSecret,
    authFlow: AuthFlowSelector.from(options.authFlow),
    username,
    password: new Secret(password as PasswordSource),
    endpoint,
    cognitoClient,
    tokenType,
    refreshBeforeExpirySeconds,
    totpSecret,
    mfaCode,
    newPassword: optionalFunction(options.newPassword, 'newPassword'),
    device: parseDevice(options.device),
    deviceStore: parseStore<DeviceStore>(options.deviceStore, 'deviceStore'),
    tokenStore: parseStore<TokenStore>(options.tokenStore, 'tokenStore'),
    rememberDevice: parseRemember(options.rememberDevice),
    verify: parseVerify(options.verify, verifyDefaults),
    clientMetadata: parseClientMetadata(options.clientMetadata),
    retry: parseRetry(options.retry),
    timeoutMs: parseTimeout(options.timeoutMs),
    cache: parseCache(options.cache),
  };
}

const MAX_TIMEOUT_MS = 86_400_000;

/** `timeoutMs`: a positive number of milliseconds (at most a day: a longer deadline is a mistake). */
export function parseTimeout(value: unknown, option = 'timeoutMs'): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw new CognitoConfigError(option, `expected a number of milliseconds > 0 and <= ${MAX_TIMEOUT_MS} (a day; default ${DEFAULT_TIMEOUT_MS}).`);
  }
  return value;
}

const CACHE_METHODS = ['get', 'tryLock', 'set', 'unlock', 'delete', 'waitForChange'] as const;

/** `cache`: a `TokenCache` (e.g. `RedisTokenCache` from `cognito-srp-auth/redis`). */
export function parseCache(value: unknown, option = 'cache'): TokenCache | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Record<string, unknown> | null;
  const missing =
    typeof candidate !== 'object' || candidate === null
      ? [...CACHE_METHODS]
      : CACHE_METHODS.filter((method) => typeof candidate[method] !== 'function');
  if (missing.length > 0) {
    throw new CognitoConfigError(
      option,
      `expected a TokenCache such as RedisTokenCache from cognito-srp-auth/redis (missing ${missing.join(', ')}).`,
    );
  }
  return value as TokenCache;
}
