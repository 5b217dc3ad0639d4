import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { argumentError, EMULATOR_FLAGS, withFlagName } from '../cli/flags.js';
import { CognitoConfigError } from '../errors.js';
import { startCognitoEmulator } from './emulator.js';
import type { CognitoEmulator, CognitoEmulatorOptions, EmulatorUser } from './types.js';

export const USAGE = `Usage: cognito-srp-auth-emulator [options]

Starts a local Amazon Cognito user pool on 127.0.0.1 (AWS JSON 1.1, real SRP, RS256 tokens, JWKS).

Options:
  --port <n>                 TCP port (default 9229; 0 = any free port)
  --users <file.json>        users to add: a JSON array of { username, password, email?, totpSecret?, groups?, ... }
  --region <region>          pool region (default us-east-1)
  --pool-name <name>         the part of the pool id after "_" (default local)
  --client-id <id>           app client id (default random)
  --client-secret <secret>   give the app client this secret (never printed)
  --device-tracking <mode>   off | always | opt-in (default off)
  --mfa <mode>               off | optional | on (default optional)
  --refresh-token-rotation   enable refresh-token rotation
  --access-token-validity <seconds>
  --explicit-auth-flows <list>
                             comma-separated ExplicitAuthFlows, e.g. ALLOW_USER_AUTH,ALLOW_REFRESH_TOKEN_AUTH
  --prevent-user-existence-errors <mode>
                             LEGACY (default, UserNotFoundException) | ENABLED (fake challenge)
  --no-lockout               no lockout after failed sign-ins
  --allow-totp-reuse         accept a TOTP code more than once
  --json                     print the connection details as one JSON line
  -h, --help                 show this help
  -V, --version              print the version

Exit codes: 0 stopped by SIGINT/SIGTERM or --help, 1 could not start, 2 bad arguments or a busy port.
`;

/** Default CLI port (the one cognito-local made familiar). */
export const DEFAULT_CLI_PORT = 9229;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What `--version` prints (the entry point reads it from package.json). */
  version?: string;
}

export interface CliHandle {
  emulator: CognitoEmulator;
  close(): Promise<void>;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new CognitoConfigError(name, 'must be an integer.');
  return parsed;
}

async function readUsers(path: string): Promise<EmulatorUser[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CognitoConfigError('--users', `cannot read ${path}.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CognitoConfigError('--users', `${path} is not valid JSON.`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) {
    throw new CognitoConfigError('--users', `${path} must hold a JSON array of users (or { "users": [...] }).`);
  }
  return list as EmulatorUser[];
}

/** Parses the command line into emulator options (exported for tests). */
export function parseCliArgs(argv: readonly string[]): {
  help: boolean;
  version: boolean;
  json: boolean;
  usersFile: string | undefined;
  options: CognitoEmulatorOptions;
} {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        users: { type: 'string' },
        region: { type: 'string' },
        'pool-name': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'device-tracking': { type: 'string' },
        mfa: { type: 'string' },
        'refresh-token-rotation': { type: 'boolean' },
        'access-token-validity': { type: 'string' },
        'explicit-auth-flows': { type: 'string' },
        'prevent-user-existence-errors': { type: 'string' },
        'no-lockout': { type: 'boolean' },
        'allow-totp-reuse': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    }));
  } catch (error) {
    throw argumentError(error, 'cognito-srp-auth-emulator');
  }
  const options: CognitoEmulatorOptions = {
    port: integer('--port', values.port) ?? DEFAULT_CLI_PORT,
    poolName: values['pool-name'] ?? 'local',
  };
  if (values.region !== undefined) options.region = values.region;
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  if (values['device-tracking'] !== undefined) {
    options.deviceTracking = values['device-tracking'] as CognitoEmulatorOptions['deviceTracking'];
  }
  if (values.mfa !== undefined) options.mfa = values.mfa as CognitoEmulatorOptions['mfa'];
  if (values['refresh-token-rotation'] === true) options.refreshTokenRotation = true;
  if (values['explicit-auth-flows'] !== undefined) {
    options.explicitAuthFlows = values['explicit-auth-flows'].split(',').map((flow) => flow.trim()).filter(Boolean);
  }
  if (values['prevent-user-existence-errors'] !== undefined) {
    options.preventUserExistenceErrors = values['prevent-user-existence-errors'] as 'ENABLED' | 'LEGACY';
  }
  if (values['no-lockout'] === true) options.lockout = false;
  if (values['allow-totp-reuse'] === true) options.allowTotpReuse = true;
  const validity = integer('--access-token-validity', values['access-token-validity']);
  if (validity !== undefined) options.accessTokenValiditySeconds = validity;
  return {
    help: values.help === true,
    version: values.version === true,
    json: values.json === true,
    usersFile: values.users,
    options,
  };
}

function describe(emulator: CognitoEmulator, users: number): Record<string, string | number | boolean> {
  return {
    endpoint: emulator.endpoint,
    region: emulator.region,
    userPoolId: emulator.userPoolId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret !== undefined,
    issuer: emulator.issuer,
    jwksUri: emulator.jwksUri,
    tokenEndpoint: emulator.tokenEndpoint,
    users,
  };
}

/** Starts the emulator; option errors name the flag, and a port that cannot be had is one line naming `--port`. */
async function start(options: CognitoEmulatorOptions): Promise<CognitoEmulator> {
  try {
    return await startCognitoEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const why = code === 'EADDRINUSE' ? 'is already in use' : 'may not be opened by this user';
      throw new CognitoConfigError(
        '--port',
        `port ${String(options.port)} on 127.0.0.1 ${why}; pick another (--port 0 takes any free port).`,
        { cause: error },
      );
    }
    throw withFlagName(error, EMULATOR_FLAGS);
  }
}

/**
 * Runs the emulator CLI: starts the emulator, adds the users, prints the connection details. Returns a handle
 * (the process entry point closes it on SIGINT/SIGTERM), or undefined after `--help` or `--version`.
 * @throws CognitoConfigError for bad arguments or a bad users file (messages never contain passwords).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
): Promise<CliHandle | undefined> {
  const { help, version, json, usersFile, options } = parseCliArgs(argv);
  if (help) {
    io.stdout(USAGE);
    return undefined;
  }
  if (version) {
    io.stdout(`${io.version ?? 'unknown'}\n`);
    return undefined;
  }
  const users = usersFile === undefined ? [] : await readUsers(usersFile);
  const emulator = await start(options);
  try {
    users.forEach((user, index) => {
      try {
        emulator.addUser(user);
      } catch (error) {
        const reason = error instanceof CognitoConfigError ? error.message : 'invalid user';
        throw new CognitoConfigError(`--users[${index}]`, reason, { cause: error });
      }
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const details = describe(emulator, users.length);
  if (json) {
    io.stdout(`${JSON.stringify(details)}\n`);
  } else {
    const lines = Object.entries(details).map(([key, value]) => `  ${`${key}:`.padEnd(16)}${String(value)}`);
    io.stdout(`Cognito emulator listening on ${emulator.endpoint}\n${lines.join('\n')}\n`);
  }
  return { emulator, close: () => emulator.close() };
}
