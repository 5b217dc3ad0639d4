import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCognitoTransport } from '../../src/auth/cognito-client.js';
import { sharedConnectionPool } from '../../src/auth/connection-pool.js';

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
  // No connection left open by an earlier test: each test counts the ones it opens.
  for (const sockets of Object.values(sharedConnectionPool().httpAgent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  connections = 0;
  seen.length = 0;
});

const input = { AuthFlow: 'USER_SRP_AUTH' as const, ClientId: 'client', AuthParameters: { USERNAME: 'u', SRP_A: 'ab' } };

const send = (transport: ReturnType<typeof createCognitoTransport>) =>
  transport.send('InitiateAuth', input, new AbortController().signal) as Promise<{ ChallengeName?: string }>;

test('requests carry no SDK user agent, retry bookkeeping, recursion-detection or signature headers', async () => {
  const output = await send(createCognitoTransport('eu-west-1', endpoint));
  expect(output.ChallengeName).toBe('PASSWORD_VERIFIER');
  const headers = seen[0]!;
  expect(headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
  expect(headers['content-type']).toBe('application/x-amz-json-1.1');
  // A plain User-Agent (web ACLs may refuse requests without one), no SDK bookkeeping.
  expect(headers['user-agent']).toMatch(/^cognito-srp-auth node\/\d+\./);
  for (const name of ['x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request', 'authorization', 'x-amz-date', 'x-amzn-trace-id']) {
    expect(headers[name]).toBeUndefined();
  }
});

test('a transport built after another one (a provider per user) reuses its open connection', async () => {
  const first = createCognitoTransport('eu-west-1', endpoint);
  await send(first);
  first.destroy();
  const second = createCognitoTransport('eu-west-1', endpoint);
  await send(second);
  await send(second);
  expect(seen).toHaveLength(3);
  expect(connections).toBe(1);
});
