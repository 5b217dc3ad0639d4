import { inspect } from 'node:util';
import { NotAuthorizedError } from '../../src/errors.js';
import { JwtIssuer } from '../http/jwt-issuer.js';
import { ProtectedApi, RecordingServer } from '../http/protected-api.js';
import { TestTokenSource } from '../http/test-token-source.js';
import { STREAM_BYTES, type AuthClient, type ClientKind } from './clients.js';

/**
 * The behaviour every adapter must have, run against a real API on 127.0.0.1 that verifies RS256 JWTs,
 * with a test TokenSource that keeps the provider's contract (single-flight, invalidate semantics).
 */
export function describeAdapterContract(kind: ClientKind): void {
  describe(`${kind.name} adapter contract`, () => {
    let issuer: JwtIssuer;
    let api: ProtectedApi;
    let other: RecordingServer;
    let source: TestTokenSource;
    let client: AuthClient;

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
      client = kind.create(source, api.origin);
      other.requests.length = 0;
    });
    afterEach(async () => {
      await client.close();
      await api.close();
    });

    test('the first request waits for a token and is accepted by the API', async () => {
      const outcome = await client.send(api.url('/data'));
      expect(outcome.status).toBe(200);
      expect(source.refreshes).toBe(1);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]?.token).toBe(source.current);
      expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${source.current}`);
    });

    test('with a fresh token the header is added without asking the provider for a promise', async () => {
      await source.prime();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => client.send(api.url('/data'))));
      expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill(200));
      expect(source.refreshes).toBe(0);
      expect(source.getTokenCalls).toBe(0);
    });

    test('1,000 concurrent requests while a refresh is due: all succeed, exactly one refresh', async () => {
      await source.prime();
      const old = source.current;
      source.expire();
      const outcomes = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.send(api.url(`/data?i=${i}`))));
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1000);
      expect(source.refreshes).toBe(1);
      expect(api.requests).toHaveLength(1000);
      expect(api.requests.every((r) => r.token === source.current && r.token !== old)).toBe(true);
    });

    test('a revoked token: every 401 is retried once with the one new token, in-flight ones too', async () => {
      source.refreshDelayMs = 100;
      const revoked = await source.prime();
      api.revoked.add(revoked);
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(api.url(`/data?i=${i}`))));
      expect(outcomes.map((o) => o.status)).toEqual(Array(50).fill(200));
      expect(source.refreshes).toBe(1);
      expect(api.unauthorized).toHaveLength(50);
      expect(api.accepted).toHaveLength(50);
      expect(new Set(api.accepted.map((r) => r.token))).toEqual(new Set([source.current]));
    });

    test('a 401 on the retry is returned as is: one retry, never a loop', async () => {
      const rejectAll = await ProtectedApi.start({ jwks: issuer.jwks, issuer: issuer.issuer, isRevoked: () => true });
      const strict = kind.create(source, rejectAll.origin);
      try {
        await source.prime();
        const outcome = await strict.send(rejectAll.url('/data'));
        expect(outcome.status).toBe(401);
        expect(rejectAll.requests).toHaveLength(2);
        expect(source.refreshes).toBe(1);
      } finally {
        await strict.close();
        await rejectAll.close();
      }
    });

    test('a string body and a JSON body are replayed after a 401', async () => {
      api.revoked.add(await source.prime());
      const text = await client.send(api.url('/echo'), { body: 'hello=world' });
      expect(text.status).toBe(200);
      expect(text.body).toMatchObject({ body: 'hello=world' });
      const json = await client.send(api.url('/echo'), { body: { order: 42 } });
      expect(json.status).toBe(200);
      expect(JSON.parse((json.body as { body: string }).body)).toEqual({ order: 42 });
      expect(api.requests.map((r) => r.bodyBytes)).toEqual([11, 11, 12]);
    });

    test('a streamed upload is not replayed: the 401 comes back as is', async () => {
      api.revoked.add(await source.prime());
      const outcome = await client.send(api.url('/upload'), { body: 'stream' });
      expect(outcome.status).toBe(401);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]?.bodyBytes).toBe(STREAM_BYTES);
    });

    test('a redirect to another origin (another port) never receives the token', async () => {
      await source.prime();
      const outcome = await client.send(api.url(`/redirect?to=${encodeURIComponent(other.url('/landing'))}`));
      expect(outcome.status).toBe(200);
      expect(outcome.body).toMatchObject({ other: true });
      expect(api.requests[0]?.token).toBe(source.current);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    });

    test('a same-origin redirect keeps the token', async () => {
      await source.prime();
      const outcome = await client.send(api.url(`/redirect?to=${encodeURIComponent('/after-redirect')}`));
      expect(outcome.status).toBe(200);
      expect(api.requests.map((r) => [r.path, r.token])).toEqual([
        ['/redirect?to=%2Fafter-redirect', source.current],
        ['/after-redirect', source.current],
      ]);
    });

    test('a header the caller set is left alone and not retried', async () => {
      await source.prime();
      const outcome = await client.send(api.url('/data'), { headers: { Authorization: 'Bearer callers-own' } });
      expect(outcome.status).toBe(401);
      expect(api.requests.map((r) => r.headers.authorization)).toEqual(['Bearer callers-own']);
      expect(source.refreshes).toBe(0);
    });

    test('the per-request opt-out sends no token', async () => {
      await source.prime();
      const outcome = await client.send(api.url('/public/status'), { optOut: true });
      expect(outcome.status).toBe(200);
      expect(api.requests[0]?.headers.authorization).toBeUndefined();
    });

    test('an origin outside an explicit `origins` list gets no token', async () => {
      await source.prime();
      const listed = kind.create(source, 'https://api.example.com', { origins: ['https://api.example.com'] });
      try {
        const outcome = await listed.send(api.url('/public/x'));
        expect(outcome.status).toBe(200);
        expect(api.requests[0]?.headers.authorization).toBeUndefined();
      } finally {
        await listed.close();
      }
    });

    test('an aborted request rejects alone; the shared refresh and the other requests go on', async () => {
      source.refreshDelayMs = 150;
      const controller = new AbortController();
      const aborted = client.send(api.url('/data?aborted'), { signal: controller.signal });
      const others = Array.from({ length: 5 }, (_, i) => client.send(api.url(`/data?other=${i}`)));
      setTimeout(() => controller.abort(), 30);
      // Each client's usual abort error: axios CanceledError, got/undici/fetch AbortError.
      await expect(aborted).rejects.toMatchObject({ name: expect.stringMatching(/^(AbortError|CanceledError)$/) });
      const outcomes = await Promise.all(others);
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill(200));
      expect(source.refreshes).toBe(1);
      expect(api.requests.some((r) => r.path.includes('aborted'))).toBe(false);
    });

    test('a provider failure rejects with the provider typed error reachable as `cause`', async () => {
      source.failWith = new NotAuthorizedError('Incorrect username or password.');
      const failure: unknown = await client.send(api.url('/data')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(causeChain(failure).some((e) => e instanceof NotAuthorizedError)).toBe(true);
      expect(api.requests).toHaveLength(0);
    });

    test('the token never shows in util.inspect or JSON of the client or of an error', async () => {
      await source.prime();
      api.revoked.add(source.current!);
      source.failWith = new NotAuthorizedError('Incorrect username or password.');
      const failure: unknown = await client.send(api.url('/data')).then(
        (outcome) => outcome,
        (error: unknown) => error,
      );
      const token = source.current!;
      expect(inspect(client, { depth: 6 })).not.toContain(token);
      expect(inspect(failure, { depth: 3 })).not.toContain(token);
    });
  });
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
