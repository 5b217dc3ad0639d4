import { claimsCommand } from './commands/claims.js';
import { emulatorCommand } from './commands/emulator.js';
import { tokenCommand } from './commands/token.js';
import { describeFailure } from './failure.js';
import { MAIN_HELP } from './help.js';
import { ExitCode, type CliIo } from './io.js';
import { interruptible } from './signals.js';

export { ExitCode, type CliIo, type CliInput, type CliOutput } from './io.js';

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<ExitCode>> = {
  token: tokenCommand,
  claims: claimsCommand,
  emulator: emulatorCommand,
};

/**
 * Runs `cognito-srp-auth <command> ...` against the given streams and environment and resolves with the
 * exit code; it never throws. A failure is one line on stderr, `error: <message>`, with no secret in it.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout,
 *   stderr: process.stderr, env: process.env });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(MAIN_HELP);
    return ExitCode.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(MAIN_HELP);
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${io.version ?? 'unknown'}\n`);
    return ExitCode.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    const shown = name.startsWith('-') ? 'an option' : `"${name.slice(0, 40)}"`;
    io.stderr.write(`error: expected a command (token, claims or emulator), got ${shown}; see cognito-srp-auth --help.\n`);
    return ExitCode.usage;
  }
  try {
    // A signal ends every command at once; `emulator` is meant to run until one, and exits 0 after closing.
    const running = command(rest, io);
    return await (command === emulatorCommand ? running : interruptible(running, io.signal));
  } catch (error) {
    const { exitCode, message } = describeFailure(error);
    io.stderr.write(`error: ${message}\n`);
    return exitCode;
  }
}
