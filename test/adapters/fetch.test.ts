import { cognitoFetch } from '../../adapters/fetch.js';
import { NotAuthorizedError } from '../../src/errors.js';
import { RecordingServer } from '../http/protected-api.js';
import { apiFixture } from './api-fixture.js';
import { fetchClient } from './clients.js';
import { describeAdapterContract } from './conformance.js';

describeAdapterContract(fetchClient);

describe('fetch adapter specifics', () => {
  const fx = apiFixture();

  test('has fetch’s signature and accepts a URL object', async () => {
    const authFetch: typeof fetch = cognitoFetch(fx.source);
    const response = await authFetch(new URL(fx.api.url('/data')));
    expect(response.status).toBe(200);
    expect(fx.api.requests[0]?.token).toBe(fx.source.current);
  });

  test('a Request without a body gets the token, keeps its headers, and is retried on 401', async () => {
    const authFetch = cognitoFetch(fx.source);
    fx.api.revoked.add(fx.source.current!);
    const response = await authFetch(new Request(fx.api.url('/data'), { headers: { 'x-trace': '7' } }));
    expect(response.status).toBe(200);
    expect(fx.api.requests.map((r) => [r.status, r.headers['x-trace']])).toEqual([
      [401, '7'],
      [200, '7'],
    ]);
  });

  test('a Request that carries a body is not replayed: its 401 comes back as is', async () => {
    const authFetch = cognitoFetch(fx.source);
    fx.api.revoked.add(fx.source.current!);
    const response = await authFetch(new Request(fx.api.url('/echo'), { method: 'POST', body: 'x=1' }));
    expect(response.status).toBe(401);
    expect(fx.api.requests).toHaveLength(1);
  });

  test('Headers instances and URLSearchParams bodies are kept and replayed', async () => {
    const authFetch = cognitoFetch(fx.source);
    fx.api.revoked.add(fx.source.current!);
    const headers = new Headers({ 'x-trace': '9' });
    const response = await authFetch(fx.api.url('/echo'), { method: 'POST', headers, body: new URLSearchParams({ a: '1' }) });
    expect(await response.json()).toMatchObject({ body: 'a=1' });
    expect(fx.api.requests.map((r) => [r.status, r.headers['x-trace'], r.bodyBytes])).toEqual([
      [401, '9', 3],
      [200, '9', 3],
    ]);
    expect(headers.has('authorization')).toBe(false);
  });

  test('wraps the `fetch` option instead of the global one', async () => {
    const seen: string[] = [];
    const authFetch = cognitoFetch(fx.source, {
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('authorization') ?? '');
        return fetch(input, init);
      },
    });
    await authFetch(fx.api.url('/data'));
    expect(seen).toEqual([`Bearer ${fx.source.current}`]);
  });

  test('plain http: off loopback gets no token by default; https: does (policy wiring, no network)', async () => {
    const seen: [string, string | null][] = [];
    const authFetch = cognitoFetch(fx.source, {
      fetch: async (input, init) => {
        seen.push([String(input), new Headers(init?.headers).get('authorization')]);
        return new Response('{}', { status: 200 });
      },
    });
    await authFetch('http://api.example.com/orders');
    await authFetch('https://api.example.com/orders');
    expect(seen).toEqual([
      ['http://api.example.com/orders', null],
      ['https://api.example.com/orders', `Bearer ${fx.source.current}`],
    ]);
  });

  test('a provider failure rejects with TypeError whose cause is the typed error', async () => {
    const authFetch = cognitoFetch(fx.source);
    fx.source.expire();
    fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
    const error = await authFetch(fx.api.url('/data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(NotAuthorizedError);
  });

  test('an aborted wait rejects with the signal reason, like fetch', async () => {
    const authFetch = cognitoFetch(fx.source);
    fx.source.expire();
    fx.source.refreshDelayMs = 100;
    const reason = new Error('caller timeout');
    const controller = new AbortController();
    const pending = authFetch(fx.api.url('/data'), { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  test('a custom header follows same-origin redirects (the wrapper follows them), a 303 turns POST into GET', async () => {
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    try {
      const authFetch = cognitoFetch(fx.source, { header: 'x-api-token', scheme: '' });
      const response = await authFetch(customApi.url(`/redirect?status=303&to=${encodeURIComponent('/after')}`), { method: 'POST', body: 'x=1' });
      expect(response.status).toBe(200);
      expect(customApi.requests.map((r) => [r.method, r.path, r.token, r.bodyBytes])).toEqual([
        ['POST', '/redirect?status=303&to=%2Fafter', fx.source.current, 3],
        ['GET', '/after', fx.source.current, 0],
      ]);
    } finally {
      await customApi.close();
    }
  });

  test('a custom header never reaches a cross-origin redirect target', async () => {
    const other = await RecordingServer.start();
    const customApi = await fx.startApi({ header: 'x-api-token', scheme: '' });
    try {
      const authFetch = cognitoFetch(fx.source, { header: 'x-api-token', scheme: '' });
      const response = await authFetch(customApi.url(`/redirect?to=${encodeURIComponent(other.url('/x'))}`));
      expect(await response.json()).toMatchObject({ other: true });
      expect(customApi.requests[0]?.headers['x-api-token']).toBe(fx.source.current);
      expect(other.requests[0]?.headers['x-api-token']).toBeUndefined();
    } finally {
      await customApi.close();
      await other.close();
    }
  });

  test('https → http on the same host: the downgraded hop gets no token, and its 401 no refresh (policy wiring, no network)', async () => {
    const seen: [string, string | null][] = [];
    const authFetch = cognitoFetch(fx.source, {
      fetch: async (input, init) => {
        const url = String(input);
        seen.push([url, new Headers(init?.headers).get('authorization')]);
        if (url.startsWith('https:')) return new Response(null, { status: 302, headers: { location: 'http://api.example.com/login' } });
        return new Response('{}', { status: 401 });
      },
    });
    const response = await authFetch('https://api.example.com/orders');
    expect(response.status).toBe(401);
    expect(seen).toEqual([
      ['https://api.example.com/orders', `Bearer ${fx.source.current}`],
      ['http://api.example.com/login', null],
    ]);
    expect(fx.source.refreshes).toBe(0);
  });

  test('a fetch whose response bodies are Node streams (node-fetch) is retried after a 401 without error', async () => {
    const { Readable } = await import('node:stream');
    let calls = 0;
    const authFetch = cognitoFetch(fx.source, {
      fetch: async () => {
        calls += 1;
        const body = Readable.from([calls === 1 ? '{"message":"Unauthorized"}' : '{"ok":true}']);
        return { status: calls === 1 ? 401 : 200, headers: new Headers(), body } as unknown as Response;
      },
    });
    fx.source.expire();
    const response = await authFetch('https://api.example.com/orders');
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
  });

  test('the `fetch` option must be a function', () => {
    expect(() => cognitoFetch(fx.source, { fetch: 'fetch' as unknown as typeof fetch })).toThrow(expect.objectContaining({ option: 'fetch' }));
  });
});
