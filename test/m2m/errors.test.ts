import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  CognitoServiceError,
  InvalidClientError,
  InvalidScopeError,
  NetworkError,
  OAuthRequestError,
  ThrottledError,
  UnauthorizedClientError,
} from '../../src/errors.js';
import { isRetryable } from '../../src/auth/aws-errors.js';
import { obtainClientCredentialsToken, resolveClientCredentialsOptions } from '../../src/m2m/index.js';
import { clientTokenApiError, oauthError } from '../../src/m2m/errors.js';

const SECRET = 'oauth-secret-0123456789';

/** A token endpoint that answers every request with `status` and `body` (as text). */
async function fixedServer(status: number, body: string, headers: Record<string, string> = {}) {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function optionsAt(tokenEndpoint: string) {
  return resolveClientCredentialsOptions({
    userPoolId: 'eu-west-1_AbCdEf123',
    clientId: 'client123',
    clientSecret: SECRET,
    tokenEndpoint,
    verify: false,
  });
}

describe('token endpoint answers → typed errors', () => {
  test.each<[number, string, new (...args: never[]) => Error, boolean]>([
    [400, '{"error":"invalid_client"}', InvalidClientError, false],
    [401, '{"error":"invalid_client"}', InvalidClientError, false],
    [400, '{"error":"invalid_scope"}', InvalidScopeError, false],
    [400, '{"error":"unauthorized_client"}', UnauthorizedClientError, false],
    [400, '{"error":"invalid_request","error_description":"missing grant"}', OAuthRequestError, false],
    [400, '{"error":"unsupported_grant_type"}', OAuthRequestError, false],
    [429, '{"error":"slow_down"}', ThrottledError, true],
    [429, '', ThrottledError, true],
    [503, '<html>down</html>', CognitoServiceError, true],
    [400, 'not json', CognitoServiceError, false],
    [200, '{"token_type":"Bearer"}', CognitoServiceError, false],
    [200, '{"access_token":"a.b.c","expires_in":3600,"token_type":"mac"}', CognitoServiceError, false],
  ])('HTTP %i %s → %p (retryable: %p)', async (status, body, type, retryable) => {
    const server = await fixedServer(status, body);
    try {
      const error = await obtainClientCredentialsToken(optionsAt(server.url), { signal: AbortSignal.timeout(5000) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(type);
      expect(isRetryable(error)).toBe(retryable);
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect((error as Error).message).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  test('a redirect is not followed (the secret must not go elsewhere) → NetworkError', async () => {
    const server = await fixedServer(307, '', { location: 'http://127.0.0.1:1/elsewhere' });
    try {
      await expect(
        obtainClientCredentialsToken(optionsAt(server.url), { signal: AbortSignal.timeout(5000) }),
      ).rejects.toBeInstanceOf(NetworkError);
    } finally {
      await server.close();
    }
  });

  test('a refused connection → NetworkError', async () => {
    const server = await fixedServer(200, '{}');
    const { url } = server;
    await server.close();
    await expect(obtainClientCredentialsToken(optionsAt(url), { signal: AbortSignal.timeout(5000) })).rejects.toBeInstanceOf(
      NetworkError,
    );
  });

  test('error_description is kept short and JWT-looking text is removed', () => {
    const error = oauthError(400, 'invalid_request', `bad eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig ${'x'.repeat(1000)}`);
    expect(error.message).not.toContain('eyJhbGci');
    expect(error.message.length).toBeLessThan(500);
  });
});

describe('GetClientToken exceptions → typed errors', () => {
  const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, $fault: 'client' });
  test.each<[string, string, new (...args: never[]) => Error]>([
    ['NotAuthorizedException', 'Invalid client secret.', InvalidClientError],
    ['ResourceNotFoundException', 'User pool client x does not exist.', InvalidClientError],
    ['InvalidParameterException', 'Invalid scope requested: a/b', InvalidScopeError],
    ['InvalidParameterException', 'ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client', UnauthorizedClientError],
    ['OperationNotEnabledException', 'not enabled', UnauthorizedClientError],
    ['TooManyRequestsException', 'Rate exceeded', ThrottledError],
  ])('%s (%s) → %p', (name, message, type) => {
    const error = clientTokenApiError(sdkError(name, message));
    expect(error).toBeInstanceOf(type);
    expect(error.awsType).toBe(name);
  });
});
