import { CognitoAuthError, MfaRequiredError } from '../errors.js';
import { CancelledError, ExitCode } from './io.js';
import { InterruptedError } from './signals.js';

const UNAVAILABLE = new Set(['NETWORK_ERROR', 'SERVICE_ERROR', 'THROTTLED', 'LIMIT_EXCEEDED', 'ABORTED']);

/**
 * The one line and exit code for a failed command. Library errors never carry a secret in their message;
 * for anything else only the error's class name and message are shown.
 */
export function describeFailure(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof CancelledError) return { exitCode: ExitCode.cancelled, message: 'cancelled.' };
  if (error instanceof InterruptedError) {
    return { exitCode: error.signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.cancelled, message: error.message };
  }
  if (error instanceof CognitoAuthError) {
    const exitCode =
      error.code === 'CONFIG_INVALID'
        ? ExitCode.usage
        : UNAVAILABLE.has(error.code)
          ? ExitCode.unavailable
          : ExitCode.refused;
    return { exitCode, message: oneLine(cliMessage(error)) };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { exitCode: ExitCode.refused, message: oneLine(message) };
}

/** Where the library's message names a constructor option, say what to do on the command line instead. */
function cliMessage(error: CognitoAuthError): string {
  if (error instanceof MfaRequiredError) {
    return `Cognito asks for ${error.challengeName}; run in a terminal to type the code, pipe it as the line after the password with --password-stdin, or pass --totp-secret-env NAME.`;
  }
  if (error.code === 'NEW_PASSWORD_REQUIRED') {
    return 'Cognito requires a new password for this user; set one first (e.g. aws cognito-idp admin-set-user-password --permanent).';
  }
  return error.message;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
