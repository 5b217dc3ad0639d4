/**
 * CognitoJsonTransport when things go wrong below Cognito's answers: a broken proxy, TLS to a plain port, a kept-alive
 * socket the server dropped, an endpoint that takes long to resolve. Each case is compared with what the AWS SDK
 * path gives where it applies (the typed error a caller sees must not depend on the transport).
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mapCognitoError } from '../../src/auth/aws-errors.js';
import { CognitoApi } from '../../src/auth/cognito-client.js';
import { sdkTransport } from '../../src/auth/cognito-transport.js';
import { CognitoJsonTransport } from '../../src/auth/json-transport.js';
import { AbortedError, NetworkError } from '../../src/errors.js';
import { listenLocally } from '../support/local-server.js';

const pending = (ms: number) => new Promise((done) => setTimeout(() => done(`still pending after ${ms} ms`), ms).unref());

test('the call deadline bounds the endpoint resolution', async () => {
  const api = new CognitoApi(new CognitoJsonTransport(() => new Promise<URL>(() => undefined)), { timeoutMs: 100 });
  const outcome = await Promise.race([api.globalSignOut('a').then(() => 'resolved', (error: unknown) => error), pending(1_000)]);
  expect(outcome).toBeInstanceOf(NetworkError);
});

test('close() (the lifetime) ends a call waiting on the endpoint resolution', async () => {
  const lifetime = new AbortController();
  const api = new CognitoApi(new CognitoJsonTransport(() => new Promise<URL>(() => undefined)), {
    timeoutMs: 60_000,
    lifetime: () => lifetime.signal,
  });
  const call = api.globalSignOut('a').then(() => 'resolved', (error: unknown) => error);
  lifetime.abort();
  expect(await Promise.race([call, pending(1_000)])).toBeInstanceOf(AbortedError);
});

test('an endpoint with a query string is posted to as the SDK posts to it', async () => {
  const urls: string[] = [];
  const server = createServer((req, res) => {
    urls.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}'));
  });
  const local = await listenLocally(server);
  const endpoint = `${local.origin}/cognito?stage=prod`;
  const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await sdkTransport(client).send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
    await new CognitoJsonTransport(new URL(endpoint)).send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
    expect(urls[1]).toBe(urls[0]);
  } finally {
    client.destroy();
    await local.close();
  }
});

/** A TCP server that answers every connection with `bytes` and closes. */
async function rawServer(bytes: string) {
  const server = createTcpServer((socket) => {
    socket.once('data', () => socket.end(bytes));
    socket.on('error', () => undefined);
  });
  return listenLocally(server);
}

async function mappedBoth(url: string) {
  const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const input = { AuthFlow: 'USER_SRP_AUTH', ClientId: 'c', AuthParameters: { USERNAME: 'u', SRP_A: 'ab' } };
  const signal = new AbortController().signal;
  try {
    const sdk = await sdkTransport(client).send('InitiateAuth', input, signal).catch((e: unknown) => e);
    const json = await new CognitoJsonTransport(new URL(url)).send('InitiateAuth', input, signal).catch((e: unknown) => e);
    const view = (e: unknown) => {
      const m = mapCognitoError(e, 'signIn');
      return { class: m.constructor.name, raw: `${(e as Error).name} ${(e as { code?: string }).code} ${(e as Error).message.slice(0, 60)}` };
    };
    return { sdk: view(sdk), json: view(json) };
  } finally {
    client.destroy();
  }
}

test('a garbage HTTP answer (a broken proxy) is a NetworkError through both transports', async () => {
  const server = await rawServer('garbage that is not HTTP\r\n\r\n');
  try {
    const both = await mappedBoth(`http://127.0.0.1:${server.port}`);
    expect(both.json.class).toBe(both.sdk.class);
  } finally {
    await server.close();
  }
});

test('https:// to a plain-http port (EPROTO / ERR_SSL_*) is classed as through the SDK', async () => {
  const server = await rawServer('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
  try {
    const both = await mappedBoth(`https://127.0.0.1:${server.port}`);
    expect(both.json.class).toBe(both.sdk.class);
  } finally {
    await server.close();
  }
});

/** A server whose `n`-th request (counted from 1) is answered `{}` unless `reset(n)`: then its socket is destroyed. */
async function resettingServer(reset: (n: number) => boolean) {
  let n = 0;
  const server = createServer((req, res) => {
    const count = ++n;
    req.resume();
    req.on('end', () => {
      if (reset(count)) req.socket.destroy();
      else res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
    });
  });
  const local = await listenLocally(server);
  return {
    api: new CognitoApi(new CognitoJsonTransport(new URL(local.origin)), { timeoutMs: 2_000 }),
    requests: () => n,
    close: local.close,
  };
}

test('a kept-alive socket reset when reused is sent again once, on a new socket: the call succeeds', async () => {
  const server = await resettingServer((n) => n === 2);
  try {
    await server.api.globalSignOut('a');
    await expect(server.api.globalSignOut('a')).resolves.toBeUndefined();
    expect(server.requests()).toBe(3);
  } finally {
    await server.close();
  }
});

test('a reset on a new socket is not sent again: NetworkError after one request', async () => {
  const server = await resettingServer(() => true);
  try {
    await expect(server.api.globalSignOut('a')).rejects.toBeInstanceOf(NetworkError);
    expect(server.requests()).toBe(1);
  } finally {
    await server.close();
  }
});

test('a reused socket reset, then the new socket reset too: one repeat only, then NetworkError', async () => {
  const server = await resettingServer((n) => n >= 2);
  try {
    await server.api.globalSignOut('a');
    await expect(server.api.globalSignOut('a')).rejects.toBeInstanceOf(NetworkError);
    expect(server.requests()).toBe(3);
  } finally {
    await server.close();
  }
});
