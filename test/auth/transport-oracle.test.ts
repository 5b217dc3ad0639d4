/**
 * The provider's own AWS JSON 1.1 transport (`CognitoJsonTransport`) checked against the AWS SDK, an implementation
 * of the same protocol nobody here wrote. Every input goes through both; a recording proxy in front of the emulator
 * keeps the live answer, and a replay server gives the other transport those same bytes, so requests, outputs and
 * errors can be compared exactly although Cognito's answers (SRP_B, tokens) are never the same twice.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthFlowSelector } from '../../src/auth/auth-flow.js';
import { isRetryable, mapCognitoError, type CognitoCallKind } from '../../src/auth/aws-errors.js';
import { ClientSecretSource } from '../../src/auth/client-secret.js';
import { CognitoApi } from '../../src/auth/cognito-client.js';
import { sdkTransport, type CognitoOperation, type CognitoTransport } from '../../src/auth/cognito-transport.js';
import { rememberNewDevice } from '../../src/auth/device.js';
import { CognitoJsonTransport } from '../../src/auth/json-transport.js';
import { Refresher } from '../../src/auth/refresh.js';
import { signInWithSrp, type SignInRequest } from '../../src/auth/sign-in.js';
import { CognitoServiceError, InvalidClientError, type CognitoAuthError } from '../../src/errors.js';
import { requestViaApi } from '../../src/m2m/transports.js';
import { createEphemeral, poolNameOf, secretHash } from '../../src/srp/index.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { listenLocally } from '../support/local-server.js';
import type { DeviceCredentials } from '../../src/tokens/device-store.js';

/** Every operation of `CognitoOperation` (the type makes a missing one a compile error). */
const OPERATIONS = Object.keys({
  InitiateAuth: true,
  RespondToAuthChallenge: true,
  GetTokensFromRefreshToken: true,
  ConfirmDevice: true,
  UpdateDeviceStatus: true,
  GlobalSignOut: true,
  RevokeToken: true,
  GetClientToken: true,
} satisfies Record<CognitoOperation, true>) as CognitoOperation[];

const PASSWORD = 'Corr3ct-Horse-Battery!';

interface WireRequest {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers of an answer worth replaying (hop-by-hop and framing headers are the replaying server's own). */
function replayableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date'].includes(name)) continue;
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(Buffer.concat(chunks)));
    stream.on('error', fail);
  });
}

/** A server on 127.0.0.1 whose every request is recorded and answered by `answer`. */
async function recordingServer(
  answer: (request: WireRequest) => Promise<WireResponse> | WireResponse,
): Promise<{ url: string; requests: WireRequest[]; close: () => Promise<void> }> {
  const requests: WireRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const request = { path: req.url, headers: req.headers, body: body.toString('utf8') };
      requests.push(request);
      const response = await answer(request);
      res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length });
      res.end(response.body);
    });
  });
  const local = await listenLocally(server);
  return { url: local.origin, requests, close: local.close };
}

/** Forwards to `target` and records each answer as it came. */
async function recordingProxy(target: string) {
  const answers: WireResponse[] = [];
  const server = await recordingServer(
    (request) =>
      new Promise<WireResponse>((done, fail) => {
        const upstream = httpRequest(`${target}${request.path ?? '/'}`, { method: 'POST', headers: request.headers }, (res) => {
          readAll(res).then((body) => {
            const answer = { status: res.statusCode ?? 0, headers: replayableHeaders(res.headers), body };
            answers.push(answer);
            done(answer);
          }, fail);
        });
        upstream.on('error', fail);
        upstream.end(request.body);
      }),
  );
  return { ...server, answers };
}

