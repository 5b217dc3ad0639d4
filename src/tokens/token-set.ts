import { inspect } from 'node:util';
import { decodeJwt } from 'jose';
import { TokenVerificationError } from '../errors.js';

export interface TokenSetInit {
  accessToken: string;
  idToken: string;
  refreshToken: string | undefined;
  /** `exp` of the tokens, ms since the epoch. */
  expiresAt: number;
  /** `iat` of the tokens, ms since the epoch. */
  issuedAt: number;
  /** The user's internal name (access token `username`), needed for REFRESH_TOKEN_AUTH's SECRET_HASH. */
  username: string;
  deviceKey: string | undefined;
}

/**
 * The tokens of one sign-in or refresh. Read the JWTs through `accessToken`, `idToken` and
 * `refreshToken`; `util.inspect`, `console.log` and `JSON.stringify` show only non-secret fields.
 */
export class TokenSet {
  readonly #accessToken: string;
  readonly #idToken: string;
  readonly #refreshToken: string | undefined;
  /** `exp` in ms since the epoch (from the token, the service's clock). */
  readonly expiresAt: number;
  /** `iat` in ms since the epoch. */
  readonly issuedAt: number;
  /** The user's internal Cognito user name (may differ from the sign-in alias). */
  readonly username: string;
  /** The remembered device these tokens are bound to, if any. */
  readonly deviceKey: string | undefined;

  constructor(init: TokenSetInit) {
    this.#accessToken = init.accessToken;
    this.#idToken = init.idToken;
    this.#refreshToken = init.refreshToken;
    this.expiresAt = init.expiresAt;
    this.issuedAt = init.issuedAt;
    this.username = init.username;
    this.deviceKey = init.deviceKey;
  }

  /** The access token JWT (what `getToken()` returns by default). Secret: never log it. */
  get accessToken(): string {
    return this.#accessToken;
  }

  /** The ID token JWT. Secret: never log it. */
  get idToken(): string {
    return this.#idToken;
  }

  /** The refresh token (opaque), when Cognito issued one. Secret: never log it. */
  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }

  /** The JWT of the given type. */
  token(type: 'access' | 'id'): string {
    return type === 'access' ? this.#accessToken : this.#idToken;
  }

  toJSON(): object {
    return {
      accessToken: '[redacted]',
      idToken: '[redacted]',
      refreshToken: this.#refreshToken === undefined ? undefined : '[redacted]',
      expiresAt: this.expiresAt,
      issuedAt: this.issuedAt,
      username: this.username,
      deviceKey: this.deviceKey,
    };
  }

  [inspect.custom](): string {
    return `TokenSet ${inspect(this.toJSON())}`;
  }
}

interface AuthenticationResultLike {
  AccessToken?: string;
  IdToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

function claimsOf(token: string, which: string): Record<string, unknown> {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    throw new TokenVerificationError(`Cognito returned an ${which} token that is not a JWT.`);
  }
}

/**
 * Builds a TokenSet from Cognito's `AuthenticationResult`. A refresh answer without a refresh token
 * (REFRESH_TOKEN_AUTH, or no rotation) keeps `previousRefreshToken`.
 */
export function tokenSetFromResult(
  result: AuthenticationResultLike | undefined,
  context: { previousRefreshToken?: string; username: string; deviceKey: string | undefined; now?: number },
): TokenSet {
  if (result?.AccessToken === undefined || result.IdToken === undefined) {
    throw new TokenVerificationError('Cognito returned no access or ID token.');
  }
  const access = claimsOf(result.AccessToken, 'access');
  const id = claimsOf(result.IdToken, 'ID');
  const now = context.now ?? Date.now();
  const exp = Math.min(
    typeof access.exp === 'number' ? access.exp * 1000 : Infinity,
    typeof id.exp === 'number' ? id.exp * 1000 : Infinity,
  );
  const expiresAt = Number.isFinite(exp) ? exp : now + (result.ExpiresIn ?? 3600) * 1000;
  const issuedAt = typeof access.iat === 'number' ? access.iat * 1000 : now;
  const username =
    typeof access.username === 'string'
      ? access.username
      : typeof id['cognito:username'] === 'string'
        ? (id['cognito:username'] as string)
        : context.username;
  return new TokenSet({
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken ?? context.previousRefreshToken,
    expiresAt,
    issuedAt,
    username,
    // Only a confirmed device counts; the `device_key` claim also names devices that were never confirmed.
    deviceKey: context.deviceKey,
  });
}

/** A token set with its secrets, for a `TokenCache` (which must keep it secret at rest). Not `toJSON`: that redacts. */
export function tokenSetData(tokens: TokenSet): Record<string, unknown> {
  return {
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt,
    issuedAt: tokens.issuedAt,
    username: tokens.username,
    deviceKey: tokens.deviceKey,
  };
}

/** The token set `tokenSetData` gave; `undefined` for anything else. */
export function tokenSetFromData(data: Record<string, unknown>): TokenSet | undefined {
  const text = (key: string): boolean => typeof data[key] === 'string';
  const optionalText = (key: string): boolean => data[key] === undefined || typeof data[key] === 'string';
  if (
    !text('accessToken') ||
    !text('idToken') ||
    !text('username') ||
    !optionalText('refreshToken') ||
    !optionalText('deviceKey') ||
    typeof data.expiresAt !== 'number' ||
    typeof data.issuedAt !== 'number'
  ) {
    return undefined;
  }
  return new TokenSet({
    accessToken: data.accessToken as string,
    idToken: data.idToken as string,
    refreshToken: data.refreshToken as string | undefined,
    expiresAt: data.expiresAt,
    issuedAt: data.issuedAt,
    username: data.username as string,
    deviceKey: data.deviceKey as string | undefined,
  });
}
