import type { IncomingMessage, ServerResponse } from 'node:http';

import type { EmulatorContext } from './context.js';
import { CLIENT_CREDENTIALS_FLOW } from './m2m-state.js';
import { issueClientToken } from './m2m-tokens.js';

/** Path of the OAuth 2.0 token endpoint (at the pool's domain in Cognito; at the emulator's origin here). */
export const TOKEN_ENDPOINT_PATH = '/oauth2/token';
/** Name the token endpoint is counted under in `emu.calls`. */
export const TOKEN_ENDPOINT_CALL = 'TokenEndpoint';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

class OAuthError extends Error {
  constructor(readonly error: OAuthErrorCode) {
    super(error);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(text);
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** `client_secret_basic` (RFC 6749 §2.3.1: form-encoded id and secret, then base64) or `client_secret_post`. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): ClientCredentials {
  const header = req.headers.authorization;
  const inBody = form.has('client_id') || form.has('client_secret');
  if (header !== undefined && header !== '') {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (match === null) throw new OAuthError('invalid_client');
    // Two client authentication methods in one request are refused (RFC 6749 §2.3).
    if (form.has('client_secret')) throw new OAuthError('invalid_request');
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client');
    const decode = (part: string): string => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw new OAuthError('invalid_client');
      }
    };
    const clientId = decode(decoded.slice(0, colon));
    if (form.has('client_id') && form.get('client_id') !== clientId) throw new OAuthError('invalid_request');
    return { clientId, clientSecret: decode(decoded.slice(colon + 1)) };
  }
  if (!inBody) throw new OAuthError('invalid_client');
  const clientId = form.get('client_id') ?? '';
  const clientSecret = form.get('client_secret') ?? '';
  if (clientId === '' || clientSecret === '') throw new OAuthError('invalid_client');
  return { clientId, clientSecret };
}

async function answer(req: IncomingMessage, body: string, ctx: EmulatorContext): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request');
  const form = new URLSearchParams(body);
  for (const name of new Set(form.keys())) if (form.getAll(name).length > 1) throw new OAuthError('invalid_request');
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') throw new OAuthError('invalid_request');
  const credentials = clientCredentials(req, form);
  const client = ctx.m2m.authenticate(credentials.clientId, credentials.clientSecret);
  if (typeof client === 'string') throw new OAuthError('invalid_client');
  if (grantType !== CLIENT_CREDENTIALS_FLOW) throw new OAuthError('unsupported_grant_type');
  if (!client.allowedOAuthFlows.includes(CLIENT_CREDENTIALS_FLOW)) throw new OAuthError('unauthorized_client');
  const scope = form.get('scope');
  const requested = scope === null ? undefined : scope.split(' ').filter((s) => s !== '');
  const granted = ctx.m2m.grantScopes(client, requested);
  if (!Array.isArray(granted)) throw new OAuthError('invalid_scope');
  const token = await issueClientToken(ctx, client, granted);
  return { access_token: token.accessToken, expires_in: token.expiresIn, token_type: 'Bearer' };
}

/**
 * `POST /oauth2/token` with `grant_type=client_credentials`, as Cognito's hosted domain serves it: errors are
 * HTTP 400 with `{"error": "<code>"}` (Cognito's documented status, also for `invalid_client`).
 */
export async function handleTokenEndpoint(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  ctx: EmulatorContext,
): Promise<void> {
  try {
    sendJson(res, 200, await answer(req, body, ctx));
  } catch (error) {
    if (error instanceof OAuthError) {
      sendJson(res, 400, { error: error.error });
      return;
    }
    sendJson(res, 500, { error: 'server_error' });
  }
}
