import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import { attachCognitoAuth } from '../../adapters/axios.js';
import { CognitoConfigError, NotAuthorizedError } from '../../src/errors.js';
import { JwtIssuer } from '../http/jwt-issuer.js';
import { ProtectedApi, RecordingServer } from '../http/protected-api.js';
import { TestTokenSource } from '../http/test-token-source.js';
import { axiosClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(axiosClient);

describe('axios adapter specifics', () => {
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

  test('detach() removes both interceptors', async () => {
    const instance = axios.create({ baseURL: api.origin });
    const detach = attachCognitoAuth(instance, source);
    await instance.get('/data');
    detach();
    await expect(instance.get('/data')).rejects.toMatchObject({ response: { status: 401 } });
    expect(api.requests.map((r) => r.status)).toEqual([200, 401]);
    expect(instance.interceptors.request.handlers?.filter(Boolean)).toHaveLength(0);
  });

  test('baseURL + relative url: the origin comes from baseURL', async () => {
    const instance = axios.create({ baseURL: `${api.origin}/` });
    attachCognitoAuth(instance, source);
    const response = await instance.get('data');
    expect(response.status).toBe(200);
    expect(api.requests[0]?.token).toBe(source.current);
  });

  test('a 401 accepted by validateStatus is retried too', async () => {
    const instance = axios.create({ validateStatus: () => true });
    attachCognitoAuth(instance, source);
    api.revoked.add(source.current!);
    const response = await instance.get(api.url('/data'));
    expect(response.status).toBe(200);
    expect(api.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  test('retryOnUnauthorized: false hands the 401 back at once', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, source, { retryOnUnauthorized: false });
    api.revoked.add(source.current!);
    await expect(instance.get(api.url('/data'))).rejects.toMatchObject({ response: { status: 401 } });
    expect(api.requests).toHaveLength(1);
    expect(source.refreshes).toBe(0);
  });

  test('a final 401 error shows no token in util.inspect (the header is taken out of err.config)', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, source, { retryOnUnauthorized: false });
    api.revoked.add(source.current!);
    const error = await instance.get(api.url('/data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect(inspect(error)).not.toContain(source.current!);
    expect(JSON.stringify(error)).not.toContain(source.current!);
  });

  test('a provider failure is an AxiosError whose cause is the typed error', async () => {
    const instance = axios.create();
    attachCognitoAuth(instance, source);
    source.expire();
    source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await instance.get(api.url('/data')).catch((e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(api.requests).toHaveLength(0);
  });

  test('a custom header is taken off a cross-origin redirect hop', async () => {
    const other = await RecordingServer.start();
    const customApi = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer, header: 'x-api-token', scheme: '' });
    try {
      const instance = axios.create();
      attachCognitoAuth(instance, source, { header: 'X-Api-Token', scheme: '' });
      const response = await instance.get(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`));
      expect(response.data).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
      await other.close();
    }
  });

  test('refuses what is not an axios instance', () => {
    expect(() => attachCognitoAuth({} as never, source)).toThrow(CognitoConfigError);
  });
});
