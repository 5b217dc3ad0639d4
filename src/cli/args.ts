import { parseArgs } from 'node:util';
import { CognitoConfigError } from '../errors.js';
import { argumentError } from './flags.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

const POOL_OPTIONS = {
  'user-pool-id': { type: 'string' },
  'client-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

export const TOKEN_OPTIONS = {
  ...POOL_OPTIONS,
  username: { type: 'string' },
  'client-secret-env': { type: 'string' },
  'password-env': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'totp-secret-env': { type: 'string' },
  'token-type': { type: 'string' },
  json: { type: 'boolean' },
  'device-store': { type: 'string' },
  'remember-device': { type: 'boolean' },
  'token-store': { type: 'string' },
  'sign-out': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

export const CLAIMS_OPTIONS = {
  ...POOL_OPTIONS,
  'no-verify': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

/**
 * Flags that would put a secret in argv (visible in `ps`, kept in shell history). Refused with what to use
 * instead; the value that followed is never echoed.
 */
const REFUSED: Record<string, string> = {
  password:
    'a password on the command line is visible to other users and kept in shell history; use COGNITO_PASSWORD, --password-env NAME, --password-stdin or the prompt.',
  'client-secret': 'secrets on the command line are visible to other users; use --client-secret-env NAME.',
  'totp-secret': 'secrets on the command line are visible to other users; use --totp-secret-env NAME.',
};

export interface Parsed<V> {
  values: V;
  positionals: string[];
}

type ValuesOf<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean;
};

/**
 * Parses one command's arguments. Unknown or refused flags throw a `CognitoConfigError` naming only the
 * flag, never the text after `=` (someone may have typed `--pasword=...`).
 */
export function parseCommandArgs<T extends Record<string, OptionSpec>>(
  command: string,
  argv: readonly string[],
  options: T,
  maxPositionals: number,
): Parsed<ValuesOf<T>> {
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short === undefined ? [] : [`-${o.short}`])));
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=', 1)[0] ?? '';
      const refusal = REFUSED[name];
      if (refusal !== undefined) throw new CognitoConfigError(`--${name}`, `not accepted: ${refusal}`);
      if (!(name in options)) {
        throw new CognitoConfigError(`--${name}`, `unknown option for \`${command}\` (see \`cognito-srp-auth ${command} --help\`).`);
      }
    } else if (arg.startsWith('-') && arg !== '-' && !shorts.has(arg)) {
      throw new CognitoConfigError(arg.slice(0, 2), `unknown option for \`${command}\` (see \`cognito-srp-auth ${command} --help\`).`);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw argumentError(error, `cognito-srp-auth ${command}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CognitoConfigError(
      'arguments',
      maxPositionals === 0
        ? `\`${command}\` takes no positional arguments.`
        : `\`${command}\` takes at most ${maxPositionals} positional argument(s).`,
    );
  }
  return { values: parsed.values as ValuesOf<T>, positionals: parsed.positionals };
}
