import { randomUUID } from 'node:crypto';

import type { EmulatorContext } from './context.js';
import type { M2mClientRecord } from './m2m-state.js';

export interface IssuedClientToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * A client-credentials access token with Cognito's M2M claims: `sub` and `client_id` = the app client id,
 * `token_use: access`, the granted custom scopes space-separated, `version: 2`; no `username`, no `origin_jti`.
 */
export async function issueClientToken(
  ctx: EmulatorContext,
  client: M2mClientRecord,
  scopes: readonly string[],
): Promise<IssuedClientToken> {
  const now = Math.floor(ctx.options.clock() / 1000);
  const expiresIn = client.accessTokenValiditySeconds;
  const accessToken = await ctx.tokens.signAccessToken({
    sub: client.clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: ctx.issuer,
    exp: now + expiresIn,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  });
  return { accessToken, expiresIn };
}
