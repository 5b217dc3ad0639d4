#!/usr/bin/env node
/** The `cognito-srp-auth` executable: see `main` in program.ts and `cognito-srp-auth --help`. */
import { fileURLToPath } from 'node:url';
import { main } from './program.js';
import { stopOnSignals } from './signals.js';
import { packageVersion } from './version.js';

// The AWS SDK prints a multi-line notice about its future Node support on Node < 22; stderr here is for
// one-line errors and progress (the SDK's own documented switch; an explicit setting wins).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The first SIGINT/SIGTERM ends the command: `main` resolves with 130/143 and the process exits below.
const stop = new AbortController();
stopOnSignals(process, stop);

const exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: stop.signal,
  version: packageVersion(fileURLToPath(import.meta.url)),
});
// Leftover keep-alive sockets (SDK client, JWKS fetch) must not hold the process open after the answer;
// exit once stdout and stderr are flushed (pipes are asynchronous on some platforms).
process.exitCode = exitCode;
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
