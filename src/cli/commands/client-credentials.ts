import { CognitoConfigError } from '../../errors.js';
import { obtainClientCredentialsToken, resolveClientCredentialsOptions } from '../../m2m/index.js';
import type { CognitoClientCredentialsOptions } from '../../m2m/types.js';
import { parseCommandArgs } from '../args.js';
import { ExitCode, type CliIo } from '../io.js';
import { promptOnTerminal } from '../prompt.js';
import { ENV, poolSettings, requireClientId, secretFromEnv } from '../settings.js';
import { deadlineSignal } from '../../auth/deadline.js';

/** Flags of `token --client-credentials` (no user, no password: the app client's own credentials). */
const CLIENT_CREDENTIALS_OPTIONS = {
  'user-pool-id': { type: 'string' },
  'client-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'client-credentials': { type: 'boolean' },
  'client-secret-env': { type: 'string' },
  scope: { type: 'string', multiple: true },
  'token-endpoint': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const CLIENT_CREDENTIALS_HELP = `Usage: cognito-srp-auth token --client-credentials [options]

Gets a machine-to-machine access token for an app client with a secret (OAuth 2.0 client credentials),
verifies it with the pool's JWKS (and that every --scope was granted) and prints it on stdout. Each run
is one billed token request: a service should use CognitoClientCredentialsProvider, which caches it.

Options:
  --user-pool-id <id>        user pool id, e.g. eu-west-1_AbCdEf123    (env COGNITO_USER_POOL_ID)
  --client-id <id>           app client id                              (env COGNITO_CLIENT_ID)
  --region <region>          default: taken from the user pool id
  --endpoint <url>           custom Cognito endpoint, e.g. the emulator (env COGNITO_ENDPOINT)
  --client-secret-env <NAME> read the app client secret from env NAME   (default env COGNITO_CLIENT_SECRET;
                             without either, it is asked for on the terminal without echo)
  --scope <scope>            a custom scope to request, e.g. orders/read; repeat for more
                             (default: every scope of the app client)
  --token-endpoint <url>     use the OAuth 2.0 token endpoint of the pool's domain,
                             e.g. https://auth.example.com/oauth2/token (default: the GetClientToken API)
  --json                     print {"accessToken", "expiresAt", "issuedAt", "scopes"} as JSON
  -h, --help                 show this help

The client secret is never taken from the command line.

Examples:
  COGNITO_CLIENT_SECRET=... cognito-srp-auth token --client-credentials --user-pool-id eu-west-1_AbCdEf123 \\
    --client-id 1example23456789 --scope orders/read --scope orders/write
  curl -H "authorization: Bearer $(cognito-srp-auth token --client-credentials --scope orders/read)" \\
    https://api.example.com/orders
`;

async function readClientSecret(io: CliIo, named: string | undefined): Promise<string> {
  const fromEnv = secretFromEnv(io.env, '--client-secret-env', named, ENV.clientSecret);
  if (fromEnv !== undefined) return fromEnv;
  if (io.stdin.isTTY !== true || io.stdin.setRawMode === undefined) {
    throw new CognitoConfigError(
      'client secret',
      `none given: set ${ENV.clientSecret}, use --client-secret-env NAME, or run in a terminal to be prompted.`,
    );
  }
  const typed = await promptOnTerminal(io.stdin, io.stderr, 'App client secret: ');
  if (typed === '') throw new CognitoConfigError('client secret', 'the secret is empty.');
  return typed;
}

/** `cognito-srp-auth token --client-credentials`: one M2M token request, verified, the token on stdout. */
export async function clientCredentialsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs('token --client-credentials', argv, CLIENT_CREDENTIALS_OPTIONS, 0);
  if (values.help === true) {
    io.stdout.write(CLIENT_CREDENTIALS_HELP);
    return ExitCode.ok;
  }
  const settings = poolSettings(values, io.env);
  const clientId = requireClientId(settings);
  const scopes = (values.scope as unknown as string[] | undefined) ?? [];
  const input: CognitoClientCredentialsOptions = {
    userPoolId: settings.userPoolId,
    clientId,
    // Validated before the secret is asked for, so a typo costs no prompt.
    clientSecret: 'placeholder',
    ...(scopes.length === 0 ? {} : { scopes }),
  };
  if (settings.region !== undefined) input.region = settings.region;
  if (settings.endpoint !== undefined) input.endpoint = settings.endpoint;
  if (values['token-endpoint'] !== undefined) input.tokenEndpoint = values['token-endpoint'];
  const options = resolveFlags(input);
  const secret = await readClientSecret(io, values['client-secret-env']);
  const resolved = resolveFlags({ ...input, clientSecret: secret });
  const token = await obtainClientCredentialsToken(resolved, { signal: deadlineSignal(options.timeoutMs, io.signal) });
  io.stdout.write(
    values.json === true
      ? `${JSON.stringify(
          {
            accessToken: token.accessToken,
            expiresAt: new Date(token.expiresAt).toISOString(),
            issuedAt: new Date(token.issuedAt).toISOString(),
            scopes: token.scopes,
          },
          null,
          2,
        )}\n`
      : `${token.accessToken}\n`,
  );
  return ExitCode.ok;
}

const FLAG_OF: Record<string, string> = {
  userPoolId: '--user-pool-id',
  clientId: '--client-id',
  region: '--region',
  endpoint: '--endpoint',
  tokenEndpoint: '--token-endpoint',
  scopes: '--scope',
};

/** Option errors named by the flag the user typed (`scopes[1]` → `--scope`). */
function resolveFlags(input: CognitoClientCredentialsOptions): ReturnType<typeof resolveClientCredentialsOptions> {
  try {
    return resolveClientCredentialsOptions(input);
  } catch (error) {
    if (error instanceof CognitoConfigError) {
      const flag = FLAG_OF[error.option.replace(/\[\d+\]$/, '')];
      if (flag !== undefined) {
        throw new CognitoConfigError(flag, error.message.replace(/^Invalid option `[^`]*`: /, ''), { cause: error });
      }
    }
    throw error;
  }
}
