import { Agent, fetch as undiciFetch, getGlobalDispatcher, interceptors, request, setGlobalDispatcher, type Dispatcher } from 'undici';
import { cognitoInterceptor, type CognitoInterceptorOptions } from '../../adapters/undici.js';
import { CognitoConfigError, NotAuthorizedError } from '../../src/errors.js';
import { JwtIssuer } from '../http/jwt-issuer.js';
import { ProtectedApi, RecordingServer } from '../http/protected-api.js';
import { TestTokenSource } from '../http/test-token-source.js';
import { undiciClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(undiciClient);

describe('undici adapter specifics', () => {
  let issuer: JwtIssuer;
  let api: ProtectedApi;
  let other: RecordingServer;
  let source: TestTokenSource;
  let agent: Agent;

  beforeAll(async () => {
    issuer = await JwtIssuer.create();
    other = await RecordingServer.start();
  });
  afterAll(async () => {
    await other.close();
  });
  beforeEach(async () => {
    api = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer });
    source = new TestTokenSource(issuer);
    await source.prime();
    agent = new Agent();
    other.requests.length = 0;
  });
  afterEach(async () => {
    await agent.close();
    await api.close();
  });

  test('`origins` is required (a dispatcher cannot tell redirect hops from requests)', () => {
    expect(() => cognitoInterceptor(source, {} as CognitoInterceptorOptions)).toThrow(expect.objectContaining({ option: 'origins' }));
    expect(() => cognitoInterceptor(source, undefined as unknown as CognitoInterceptorOptions)).toThrow(CognitoConfigError);
  });

  test('the per-request opt-out is a typed dispatch option', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    const response = await request(api.url('/public/x'), { dispatcher, cognitoAuth: false });
    await response.body.dump();
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('works for undici.fetch with an explicit dispatcher, 401 retry included', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    api.revoked.add(source.current!);
    const response = await undiciFetch(api.url('/data'), { dispatcher });
    expect(response.status).toBe(200);
    expect(api.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  test("fetch sends its body as a stream: a POST's 401 comes back as is", async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    api.revoked.add(source.current!);
    const response = await undiciFetch(api.url('/echo'), { dispatcher, method: 'POST', body: 'x=1' });
    expect(response.status).toBe(401);
    expect(api.requests).toHaveLength(1);
  });

  test("fetch's redirect hops go through the dispatcher; the hop to another origin gets no token", async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    const response = await undiciFetch(api.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`), { dispatcher });
    expect(await response.json()).toMatchObject({ other: true });
    expect(api.requests[0]?.token).toBe(source.current);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('compose(auth, redirect): hops re-enter the interceptor, which takes a custom header off the other origin', async () => {
    const customApi = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer, header: 'x-api-token', scheme: '' });
    try {
      const dispatcher = agent.compose(
        cognitoInterceptor(source, { origins: [customApi.origin], header: 'x-api-token', scheme: '' }),
        interceptors.redirect({ maxRedirections: 2 }),
      );
      const response = await request(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`), { dispatcher });
      expect(await response.body.json()).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
    }
  });

  test('Node global fetch uses it after setGlobalDispatcher (restored afterwards)', async () => {
    const previous = getGlobalDispatcher();
    const dispatcher: Dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    setGlobalDispatcher(dispatcher);
    const restoreMainRealm = mirrorGlobalDispatcherToMainRealm();
    try {
      api.revoked.add(source.current!);
      const response = await fetch(api.url('/data'));
      expect(response.status).toBe(200);
      const redirected = await fetch(api.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`));
      expect(await redirected.json()).toMatchObject({ other: true });
    } finally {
      restoreMainRealm();
      setGlobalDispatcher(previous);
    }
    expect(api.requests.map((r) => r.status)).toEqual([401, 200, 302]);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(getGlobalDispatcher()).toBe(previous);
  });

  test('flat-array and Map headers are understood; a caller header in them is left alone', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    const flat = await request(api.url('/data'), { dispatcher, headers: ['x-trace', '1'] });
    await flat.body.dump();
    const own = await request(api.url('/data'), { dispatcher, headers: new Map([['Authorization', 'Bearer mine']]) as never });
    await own.body.dump();
    expect(api.requests.map((r) => [r.headers['x-trace'], r.headers.authorization])).toEqual([
      ['1', `Bearer ${source.current}`],
      [undefined, 'Bearer mine'],
    ]);
  });

  test('a provider failure reaches undici.request as the typed error itself, and fetch as its cause', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    source.expire();
    source.failWith = new NotAuthorizedError('Incorrect username or password.');
    await expect(request(api.url('/data'), { dispatcher })).rejects.toBeInstanceOf(NotAuthorizedError);
    source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await undiciFetch(api.url('/data'), { dispatcher }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(api.requests).toHaveLength(0);
  });

  test('aborting while the 401 retry waits for a token rejects that request only', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(source, { origins: [api.origin] }));
    source.refreshDelayMs = 200;
    api.revoked.add(source.current!);
    const controller = new AbortController();
    const aborted = request(api.url('/data?aborted'), { dispatcher, signal: controller.signal });
    setTimeout(() => controller.abort(), 60);
    const survivor = request(api.url('/data?survivor'), { dispatcher });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const response = await survivor;
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(source.refreshes).toBe(1);
    expect(api.requests.filter((r) => r.path.includes('aborted')).map((r) => r.status)).toEqual([401]);
  });
});

/**
 * Jest runs each test file in a vm context, but Node's built-in fetch lives in the main realm and reads the
 * global dispatcher (`Symbol.for('undici.globalDispatcher.1')`) from the main realm's globalThis. Copy what
 * `setGlobalDispatcher` wrote in this context over there, and return how to put the old value back.
 * Outside Jest (one realm) `setGlobalDispatcher` alone is enough.
 */
function mirrorGlobalDispatcherToMainRealm(): () => void {
  const mainRealm = (fetch as unknown as { constructor: FunctionConstructor }).constructor('return globalThis')() as Record<symbol, unknown>;
  const key = Symbol.for('undici.globalDispatcher.1');
  const had = Object.prototype.hasOwnProperty.call(mainRealm, key);
  const before = mainRealm[key];
  if (mainRealm === (globalThis as unknown)) return () => {};
  const mine = (globalThis as unknown as Record<symbol, unknown>)[key];
  // undici defines the key writable but not configurable: assign when it exists.
  if (had) mainRealm[key] = mine;
  else Object.defineProperty(mainRealm, key, { value: mine, writable: true, configurable: true });
  return () => {
    if (had) mainRealm[key] = before;
    else delete mainRealm[key];
  };
}
