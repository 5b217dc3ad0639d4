import { CognitoConfigError } from '../../errors.js';
import type { CognitoTokenProviderOptions } from '../../auth/types.js';
import { FileDeviceStore } from '../../tokens/device-store.js';
import { CognitoTokenProvider } from '../../tokens/provider.js';
import type { TokenSet } from '../../tokens/token-set.js';
import { parseCommandArgs, TOKEN_OPTIONS } from '../args.js';
import { mfaOptions, readPassword } from '../credentials.js';
import { TOKEN_HELP } from '../help.js';
import { ExitCode, type CliIo } from '../io.js';
import { Progress } from '../progress.js';
import { LineReader } from '../prompt.js';
import { ENV, poolSettings, requireClientId, secretFromEnv } from '../settings.js';

/** `cognito-srp-auth token`: SRP sign-in, then the token (or the token set as JSON) on stdout. */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
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
  const deviceFile = values['device-store'];
  if (values['remember-device'] === true && deviceFile === undefined) {
    throw new CognitoConfigError('--remember-device', 'needs --device-store <file>: a one-shot command has nowhere else to keep the device.');
  }
  const clientSecret = secretFromEnv(io.env, '--client-secret-env', values['client-secret-env'], ENV.clientSecret);

  const progress = new Progress(io.stderr);
  const lines = new LineReader(io.stdin);
  const mfa = mfaOptions(values, io, lines, progress);
  const password = await readPassword(values, io, lines, username);

  const options: CognitoTokenProviderOptions = {
    userPoolId: settings.userPoolId,
    clientId,
    username,
    password,
    tokenType,
    rememberDevice: values['remember-device'] === true,
  };
  if (clientSecret !== undefined) options.clientSecret = clientSecret;
  if (settings.region !== undefined) options.region = settings.region;
  if (settings.endpoint !== undefined) options.endpoint = settings.endpoint;
  if (mfa !== undefined) options.mfa = mfa;
  if (deviceFile !== undefined) options.deviceStore = new FileDeviceStore(deviceFile);

  const provider = new CognitoTokenProvider(options);
  provider.on('retry', (e) =>
    progress.step(`Cognito answered ${e.error.code}; retrying ${e.operation} (attempt ${e.attempt + 1}) in ${e.delayMs} ms`),
  );
  provider.on('signIn', (e) =>
    progress.note(`Signed in as ${e.username} (${e.challenges.join(' → ')}) in ${e.durationMs} ms`),
  );
  provider.on('deviceRemembered', (e) => progress.note(`Device ${e.deviceKey} remembered in ${deviceFile ?? 'memory'}`));
  provider.on('failure', (e) => {
    // Device problems do not stop the sign-in; say so even when stderr is not a terminal.
    if (e.operation === 'deviceStore' || e.operation === 'rememberDevice') {
      progress.clear();
      io.stderr.write(`warning: ${e.error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    }
  });
  let tokens: TokenSet;
  try {
    progress.step(`Signing in to ${settings.userPoolId} as ${username}`);
    tokens = await provider.getTokens();
  } finally {
    progress.clear();
    provider.close();
  }
  io.stdout.write(values.json === true ? `${JSON.stringify(tokenSetJson(tokens), null, 2)}\n` : `${tokens.token(tokenType)}\n`);
  return ExitCode.ok;
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
