#!/usr/bin/env node
/** `npx cognito-srp-auth-emulator --port 9229 [--users users.json]`: see `main` in cli-main.ts. */
import { fileURLToPath } from 'node:url';
import { stopOnSignals } from '../cli/signals.js';
import { packageVersion } from '../cli/version.js';
import { CognitoConfigError } from '../errors.js';
import { main } from './cli-main.js';

// The first SIGINT/SIGTERM closes the emulator and exits 0 (a second one, or a close that hangs, exits at once).
const stop = new AbortController();
stopOnSignals(process, stop);

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: packageVersion(fileURLToPath(import.meta.url)),
}).then(
  (handle) => {
    if (handle === undefined) return;
    const close = (): void => {
      void handle.close().then(() => process.exit(0));
    };
    if (stop.signal.aborted) close();
    else stop.signal.addEventListener('abort', close, { once: true });
  },
  (error: unknown) => {
    // One line, no stack; the same exit code as `cognito-srp-auth` for the same mistake (2: bad arguments).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cognito-srp-auth-emulator: error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(error instanceof CognitoConfigError ? 2 : 1);
  },
);
