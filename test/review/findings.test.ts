import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoApi } from '../../src/auth/cognito-client.js';
import { sdkResolvedEndpoint } from '../../src/auth/cognito-endpoint.js';
import { sdkTransport } from '../../src/auth/cognito-transport.js';
import { CognitoJsonTransport } from '../../src/auth/json-transport.js';
import { AbortedError, NetworkError } from '../../src/errors.js';
import { importRs256Keys } from '../../src/tokens/jwt-rs256.js';

const pending = (ms: number) => new Promise((done) => setTimeout(() => done(`still pending after ${ms} ms`), ms).unref());

test('F-ipv6: an IPv6 AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER resolves (the SDK itself sends there)', async () => {
  const name = 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER';
  const saved = process.env[name];
  process.env[name] = 'http://[::1]:9229';
  try {
    const outcome = await sdkResolvedEndpoint('eu-west-3').then((url) => url.href, (error: Error) => `${error.name}: ${error.message}`);
    expect(outcome).toBe('http://[::1]:9229/');
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
});

test('F-deadline: the call deadline bounds the endpoint resolution', async () => {
  const api = new CognitoApi(new CognitoJsonTransport(() => new Promise<URL>(() => undefined)), { timeoutMs: 100 });
  const outcome = await Promise.race([api.globalSignOut('a').then(() => 'resolved', (error: unknown) => error), pending(1_000)]);
  expect(outcome).toBeInstanceOf(NetworkError);
});

test('F-deadline: close() (the lifetime) ends a call waiting on the endpoint resolution', async () => {
  const lifetime = new AbortController();
  const api = new CognitoApi(new CognitoJsonTransport(() => new Promise<URL>(() => undefined)), {
    timeoutMs: 60_000,
    lifetime: () => lifetime.signal,
  });
  const call = api.globalSignOut('a').then(() => 'resolved', (error: unknown) => error);
  lifetime.abort();
  expect(await Promise.race([call, pending(1_000)])).toBeInstanceOf(AbortedError);
});

test('F-keycache: a malformed JWK (n as an array) does not poison the import cache for the valid key', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  expect(importRs256Keys({ keys: [{ kty: 'RSA', n: [jwk.n], e: jwk.e } as never] }).size).toBe(0);
  expect(importRs256Keys({ keys: [{ kty: 'RSA', n: jwk.n, e: jwk.e, kid: 'k' }] }).size).toBe(1);
});

test('F-query: an endpoint with a query string is posted to as the SDK posts to it', async () => {
  const urls: string[] = [];
  const server = createServer((req, res) => {
    urls.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cognito?stage=prod`;
  const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await sdkTransport(client).send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
    await new CognitoJsonTransport(new URL(endpoint)).send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
    expect(urls[1]).toBe(urls[0]);
  } finally {
    client.destroy();
    server.closeAllConnections();
    server.close();
  }
});

test('F-imds: resolving the endpoint sends nothing off the process, also with AWS_DEFAULTS_MODE=auto', async () => {
  const seen: string[] = [];
  const imds = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(req.method === 'PUT' ? 200 : 200).end(req.method === 'PUT' ? 'token' : 'eu-west-1');
  });
  imds.listen(0, '127.0.0.1');
  await once(imds, 'listening');
  const env = {
    AWS_DEFAULTS_MODE: 'auto',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(imds.address() as AddressInfo).port}`,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const url = await sdkResolvedEndpoint('sa-east-1');
    expect(url.href).toBe('https://cognito-idp.sa-east-1.amazonaws.com/');
    expect(seen).toEqual([]);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    imds.closeAllConnections();
    imds.close();
  }
});

import { createServer as createTcpServer } from 'node:net';
import { mapCognitoError } from '../../src/auth/aws-errors.js';

/** A TCP server that answers every connection with `bytes` and closes. */
async function rawServer(bytes: string) {
  const server = createTcpServer((socket) => {
    socket.once('data', () => socket.end(bytes));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((done) => server.close(() => done())) };
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

test('F-neterr: a garbage HTTP answer (a broken proxy) is a NetworkError through both transports', async () => {
  const server = await rawServer('garbage that is not HTTP\r\n\r\n');
  try {
    const both = await mappedBoth(`http://127.0.0.1:${server.port}`);
    expect(both.json.class).toBe(both.sdk.class);
  } finally {
    await server.close();
  }
});

test('F-neterr: https:// to a plain-http port (EPROTO / ERR_SSL_*) is classed as through the SDK', async () => {
  const server = await rawServer('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
  try {
    const both = await mappedBoth(`https://127.0.0.1:${server.port}`);
    expect(both.json.class).toBe(both.sdk.class);
  } finally {
    await server.close();
  }
});

test('F-reuse: a keep-alive socket the server reset between calls: the second call fails (no transparent retry)', async () => {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    req.resume();
    req.on('end', () => {
      if (n === 1) res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
      else req.socket.destroy(); // the server had already dropped the idle connection
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const api = new CognitoApi(new CognitoJsonTransport(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)), { timeoutMs: 2_000 });
    await api.globalSignOut('a');
    const error = await api.globalSignOut('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(n).toBe(2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
