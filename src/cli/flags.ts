import { CognitoConfigError } from '../errors.js';

/** Constructor options of `CognitoTokenProvider` and `TokenVerifier` → the `cognito-srp-auth` flag that sets them. */
export const POOL_COMMAND_FLAGS: Readonly<Record<string, string>> = {
  userPoolId: '--user-pool-id',
  clientId: '--client-id',
  region: '--region',
  endpoint: '--endpoint',
  issuer: '--user-pool-id',
  jwksUri: '--endpoint',
  username: '--username',
  clientSecret: '--client-secret-env',
  tokenType: '--token-type',
  'mfa.totpSecret': '--totp-secret-env',
  deviceStore: '--device-store',
  tokenStore: '--token-store',
  rememberDevice: '--remember-device',
};

/** `startCognitoEmulator` options → the `cognito-srp-auth-emulator` (and `cognito-srp-auth emulator`) flag. */
export const EMULATOR_FLAGS: Readonly<Record<string, string>> = {
  port: '--port',
  region: '--region',
  poolName: '--pool-name',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  deviceTracking: '--device-tracking',
  mfa: '--mfa',
  refreshTokenRotation: '--refresh-token-rotation',
  accessTokenValiditySeconds: '--access-token-validity',
  explicitAuthFlows: '--explicit-auth-flows',
  preventUserExistenceErrors: '--prevent-user-existence-errors',
};

/**
 * The same error naming the flag the user typed instead of the library option behind it
 * (`--user-pool-id`, not `userPoolId`); anything else is returned unchanged.
 */
export function withFlagName(error: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof CognitoConfigError)) return error;
  const flag = Object.hasOwn(flags, error.option) ? flags[error.option] : undefined;
  if (flag === undefined) return error;
  const prefix = `Invalid option \`${error.option}\`: `;
  const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new CognitoConfigError(flag, reason, error.cause === undefined ? {} : { cause: error.cause });
}

/**
 * A `util.parseArgs` error as a `CognitoConfigError` naming the flag. Node's own message for a stray
 * positional quotes it (it may be a password typed in the wrong place); this one never does.
 */
export function argumentError(error: unknown, usage: string): CognitoConfigError {
  // Not `instanceof Error`: errors from Node's own modules may come from another realm (vm contexts).
  const { code, message: raw } = (error ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof raw === 'string' ? raw : '';
  const flag = /'(--?[\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
    return message.includes('argument missing')
      ? new CognitoConfigError(flag, `needs a value: ${flag} <value> (see \`${usage} --help\`).`)
      : new CognitoConfigError(flag, `takes no value (see \`${usage} --help\`).`);
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined) {
    return new CognitoConfigError(flag, `unknown option for \`${usage}\` (see \`${usage} --help\`).`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new CognitoConfigError('arguments', `\`${usage}\` takes no positional arguments.`);
  }
  return new CognitoConfigError('arguments', message.split('\n')[0] ?? 'invalid arguments.');
}
