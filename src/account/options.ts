import {
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { ClientSecretSource, type ClientSecretOption } from '../auth/client-secret.js';
import { defaultIssuer, jwksFromEnvironment, parseTimeout } from '../auth/options.js';
import type { VerifyOptions } from '../auth/types.js';
import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import { poolNameOf } from '../srp/index.js';
import { isDeviceCredentials, type DeviceCredentials } from '../tokens/device-store.js';
import type { TokenVerifierOptions } from '../tokens/verifier.js';

/** The SDK client's bound on opening a connection (the whole call is bounded by `timeoutMs`). */
const CONNECTION_TIMEOUT_MS = 5_000;

/** AWS credentials for the `admin*` operations, as the SDK takes them (an identity or a provider function). */
export type AdminCredentials = NonNullable<CognitoIdentityProviderClientConfig['credentials']>;

/**
 * Options of `new Cognito(...)`, pycognito's constructor arguments in camelCase.
 *
 * Credentials for `admin*` operations (they need SigV4): `credentials` when given; else, with a custom
 * `endpoint` (the emulator, LocalStack), placeholder keys, since those endpoints do not check the signature;
 * else the SDK's default chain (environment, shared config, SSO, instance role). Self-service operations
 * (SignUp, InitiateAuth, GetUser...) are unsigned and need none. Ignored when `cognitoClient` is given.
 */
export interface CognitoOptions {
  /** e.g. `eu-west-1_AbCdEf123`; the region is taken from it unless `region` is given. */
  userPoolId: string;
  clientId: string;
  /**
   * The app client's secret: SECRET_HASH is added wherever Cognito needs it. A function is called at each
   * operation that needs the secret, so a rotated secret is picked up without a restart.
   */
  clientSecret?: ClientSecretOption;
  /** The user this instance acts for (sign-in name or alias). */
  username?: string;
  /** Tokens from an earlier sign-in (call `verifyTokens()` to check them and fill the claims). */
  idToken?: string;
  accessToken?: string;
  refreshToken?: string;
  region?: string;
  /** Custom Cognito endpoint, e.g. `http://127.0.0.1:9229`. */
  endpoint?: string;
  /** Bring your own SDK client (its region, endpoint, credentials and retries are used as they are). */
  cognitoClient?: CognitoIdentityProviderClient;
  credentials?: AdminCredentials;
  /** A remembered device: `authenticate()` answers DEVICE_SRP_AUTH with it (MFA is skipped). */
  device?: DeviceCredentials;
  /** Token verification; default the pool's JWKS (or the `COGNITO_JWKS` environment variable). */
  verify?: false | VerifyOptions;
  /** Deadline of each Cognito call and JWKS fetch, ms (default 10000): a silent Cognito gives a `NetworkError`. */
  timeoutMs?: number;
}

export interface ResolvedCognitoOptions {
  userPoolId: string;
  poolName: string;
  region: string;
  clientId: string;
  clientSecret: ClientSecretSource | undefined;
  username: string | undefined;
  idToken: string | undefined;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  endpoint: string | undefined;
  client: CognitoIdentityProviderClient;
  ownsClient: boolean;
  device: Secret<DeviceCredentials> | undefined;
  verifier: TokenVerifierOptions | undefined;
  timeoutMs: number;
}

const KNOWN = new Set([
  'userPoolId',
  'clientId',
  'clientSecret',
  'username',
  'idToken',
  'accessToken',
  'refreshToken',
  'region',
  'endpoint',
  'cognitoClient',
  'credentials',
  'device',
  'verify',
  'timeoutMs',
]);
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
/** The credentials the SDK signs `admin*` calls to a custom endpoint with, which does not check them. */
const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new CognitoConfigError(name, 'expected a non-empty string.');
  return value;
}

function parseEndpoint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new CognitoConfigError('endpoint', 'expected an http(s) URL such as http://127.0.0.1:9229.');
  }
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') throw new CognitoConfigError('endpoint', 'must not contain credentials.');
  return value.replace(/\/+$/, '');
}

