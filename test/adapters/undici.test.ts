import { Readable } from 'node:stream';
import { Agent, Client, fetch as undiciFetch, getGlobalDispatcher, interceptors, request, setGlobalDispatcher, type Dispatcher } from 'undici';
import { cognitoInterceptor } from '../../adapters/undici.js';
import { CognitoConfigError, NotAuthorizedError } from '../../src/errors.js';
import { apiFixture } from './api-fixture.js';
import { STREAM_BYTES, undiciClient, type ClientKind } from './clients.js';
import { describeAdapterContract } from './conformance.js';
import { describeTransportContract } from './transport-conformance.js';

describeAdapterContract(undiciClient);

/**
 * undici.request through `Agent().compose(auth, redirect)` (the documented order, every hop re-enters ours)
 * with no `origins`: the interceptor pins the origin of the first request.
 */
const pinnedUndiciClient: ClientKind = {
  name: 'undici',
  create(source, _apiOrigin, options) {
    const agent = new Agent({ connections: 64 });
    const dispatcher = agent.compose(cognitoInterceptor(source, options), interceptors.redirect({ maxRedirections: 3 }));
    return {
      async send(url, call = {}) {
        const json = call.body !== undefined && typeof call.body !== 'string';
        const body = call.body === 'stream' ? streamBody() : json ? JSON.stringify(call.body) : (call.body as string | undefined);
        const response = await request(url, {
          dispatcher,
          method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
          headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...call.headers },
          signal: call.signal,
          body,
          ...(call.optOut === true ? { cognitoAuth: false } : {}),
        });
        const text = await response.body.text();
        return { status: response.statusCode, body: parseJson(text) };
      },
      async close() {
        await agent.close();
      },
    };
  },
};

describe('without `origins` (first-request pin)', () => {
  describeAdapterContract(pinnedUndiciClient);
  describeTransportContract(pinnedUndiciClient);
});

