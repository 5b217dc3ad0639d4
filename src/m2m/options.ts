import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

import {
  DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS,
  defaultIssuer,
  parseCache,
  parseEndpoint,
  parsePoolAndClient,
  parseRetry,
  parseTimeout,
  requireString,
  parseVerify,
  type VerifySettings,
} from '../auth/options.js';
import type { RetryPolicy } from '../auth/retry.js';
import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import type { TokenCache } from '../tokens/token-cache.js';
import type { CognitoClientCredentialsOptions } from './types.js';

const KNOWN_OPTIONS = new Set<string>([
  'userPoolId',
  'clientId',
  'clientSecret',
  'scopes',
  'tokenEndpoint',
  'region',
  'endpoint',
  'cognitoClient',
  'verify',
  'refreshBeforeExpirySeconds',
  'retry',
  'timeoutMs',
  'cache',
]);

/** RFC 6749 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Longest deadline accepted for one token request: a day is already absurd, larger is a unit mistake. */

export type ClientSecretSource = string | (() => Promise<string> | string);

/** Options after validation; the secret wrapped so it cannot be printed by accident. */
export interface ResolvedClientCredentialsOptions {
  userPoolId: string;
  region: string;
  clientId: string;
  clientSecret: Secret<ClientSecretSource>;
  /** Requested scopes; empty = every scope of the app client (none sent). */
  scopes: readonly string[];
  /** The OAuth 2.0 token endpoint; undefined = the GetClientToken API. */
  tokenEndpoint: string | undefined;
  endpoint: string | undefined;
  cognitoClient: CognitoIdentityProviderClient | undefined;
  /** undefined = `verify: false`. */
  verify: VerifySettings | undefined;
  refreshBeforeExpirySeconds: number;
  retry: RetryPolicy;
  timeoutMs: number;
  cache: TokenCache | undefined;
}

function parseScopes(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CognitoConfigError('scopes', "expected an array such as ['orders/read'].");
  value.forEach((scope: unknown, index) => {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) {
      throw new CognitoConfigError(
        `scopes[${index}]`,
        'expected a scope such as orders/read (no spaces, quotes or backslashes).',
      );
    }
  });
  return [...new Set(value as string[])];
}

/** An https URL (http only for loopback hosts: the client secret travels in every request). */
function parseTokenEndpoint(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = requireString(value, 'tokenEndpoint', 'a URL such as https://auth.example.com/oauth2/token');
  if (!URL.canParse(text)) {
    throw new CognitoConfigError('tokenEndpoint', 'expected a URL such as https://auth.example.com/oauth2/token.');
  }
  const url = new URL(text);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new CognitoConfigError('tokenEndpoint', 'expected an https: URL (http: only for 127.0.0.1 or localhost).');
  }
  if (url.username !== '' || url.password !== '') {
    throw new CognitoConfigError('tokenEndpoint', 'must not contain credentials (the client secret is sent apart).');
  }
  if (url.hash !== '') throw new CognitoConfigError('tokenEndpoint', 'must not contain a #fragment.');
  return url.href;
}

function parseSecret(value: unknown): Secret<ClientSecretSource> {
  if ((typeof value === 'string' && value.length > 0) || typeof value === 'function') {
    return new Secret(value as ClientSecretSource);
  }
  throw new CognitoConfigError(
    'clientSecret',
    'required: a non-empty string or a function returning (a promise of) one; M2M app clients always have a secret.',
  );
}

/**
 * Validates the options of `CognitoClientCredentialsProvider` once.
 * @throws CognitoConfigError naming the first bad option.
 */
export function resolveClientCredentialsOptions(input: CognitoClientCredentialsOptions): ResolvedClientCredentialsOptions {
  const { options, userPoolId, region, clientId } = parsePoolAndClient(input, KNOWN_OPTIONS);
  const clientSecret = parseSecret(options.clientSecret);
  const endpoint = parseEndpoint(options.endpoint);
  const cognitoClient = options.cognitoClient as CognitoIdentityProviderClient | undefined;
  if (cognitoClient !== undefined && typeof (cognitoClient as { send?: unknown })?.send !== 'function') {
    throw new CognitoConfigError('cognitoClient', 'expected a CognitoIdentityProviderClient.');
  }
  const tokenEndpoint = parseTokenEndpoint(options.tokenEndpoint);
  const refresh = options.refreshBeforeExpirySeconds;
  if (refresh !== undefined && (typeof refresh !== 'number' || !Number.isFinite(refresh) || refresh < 0)) {
    throw new CognitoConfigError('refreshBeforeExpirySeconds', 'expected a finite number >= 0.');
  }
  return {
    userPoolId,
    region,
    clientId,
    clientSecret,
    scopes: parseScopes(options.scopes),
    tokenEndpoint,
    endpoint,
    cognitoClient,
    verify: parseVerify(options.verify, { issuer: defaultIssuer(userPoolId, region, endpoint), clientId }),
    refreshBeforeExpirySeconds: (refresh as number | undefined) ?? DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS,
    retry: parseRetry(options.retry),
    timeoutMs: parseTimeout(options.timeoutMs),
    cache: parseCache(options.cache),
  };
}
