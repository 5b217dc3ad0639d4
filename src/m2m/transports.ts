import type { GetClientTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider';

import { jsonObjectOf } from '../json-object.js';
import { CognitoServiceError, NetworkError } from '../errors.js';
import { abortError, clientTokenApiError, oauthError } from './errors.js';
import type { CognitoTransport } from '../auth/cognito-transport.js';

/** What a token request returns before verification. */
export interface ClientTokenResponse {
  accessToken: string;
  /** Seconds, as the server said. */
  expiresIn: number;
}

export interface ClientTokenRequest {
  clientId: string;
  clientSecret: string;
  /** Empty: no scope sent (the server grants every scope of the app client). */
  scopes: readonly string[];
  signal: AbortSignal;
}

function checkAnswer(accessToken: unknown, expiresIn: unknown, where: string): ClientTokenResponse {
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new CognitoServiceError(`${where} answered without an access token.`);
  }
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new CognitoServiceError(`${where} answered without a valid expires_in.`);
  }
  return { accessToken, expiresIn };
}

/** GetClientToken through the SDK, unsigned (no AWS credentials needed or sent). */
export async function requestViaApi(transport: CognitoTransport, request: ClientTokenRequest): Promise<ClientTokenResponse> {
  const input = {
    ClientId: request.clientId,
    Secret: request.clientSecret,
    ...(request.scopes.length === 0 ? {} : { Scopes: [...request.scopes] }),
  };
  let output: GetClientTokenCommandOutput;
  try {
    output = (await transport.send('GetClientToken', input, request.signal)) as GetClientTokenCommandOutput;
  } catch (error) {
    if (request.signal.aborted) throw abortError(request.signal, error);
    throw clientTokenApiError(error);
  }
  const result = output.ClientAuthenticationResult;
  return checkAnswer(result?.AccessToken, result?.ExpiresIn, 'GetClientToken');
}

/** Basic credentials per RFC 6749 §2.3.1: id and secret form-encoded, then joined with `:` and base64. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** `POST <tokenEndpoint>` with `grant_type=client_credentials`, HTTP Basic client authentication. */
export async function requestViaTokenEndpoint(
  tokenEndpoint: string,
  request: ClientTokenRequest,
): Promise<ClientTokenResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes.length > 0) form.set('scope', request.scopes.join(' '));
  let response: Response;
  let body: Record<string, unknown> | undefined;
  try {
    response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(request.clientId, request.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      redirect: 'error',
      signal: request.signal,
    });
    body = jsonObjectOf(await response.text());
  } catch (error) {
    if (request.signal.aborted) throw abortError(request.signal, error);
    throw new NetworkError(`Could not reach the token endpoint ${tokenEndpoint}.`, { cause: error });
  }
  const answer = body ?? {};
  if (!response.ok) {
    const error = typeof answer.error === 'string' && answer.error !== '' ? answer.error : undefined;
    throw oauthError(response.status, error, answer.error_description);
  }
  if (typeof answer.token_type === 'string' && answer.token_type.toLowerCase() !== 'bearer') {
    throw new CognitoServiceError('The token endpoint answered a token_type other than Bearer.');
  }
  return checkAnswer(answer.access_token, answer.expires_in, 'The token endpoint');
}
