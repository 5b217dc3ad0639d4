import { CognitoConfigError } from '../../src/errors.js';
import type { CognitoAdapterOptions } from '../../src/http/options.js';
import type { ProtectedApi } from '../http/protected-api.js';
import { apiFixture } from './api-fixture.js';
import type { ClientKind } from './clients.js';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/** The token's header as the API reads it, and the adapter options that put it there. */
const HEADERS: readonly { name: string; options: CognitoAdapterOptions | undefined; api: { header?: string; scheme?: string } }[] = [
  { name: 'authorization', options: undefined, api: {} },
  { name: 'x-api-token', options: { header: 'X-Api-Token', scheme: '' }, api: { header: 'x-api-token', scheme: '' } },
];

/**
 * What must hold whatever transport runs under an adapter (axios's http and fetch adapters, any fetch handed
 * to `cognitoFetch`): the token never reaches a redirect target on another origin, a 401 from a hop that
 * did not carry the token never triggers a refresh, and a 401 to one that did is retried once.
 */
export function describeTransportContract(kind: ClientKind): void {
  describe(`${kind.name}: redirects, 401s and options whatever the transport`, () => {
    const fx = apiFixture();

    describe.each(HEADERS)('token in `$name`', ({ name, options, api: apiOptions }) => {
      let api: ProtectedApi;
      beforeEach(async () => {
        api = name === 'authorization' ? fx.api : await fx.startApi(apiOptions);
      });
      afterEach(async () => {
        if (api !== fx.api) await api.close();
      });

      /** Sends a GET to `api` that redirects to `target` with `status`, and returns what each server saw. */
      const throughRedirect = async (status: number, target: string): Promise<number> => {
        const client = kind.create(fx.source, api.origin, options);
        try {
          const outcome = await client.send(api.url(`/redirect?status=${status}&to=${encodeURIComponent(target)}`));
          return outcome.status;
        } finally {
          await client.close();
        }
      };

      test.each(REDIRECT_STATUSES)('a %i to another port never carries the token', async (status) => {
        expect(await throughRedirect(status, fx.other.url('/landing'))).toBe(200);
        expect(api.requests[0]?.headers[name]).toBeDefined();
        expect(fx.other.requests).toHaveLength(1);
        expect(fx.other.requests[0]?.headers[name]).toBeUndefined();
      });

      test.each(REDIRECT_STATUSES)('a %i to another host name on the same port never carries the token', async (status) => {
        const sameHostElsewhere = api.url('/public/landing').replace('//127.0.0.1:', '//localhost:');
        expect(await throughRedirect(status, sameHostElsewhere)).toBe(200);
        expect(api.requests.map((r) => [r.path, r.headers[name] !== undefined])).toEqual([
          [expect.stringMatching(/^\/redirect/), true],
          ['/public/landing', false],
        ]);
      });

      test('a same-origin redirect keeps the token', async () => {
        expect(await throughRedirect(302, '/after-redirect')).toBe(200);
        expect(api.requests.map((r) => [r.path, r.token])).toEqual([
          [expect.stringMatching(/^\/redirect/), fx.source.current],
          ['/after-redirect', fx.source.current],
        ]);
      });

      test('a revoked token is refreshed once and the request retried once', async () => {
        api.revoked.add(fx.source.current!);
        const client = kind.create(fx.source, api.origin, options);
        try {
          const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => client.send(api.url(`/data?i=${i}`))));
          expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill(200));
          expect(fx.source.refreshes).toBe(1);
          expect(api.unauthorized).toHaveLength(5);
        } finally {
          await client.close();
        }
      });

      test('a 401 from a redirect target that got no token triggers no refresh (no refresh storm)', async () => {
        const sso = await fx.startApi(apiOptions);
        const client = kind.create(fx.source, api.origin, options);
        try {
          const target = encodeURIComponent(sso.url('/login'));
          const outcomes = await Promise.all(Array.from({ length: 10 }, () => client.send(api.url(`/redirect?to=${target}`))));
          expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill(401));
          expect(fx.source.refreshes).toBe(0);
          expect(sso.requests).toHaveLength(10);
          expect(sso.requests.every((r) => r.headers[name] === undefined)).toBe(true);
        } finally {
          await client.close();
          await sso.close();
        }
      });
    });

    test.each([
      ['origin', 'origins'],
      ['retryOnUnauthorised', 'retryOnUnauthorized'],
    ])('a misspelt option `%s` is refused when the client is set up, suggesting `%s`', (key, suggestion) => {
      let error: unknown;
      try {
        kind.create(fx.source, fx.api.origin, { [key]: key === 'origin' ? [fx.api.origin] : false } as CognitoAdapterOptions);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CognitoConfigError);
      expect((error as CognitoConfigError).option).toBe(key);
      expect((error as Error).message).toContain(suggestion);
    });

    test('an unanchored RegExp origin is refused when the client is set up', () => {
      expect(() => kind.create(fx.source, fx.api.origin, { origins: [/127\.0\.0\.1/] })).toThrow(/not anchored.*\^https\?/s);
    });
  });
}