/** Answers each request with the next queued answer. */
async function replayServer() {
  const queue: WireResponse[] = [];
  const server = await recordingServer(() => {
    const next = queue.shift();
    if (next === undefined) throw new Error('replay server: nothing queued');
    return next;
  });
  return { ...server, enqueue: (answer: WireResponse) => queue.push(answer) };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
const settle = (work: Promise<unknown>): Promise<Outcome> =>
  work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

type TransportName = 'sdk' | 'json';

function transport(name: TransportName, url: string): CognitoTransport {
  if (name === 'json') return new CognitoJsonTransport(new URL(url));
  // The SDK as any user builds it; no retries, so one call is one request.
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  return sdkTransport(client, { owned: true });
}

/** One operation as both transports carried it. */
interface Exchange {
  operation: CognitoOperation;
  byTransport: Record<TransportName, { request: WireRequest; outcome: Outcome }>;
}

/** The SDK's output without its `$metadata` (the JSON transport has none). */
function withoutMetadata(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { $metadata: _, ...rest } = value as Record<string, unknown>;
  return rest;
}

interface MappedError {
  class: string;
  code: string;
  awsType: string | undefined;
  statusCode: number | undefined;
  retryable: boolean;
  message: string;
}

/** What `CognitoTransport` promises of an error: shaped as the SDK's service exceptions. */
function shape(error: unknown): Record<string, unknown> {
  const e = error as { name?: unknown; message?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown; requestId?: unknown } };
  return {
    name: e.name,
    message: e.message,
    $fault: e.$fault,
    httpStatusCode: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };
}

function mapped(error: unknown, kind: CognitoCallKind, deviceKey?: string): MappedError {
  const typed: CognitoAuthError = mapCognitoError(error, kind, deviceKey);
  return {
    class: typed.constructor.name,
    code: typed.code,
    awsType: typed.awsType,
    statusCode: typed instanceof CognitoServiceError ? typed.statusCode : undefined,
    retryable: isRetryable(typed),
    message: typed.message,
  };
}

/**
 * A transport that sends each call live (`live`, to the emulator through the recording proxy), then the same input
 * through `shadow` to the replay server loaded with the live answer's bytes; it returns (or throws) the live outcome.
 */
async function teeRig(emu: CognitoEmulator, live: TransportName) {
  const shadow: TransportName = live === 'sdk' ? 'json' : 'sdk';
  const proxy = await recordingProxy(emu.endpoint);
  const replay = await replayServer();
  const liveTransport = transport(live, proxy.url);
  const shadowTransport = transport(shadow, replay.url);
  const exchanges: Exchange[] = [];
  const tee: CognitoTransport = {
    async send(operation, input, signal) {
      const liveOutcome = await settle(liveTransport.send(operation, input, signal));
      expect(proxy.answers).toHaveLength(proxy.requests.length);
      replay.enqueue(proxy.answers.at(-1)!);
      const shadowOutcome = await settle(shadowTransport.send(operation, input, new AbortController().signal));
      exchanges.push({
        operation,
        byTransport: {
          [live]: { request: proxy.requests.at(-1)!, outcome: liveOutcome },
          [shadow]: { request: replay.requests.at(-1)!, outcome: shadowOutcome },
        } as Exchange['byTransport'],
      });
      if (!liveOutcome.ok) throw liveOutcome.error;
      return liveOutcome.value;
    },
    destroy() {},
  };
  return {
    api: new CognitoApi(tee, { timeoutMs: 5_000 }),
    transport: tee,
    exchanges,
    close: async () => {
      liveTransport.destroy();
      shadowTransport.destroy();
      await proxy.close();
      await replay.close();
    },
  };
}

function signInRequest(emu: CognitoEmulator, api: CognitoApi, overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    api,
    clientId: emu.clientId,
    clientSecret: ClientSecretSource.from(emu.clientSecret),
    authFlow: new AuthFlowSelector(undefined),
    poolName: poolNameOf(emu.userPoolId),
    username: 'svc',
    password: PASSWORD,
    device: undefined,
    clientMetadata: { purpose: 'oracle' },
    takeEphemeral: async () => createEphemeral(),
    totp: undefined,
    mfaCode: undefined,
    newPassword: undefined,
    ...overrides,
  };
}

/** Both transports sent the same request and read the answer alike. */
function expectSameExchange(exchange: Exchange, kind: CognitoCallKind): void {
  const { sdk, json } = exchange.byTransport;
  const context = `${exchange.operation}`;
  expect({ context, target: json.request.headers['x-amz-target'] }).toEqual({
    context,
    target: `AWSCognitoIdentityProviderService.${exchange.operation}`,
  });
  expect(json.request.headers['x-amz-target']).toBe(sdk.request.headers['x-amz-target']);
  expect(json.request.headers['content-type']).toBe(sdk.request.headers['content-type']);
  expect(json.request.path).toBe(sdk.request.path);
  expect({ context, body: JSON.parse(json.request.body) as unknown }).toEqual({ context, body: JSON.parse(sdk.request.body) as unknown });
  expect(json.outcome.ok).toBe(sdk.outcome.ok);
  if (sdk.outcome.ok && json.outcome.ok) {
    expect({ context, output: json.outcome.value }).toEqual({ context, output: withoutMetadata(sdk.outcome.value) });
  } else if (!sdk.outcome.ok && !json.outcome.ok) {
    expect({ context, error: shape(json.outcome.error) }).toEqual({ context, error: shape(sdk.outcome.error) });
    expect({ context, error: mapped(json.outcome.error, kind) }).toEqual({ context, error: mapped(sdk.outcome.error, kind) });
  }
}

