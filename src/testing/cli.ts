#!/usr/bin/env node
/** `npx cognito-srp-auth-emulator --port 9229 [--users users.json]`: see `main` in cli-main.ts. */
import { main } from './cli-main.js';

main(process.argv.slice(2)).then(
  (handle) => {
    if (handle === undefined) return;
    const stop = (): void => {
      void handle.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error: unknown) => {
    process.stderr.write(`cognito-srp-auth-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
