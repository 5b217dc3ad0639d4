import { defaultIssuer } from '../auth/options.js';
import { CognitoConfigError } from '../errors.js';

/** Pool settings shared by `token` and `claims`: flags first, then the documented environment variables. */
export interface PoolSettings {
  userPoolId: string;
  clientId: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
}

export const ENV = {
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientId: 'COGNITO_CLIENT_ID',
  username: 'COGNITO_USERNAME',
  endpoint: 'COGNITO_ENDPOINT',
  password: 'COGNITO_PASSWORD',
  clientSecret: 'COGNITO_CLIENT_SECRET',
  totpSecret: 'COGNITO_TOTP_SECRET',
} as const;

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function poolSettings(
  values: { 'user-pool-id'?: string; 'client-id'?: string; region?: string; endpoint?: string },
  env: Env,
): PoolSettings {
  const userPoolId = nonEmpty(values['user-pool-id']) ?? nonEmpty(env[ENV.userPoolId]);
  if (userPoolId === undefined) {
    throw new CognitoConfigError('--user-pool-id', `required (or set ${ENV.userPoolId}), e.g. eu-west-1_AbCdEf123.`);
  }
  const endpoint = nonEmpty(values.endpoint) ?? nonEmpty(env[ENV.endpoint]);
  if (endpoint !== undefined && (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol))) {
    throw new CognitoConfigError('--endpoint', 'expected an http(s) URL such as http://127.0.0.1:9229.');
  }
  return {
    userPoolId,
    clientId: nonEmpty(values['client-id']) ?? nonEmpty(env[ENV.clientId]),
    region: nonEmpty(values.region),
    endpoint: endpoint?.replace(/\/+$/, ''),
  };
}

export function requireClientId(settings: PoolSettings): string {
  if (settings.clientId === undefined) {
    throw new CognitoConfigError('--client-id', `required (or set ${ENV.clientId}): the app client id.`);
  }
  return settings.clientId;
}

/**
 * A secret read from the environment variable named by `flag` (e.g. `--client-secret-env NAME`), else from
 * `fallback` when that is set. Only variable names ever appear in messages.
 */
export function secretFromEnv(env: Env, flag: string, named: string | undefined, fallback: string): string | undefined {
  if (named !== undefined) {
    const value = env[named];
    if (value === undefined || value === '') {
      throw new CognitoConfigError(flag, `the environment variable ${named} is not set or empty.`);
    }
    return value;
  }
  const value = env[fallback];
  return value === undefined || value === '' ? undefined : value;
}

/** The issuer Cognito (or the emulator at `endpoint`) puts in `iss`. */
export function issuerOf(settings: PoolSettings): string {
  const region = settings.region ?? /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(settings.userPoolId)?.[1];
  if (region === undefined && settings.endpoint === undefined) {
    throw new CognitoConfigError('--user-pool-id', 'expected <region>_<id>, such as eu-west-1_AbCdEf123 (or pass --region).');
  }
  return defaultIssuer(settings.userPoolId, region ?? '', settings.endpoint);
}