describe.each(['sdk', 'json'] as const)('the whole protocol against the emulator, %s live', (live) => {
  let emu: CognitoEmulator;
  let rig: Awaited<ReturnType<typeof teeRig>>;
  beforeEach(async () => {
    emu = await startCognitoEmulator({ clientSecret: true, deviceTracking: 'opt-in' });
    emu.addUser({ username: 'svc', password: PASSWORD });
    rig = await teeRig(emu, live);
  });
  afterEach(async () => {
    await rig.close();
    await emu.close();
  });

  test('every operation: same request bodies and targets, same outputs, same errors', async () => {
    const { api, exchanges } = rig;
    const kinds: CognitoCallKind[] = [];
    const step = async <T>(kind: CognitoCallKind, work: () => Promise<T>): Promise<T> => {
      const before = exchanges.length;
      try {
        return await work();
      } finally {
        for (let i = before; i < exchanges.length; i++) kinds[i] = kind;
      }
    };

    // Sign-in (InitiateAuth, RespondToAuthChallenge), then the new device remembered (ConfirmDevice, UpdateDeviceStatus).
    const first = await step('signIn', () => signInWithSrp(signInRequest(emu, api)));
    expect(first.newDevice?.DeviceKey).toBeDefined();
    const remembered = await step('device', () =>
      rememberNewDevice(
        api,
        first.result.AccessToken!,
        { deviceKey: first.newDevice!.DeviceKey!, deviceGroupKey: first.newDevice!.DeviceGroupKey! },
        'oracle-device',
      ),
    );
    expect(remembered.userConfirmationNecessary).toBe(true);
    const device: DeviceCredentials = remembered.credentials;

    // Sign-in with the remembered device: DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
    const second = await step('signIn', () => signInWithSrp(signInRequest(emu, api, { device })));
    expect(second.challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);

    // Refresh both ways: GetTokensFromRefreshToken, then REFRESH_TOKEN_AUTH.
    const refreshRequest = {
      api,
      clientId: emu.clientId,
      clientSecret: ClientSecretSource.from(emu.clientSecret),
      refreshToken: second.result.RefreshToken!,
      username: second.username,
      deviceKey: device.deviceKey,
      clientMetadata: undefined,
    };
    const refreshed = await step('refresh', () => new Refresher().refresh(refreshRequest));
    expect(refreshed.api).toBe('GetTokensFromRefreshToken');
    const viaInitiateAuth = await step('refresh', () =>
      api.initiateAuth(
        {
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: emu.clientId,
          AuthParameters: {
            REFRESH_TOKEN: second.result.RefreshToken!,
            SECRET_HASH: secretHash(second.username, emu.clientId, emu.clientSecret!),
            DEVICE_KEY: device.deviceKey,
          },
        },
        'refresh',
      ),
    );
    expect(viaInitiateAuth.AuthenticationResult?.AccessToken).toBeDefined();

    // Sign-out: RevokeToken of the first sign-in's refresh token, GlobalSignOut of the second's access token.
    const secret = emu.clientSecret!;
    await step('signOut', () => api.revokeToken(first.result.RefreshToken!, emu.clientId, secret));
    await step('signOut', () => api.globalSignOut(second.result.AccessToken!));

    // Machine to machine: GetClientToken (unsigned through the SDK as well), then a wrong secret.
    const m2m = emu.addM2mClient({ scopes: ['orders/read'] });
    const clientToken = { clientId: m2m.clientId, clientSecret: m2m.clientSecret, scopes: ['orders/read'] };
    const issued = await step('signIn', () => requestViaApi(rig.transport, { ...clientToken, signal: new AbortController().signal }));
    expect(issued.accessToken.split('.')).toHaveLength(3);
    await expect(
      step('signIn', () => requestViaApi(rig.transport, { ...clientToken, clientSecret: 'wrong', signal: new AbortController().signal })),
    ).rejects.toBeInstanceOf(InvalidClientError);

    // Error answers the emulator gives by itself: a revoked refresh token, a wrong password, an unknown user.
    await expect(step('refresh', () => new Refresher().refresh({ ...refreshRequest, refreshToken: first.result.RefreshToken! }))).rejects.toMatchObject({
      code: 'REFRESH_TOKEN_EXPIRED',
    });
    await expect(step('signIn', () => signInWithSrp(signInRequest(emu, api, { password: 'Wr0ng-Password!' })))).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
    });
    await expect(step('signIn', () => signInWithSrp(signInRequest(emu, api, { username: 'nobody' })))).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });

    expect(new Set(exchanges.map((e) => e.operation))).toEqual(new Set(OPERATIONS));
    expect(exchanges.filter((e) => !e.byTransport[live].outcome.ok).length).toBeGreaterThanOrEqual(3);
    exchanges.forEach((exchange, i) => expectSameExchange(exchange, kinds[i]!));
  });

  const ERRORS: [string, Parameters<CognitoEmulator['faults']['inject']>[1]['error']][] = [
    ['NotAuthorizedException', { type: 'NotAuthorizedException', status: 400, message: 'Incorrect username or password.' }],
    ['NotAuthorizedException (refresh token)', { type: 'NotAuthorizedException', status: 400, message: 'Invalid Refresh Token.' }],
    ['UserNotFoundException', { type: 'UserNotFoundException', status: 400, message: 'User does not exist.' }],
    ['ResourceNotFoundException (device)', { type: 'ResourceNotFoundException', status: 400, message: 'Device does not exist.' }],
    ['TooManyRequestsException', 'TooManyRequestsException'],
    ['InternalErrorException 500', 'InternalErrorException'],
    ['an unknown type, 400', { type: 'SomethingNewException', status: 400, message: 'not in any model yet' }],
    ['PasswordResetRequiredException', { type: 'PasswordResetRequiredException', status: 400, message: 'Password reset required for the user' }],
  ];

  test.each(ERRORS)('the emulator answering %s: the same typed error for every kind of call', async (_, error) => {
    const calls: [CognitoCallKind, CognitoOperation, () => Promise<unknown>][] = [
      ['signIn', 'InitiateAuth', () => rig.api.initiateAuth({ AuthFlow: 'USER_SRP_AUTH', ClientId: emu.clientId, AuthParameters: { USERNAME: 'svc', SRP_A: 'ab' } })],
      ['refresh', 'GetTokensFromRefreshToken', () => rig.api.getTokensFromRefreshTokenRaw({ RefreshToken: 'r', ClientId: emu.clientId })],
      ['device', 'ConfirmDevice', () => rig.api.confirmDevice({ AccessToken: 'a', DeviceKey: 'us-east-1_dk' })],
      ['signOut', 'GlobalSignOut', () => rig.api.globalSignOut('a')],
    ];
    for (const [, operation, call] of calls) {
      emu.faults.inject(operation, { error });
      await expect(call()).rejects.toBeDefined();
    }
    expect(rig.exchanges.map((e) => e.operation)).toEqual(calls.map(([, operation]) => operation));
    rig.exchanges.forEach((exchange, i) => {
      expect(exchange.byTransport.sdk.outcome.ok).toBe(false);
      expectSameExchange(exchange, calls[i]![0]);
    });
  });
});

