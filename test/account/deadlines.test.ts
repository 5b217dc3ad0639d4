/** The account API against a Cognito that accepts connections and never answers: every call ends by `timeoutMs`. */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { Cognito } from '../../src/account/index.js';
import { NetworkError } from '../../src/errors.js';

let server: ReturnType<typeof createServer>;
let endpoint: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a sign-in (SRP) and an admin call each end in a NetworkError at timeoutMs', async () => {
  const cognito = new Cognito({
    userPoolId: 'us-east-1_Silent1',
    clientId: 'client1',
    username: 'alice',
    endpoint,
    timeoutMs: 300,
    verify: false,
  });
  try {
    await expect(cognito.authenticate('Passw0rd!-x')).rejects.toBeInstanceOf(NetworkError);
    await expect(cognito.adminGetUser()).rejects.toBeInstanceOf(NetworkError);
  } finally {
    cognito.close();
  }
});

test('timeoutMs is validated like the provider option', () => {
  expect(() => new Cognito({ userPoolId: 'us-east-1_Silent1', clientId: 'client1', timeoutMs: -1 })).toThrow(
    'Invalid option `timeoutMs`',
  );
});
