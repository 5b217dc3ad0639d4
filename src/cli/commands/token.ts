import { CognitoConfigError } from '../../errors.js';
import type { CognitoTokenProviderOptions } from '../../auth/types.js';
import { FileDeviceStore } from '../../tokens/device-store.js';
import { CognitoTokenProvider } from '../../tokens/provider.js';
import { FileTokenStore } from '../../tokens/token-store.js';
import type { TokenSet } from '../../tokens/token-set.js';
import { parseCommandArgs, TOKEN_OPTIONS } from '../args.js';
import { lazyPassword, mfaOptions, readPassword } from '../credentials.js';
import { POOL_COMMAND_FLAGS, withFlagName } from '../flags.js';
import { TOKEN_HELP } from '../help.js';
import { clientCredentialsCommand } from './client-credentials.js';
import { ExitCode, type CliIo } from '../io.js';
import { Progress } from '../progress.js';
import { LineReader } from '../prompt.js';
import { ENV, poolSettings, requireClientId, secretFromEnv } from '../settings.js';

/** Flags that make no sense with `--sign-out`, which prints no token. */
const NOT_WITH_SIGN_OUT = ['json', 'token-type', 'remember-device'] as const;

/**
 * `cognito-srp-auth token`: SRP sign-in (or one refresh of the session in `--token-store`), then the token
 * (or the token set as JSON) on stdout. With `--sign-out`, revokes and deletes the stored session instead.
 */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (argv.includes('--client-credentials')) return clientCredentialsCommand(argv, io);
  const { values } = parseCommandArgs('token', argv, TOKEN_OPTIONS, 0);
  if (values.help === true) {
    io.stdout.write(TOKEN_HELP);
    return ExitCode.ok;
  }
  const settings = poolSettings(values, io.env);
  const clientId = requireClientId(settings);
  const username = values.username?.trim() || io.env[ENV.username]?.trim();
  if (username === undefined || username === '') {
    throw new CognitoConfigError('--username', `required (or set ${ENV.username}): the sign-in name.`);
  }
  const tokenType = values['token-type'] ?? 'access';
  if (tokenType !== 'access' && tokenType !== 'id') throw new CognitoConfigError('--token-type', 'expected access or id.');
  const deviceFile = filePath('--device-store', values['device-store']);
  const tokenFile = filePath('--token-store', values['token-store']);
  if (values['remember-device'] === true && deviceFile === undefined) {
    throw new CognitoConfigError('--remember-device', 'needs --device-store <file>: a one-shot command has nowhere else to keep the device.');
  }
  const signOut = values['sign-out'] === true;
  if (signOut) {
    if (tokenFile === undefined) {
      throw new CognitoConfigError('--sign-out', 'needs --token-store <file>: the session to sign out is the one stored there.');
    }
    const clash = NOT_WITH_SIGN_OUT.find((name) => values[name] !== undefined);
    if (clash !== undefined) throw new CognitoConfigError(`--${clash}`, 'not used with --sign-out, which prints no token.');
  }
  const clientSecret = secretFromEnv(io.env, '--client-secret-env', values['client-secret-env'], ENV.clientSecret);

  const progress = new Progress(io.stderr);
  const lines = new LineReader(io.stdin);
  const signingIn = `Signing in to ${settings.userPoolId} as ${username}`;
  const options: CognitoTokenProviderOptions = {
    userPoolId: settings.userPoolId,
    clientId,
    username,
    // Read only when a sign-in needs it: a session resumed from --token-store, or --sign-out, never asks.
    password: lazyPassword(async () => {
      progress.clear();
      const password = await readPassword(values, io, lines, username);
      progress.step(signingIn);
      return password;
    }),
    tokenType,
    rememberDevice: values['remember-device'] === true,
  };
  const mfa = mfaOptions(values, io, lines, progress);
  if (clientSecret !== undefined) options.clientSecret = clientSecret;
  if (settings.region !== undefined) options.region = settings.region;
  if (settings.endpoint !== undefined) options.endpoint = settings.endpoint;
  if (mfa !== undefined) options.mfa = mfa;
  if (deviceFile !== undefined) options.deviceStore = new FileDeviceStore(deviceFile);
  if (tokenFile !== undefined) options.tokenStore = new FileTokenStore(tokenFile);

  const provider = providerFor(options);
  showProgress(provider, io, progress, deviceFile, tokenFile);
  // On SIGINT/SIGTERM `main` settles at once; closing the provider stops what it has in flight.
  const closeOnStop = (): void => provider.close();
  io.signal?.addEventListener('abort', closeOnStop, { once: true });
  let tokens: TokenSet;
  try {
    if (signOut) {
      await signOutStoredSession(provider, progress, tokenFile!, username);
      return ExitCode.ok;
    }
    progress.step(tokenFile === undefined ? signingIn : `Getting a token for ${username} from ${settings.userPoolId}`);
    tokens = await provider.getTokens();
  } finally {
    io.signal?.removeEventListener('abort', closeOnStop);
    progress.clear();
    provider.close();
  }
  io.stdout.write(values.json === true ? `${JSON.stringify(tokenSetJson(tokens), null, 2)}\n` : `${tokens.token(tokenType)}\n`);
  return ExitCode.ok;
}

