import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { join, resolve } from 'node:path';
import { isRetryable } from '../../src/auth/aws-errors.js';
import { CognitoApi } from '../../src/auth/cognito-client.js';
import type { CognitoCallKind } from '../../src/auth/aws-errors.js';
import { CognitoJsonTransport, MAX_RESPONSE_BYTES } from '../../src/auth/json-transport.js';
import { listenLocally } from '../support/local-server.js';
import {
  AbortedError,
  CognitoServiceError,
  DeviceNotFoundError,
  NetworkError,
  NotAuthorizedError,
  PasswordResetRequiredError,
  RefreshTokenExpiredError,
  ResourceNotFoundError,
  ThrottledError,
  UserNotFoundError,
  type CognitoAuthError,
} from '../../src/errors.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';

/** One request as a stand-in Cognito received it. */
interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A `node:http` server on 127.0.0.1 that records requests and TCP connections; `answer` writes each response. */
interface StandIn {
  readonly url: URL;
  readonly received: Received[];
  connections(): number;
  close(): Promise<void>;
}

async function standIn(answer: (res: ServerResponse, req: IncomingMessage, received: Received) => void): Promise<StandIn> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      answer(res, req, entry);
    });
  });
  const local = await listenLocally(server);
  return { url: new URL(`${local.origin}/`), received, connections: local.connections, close: local.close };
}

