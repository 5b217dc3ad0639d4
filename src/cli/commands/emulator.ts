import { main as emulatorMain } from '../../testing/cli-main.js';
import { ExitCode, type CliIo } from '../io.js';

/**
 * `cognito-srp-auth emulator [options]`: the emulator's own CLI (`cognito-srp-auth-emulator`), running until
 * `io.signal` aborts (SIGINT/SIGTERM in a real process), then closed.
 */
export async function emulatorCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const handle = await emulatorMain(argv, {
    stdout: (text) => io.stdout.write(text),
    stderr: (text) => io.stderr.write(text),
    ...(io.version === undefined ? {} : { version: io.version }),
  });
  if (handle === undefined) return ExitCode.ok; // --help, --version
  await new Promise<void>((resolve) => {
    if (io.signal === undefined) return; // runs until the process is killed
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await handle.close();
  return ExitCode.ok;
}
