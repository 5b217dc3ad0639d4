import { decodeJwt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { jwksFromEnvironment } from '../../auth/options.js';
import { CognitoConfigError, NetworkError, TokenVerificationError } from '../../errors.js';
import { TokenVerifier } from '../../tokens/verifier.js';
import { CLAIMS_OPTIONS, parseCommandArgs } from '../args.js';
import { POOL_COMMAND_FLAGS, withFlagName } from '../flags.js';
import { CLAIMS_HELP } from '../help.js';
import { ExitCode, type CliIo } from '../io.js';
import { Progress } from '../progress.js';
import { LineReader } from '../prompt.js';
import { issuerOf, poolSettings, requireClientId } from '../settings.js';

/** `cognito-srp-auth claims <token|->`: verify (or with --no-verify only decode) and print the claims. */
export async function claimsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('claims', argv, CLAIMS_OPTIONS, 1);
  if (values.help === true) {
    io.stdout.write(CLAIMS_HELP);
    return ExitCode.ok;
  }
  const verify = values['no-verify'] !== true;
  // Settings are checked before stdin is read, so a typo fails fast instead of waiting on a pipe.
  const settings = verify ? poolSettings(values, io.env) : undefined;
  const token = await readToken(positionals[0], io);
  const { header, claims } = decode(token);
  if (settings === undefined) {
    io.stderr.write('NOT VERIFIED: decoded only (--no-verify); do not trust these claims.\n');
    io.stdout.write(`${JSON.stringify({ verified: false, header, claims }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const tokenUse = claims.token_use === 'id' ? 'id' : 'access';
  const issuer = issuerOf(settings);
  const jwks = jwksFromEnvironment(io.env);
  let verifier: TokenVerifier;
  try {
    verifier = new TokenVerifier({
      issuer,
      clientId: requireClientId(settings),
      jwksUri: `${issuer}/.well-known/jwks.json`,
      ...(jwks === undefined ? {} : { jwks }),
    });
  } catch (error) {
    throw withFlagName(error, POOL_COMMAND_FLAGS);
  }
  const progress = new Progress(io.stderr);
  progress.step(`Verifying the ${tokenUse} token against ${jwks === undefined ? `${issuer}/.well-known/jwks.json` : 'COGNITO_JWKS'}`);
  let verified;
  try {
    verified = await verifier.verify(token, tokenUse);
  } catch (error) {
    throw unreachableKeys(error) ?? error;
  } finally {
    progress.clear();
  }
  const minutes = Math.round(((verified.exp ?? 0) * 1000 - Date.now()) / 60_000);
  progress.note(`verified: RS256 signature (kid ${String(header.kid)}), issuer, token_use, client; expires in ${minutes} min`);
  io.stdout.write(`${JSON.stringify({ verified: true, tokenUse, header, claims: verified }, null, 2)}\n`);
  return ExitCode.ok;
}

/**
 * The verifier reports a JWKS it could not fetch as a TokenVerificationError caused by the fetch error
 * (a failed check is caused by a jose error instead). Unreachable or 5xx is reported as "could not reach"
 * (exit 3); a 4xx (no such pool at that issuer) stays a verification failure (exit 1).
 */
function unreachableKeys(error: unknown): NetworkError | undefined {
  if (!(error instanceof TokenVerificationError)) return undefined;
  const cause = error.cause;
  if (cause === undefined || cause instanceof joseErrors.JOSEError) return undefined;
  const status = /^HTTP (\d{3})$/.exec(cause instanceof Error ? cause.message : '')?.[1];
  if (status !== undefined && Number(status) < 500) return undefined;
  return new NetworkError(error.message, { cause });
}

async function readToken(argument: string | undefined, io: CliIo): Promise<string> {
  if (argument !== undefined && argument !== '-') return argument.trim();
  if (argument === undefined && io.stdin.isTTY === true) {
    throw new CognitoConfigError('token', 'pass the token as an argument, or "-" to read it from stdin.');
  }
  const text = (await new LineReader(io.stdin).rest()).trim();
  if (text === '') throw new CognitoConfigError('token', 'stdin is empty; pipe a JWT into it.');
  return text;
}

function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  try {
    return { header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
  } catch {
    // jose's message may quote part of the input; the token is not repeated.
    throw new TokenVerificationError('The input is not a JWT (three base64url parts separated by dots, with JSON header and claims).');
  }
}
