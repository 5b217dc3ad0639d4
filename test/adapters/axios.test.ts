import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import { attachCognitoAuth } from '../../adapters/axios.js';
import { CognitoConfigError, NotAuthorizedError } from '../../src/errors.js';
import { RecordingServer } from '../http/protected-api.js';
import { apiFixture } from './api-fixture.js';
import { axiosClient, axiosFetchClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(axiosClient);
describeAdapterContract(axiosFetchClient);

describe('axios adapter specifics', () => {
  const fx = apiFixture();

  test('detach() removes both interceptors', async () => {
    const instance = axios.create({ baseURL: fx.api.origin });
    const detach = attachCognitoAuth(instance, fx.source);
    await instance.get('/data');
    detach();
    await expect(instance.get('/data')).rejects.toMatchObject({ response: { status: 401 } });
    expect(fx.api.requests.map((r) => r.status)).toEqual([200, 401]);
    expect(instance.interceptors.request.handlers?.filter(Boolean)).toHaveLength(0);
  });

  test('baseURL + relative url: the origin comes from baseURL', async () => {
    const instance = axios.create({ baseURL: `${fx.api.origin}/` });
    attachCognitoAuth(instance, fx.source);
    const response = await instance.get('data');
    expect(response.status).toBe(200);
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
  });

  test('a 401 accepted by validateStatus is retried too', async () => {
    const instance = axios.create({ validateStatus: () => true });
    attachCognitoAuth(instance, fx.source);
    fx.api.revoked.add(fx.source.current!);
    const response = await instance.get(fx.api.url('/data'));
    expect(response.status).toBe(200);
    expect(fx.api.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  test('retryOnUnauthorized: false hands the 401 back at once', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, fx.source, { retryOnUnauthorized: false });
    fx.api.revoked.add(fx.source.current!);
    await expect(instance.get(fx.api.url('/data'))).rejects.toMatchObject({ response: { status: 401 } });
    expect(fx.api.requests).toHaveLength(1);
    expect(fx.source.refreshes).toBe(0);
  });

  test('a final 401 error shows no token in util.inspect (the header is taken out of err.config)', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, fx.source, { retryOnUnauthorized: false });
    fx.api.revoked.add(fx.source.current!);
    const error = await instance.get(fx.api.url('/data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect(inspect(error)).not.toContain(fx.source.current!);
    expect(JSON.stringify(error)).not.toContain(fx.source.current!);
  });

  test('a provider failure is an AxiosError whose cause is the typed error', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, fx.source);
    fx.source.expire();
    fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await instance.get(fx.api.url('/data')).catch((e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(fx.api.requests).toHaveLength(0);
  });

  test('a custom header is taken off a cross-origin redirect hop', async () => {
    const other = await RecordingServer.start();
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    try {
      const instance = axios.create();
      attachCognitoAuth(instance, fx.source, { header: 'X-Api-Token', scheme: '' });
      const response = await instance.get(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`));
      expect(response.data).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(fx.source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
      await other.close();
    }
  });

  test('refuses what is not an axios instance', () => {
    expect(() => attachCognitoAuth({} as never, fx.source)).toThrow(CognitoConfigError);
  });

  test('a custom adapter gets the same redirect rules: https → http never carries a custom header (no network)', async () => {
    const seen: [string, unknown][] = [];
    const instance = axios.create({
      adapter: async (config) => {
        const url = config.url ?? '';
        seen.push([url, config.headers.get('x-api-token')]);
        const redirect = url.startsWith('https:');
        const response = {
          data: '',
          status: redirect ? 302 : 200,
          statusText: '',
          headers: redirect ? { location: 'http://api.example.com/landing' } : {},
          config,
        };
        if (config.validateStatus?.(response.status) === false) throw new AxiosError('bad status', 'ERR_BAD_RESPONSE', config, undefined, response as never);
        return response;
      },
    });
    attachCognitoAuth(instance, fx.source, { header: 'X-Api-Token', scheme: '', origins: ['https://api.example.com'] });
    const response = await instance.get('https://api.example.com/orders');
    expect(response.status).toBe(200);
    expect(response.config.url).toBe('https://api.example.com/orders');
    expect(seen).toEqual([
      ['https://api.example.com/orders', fx.source.current],
      ['http://api.example.com/landing', undefined],
    ]);
  });

  test('the caller beforeRedirect still runs after ours (http adapter)', async () => {
    const seen: string[] = [];
    const instance = axios.create({ beforeRedirect: (options) => void seen.push(String(options.href)) });
    attachCognitoAuth(instance, fx.source);
    const response = await instance.get(fx.api.url(`/redirect?to=${encodeURIComponent(fx.other.url('/x'))}`));
    expect(response.data).toMatchObject({ other: true });
    expect(seen).toEqual([fx.other.url('/x')]);
    expect(fx.other.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('fetch adapter: a POST answered 303 goes on as a body-less GET; a 307 keeps the method and body', async () => {
    const instance = axios.create({ adapter: 'fetch' });
    attachCognitoAuth(instance, fx.source);
    await instance.post(fx.api.url(`/redirect?status=303&to=${encodeURIComponent('/after')}`), 'x=1');
    await instance.post(fx.api.url(`/redirect?status=307&to=${encodeURIComponent('/echo')}`), 'y=22');
    expect(fx.api.requests.map((r) => [r.method, r.path.split('?')[0], r.bodyBytes, r.token === fx.source.current])).toEqual([
      ['POST', '/redirect', 3, true],
      ['GET', '/after', 0, true],
      ['POST', '/redirect', 4, true],
      ['POST', '/echo', 4, true],
    ]);
  });

  test('fetch adapter: more redirects than maxRedirects is an error, as with the http adapter', async () => {
    const instance = axios.create({ adapter: 'fetch', maxRedirects: 2 });
    attachCognitoAuth(instance, fx.source);
    const loop = fx.api.url(`/redirect?to=${encodeURIComponent('/redirect?to=%2Fredirect')}`);
    const error = await instance.get(loop).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_FR_TOO_MANY_REDIRECTS' });
    expect(fx.api.requests).toHaveLength(3);
  });
});
