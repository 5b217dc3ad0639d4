/** AWS JSON 1.1 wire format, malformed requests, call counts, fault injection and the test API's hygiene. */
import { request as httpRequest, Agent } from 'node:http';
import { inspect } from 'node:util';

import { type CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { jest } from '@jest/globals';

import { CognitoConfigError } from '../../src/errors.js';
import { type CognitoEmulator, startCognitoEmulator } from '../../src/testing/index.js';
import { rejectionOf, sdkClient, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const TARGET = 'AWSCognitoIdentityProviderService.';

let emu: CognitoEmulator;
let client: CognitoIdentityProviderClient;

beforeEach(async () => {
  emu = await startCognitoEmulator({ clientSecret: true });
  client = sdkClient(emu);
  emu.addUser({ username: 'alice', password: PASSWORD });
});

afterEach(async () => {
  client.destroy();
  await emu.close();
});

function post(body: string, target?: string): Promise<Response> {
  return fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
    },
    body,
  });
}

async function errorOf(response: Response): Promise<{ status: number; type: string | null; body: { __type: string; message: string } }> {
  return {
    status: response.status,
    type: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as { __type: string; message: string },
  };
}

function initiate() {
  return client.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: emu.clientId, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } }),
  );
}

describe('malformed requests get Cognito errors, never a crash', () => {
  test('malformed JSON → 400 SerializationException', async () => {
    const result = await errorOf(await post('{"ClientId": ', `${TARGET}InitiateAuth`));
    expect(result.status).toBe(400);
    expect(result.body.__type).toBe('SerializationException');
    expect(result.type).toBe('SerializationException:');
    const array = await errorOf(await post('[1,2]', `${TARGET}InitiateAuth`));
    expect(array.body.__type).toBe('SerializationException');
  });

  test('unknown operation or missing target → 400 UnknownOperationException', async () => {
    const unknown = await errorOf(await post('{}', `${TARGET}DoSomethingElse`));
    expect(unknown).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    const missing = await errorOf(await post('{}'));
    expect(missing.body.__type).toBe('UnknownOperationException');
    const foreign = await errorOf(await post('{}', 'DynamoDB_20120810.GetItem'));
    expect(foreign.body.__type).toBe('UnknownOperationException');
  });

  test('missing required parameter → InvalidParameterException naming it', async () => {
    const noClient = await errorOf(await post('{"AuthFlow":"USER_SRP_AUTH"}', `${TARGET}InitiateAuth`));
    expect(noClient.body).toEqual({ __type: 'InvalidParameterException', message: 'Missing required parameter ClientId' });
    const noFlow = await errorOf(await post(`{"ClientId":"${emu.clientId}"}`, `${TARGET}InitiateAuth`));
    expect(noFlow.body.message).toContain('AuthFlow');
    const noSession = await errorOf(
      await post(
        JSON.stringify({ ClientId: emu.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { USERNAME: 'alice' } }),
        `${TARGET}RespondToAuthChallenge`,
      ),
    );
    expect(noSession.body.message).toContain('Session');
    const badType = await errorOf(await post(`{"ClientId": 42, "AuthFlow": "USER_SRP_AUTH"}`, `${TARGET}InitiateAuth`));
    expect(badType.body.__type).toBe('SerializationException');
    const badEnum = await errorOf(await post(`{"ClientId":"${emu.clientId}","AuthFlow":"NOPE"}`, `${TARGET}InitiateAuth`));
    expect(badEnum.body.__type).toBe('InvalidParameterException');
  });

  test('a wrong method and a garbage HTTP request leave the server working', async () => {
    const put = await fetch(emu.endpoint, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    const net = await import('node:net');
    const port = Number(new URL(emu.endpoint).port);
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const out = await srpSignIn(client, emu, 'alice', PASSWORD);
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('errors carry x-amzn-ErrorType and the SDK maps them to typed exceptions', async () => {
    const error = await rejectionOf(initiate());
    expect(error.name).toBe('NotAuthorizedException');
    expect((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });
});

describe('call counts', () => {
  test('calls counts each operation, reads 0 for others, and resets', async () => {
    expect(emu.calls.InitiateAuth).toBe(0);
    await srpSignIn(client, emu, 'alice', PASSWORD);
    await rejectionOf(initiate());
    expect(emu.calls.InitiateAuth).toBe(2);
    expect(emu.calls.RespondToAuthChallenge).toBe(1);
    expect(emu.calls.GlobalSignOut).toBe(0);
    expect({ ...emu.calls }).toEqual({ InitiateAuth: 2, RespondToAuthChallenge: 1 });
    emu.resetCalls();
    expect(emu.calls.InitiateAuth).toBe(0);
    expect(Object.keys(emu.calls)).toEqual([]);
  });
});

describe('fault injection', () => {
  test('TooManyRequestsException (429) for the next N calls, then normal service', async () => {
    emu.faults.inject('InitiateAuth', { error: 'TooManyRequestsException', times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(initiate());
      expect(error.name).toBe('TooManyRequestsException');
      expect((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(429);
    }
    expect((await rejectionOf(initiate())).name).toBe('NotAuthorizedException');
    expect(emu.calls.InitiateAuth).toBe(3);
  });

  test('InternalErrorException (500) and custom errors; other operations unaffected', async () => {
    emu.faults.inject('RespondToAuthChallenge', { error: 'InternalErrorException' });
    emu.faults.inject('InitiateAuth', { error: { type: 'ForbiddenException', status: 403, message: 'blocked by WAF' } });
    const forbidden = await rejectionOf(initiate());
    expect(forbidden).toMatchObject({ name: 'ForbiddenException', message: 'blocked by WAF' });
    const internal = await rejectionOf(srpSignIn(client, emu, 'alice', PASSWORD));
    expect(internal.name).toBe('InternalErrorException');
    expect((internal as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
    const ok = await srpSignIn(client, emu, 'alice', PASSWORD);
    expect(ok.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('added latency and "*" match any operation', async () => {
    emu.faults.inject('*', { latencyMs: 300 });
    const started = Date.now();
    await rejectionOf(initiate());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const quick = Date.now();
    await rejectionOf(initiate());
    expect(Date.now() - quick).toBeLessThan(290);
  });

  test('a dropped connection is a network error; clear() disarms faults', async () => {
    emu.faults.inject('InitiateAuth', { drop: true, times: 5 });
    const dropped = await rejectionOf(post('{}', `${TARGET}InitiateAuth`));
    // undici's fetch reports a reset socket as `TypeError: fetch failed`.
    expect(dropped.name).toBe('TypeError');
    expect(dropped.message).toBe('fetch failed');
    emu.faults.clear();
    expect((await rejectionOf(initiate())).name).toBe('NotAuthorizedException');
  });

  test('bad fault definitions throw CognitoConfigError naming the field', () => {
    expect(() => emu.faults.inject('InitiateAuth', { times: 0 })).toThrow(CognitoConfigError);
    expect(() => emu.faults.inject('InitiateAuth', { latencyMs: -1 })).toThrow(/fault\.latencyMs/);
    expect(() => emu.faults.inject('', {})).toThrow(/operation/);
  });
});

describe('server behaviour', () => {
  test('HTTP/1.1 keep-alive: several requests share one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const once = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(emu.endpoint, {
          method: 'POST',
          agent,
          headers: { 'x-amz-target': `${TARGET}InitiateAuth`, 'content-type': 'application/x-amz-json-1.1' },
        });
        req.on('socket', (socket) => sockets.add(socket));
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await once()).toBe(400);
    expect(await once()).toBe(400);
    expect(await once()).toBe(400);
    expect(sockets.size).toBe(1);
    agent.destroy();
  });

  test('the handle never shows the client secret, and nothing is logged', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method));
    const write = jest.spyOn(process.stdout, 'write');
    try {
      await srpSignIn(client, emu, 'alice', PASSWORD);
      await rejectionOf(initiate());
      await post('{oops', `${TARGET}InitiateAuth`);
      const printed = `${inspect(emu, { depth: 5 })} ${JSON.stringify(emu)}`;
      expect(emu.clientSecret).toEqual(expect.any(String));
      expect(printed).not.toContain(emu.clientSecret!);
      expect(printed).toContain(emu.clientId);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(write).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
      write.mockRestore();
    }
  });

  test('close() is idempotent and frees the port', async () => {
    const other = await startCognitoEmulator();
    const { port } = new URL(other.endpoint);
    await Promise.all([other.close(), other.close()]);
    const reuse = await startCognitoEmulator({ port: Number(port) });
    expect(reuse.endpoint).toBe(other.endpoint);
    await reuse.close();
  });

  test('bad options and users throw CognitoConfigError naming the option', async () => {
    await expect(startCognitoEmulator({ port: -1 })).rejects.toThrow(/`port`/);
    await expect(startCognitoEmulator({ deviceTracking: 'sometimes' as never })).rejects.toThrow(/deviceTracking/);
    await expect(startCognitoEmulator({ refreshTokenRotation: { gracePeriodSeconds: 61 } })).rejects.toThrow(CognitoConfigError);
    await expect(startCognitoEmulator({ poolName: 'has_underscore' })).rejects.toThrow(/poolName/);
    expect(() => emu.addUser({ username: 'alice', password: 'x' })).toThrow(/already exists/);
    expect(() => emu.addUser({ username: 'bob', password: '' })).toThrow(/user\.password/);
    expect(() => emu.addUser({ username: 'bob', password: 'p', mfa: ['SMS_MFA'] })).toThrow(/phoneNumber/);
    let message = '';
    try {
      emu.addUser({ username: 'bob', password: 'SuperSecret-123', mfa: ['EMAIL_OTP'] });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/user\.email/);
    expect(message).not.toContain('SuperSecret-123');
  });

  test('a pool id and region as configured', async () => {
    const other = await startCognitoEmulator({ region: 'eu-west-1', poolName: 'Local1' });
    expect(other.userPoolId).toBe('eu-west-1_Local1');
    expect(other.region).toBe('eu-west-1');
    expect(other.jwksUri).toBe(`${other.endpoint}/eu-west-1_Local1/.well-known/jwks.json`);
    expect(other.clientSecret).toBeUndefined();
    await other.close();
  });
});