const servers: StandIn[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
async function serve(answer: Parameters<typeof standIn>[0]): Promise<StandIn> {
  const server = await standIn(answer);
  servers.push(server);
  return server;
}

/** Answers every request with `status`, `headers` and `body` as given (no content-type added). */
function answering(status: number, headers: Record<string, string>, body: string | Buffer): Parameters<typeof standIn>[0] {
  return (res) => {
    res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
}

const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };
const SIGN_IN = {
  AuthFlow: 'USER_SRP_AUTH' as const,
  ClientId: 'client-1',
  AuthParameters: { USERNAME: 'svc', SRP_A: 'a1b2c3' },
  ClientMetadata: { tenant: 'ü-1' },
};
const never = (): AbortSignal => new AbortController().signal;

const transportTo = (url: URL): CognitoJsonTransport => new CognitoJsonTransport(url);
const apiTo = (url: URL, timeoutMs = 2_000, lifetime?: AbortSignal): CognitoApi =>
  new CognitoApi(transportTo(url), { timeoutMs, ...(lifetime === undefined ? {} : { lifetime: () => lifetime }) });

/** The typed error `CognitoApi` gives for one call of `kind`. */
async function failureOf(api: CognitoApi, kind: CognitoCallKind = 'signIn'): Promise<CognitoAuthError> {
  const outcome = await api.initiateAuth(SIGN_IN, kind).then(
    (output) => ({ output }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected the call to fail; it returned ${JSON.stringify(outcome.output)}`);
  return outcome.error as CognitoAuthError;
}

describe('a successful call', () => {
  test('POSTs the input as AWS JSON 1.1 with the target, and nothing the SDK adds; returns the parsed output', async () => {
    const output = {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { USER_ID_FOR_SRP: 'u-1', SRP_B: 'ff', SALT: '01', SECRET_BLOCK: 'c2Vj' },
      Session: 'sess',
    };
    const server = await serve(answering(200, { ...JSON_11, 'x-amzn-requestid': 'r-1' }, JSON.stringify(output)));

    const result = await transportTo(server.url).send('InitiateAuth', SIGN_IN, never());

    expect(result).toEqual(output);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/');
    expect(JSON.parse(request!.body)).toEqual(SIGN_IN);
    const headers = request!.headers;
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    // The byte length, not the string length: the body has a non-ASCII character.
    expect(headers['content-length']).toBe(String(Buffer.byteLength(request!.body)));
    expect(Buffer.byteLength(request!.body)).toBeGreaterThan(request!.body.length);
    expect(headers['transfer-encoding']).toBeUndefined();
    for (const name of ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent', 'x-amzn-trace-id']) {
      expect(headers[name]).toBeUndefined();
    }
    expect(Object.keys(headers).filter((name) => name.startsWith('amz-sdk-'))).toEqual([]);
  });

  test('an answer that arrives in pieces, a character split between them, is decoded whole', async () => {
    const body = Buffer.from(JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { USERNAME: 'jürgen-ü' } }));
    const split = body.indexOf(Buffer.from('ü')) + 1; // between the two bytes of the first ü
    const server = await serve((res) => {
      res.writeHead(200, { ...JSON_11, 'content-length': body.length });
      res.write(body.subarray(0, split));
      setTimeout(() => res.end(body.subarray(split)), 30);
    });
    await expect(transportTo(server.url).send('InitiateAuth', SIGN_IN, never())).resolves.toEqual(JSON.parse(body.toString('utf8')));
  });

  test.each(['GlobalSignOut', 'RevokeToken', 'UpdateDeviceStatus'] as const)(
    '%s answered 200 with an empty body gives {}',
    async (operation) => {
      const server = await serve(answering(200, JSON_11, ''));
      await expect(transportTo(server.url).send(operation, { AccessToken: 'a' }, never())).resolves.toEqual({});
      expect(server.received[0]!.headers['x-amz-target']).toBe(`AWSCognitoIdentityProviderService.${operation}`);
    },
  );

  test.each([
    ['/cognito', '/cognito/'],
    ['/cognito/', '/cognito/'],
    ['/api/cognito-idp', '/api/cognito-idp/'],
  ])('an endpoint with the path %s is posted to %s, as the SDK does', async (path, posted) => {
    const server = await serve(answering(200, JSON_11, '{}'));
    await transportTo(new URL(path, server.url)).send('GlobalSignOut', { AccessToken: 'a' }, never());
    expect(server.received[0]!.url).toBe(posted);
  });
});

describe('errors as the caller sees them (CognitoApi)', () => {
  interface ErrorCase {
    answer: { status: number; headers?: Record<string, string>; body: string };
    kind?: CognitoCallKind;
    expected: new (...args: never[]) => CognitoAuthError;
    code: string;
    awsType: string;
    statusCode?: number;
    retryable: boolean;
    message: string;
  }
  const cases: Record<string, ErrorCase> = {
    'type from the x-amzn-errortype header (with its :http://... suffix)': {
      answer: {
        status: 400,
        headers: { 'x-amzn-errortype': 'NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp/' },
        body: JSON.stringify({ message: 'Incorrect username or password.' }),
      },
      expected: NotAuthorizedError,
      code: 'NOT_AUTHORIZED',
      awsType: 'NotAuthorizedException',
      retryable: false,
      message: 'Incorrect username or password.',
    },
    'type from the body __type with a namespace# prefix': {
      answer: {
        status: 400,
        body: JSON.stringify({ __type: 'com.amazonaws.cognito.identity.idp.model#UserNotFoundException', message: 'User does not exist.' }),
      },
      expected: UserNotFoundError,
      code: 'USER_NOT_FOUND',
      awsType: 'UserNotFoundException',
      retryable: false,
      message: 'User does not exist.',
    },
    'type from the body code (throttling, retryable)': {
      answer: { status: 400, body: JSON.stringify({ code: 'TooManyRequestsException', message: 'Rate exceeded' }) },
      expected: ThrottledError,
      code: 'THROTTLED',
      awsType: 'TooManyRequestsException',
      retryable: true,
      message: 'Rate exceeded',
    },
    'message from Message (capital M): a device the pool forgot': {
      answer: {
        status: 400,
        headers: { 'x-amzn-errortype': 'ResourceNotFoundException:' },
        body: JSON.stringify({ __type: 'ResourceNotFoundException', Message: 'Device does not exist.' }),
      },
      expected: DeviceNotFoundError,
      code: 'DEVICE_NOT_FOUND',
      awsType: 'ResourceNotFoundException',
      retryable: false,
      message: 'Device does not exist.',
    },
    'a resource that is not a device': {
      answer: {
        status: 400,
        body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'User pool client client-1 does not exist.' }),
      },
      expected: ResourceNotFoundError,
      code: 'RESOURCE_NOT_FOUND',
      awsType: 'ResourceNotFoundException',
      retryable: false,
      message: 'User pool client client-1 does not exist.',
    },
    'a revoked refresh token during a refresh': {
      answer: { status: 400, body: JSON.stringify({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' }) },
      kind: 'refresh',
      expected: RefreshTokenExpiredError,
      code: 'REFRESH_TOKEN_EXPIRED',
      awsType: 'NotAuthorizedException',
      retryable: false,
      message: 'Refresh Token has been revoked',
    },
    'a password reset required': {
      answer: { status: 400, body: JSON.stringify({ __type: 'PasswordResetRequiredException', message: 'Password reset required for the user' }) },
      expected: PasswordResetRequiredError,
      code: 'PASSWORD_RESET_REQUIRED',
      awsType: 'PasswordResetRequiredException',
      retryable: false,
      message: 'Password reset required for the user',
    },
    'InternalErrorException 500 (retryable)': {
      answer: { status: 500, body: JSON.stringify({ __type: 'InternalErrorException', message: 'Internal server error.' }) },
      expected: CognitoServiceError,
      code: 'SERVICE_ERROR',
      awsType: 'InternalErrorException',
      statusCode: 500,
      retryable: true,
      message: 'Internal server error.',
    },
    'an unknown type with 400 (not retryable)': {
      answer: { status: 400, body: JSON.stringify({ __type: 'SomethingNewException', message: 'new in 2031' }) },
      expected: CognitoServiceError,
      code: 'SERVICE_ERROR',
      awsType: 'SomethingNewException',
      statusCode: 400,
      retryable: false,
      message: 'new in 2031',
    },
    'a 502 with an HTML body from a proxy (retryable)': {
      answer: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      expected: CognitoServiceError,
      code: 'SERVICE_ERROR',
      awsType: 'UnknownError',
      statusCode: 502,
      retryable: true,
      message: 'HTTP 502',
    },
    'a 429 without any type (throttling)': {
      answer: { status: 429, headers: { 'content-type': 'text/plain' }, body: 'slow down' },
      expected: ThrottledError,
      code: 'THROTTLED',
      awsType: 'UnknownError',
      retryable: true,
      message: 'Too Many Requests',
    },
    'a 200 whose body is not JSON (a captive portal)': {
      answer: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in to the Wi-Fi</html>' },
      expected: CognitoServiceError,
      code: 'SERVICE_ERROR',
      awsType: 'MalformedResponse',
      statusCode: 200,
      retryable: false,
      message: 'not a JSON object',
    },
    'a 200 whose body is a JSON array': {
      answer: { status: 200, headers: JSON_11, body: '[{"ChallengeName":"PASSWORD_VERIFIER"}]' },
      expected: CognitoServiceError,
      code: 'SERVICE_ERROR',
      awsType: 'MalformedResponse',
      statusCode: 200,
      retryable: false,
      message: 'not a JSON object',
    },
    'a 400 whose body is a JSON array with a type header': {
      answer: { status: 400, headers: { 'x-amzn-errortype': 'NotAuthorizedException:' }, body: '["Incorrect"]' },
      expected: NotAuthorizedError,
      code: 'NOT_AUTHORIZED',
      awsType: 'NotAuthorizedException',
      retryable: false,
      message: 'Bad Request',
    },
  };

  test.each(Object.entries(cases))('%s', async (_, c) => {
    const server = await serve(answering(c.answer.status, { ...JSON_11, ...c.answer.headers }, c.answer.body));
    const error = await failureOf(apiTo(server.url), c.kind);
    expect(error).toBeInstanceOf(c.expected);
    expect(error.code).toBe(c.code);
    expect(error.awsType).toBe(c.awsType);
    if (c.statusCode !== undefined) expect((error as CognitoServiceError).statusCode).toBe(c.statusCode);
    expect(isRetryable(error)).toBe(c.retryable);
    expect(error.message).toContain(c.message);
    expect(server.received).toHaveLength(1);
  });
});

describe('what the transport refuses to wait for or hold', () => {
  test('an answer larger than MAX_RESPONSE_BYTES is refused while it streams, not buffered to the end', async () => {
    const total = 128 * MAX_RESPONSE_BYTES;
    let written = 0;
    let serverSawClose!: () => void;
    const closed = new Promise<void>((done) => (serverSawClose = done));
    const server = await serve((res) => {
      res.writeHead(200, { ...JSON_11, 'content-length': total });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.on('close', () => serverSawClose());
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const started = Date.now();
    const error = await failureOf(apiTo(server.url, 10_000));
    await closed;
    expect(error.message).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect(isRetryable(error)).toBe(false);
    // The client hung up long before the server could send it all (socket buffers hold a few MB at most).
    expect(written).toBeLessThan(32 * MAX_RESPONSE_BYTES);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a connection closed mid-body is a retryable NetworkError', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { ...JSON_11, 'content-length': 1_000 });
      res.write('{"ChallengeName":"PASSWO');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await failureOf(apiTo(server.url));
    expect(error).toBeInstanceOf(NetworkError);
    expect(isRetryable(error)).toBe(true);
  });

  test('a connection closed before any answer is a retryable NetworkError', async () => {
    const server = await serve((_res, req) => req.socket.destroy());
    const error = await failureOf(apiTo(server.url));
    expect(error).toBeInstanceOf(NetworkError);
    expect(isRetryable(error)).toBe(true);
  });

  test('a silent server ends at the deadline with the NetworkError naming the call', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await failureOf(apiTo(server.url, 200));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe('Cognito InitiateAuth did not answer within 200 ms (timeoutMs).');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
  });

  test('an aborted signal ends the request at once and the server sees its socket close', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((done) => (arrived = done));
    let socketClosed!: () => void;
    const closed = new Promise<void>((done) => (socketClosed = done));
    const server = await serve((_res, req) => {
      req.socket.on('close', () => socketClosed());
      arrived();
    });
    const lifetime = new AbortController();
    const call = failureOf(apiTo(server.url, 60_000, lifetime.signal));
    await requestArrived;
    const abortedAt = Date.now();
    lifetime.abort();
    const error = await call;
    expect(Date.now() - abortedAt).toBeLessThan(500);
    expect(error).toBeInstanceOf(AbortedError);
    await closed;
    expect(server.received).toHaveLength(1);
  });

  test('a signal aborted before the call sends nothing', async () => {
    const server = await serve(answering(200, JSON_11, '{}'));
    const controller = new AbortController();
    controller.abort();
    await expect(transportTo(server.url).send('InitiateAuth', SIGN_IN, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.received).toHaveLength(0);
    expect(server.connections()).toBe(0);
  });
});

describe('connections', () => {
  test('many sequential calls share one keep-alive TCP connection', async () => {
    const server = await serve(answering(200, JSON_11, '{"ChallengeName":"PASSWORD_VERIFIER"}'));
    const transport = transportTo(server.url);
    for (let i = 0; i < 25; i++) await transport.send('InitiateAuth', SIGN_IN, never());
    expect(server.received).toHaveLength(25);
    expect(server.connections()).toBe(1);
  });

  test('error answers (4xx, 5xx) leave the connection reusable too', async () => {
    let n = 0;
    const server = await serve((res) => {
      n++;
      const status = n % 3 === 0 ? 200 : n % 3 === 1 ? 400 : 500;
      const body = status === 200 ? '{}' : JSON.stringify({ __type: status === 400 ? 'NotAuthorizedException' : 'InternalErrorException', message: 'x' });
      res.writeHead(status, { ...JSON_11, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const api = apiTo(server.url);
    for (let i = 0; i < 9; i++) await api.initiateAuth(SIGN_IN).catch(() => undefined);
    expect(server.received).toHaveLength(9);
    expect(server.connections()).toBe(1);
  });
});

describe('https', () => {
  const CERT = resolve('test', 'support', 'tls', 'test-only-cert.pem');
  const KEY = resolve('test', 'support', 'tls', 'test-only-key.pem');
  let emu: CognitoEmulator;
  let proxy: { url: string; tlsConnections: () => number; requests: string[]; close: () => Promise<void> };

  /** Terminates TLS with the test-only certificate and pipes each request to the emulator's http endpoint. */
  async function tlsProxy(target: URL): Promise<typeof proxy> {
    const requests: string[] = [];
    const server = createTlsServer({ cert: readFileSync(CERT), key: readFileSync(KEY) }, (req, res) => {
      requests.push(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`);
      const upstream = httpRequest(
        { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    const local = await listenLocally(server, { tls: true });
    return { url: local.origin, tlsConnections: local.connections, requests, close: local.close };
  }

  beforeEach(async () => {
    emu = await startCognitoEmulator();
    emu.addUser({ username: 'svc', password: 'Corr3ct-Horse-Battery!' });
    proxy = await tlsProxy(new URL(emu.endpoint));
  });
  afterEach(async () => {
    await proxy.close();
    await emu.close();
  });

  /** Runs test/auth/fixtures/provider-sign-in.mjs from the sources; resolves with the JSON line it prints. */
  function signInChild(extraCaCerts: string | undefined): Promise<Record<string, unknown>> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    if (extraCaCerts !== undefined) env.NODE_EXTRA_CA_CERTS = extraCaCerts;
    const args = [
      '--import',
      './test/support/source-loader.mjs',
      join('test', 'auth', 'fixtures', 'provider-sign-in.mjs'),
      join(process.cwd(), 'src', 'index.ts'),
      JSON.stringify({ endpoint: proxy.url, userPoolId: emu.userPoolId, clientId: emu.clientId, issuer: emu.issuer }),
    ];
    return new Promise((done, fail) => {
      execFile(process.execPath, args, { env, timeout: 30_000 }, (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout.trim()) as Record<string, unknown>),
      );
    });
  }

  test('a provider signs in over TLS through the lean transport, trusting the certificate via NODE_EXTRA_CA_CERTS', async () => {
    const report = await signInChild(CERT);
    expect(report).toEqual({ outcome: 'signed-in', tokenUse: 'access', username: 'svc', tokenIssuer: emu.issuer });
    expect(proxy.tlsConnections()).toBeGreaterThanOrEqual(1);
    expect(proxy.requests).toEqual([
      'POST / AWSCognitoIdentityProviderService.InitiateAuth',
      'POST / AWSCognitoIdentityProviderService.RespondToAuthChallenge',
    ]);
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(emu.calls.RespondToAuthChallenge).toBe(1);
  });

  test('without the certificate trusted, the same sign-in fails on the certificate and nothing reaches Cognito', async () => {
    const report = await signInChild(undefined);
    // The certificate is checked: without the extra CA the handshake fails before any request is sent.
    expect(report.outcome).toBe('NetworkError');
    expect(String(report.message)).toMatch(/^Could not reach Cognito: self[- ]signed certificate/i);
    expect(proxy.requests).toEqual([]);
    expect(emu.calls.InitiateAuth ?? 0).toBe(0);
  });
});
