import { decodeJwt } from 'jose';
import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };

import { InvalidScopeError, TokenVerificationError } from '../errors.js';
import type { TokenVerifier } from '../tokens/verifier.js';

/** The claims of an M2M access token this library relies on. */
export interface ClientTokenClaims {
  /** ms epoch. */
  expiresAt: number;
  /** ms epoch. */
  issuedAt: number;
  /** The granted scopes (the `scope` claim, split). */
  scopes: string[];
}

function grantedScopes(payload: JWTPayload): string[] {
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => s !== '') : [];
}

/**
 * Checks an M2M access token on arrival: with a verifier, signature (pool JWKS), `iss`, `token_use: access`,
 * `client_id` and `exp` (TokenVerifier); always, every requested scope granted. No `username` is required: M2M
 * tokens have none.
 * @throws TokenVerificationError, or InvalidScopeError naming the scopes the token lacks.
 */
export async function checkClientToken(
  token: string,
  verifier: TokenVerifier | undefined,
  requested: readonly string[],
  now: number = Date.now(),
): Promise<ClientTokenClaims> {
  let payload: JWTPayload;
  if (verifier === undefined) {
    try {
      payload = decodeJwt(token);
    } catch (error) {
      throw new TokenVerificationError('The access token is not a JWT.', { cause: error });
    }
  } else {
    payload = await verifier.verify(token, 'access');
  }
  const scopes = grantedScopes(payload);
  const missing = requested.filter((scope) => !scopes.includes(scope));
  if (missing.length > 0) {
    throw new InvalidScopeError(
      `The token was granted without the requested scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
        'allow it on the app client and define it on a resource server of the pool.',
      missing,
    );
  }
  return {
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : Number.NaN,
    issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : now,
    scopes,
  };
}