describe('every operation with every modelled member (a recording server)', () => {
  const RESULT = {
    AccessToken: 'eyJ.access.sig',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
    RefreshToken: 'eyJ.refresh.sig',
    IdToken: 'eyJ.id.sig',
    NewDeviceMetadata: { DeviceKey: 'eu-west-1_dk', DeviceGroupKey: '-dgk' },
  };
  const CONTEXT = {
    AnalyticsMetadata: { AnalyticsEndpointId: 'ep-1' },
    UserContextData: { IpAddress: '192.0.2.1', EncodedData: 'ZW5j' },
    ClientMetadata: { tenant: 'ü-1', 'k.2': '' },
  };
  const CASES: [CognitoOperation, object, string][] = [
    ['InitiateAuth', { AuthFlow: 'USER_AUTH', ClientId: 'c', AuthParameters: { USERNAME: 'u', SRP_A: 'ab', PREFERRED_CHALLENGE: 'PASSWORD_SRP' }, Session: 's0', ...CONTEXT },
      JSON.stringify({ ChallengeName: 'SELECT_CHALLENGE', Session: 's1', ChallengeParameters: {}, AvailableChallenges: ['PASSWORD_SRP', 'EMAIL_OTP'] })],
    ['InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: 'c', AuthParameters: { USERNAME: 'u', SRP_A: 'ab' } },
      JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { USER_ID_FOR_SRP: 'u-1', SRP_B: 'ff', SALT: '01', SECRET_BLOCK: 'c2Vj' } })],
    ['RespondToAuthChallenge', { ClientId: 'c', ChallengeName: 'PASSWORD_VERIFIER', Session: 's1', ChallengeResponses: { USERNAME: 'u-1', TIMESTAMP: 'Mon Jan 5 10:00:00 UTC 2026' }, ...CONTEXT },
      JSON.stringify({ ChallengeParameters: {}, AuthenticationResult: RESULT })],
    ['RespondToAuthChallenge', { ClientId: 'c', ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's2', ChallengeResponses: { USERNAME: 'u-1', SOFTWARE_TOKEN_MFA_CODE: '123456' } },
      JSON.stringify({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's3', ChallengeParameters: { FRIENDLY_DEVICE_NAME: 'phone' } })],
    ['GetTokensFromRefreshToken', { RefreshToken: 'r', ClientId: 'c', ClientSecret: 'sec', DeviceKey: 'eu-west-1_dk', ClientMetadata: { a: 'b' } },
      JSON.stringify({ AuthenticationResult: { ...RESULT, NewDeviceMetadata: undefined } })],
    ['ConfirmDevice', { AccessToken: 'a', DeviceKey: 'eu-west-1_dk', DeviceSecretVerifierConfig: { PasswordVerifier: 'cHY=', Salt: 'c2FsdA==' }, DeviceName: 'host' },
      JSON.stringify({ UserConfirmationNecessary: false })],
    ['UpdateDeviceStatus', { AccessToken: 'a', DeviceKey: 'eu-west-1_dk', DeviceRememberedStatus: 'not_remembered' }, '{}'],
    ['GlobalSignOut', { AccessToken: 'a' }, ''],
    ['RevokeToken', { Token: 'r', ClientId: 'c', ClientSecret: 'sec' }, '{}'],
    ['GetClientToken', { ClientId: 'c', Secret: 'sec', Scopes: ['orders/read'] },
      JSON.stringify({ ClientAuthenticationResult: { AccessToken: 'eyJ.access.sig', ExpiresIn: 3600, TokenType: 'Bearer' } })],
  ];

  test('covers every operation', () => {
    expect(new Set(CASES.map(([operation]) => operation))).toEqual(new Set(OPERATIONS));
  });

  test.each(CASES)('%s: the same request body and target, the same output', async (operation, input, answer) => {
    const server = await recordingServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
      body: Buffer.from(answer),
    }));
    const transports = { sdk: transport('sdk', server.url), json: transport('json', server.url) };
    try {
      const signal = new AbortController().signal;
      const sdk = await transports.sdk.send(operation, input, signal);
      const json = await transports.json.send(operation, input, signal);
      expect(json).toEqual(withoutMetadata(sdk));
      expect(json).toEqual(answer === '' ? {} : JSON.parse(answer));
      const [fromSdk, fromJson] = server.requests;
      expect(JSON.parse(fromJson!.body)).toEqual(JSON.parse(fromSdk!.body));
      expect(JSON.parse(fromJson!.body)).toEqual(input);
      expect(fromJson!.headers['x-amz-target']).toBe(fromSdk!.headers['x-amz-target']);
      expect(fromJson!.headers['content-type']).toBe(fromSdk!.headers['content-type']);
    } finally {
      transports.sdk.destroy();
      transports.json.destroy();
      await server.close();
    }
  });
});

