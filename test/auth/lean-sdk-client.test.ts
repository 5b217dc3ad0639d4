import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../../src/auth/cognito-client.js';

/** A stand-in for Cognito that records each request's headers and each new TCP connection. */
let server: Server;
let endpoint: string;
let connections = 0;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { USER_ID_FOR_SRP: 'u' } }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  connections = 0;
  seen.length = 0;
});

const input = { AuthFlow: 'USER_SRP_AUTH' as const, ClientId: 'client', AuthParameters: { USERNAME: 'u', SRP_A: 'ab' } };

test('requests carry no SDK user agent, retry bookkeeping, recursion-detection or signature headers', async () => {
  const client = createCognitoClient('eu-west-1', endpoint);
  const output = await client.send(new InitiateAuthCommand(input));
  client.destroy();
  expect(output.ChallengeName).toBe('PASSWORD_VERIFIER');
  const headers = seen[0]!;
  expect(headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
  for (const name of ['x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request', 'authorization', 'x-amz-date', 'x-amzn-trace-id']) {
    expect(headers[name]).toBeUndefined();
  }
});

test('a client built after another one was destroyed reuses its open connection', async () => {
  const first = createCognitoClient('eu-west-1', endpoint);
  await first.send(new InitiateAuthCommand(input));
  first.destroy();
  const second = createCognitoClient('eu-west-1', endpoint);
  await second.send(new InitiateAuthCommand(input));
  await second.send(new InitiateAuthCommand(input));
  second.destroy();
  expect(seen).toHaveLength(3);
  expect(connections).toBeLessThanOrEqual(1); // 0 when the connection of the test above is still open
});
