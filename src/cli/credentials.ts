import type { MfaChallenge, MfaOptions } from '../auth/types.js';
import { CognitoConfigError } from '../errors.js';
import type { CliIo } from './io.js';
import type { Progress } from './progress.js';
import { LineReader, promptOnTerminal } from './prompt.js';
import { ENV, secretFromEnv } from './settings.js';

export interface CredentialFlags {
  'password-env'?: string;
  'password-stdin'?: boolean;
  'totp-secret-env'?: string;
}

/**
 * Where the password comes from, first match wins: `--password-stdin` (first line of stdin; on a terminal,
 * the no-echo prompt), `--password-env NAME`, `COGNITO_PASSWORD`, the no-echo prompt when stdin is a
 * terminal. Never argv.
 */
export async function readPassword(
  flags: CredentialFlags,
  io: CliIo,
  lines: LineReader,
  username: string,
): Promise<string> {
  const onTerminal = io.stdin.isTTY === true && io.stdin.setRawMode !== undefined;
  if (flags['password-stdin'] === true && !onTerminal) {
    const line = await lines.next();
    if (line === undefined || line === '') {
      throw new CognitoConfigError('--password-stdin', 'stdin is empty; pipe the password as its first line.');
    }
    return line;
  }
  if (flags['password-stdin'] !== true) {
    const fromEnv = secretFromEnv(io.env, '--password-env', flags['password-env'], ENV.password);
    if (fromEnv !== undefined) return fromEnv;
  }
  if (!onTerminal) {
    throw new CognitoConfigError(
      'password',
      `no password given: set ${ENV.password}, use --password-env NAME or --password-stdin, or run in a terminal to be prompted.`,
    );
  }
  const typed = await promptOnTerminal(io.stdin, io.stderr, `Password for ${username}: `);
  if (typed === '') throw new CognitoConfigError('password', 'the password is empty.');
  return typed;
}

/**
 * The provider's `password` option as a callback: `read` (prompt, environment or stdin) runs only when a
 * sign-in needs the password, so a session resumed from `--token-store` never asks, and runs once
 * however often the provider calls back (retries, a second sign-in after a dead refresh token): a second
 * stdin read would take the MFA code's line.
 */
export function lazyPassword(read: () => Promise<string>): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => (pending ??= read());
}

/**
 * The provider's `mfa` option: a TOTP secret from the environment (computed locally), and a `code`
 * callback that asks on the terminal, or reads the line after the password with `--password-stdin`.
 */
export function mfaOptions(
  flags: CredentialFlags,
  io: CliIo,
  lines: LineReader,
  progress: Progress,
): MfaOptions | undefined {
  const totpSecret = secretFromEnv(io.env, '--totp-secret-env', flags['totp-secret-env'], ENV.totpSecret);
  const onTerminal = io.stdin.isTTY === true && io.stdin.setRawMode !== undefined;
  const canAsk = onTerminal || flags['password-stdin'] === true;
  const mfa: MfaOptions = {};
  if (totpSecret !== undefined) mfa.totpSecret = totpSecret;
  if (canAsk) {
    mfa.code = async (challenge: MfaChallenge): Promise<string> => {
      progress.clear();
      const code = onTerminal
        ? await promptOnTerminal(io.stdin, io.stderr, `${describeChallenge(challenge)}: `, { echo: true })
        : await lines.next();
      if (code === undefined || code.trim() === '') {
        throw new CognitoConfigError(
          '--password-stdin',
          `Cognito asks for ${challenge.challengeName} and stdin has no line after the password; pipe the code as the second line or use --totp-secret-env NAME.`,
        );
      }
      return code.trim();
    };
  }
  return mfa.totpSecret === undefined && mfa.code === undefined ? undefined : mfa;
}

function describeChallenge(challenge: MfaChallenge): string {
  switch (challenge.challengeName) {
    case 'SOFTWARE_TOKEN_MFA':
      return 'MFA code from your authenticator app';
    case 'SMS_MFA':
      return `MFA code sent by SMS${challenge.destination === undefined ? '' : ` to ${challenge.destination}`}`;
    default:
      return `Code sent by email${challenge.destination === undefined ? '' : ` to ${challenge.destination}`}`;
  }
}