/** `--sign-out`: RevokeToken of the stored refresh token, then the session is deleted from the file. */
async function signOutStoredSession(
  provider: CognitoTokenProvider,
  progress: Progress,
  tokenFile: string,
  username: string,
): Promise<void> {
  let signedOut = false;
  provider.on('signOut', () => {
    signedOut = true;
  });
  progress.step(`Signing out the session of ${username} stored in ${tokenFile}`);
  await provider.signOut();
  progress.note(
    signedOut
      ? `Signed out: the refresh token of ${username} was revoked and removed from ${tokenFile}`
      : `No session of ${username} for this app client in ${tokenFile}; nothing to sign out`,
  );
}

/** Progress lines (terminal only) for what the provider does, and warnings (always) for store problems. */
function showProgress(
  provider: CognitoTokenProvider,
  io: CliIo,
  progress: Progress,
  deviceFile: string | undefined,
  tokenFile: string | undefined,
): void {
  provider.on('retry', (e) =>
    progress.step(`Cognito answered ${e.error.code}; retrying ${e.operation} (attempt ${e.attempt + 1}) in ${e.delayMs} ms`),
  );
  provider.on('signIn', (e) =>
    progress.note(`Signed in as ${e.username} (${e.challenges.join(' → ')}) in ${e.durationMs} ms`),
  );
  provider.on('refresh', (e) =>
    progress.note(`Resumed the session stored in ${tokenFile ?? 'memory'} (${e.api}${e.rotated ? ', rotated' : ''}) in ${e.durationMs} ms`),
  );
  provider.on('deviceRemembered', (e) => progress.note(`Device ${e.deviceKey} remembered in ${deviceFile ?? 'memory'}`));
  provider.on('failure', (e) => {
    // Store problems do not stop the sign-in, but the next run may need the password again: say so even
    // when stderr is not a terminal.
    if (e.operation === 'deviceStore' || e.operation === 'rememberDevice' || e.operation === 'tokenStore') {
      progress.clear();
      io.stderr.write(`warning: ${e.error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    } else if (e.operation === 'refresh' && e.recovered) {
      progress.note(`The stored session was refused (${e.error.message}); signing in again`);
    }
  });
}

/** The provider, with option errors naming the flag (`--user-pool-id`, not `userPoolId`). */
function providerFor(options: CognitoTokenProviderOptions): CognitoTokenProvider {
  try {
    return new CognitoTokenProvider(options);
  } catch (error) {
    throw withFlagName(error, POOL_COMMAND_FLAGS);
  }
}

function filePath(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CognitoConfigError(flag, 'expected a file path.');
  return value;
}

/** `--json`: the tokens the user asked for, with expiry as ISO 8601 and seconds from now. */
function tokenSetJson(tokens: TokenSet): Record<string, unknown> {
  return {
    tokenType: 'Bearer',
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
    expiresAt: new Date(tokens.expiresAt).toISOString(),
    expiresIn: Math.max(0, Math.round((tokens.expiresAt - Date.now()) / 1000)),
    username: tokens.username,
    ...(tokens.deviceKey === undefined ? {} : { deviceKey: tokens.deviceKey }),
  };
}