describe('error answers in other wire shapes (a recording server)', () => {
  const ANSWERS: Record<string, { status: number; headers: Record<string, string>; body: string }> = {
    'the type only in x-amzn-errortype, with a :http://... suffix': {
      status: 400,
      headers: { 'x-amzn-errortype': 'NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp/' },
      body: JSON.stringify({ message: 'Incorrect username or password.' }),
    },
    '__type with a namespace# prefix': {
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: 'com.amazonaws.cognito.identity.idp.model#UserNotFoundException', message: 'User does not exist.' }),
    },
    'the type in the body code': {
      status: 400,
      headers: {},
      body: JSON.stringify({ code: 'TooManyRequestsException', message: 'Rate exceeded' }),
    },
    'Message with a capital M': {
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: 'ResourceNotFoundException', Message: 'Device does not exist.' }),
    },
    'InternalErrorException 500 with the header and the body': {
      status: 500,
      headers: { 'x-amzn-errortype': 'InternalErrorException:' },
      body: JSON.stringify({ __type: 'InternalErrorException', message: 'Internal server error.' }),
    },
    'an unknown type, 400': {
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: 'SomethingNewException', message: 'not in any model yet' }),
    },
    'PasswordResetRequiredException': {
      status: 400,
      headers: { 'x-amzn-errortype': 'PasswordResetRequiredException:' },
      body: JSON.stringify({ __type: 'PasswordResetRequiredException', message: 'Password reset required for the user' }),
    },
  };

  /** Answers with no error type at all, as a proxy or load balancer in front of Cognito gives them. */
  const TYPELESS: Record<string, { status: number; headers: Record<string, string>; body: string }> = {
    'a 502 with an HTML body': { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><h1>502 Bad Gateway</h1></html>' },
    'a 503 with an empty body': { status: 503, headers: {}, body: '' },
    'a 429 with a text body': { status: 429, headers: { 'content-type': 'text/plain' }, body: 'slow down' },
    'a 400 with a JSON array': { status: 400, headers: {}, body: '["x"]' },
    'a 200 with an HTML body': { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Wi-Fi sign-in</html>' },
  };

  /** The two raw errors for one answer; `requests` checks both calls reached the server. */
  async function bothErrors(answer: { status: number; headers: Record<string, string>; body: string }) {
    const server = await recordingServer(() => ({
      status: answer.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', ...answer.headers },
      body: Buffer.from(answer.body),
    }));
    const transports = { sdk: transport('sdk', server.url), json: transport('json', server.url) };
    try {
      const input = { AuthFlow: 'USER_SRP_AUTH', ClientId: 'client-1', AuthParameters: { USERNAME: 'svc', SRP_A: 'ab' } };
      const signal = new AbortController().signal;
      const sdk = await settle(transports.sdk.send('InitiateAuth', input, signal));
      const json = await settle(transports.json.send('InitiateAuth', input, signal));
      expect(server.requests).toHaveLength(2);
      expect(sdk.ok || json.ok).toBe(false);
      return { sdk: (sdk as { error: unknown }).error, json: (json as { error: unknown }).error };
    } finally {
      transports.sdk.destroy();
      transports.json.destroy();
      await server.close();
    }
  }

  test.each(Object.entries(TYPELESS))('%s: the same class, code, status and retryability', async (_, answer) => {
    const errors = await bothErrors(answer);
    for (const kind of ['signIn', 'refresh', 'device', 'signOut'] as const) {
      // awsType and message differ on purpose: the SDK names these SyntaxError or Unknown, the transport
      // UnknownError or MalformedResponse with the HTTP status text instead of a JSON parser's complaint.
      const { class: cls, code, statusCode, retryable } = mapped(errors.sdk, kind);
      expect({ kind, ...mapped(errors.json, kind) }).toMatchObject({ kind, class: cls, code, statusCode, retryable });
    }
  });

  test.each(Object.entries(ANSWERS))('%s: the same typed error, message included', async (_, answer) => {
    const errors = await bothErrors(answer);
    expect(shape(errors.json)).toEqual(shape(errors.sdk));
    for (const kind of ['signIn', 'refresh', 'device', 'signOut'] as const) {
      expect({ kind, error: mapped(errors.json, kind, 'dk') }).toEqual({ kind, error: mapped(errors.sdk, kind, 'dk') });
    }
  });
});
describe('the URL both transports post to', () => {
  test.each(['', '/', '/cognito', '/cognito/', '/api/cognito-idp'])('endpoint path "%s"', async (path) => {
    const server = await recordingServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Buffer.from('{}'),
    }));
    const transports = { sdk: transport('sdk', `${server.url}${path}`), json: transport('json', `${server.url}${path}`) };
    try {
      await transports.sdk.send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
      await transports.json.send('GlobalSignOut', { AccessToken: 'a' }, new AbortController().signal);
      const [sdk, json] = server.requests;
      expect(json!.path).toBe(sdk!.path);
    } finally {
      transports.sdk.destroy();
      transports.json.destroy();
      await server.close();
    }
  });
});
