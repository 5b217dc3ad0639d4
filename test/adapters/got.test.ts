import { inspect } from 'node:util';
import got, { RequestError } from 'got';
import { cognitoGot } from '../../adapters/got.js';
import { NotAuthorizedError } from '../../src/errors.js';
import { RecordingServer } from '../http/protected-api.js';
import { apiFixture } from './api-fixture.js';
import { gotClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(gotClient);

describe('got adapter specifics', () => {
  const fx = apiFixture();

  test('prefixUrl instances get the token; got.extend composes with other options', async () => {
    const client = got.extend({ prefixUrl: fx.api.origin, responseType: 'json' }, cognitoGot(fx.source));
    const body = await client.get('data').json<{ ok: boolean }>();
    expect(body.ok).toBe(true);
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
  });

  test("got's own retries (a 503) carry a token on every attempt", async () => {
    const client = got.extend({ retry: { limit: 1, calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0) } }, cognitoGot(fx.source));
    const response = await client.get(fx.api.url('/status/503'), { throwHttpErrors: false, resolveBodyOnly: false });
    expect(response.statusCode).toBe(503);
    expect(fx.api.requests.map((r) => r.token)).toEqual([fx.source.current, fx.source.current]);
  });

  test('streams (got.stream) get the token too', async () => {
    const client = got.extend(cognitoGot(fx.source));
    let text = '';
    for await (const chunk of client.stream(fx.api.url('/data'))) text += String(chunk);
    expect(JSON.parse(text)).toMatchObject({ ok: true });
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
  });

  test('a custom header is taken off a cross-origin redirect hop (beforeRequest runs on every hop)', async () => {
    const other = await RecordingServer.start();
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    try {
      const client = got.extend(cognitoGot(fx.source, { header: 'x-api-token', scheme: '' }));
      const body = await client(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`)).json();
      expect(body).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(fx.source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
      await other.close();
    }
  });

  test('a provider failure is a got RequestError whose cause is the typed error; no token in it', async () => {
    const client = got.extend(cognitoGot(fx.source));
    fx.api.revoked.add(fx.source.current!);
    fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await client(fx.api.url('/data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(inspect(error, { depth: 4 })).not.toContain(fx.source.current!);
  });

  test('a final 401 HTTPError does not show the token in util.inspect', async () => {
    const client = got.extend(cognitoGot(fx.source, { retryOnUnauthorized: false }));
    fx.api.revoked.add(fx.source.current!);
    const error = await client(fx.api.url('/data')).catch((e: unknown) => e);
    expect((error as RequestError).response?.statusCode).toBe(401);
    expect(inspect(error, { depth: 4 })).not.toContain(fx.source.current!);
  });
});