function parseVerify(value: unknown, defaults: { issuer: string; clientId: string }): TokenVerifierOptions | undefined {
  if (value === false) return undefined;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new CognitoConfigError('verify', 'expected false or { issuer?, jwks?, jwksUri? }.');
  }
  const v = (value ?? {}) as VerifyOptions;
  for (const key of Object.keys(v)) {
    if (key !== 'issuer' && key !== 'jwks' && key !== 'jwksUri') {
      throw new CognitoConfigError(`verify.${key}`, 'unknown option (expected issuer, jwks or jwksUri).');
    }
  }
  const issuer = optionalString(v as Record<string, unknown>, 'issuer') ?? defaults.issuer;
  const jwksUri = optionalString(v as Record<string, unknown>, 'jwksUri') ?? `${issuer}/.well-known/jwks.json`;
  if (v.jwks !== undefined && (typeof v.jwks !== 'object' || v.jwks === null || !Array.isArray(v.jwks.keys))) {
    throw new CognitoConfigError('verify.jwks', 'expected a JWKS: an object with a "keys" array.');
  }
  const jwks = v.jwks ?? jwksFromEnvironment();
  return { issuer, clientId: defaults.clientId, jwksUri, ...(jwks === undefined ? {} : { jwks }) };
}

function parseDevice(value: unknown): Secret<DeviceCredentials> | undefined {
  if (value === undefined) return undefined;
  if (!isDeviceCredentials(value)) {
    throw new CognitoConfigError('device', 'expected { deviceKey, deviceGroupKey, devicePassword }, all three non-empty.');
  }
  const { deviceKey, deviceGroupKey, devicePassword } = value;
  return new Secret({ deviceKey, deviceGroupKey, devicePassword });
}

/** Validates the options once; throws a `CognitoConfigError` naming the first bad one. */
export function resolveCognitoOptions(input: CognitoOptions): ResolvedCognitoOptions {
  if (typeof input !== 'object' || input === null) throw new CognitoConfigError('options', 'expected an options object.');
  const options = input as unknown as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new CognitoConfigError(key, 'unknown option (check the spelling).');
  }
  const userPoolId = optionalString(options, 'userPoolId');
  if (userPoolId === undefined) throw new CognitoConfigError('userPoolId', 'required, e.g. eu-west-1_AbCdEf123.');
  const poolName = poolNameOf(userPoolId);
  const region = optionalString(options, 'region') ?? userPoolId.slice(0, userPoolId.indexOf('_'));
  if (!REGION.test(region)) throw new CognitoConfigError('region', 'expected a region such as eu-west-1.');
  const clientId = optionalString(options, 'clientId');
  if (clientId === undefined) throw new CognitoConfigError('clientId', 'required: the app client id.');
  const secret = ClientSecretSource.from(options.clientSecret, 'clientSecret');
  const endpoint = parseEndpoint(optionalString(options, 'endpoint'));

  const given = options.cognitoClient as CognitoIdentityProviderClient | undefined;
  if (given !== undefined && typeof (given as { send?: unknown }).send !== 'function') {
    throw new CognitoConfigError('cognitoClient', 'expected a CognitoIdentityProviderClient.');
  }
  const credentials = options.credentials as AdminCredentials | undefined;
  const isIdentity = typeof credentials === 'object' && credentials !== null;
  if (credentials !== undefined && typeof credentials !== 'function' && !isIdentity) {
    throw new CognitoConfigError(
      'credentials',
      'expected { accessKeyId, secretAccessKey, sessionToken? } or a credential provider.',
    );
  }
  const timeoutMs = parseTimeout(options.timeoutMs);
  const verifier = parseVerify(options.verify, { issuer: defaultIssuer(userPoolId, region, endpoint), clientId });
  const resolvedCredentials = credentials ?? (endpoint === undefined ? undefined : PLACEHOLDER_CREDENTIALS);
  const client =
    given ??
    new CognitoIdentityProviderClient({
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(resolvedCredentials === undefined ? {} : { credentials: resolvedCredentials }),
      // One attempt: a typed error (ThrottledError, LimitExceededError...) reaches the caller at once; bring a
      // `cognitoClient` for the SDK's retries.
      maxAttempts: 1,
      requestHandler: {
        requestTimeout: timeoutMs,
        connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, timeoutMs),
        throwOnRequestTimeout: true,
      },
    });

  return {
    userPoolId,
    poolName,
    region,
    clientId,
    clientSecret: secret,
    username: optionalString(options, 'username'),
    idToken: optionalString(options, 'idToken'),
    accessToken: optionalString(options, 'accessToken'),
    refreshToken: optionalString(options, 'refreshToken'),
    endpoint,
    client,
    ownsClient: given === undefined,
    device: parseDevice(options.device),
    verifier: verifier === undefined ? undefined : { ...verifier, timeoutMs },
    timeoutMs,
  };
}
