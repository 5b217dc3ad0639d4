import { inspect } from 'node:util';
import { NotAuthorizedError } from '../../src/errors.js';
import { apiFixture } from './api-fixture.js';
import { STREAM_BYTES, type AuthClient, type ClientKind } from './clients.js';

/**
 * The behaviour every adapter must have, run against a real API on 127.0.0.1 that verifies RS256 JWTs,
 * with a test TokenSource that keeps the provider's contract (single-flight, invalidate semantics).
 */
export function describeAdapterContract(kind: ClientKind): void {
  describe(`${kind.name} adapter contract`, () => {
    const fx = apiFixture({ prime: false });
    let client: AuthClient;

    beforeEach(() => {
      client = kind.create(fx.source, fx.api.origin);
    });
    afterEach(async () => {
      await client.close();
    });

    test('the first request waits for a token and is accepted by the API', async () => {
      const outcome = await client.send(fx.api.url('/data'));
      expect(outcome.status).toBe(200);
      expect(fx.source.refreshes).toBe(1);
      expect(fx.api.requests).toHaveLength(1);
      expect(fx.api.requests[0]?.token).toBe(fx.source.current);
      expect(fx.api.requests[0]?.headers.authorization).toBe(`Bearer ${fx.source.current}`);
    });

    test('with a fresh token the header is added without asking the provider for a promise', async () => {
      await fx.source.prime();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => client.send(fx.api.url('/data'))));
      expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill(200));
      expect(fx.source.refreshes).toBe(0);
      expect(fx.source.getTokenCalls).toBe(0);
    });

    test('1,000 concurrent requests while a refresh is due: all succeed, exactly one refresh', async () => {
      await fx.source.prime();
      const old = fx.source.current;
      fx.source.expire();
      const outcomes = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.send(fx.api.url(`/data?i=${i}`))));
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1000);
      expect(fx.source.refreshes).toBe(1);
      expect(fx.api.requests).toHaveLength(1000);
      expect(fx.api.requests.every((r) => r.token === fx.source.current && r.token !== old)).toBe(true);
    });

    test('a revoked token: every 401 is retried once with the one new token, in-flight ones too', async () => {
      fx.source.refreshDelayMs = 100;
      const revoked = await fx.source.prime();
      fx.api.revoked.add(revoked);
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(fx.api.url(`/data?i=${i}`))));
      expect(outcomes.map((o) => o.status)).toEqual(Array(50).fill(200));
      expect(fx.source.refreshes).toBe(1);
      expect(fx.api.unauthorized).toHaveLength(50);
      expect(fx.api.accepted).toHaveLength(50);
      expect(new Set(fx.api.accepted.map((r) => r.token))).toEqual(new Set([fx.source.current]));
    });

    test('a 401 on the retry is returned as is: one retry, never a loop', async () => {
      const rejectAll = await fx.startApi({ isRevoked: () => true });
      const strict = kind.create(fx.source, rejectAll.origin);
      try {
        await fx.source.prime();
        const outcome = await strict.send(rejectAll.url('/data'));
        expect(outcome.status).toBe(401);
        expect(rejectAll.requests).toHaveLength(2);
        expect(fx.source.refreshes).toBe(1);
      } finally {
        await strict.close();
        await rejectAll.close();
      }
    });

    test('a string body and a JSON body are replayed after a 401', async () => {
      fx.api.revoked.add(await fx.source.prime());
      const text = await client.send(fx.api.url('/echo'), { body: 'hello=world' });
      expect(text.status).toBe(200);
      expect(text.body).toMatchObject({ body: 'hello=world' });
      const json = await client.send(fx.api.url('/echo'), { body: { order: 42 } });
      expect(json.status).toBe(200);
      expect(JSON.parse((json.body as { body: string }).body)).toEqual({ order: 42 });
      expect(fx.api.requests.map((r) => r.bodyBytes)).toEqual([11, 11, 12]);
    });

    test('a streamed upload is not replayed: the 401 comes back as is', async () => {
      fx.api.revoked.add(await fx.source.prime());
      const outcome = await client.send(fx.api.url('/upload'), { body: 'stream' });
      expect(outcome.status).toBe(401);
      expect(fx.api.requests).toHaveLength(1);
      expect(fx.api.requests[0]?.bodyBytes).toBe(STREAM_BYTES);
    });

    test('a redirect to another origin (another port) never receives the token', async () => {
      await fx.source.prime();
      const outcome = await client.send(fx.api.url(`/redirect?to=${encodeURIComponent(fx.other.url('/landing'))}`));
      expect(outcome.status).toBe(200);
      expect(outcome.body).toMatchObject({ other: true });
      expect(fx.api.requests[0]?.token).toBe(fx.source.current);
      expect(fx.other.requests).toHaveLength(1);
      expect(fx.other.requests[0]?.headers.authorization).toBeUndefined();
    });

    test('a same-origin redirect keeps the token', async () => {
      await fx.source.prime();
      const outcome = await client.send(fx.api.url(`/redirect?to=${encodeURIComponent('/after-redirect')}`));
      expect(outcome.status).toBe(200);
      expect(fx.api.requests.map((r) => [r.path, r.token])).toEqual([
        ['/redirect?to=%2Fafter-redirect', fx.source.current],
        ['/after-redirect', fx.source.current],
      ]);
    });

    test('a header the caller set is left alone and not retried', async () => {
      await fx.source.prime();
      const outcome = await client.send(fx.api.url('/data'), { headers: { Authorization: 'Bearer callers-own' } });
      expect(outcome.status).toBe(401);
      expect(fx.api.requests.map((r) => r.headers.authorization)).toEqual(['Bearer callers-own']);
      expect(fx.source.refreshes).toBe(0);
    });

    test('the per-request opt-out sends no token', async () => {
      await fx.source.prime();
      const outcome = await client.send(fx.api.url('/public/status'), { optOut: true });
      expect(outcome.status).toBe(200);
      expect(fx.api.requests[0]?.headers.authorization).toBeUndefined();
    });

    test('an origin outside an explicit `origins` list gets no token', async () => {
      await fx.source.prime();
      const listed = kind.create(fx.source, 'https://api.example.com', { origins: ['https://api.example.com'] });
      try {
        const outcome = await listed.send(fx.api.url('/public/x'));
        expect(outcome.status).toBe(200);
        expect(fx.api.requests[0]?.headers.authorization).toBeUndefined();
      } finally {
        await listed.close();
      }
    });

    test('an aborted request rejects alone; the shared refresh and the other requests go on', async () => {
      fx.source.refreshDelayMs = 150;
      const controller = new AbortController();
      const aborted = client.send(fx.api.url('/data?aborted'), { signal: controller.signal });
      const others = Array.from({ length: 5 }, (_, i) => client.send(fx.api.url(`/data?fx.other=${i}`)));
      setTimeout(() => controller.abort(), 30);
      // Each client's usual abort error: axios CanceledError, got/undici/fetch AbortError.
      await expect(aborted).rejects.toMatchObject({ name: expect.stringMatching(/^(AbortError|CanceledError)$/) });
      const outcomes = await Promise.all(others);
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill(200));
      expect(fx.source.refreshes).toBe(1);
      expect(fx.api.requests.some((r) => r.path.includes('aborted'))).toBe(false);
    });

    test('a provider failure rejects with the provider typed error reachable as `cause`', async () => {
      fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
      const failure: unknown = await client.send(fx.api.url('/data')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(causeChain(failure).some((e) => e instanceof NotAuthorizedError)).toBe(true);
      expect(fx.api.requests).toHaveLength(0);
    });

    test('the token never shows in util.inspect or JSON of the client or of an error', async () => {
      await fx.source.prime();
      fx.api.revoked.add(fx.source.current!);
      fx.source.failWith = new NotAuthorizedError('Incorrect username or password.');
      const failure: unknown = await client.send(fx.api.url('/data')).then(
        (outcome) => outcome,
        (error: unknown) => error,
      );
      const token = fx.source.current!;
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
