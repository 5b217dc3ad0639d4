import { inspect } from 'node:util';
import got, { RequestError } from 'got';
import { cognitoGot } from '../../adapters/got.js';
import { NotAuthorizedError } from '../../src/errors.js';
import { JwtIssuer } from '../http/jwt-issuer.js';
import { ProtectedApi, RecordingServer } from '../http/protected-api.js';
import { TestTokenSource } from '../http/test-token-source.js';
import { gotClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(gotClient);

describe('got adapter specifics', () => {
  let issuer: JwtIssuer;
  let api: ProtectedApi;
  let source: TestTokenSource;

  beforeAll(async () => {
    issuer = await JwtIssuer.create();
  });
  beforeEach(async () => {
    api = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer });
    source = new TestTokenSource(issuer);
    await source.prime();
  });
  afterEach(async () => {
    await api.close();
  });

  test('prefixUrl instances get the token; got.extend composes with other options', async () => {
    const client = got.extend({ prefixUrl: api.origin, responseType: 'json' }, cognitoGot(source));
    const body = await client.get('data').json<{ ok: boolean }>();
    expect(body.ok).toBe(true);
    expect(api.requests[0]?.token).toBe(source.current);
  });

  test("got's own retries (a 503) carry a token on every attempt", async () => {
    const client = got.extend({ retry: { limit: 1, calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0) } }, cognitoGot(source));
    const response = await client.get(api.url('/status/503'), { throwHttpErrors: false, resolveBodyOnly: false });
    expect(response.statusCode).toBe(503);
    expect(api.requests.map((r) => r.token)).toEqual([source.current, source.current]);
  });

  test('streams (got.stream) get the token too', async () => {
    const client = got.extend(cognitoGot(source));
    let text = '';
    for await (const chunk of client.stream(api.url('/data'))) text += String(chunk);
    expect(JSON.parse(text)).toMatchObject({ ok: true });
    expect(api.requests[0]?.token).toBe(source.current);
  });

  test('a custom header is taken off a cross-origin redirect hop (beforeRequest runs on every hop)', async () => {
    const other = await RecordingServer.start();
    const customApi = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer, header: 'x-api-token', scheme: '' });
    try {
      const client = got.extend(cognitoGot(source, { header: 'x-api-token', scheme: '' }));
      const body = await client(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`)).json();
      expect(body).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
      await other.close();
    }
  });

  test('a provider failure is a got RequestError whose cause is the typed error; no token in it', async () => {
    const client = got.extend(cognitoGot(source));
    api.revoked.add(source.current!);
    source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await client(api.url('/data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(inspect(error, { depth: 4 })).not.toContain(source.current!);
  });

  test('a final 401 HTTPError does not show the token in util.inspect', async () => {
    const client = got.extend(cognitoGot(source, { retryOnUnauthorized: false }));
    api.revoked.add(source.current!);
    const error = await client(api.url('/data')).catch((e: unknown) => e);
    expect((error as RequestError).response?.statusCode).toBe(401);
    expect(inspect(error, { depth: 4 })).not.toContain(source.current!);
  });
});