describe('undici adapter specifics', () => {
  const fx = apiFixture();
  let agent: Agent;

  beforeEach(() => {
    agent = new Agent();
  });
  afterEach(async () => {
    await agent.close();
  });

  test('`options` is optional; a bad `origins` list is still refused naming the entry', () => {
    expect(typeof cognitoInterceptor(fx.source)).toBe('function');
    expect(typeof cognitoInterceptor(fx.source, {})).toBe('function');
    expect(() => cognitoInterceptor(fx.source, { origins: [] })).toThrow(CognitoConfigError);
    expect(() => cognitoInterceptor(fx.source, { origins: ['https://api.example.com/v1'] })).toThrow(
      expect.objectContaining({ option: 'origins[0]' }),
    );
  });

  test('the per-request opt-out is a typed dispatch option', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    const response = await request(fx.api.url('/public/x'), { dispatcher, cognitoAuth: false });
    await response.body.dump();
    expect(fx.api.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('works for undici.fetch with an explicit dispatcher, 401 retry included', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    fx.api.revoked.add(fx.source.current!);
    const response = await undiciFetch(fx.api.url('/data'), { dispatcher });
    expect(response.status).toBe(200);
    expect(fx.api.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  test("fetch sends its body as a stream: a POST's 401 comes back as is", async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    fx.api.revoked.add(fx.source.current!);
    const response = await undiciFetch(fx.api.url('/echo'), { dispatcher, method: 'POST', body: 'x=1' });
    expect(response.status).toBe(401);
    expect(fx.api.requests).toHaveLength(1);
  });

  test("fetch's redirect hops go through the dispatcher; the hop to another origin gets no token", async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    const response = await undiciFetch(fx.api.url(`/redirect?to=${encodeURIComponent(fx.other.url('/x'))}`), { dispatcher });
    expect(await response.json()).toMatchObject({ other: true });
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
    expect(fx.other.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('compose(redirect, auth): a 401 from a redirect target (which got no token) triggers no refresh', async () => {
    const sso = await fx.startApi();
    try {
      const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 2 }), cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
      const target = encodeURIComponent(sso.url('/login'));
      const statuses = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const response = await request(fx.api.url(`/redirect?to=${target}`), { dispatcher });
          await response.body.dump();
          return response.statusCode;
        }),
      );
      expect(statuses).toEqual(Array(10).fill(401));
      expect(fx.source.refreshes).toBe(0);
      expect(sso.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await sso.close();
    }
  });

  test('compose(auth, redirect): hops re-enter the interceptor, which takes a custom header off the other origin', async () => {
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    try {
      const dispatcher = agent.compose(
        cognitoInterceptor(fx.source, { origins: [customApi.origin], header: 'x-api-token', scheme: '' }),
        interceptors.redirect({ maxRedirections: 2 }),
      );
      const response = await request(customApi.url(`/redirect?to=${encodeURIComponent(fx.other.url('/x'))}`), { dispatcher });
      expect(await response.body.json()).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(fx.source.current);
      expect(fx.other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
    }
  });

  test('Node global fetch uses it after setGlobalDispatcher (restored afterwards)', async () => {
    const previous = getGlobalDispatcher();
    const dispatcher: Dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    setGlobalDispatcher(dispatcher);
    const restoreMainRealm = mirrorGlobalDispatcherToMainRealm();
    try {
      fx.api.revoked.add(fx.source.current!);
      const response = await fetch(fx.api.url('/data'));
      expect(response.status).toBe(200);
      const redirected = await fetch(fx.api.url(`/redirect?to=${encodeURIComponent(fx.other.url('/x'))}`));
      expect(await redirected.json()).toMatchObject({ other: true });
    } finally {
      restoreMainRealm();
      setGlobalDispatcher(previous);
    }
    expect(fx.api.requests.map((r) => r.status)).toEqual([401, 200, 302]);
    expect(fx.other.requests[0]?.headers.authorization).toBeUndefined();
    expect(getGlobalDispatcher()).toBe(previous);
  });

  test('flat-array and Map headers are understood; a caller header in them is left alone', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    const flat = await request(fx.api.url('/data'), { dispatcher, headers: ['x-trace', '1'] });
    await flat.body.dump();
    const own = await request(fx.api.url('/data'), { dispatcher, headers: new Map([['Authorization', 'Bearer mine']]) as never });
    await own.body.dump();
    expect(fx.api.requests.map((r) => [r.headers['x-trace'], r.headers.authorization])).toEqual([
      ['1', `Bearer ${fx.source.current}`],
      [undefined, 'Bearer mine'],
    ]);
  });

  test('a provider failure reaches undici.request as the typed error itself, and fetch as its cause', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    fx.source.expire();
    fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
    await expect(request(fx.api.url('/data'), { dispatcher })).rejects.toBeInstanceOf(NotAuthorizedError);
    fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await undiciFetch(fx.api.url('/data'), { dispatcher }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(NotAuthorizedError);
    expect(fx.api.requests).toHaveLength(0);
  });

  test('aborting while the 401 retry waits for a token rejects that request only', async () => {
    const dispatcher = agent.compose(cognitoInterceptor(fx.source, { origins: [fx.api.origin] }));
    fx.source.refreshDelayMs = 200;
    fx.api.revoked.add(fx.source.current!);
    const controller = new AbortController();
    const aborted = request(fx.api.url('/data?aborted'), { dispatcher, signal: controller.signal });
    setTimeout(() => controller.abort(), 60);
    const survivor = request(fx.api.url('/data?survivor'), { dispatcher });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const response = await survivor;
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(fx.source.refreshes).toBe(1);
    expect(fx.api.requests.filter((r) => r.path.includes('aborted')).map((r) => r.status)).toEqual([401]);
  });
});

describe('undici without `origins`: the origin of the first request is pinned', () => {
  const fx = apiFixture();
  const closeAfter: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(closeAfter.splice(0).map((d) => d.close()));
  });

  function newAgent(): Agent {
    const agent = new Agent();
    closeAfter.push(agent);
    return agent;
  }

  type GetOptions = Omit<NonNullable<Parameters<typeof request>[1]>, 'dispatcher'> & { dispatcher: Dispatcher };
  async function get(url: string, options: GetOptions): Promise<number> {
    const response = await request(url, options);
    await response.body.dump();
    return response.statusCode;
  }

  const redirectToOther = (path: string): string => `/redirect?to=${encodeURIComponent(fx.other.url(path))}`;

  test('request + compose(auth, redirect): A gets the token; the hop to port B and later direct requests to B do not', async () => {
    const dispatcher = newAgent().compose(cognitoInterceptor(fx.source), interceptors.redirect({ maxRedirections: 2 }));
    const redirected = await request(fx.api.url(redirectToOther('/hop')), { dispatcher });
    expect(await redirected.body.json()).toMatchObject({ other: true });
    expect(await get(fx.other.url('/direct'), { dispatcher })).toBe(200);
    expect(await get(fx.api.url('/data'), { dispatcher })).toBe(200);

    expect(fx.api.requests.map((r) => [r.path.split('?')[0], r.token])).toEqual([
      ['/redirect', fx.source.current],
      ['/data', fx.source.current],
    ]);
    expect(fx.other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/hop', undefined],
      ['/direct', undefined],
    ]);
  });

  test('a custom header (which undici carries along on redirects) is taken off the hop to B', async () => {
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    closeAfter.push(customApi);
    const dispatcher = newAgent().compose(
      cognitoInterceptor(fx.source, { header: 'x-api-token', scheme: '' }),
      interceptors.redirect({ maxRedirections: 2 }),
    );
    const redirected = await request(customApi.url(redirectToOther('/hop')), { dispatcher });
    expect(await redirected.body.json()).toMatchObject({ other: true });
    expect(await get(fx.other.url('/direct'), { dispatcher })).toBe(200);
    expect(customApi.requests[0]?.headers['x-api-token']).toBe(fx.source.current);
    expect(fx.other.requests.map((r) => r.headers['x-api-token'])).toEqual([undefined, undefined]);
  });

  test('undici.fetch with `dispatcher`: fetch sends each hop as a new dispatch; only A gets the token', async () => {
    const dispatcher = newAgent().compose(cognitoInterceptor(fx.source));
    const redirected = await undiciFetch(fx.api.url(redirectToOther('/hop')), { dispatcher });
    expect(await redirected.json()).toMatchObject({ other: true });
    await (await undiciFetch(fx.other.url('/direct'), { dispatcher })).arrayBuffer();
    const again = await undiciFetch(fx.api.url('/data'), { dispatcher });
    expect(again.status).toBe(200);
    await again.arrayBuffer();

    expect(fx.api.requests.map((r) => r.token)).toEqual([fx.source.current, fx.source.current]);
    expect(fx.other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/hop', undefined],
      ['/direct', undefined],
    ]);
  });

  test("Node's global fetch after setGlobalDispatcher(new Agent().compose(cognitoInterceptor(provider)))", async () => {
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(newAgent().compose(cognitoInterceptor(fx.source)));
    const restoreMainRealm = mirrorGlobalDispatcherToMainRealm();
    try {
      const redirected = await fetch(fx.api.url(redirectToOther('/hop')));
      expect(await redirected.json()).toMatchObject({ other: true });
      await (await fetch(fx.other.url('/direct'))).arrayBuffer();
      fx.api.revoked.add(fx.source.current!);
      const again = await fetch(fx.api.url('/data'));
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    } finally {
      restoreMainRealm();
      setGlobalDispatcher(previous);
    }
    expect(getGlobalDispatcher()).toBe(previous);
    expect(fx.api.requests.map((r) => r.status)).toEqual([302, 401, 200]);
    expect(fx.api.requests.every((r) => r.token !== undefined)).toBe(true);
    expect(fx.other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/hop', undefined],
      ['/direct', undefined],
    ]);
  });

  test('two requests dispatched in the same tick to different origins: the first one dispatched wins', async () => {
    const toOtherFirst = newAgent().compose(cognitoInterceptor(fx.source));
    const firstRace = await Promise.all([
      get(fx.other.url('/first'), { dispatcher: toOtherFirst }),
      get(fx.api.url('/data'), { dispatcher: toOtherFirst }),
    ]);
    expect(firstRace).toEqual([200, 401]);
    expect(fx.other.requests[0]?.headers.authorization).toBe(`Bearer ${fx.source.current}`);
    expect(fx.api.requests.map((r) => [r.status, r.token])).toEqual([[401, undefined]]);

    // Same race while both wait for a token: the pin is taken at dispatch, not when the token arrives.
    fx.source.expire();
    const toApiFirst = newAgent().compose(cognitoInterceptor(fx.source));
    const secondRace = await Promise.all([
      get(fx.api.url('/data'), { dispatcher: toApiFirst }),
      get(fx.other.url('/second'), { dispatcher: toApiFirst }),
    ]);
    expect(secondRace).toEqual([200, 200]);
    expect(fx.source.refreshes).toBe(1);
    expect(fx.api.requests[1]?.token).toBe(fx.source.current);
    expect(fx.other.requests[1]?.headers.authorization).toBeUndefined();
  });

  test('one cognitoInterceptor() call is one pin, shared by every dispatcher it is composed into', async () => {
    const shared = cognitoInterceptor(fx.source);
    const first = newAgent().compose(shared);
    const second = newAgent().compose(shared);
    expect(await get(fx.api.url('/data'), { dispatcher: first })).toBe(200);
    expect(await get(fx.other.url('/via-second'), { dispatcher: second })).toBe(200);
    expect(fx.other.requests[0]?.headers.authorization).toBeUndefined();

    const separate = newAgent().compose(cognitoInterceptor(fx.source));
    expect(await get(fx.other.url('/separate'), { dispatcher: separate })).toBe(200);
    expect(fx.other.requests[1]?.headers.authorization).toBe(`Bearer ${fx.source.current}`);
    expect(await get(fx.api.url('/data'), { dispatcher: separate })).toBe(401);
  });

  test('an opted-out request does not pin its origin', async () => {
    const dispatcher = newAgent().compose(cognitoInterceptor(fx.source));
    expect(await get(fx.other.url('/public'), { dispatcher, cognitoAuth: false })).toBe(200);
    expect(await get(fx.api.url('/data'), { dispatcher })).toBe(200);
    expect(await get(fx.other.url('/after'), { dispatcher })).toBe(200);
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
    expect(fx.other.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });

  /** undici 8 hands interceptors a Client's own origin when the caller gives only a path; undici 7 does not. */
  async function clientDispatchCarriesOrigin(): Promise<boolean> {
    let seen: unknown;
    const probe: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      seen = opts.origin;
      return dispatch(opts, handler);
    };
    const client = new Client(fx.api.origin).compose(probe);
    const response = await client.request({ path: '/probe', method: 'GET' });
    await response.body.dump();
    await client.close();
    return seen !== undefined;
  }

  test('a Client: request(url, { dispatcher: client }) pins; a dispatch gets the token exactly when its origin is known', async () => {
    const carriesOrigin = await clientDispatchCarriesOrigin();
    fx.api.requests.length = 0;
    const client = new Client(fx.api.origin).compose(cognitoInterceptor(fx.source));
    closeAfter.push(client as unknown as Client);
    expect(await get(fx.api.url('/data'), { dispatcher: client })).toBe(200);
    // Without `origin` the interceptor cannot check where the request goes: undici 7 sends it without the token;
    // undici 8 fills in the Client's origin, which is the pinned one.
    const bare = await client.request({ path: '/data', method: 'GET' });
    await bare.body.dump();
    expect(bare.statusCode).toBe(carriesOrigin ? 200 : 401);
    const withOrigin = await client.request({ origin: fx.api.origin, path: '/data', method: 'GET' });
    await withOrigin.body.dump();
    expect(withOrigin.statusCode).toBe(200);
    expect(fx.api.requests.map((r) => r.token)).toEqual([fx.source.current, carriesOrigin ? fx.source.current : undefined, fx.source.current]);
  });

  test('plain http off loopback is pinned like any origin but never gets the token', () => {
    const sent: Dispatcher.DispatchOptions[] = [];
    const dispatch = cognitoInterceptor(fx.source)((opts) => {
      sent.push(opts);
      return true;
    });
    const handler = {} as Dispatcher.DispatchHandler;
    dispatch({ origin: 'http://api.example.test', path: '/a', method: 'GET', headers: {} }, handler);
    dispatch({ origin: 'https://api.example.test', path: '/b', method: 'GET', headers: {} }, handler);
    expect(sent.map((o) => (o.headers as Record<string, string>).authorization)).toEqual([undefined, undefined]);

    const sentSecure: Dispatcher.DispatchOptions[] = [];
    const secure = cognitoInterceptor(fx.source)((opts) => {
      sentSecure.push(opts);
      return true;
    });
    secure({ path: '/no-origin', method: 'GET', headers: {} }, handler);
    secure({ origin: 'https://api.example.test', path: '/c', method: 'GET', headers: {} }, handler);
    secure({ origin: 'https://api.example.test:8443', path: '/d', method: 'GET', headers: {} }, handler);
    expect(sentSecure.map((o) => (o.headers as Record<string, string>).authorization)).toEqual([
      undefined,
      `Bearer ${fx.source.current}`,
      undefined,
    ]);
  });
});

function streamBody(): Readable {
  const chunk = Buffer.alloc(STREAM_BYTES / 4, 0x61);
  return Readable.from([chunk, chunk, chunk, chunk]);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

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
