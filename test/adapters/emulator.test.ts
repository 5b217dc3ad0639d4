/**
 * The Done-when scenarios, end to end: the real CognitoTokenProvider signs in to the local Cognito emulator
 * with SRP, and a real API verifies every JWT with the emulator's JWKS (and honours server-side revocation).
 */
import { CognitoTokenProvider } from '../../src/tokens/provider.js';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { ProtectedApi, RecordingServer } from '../http/protected-api.js';
import { ALL_CLIENTS, STREAM_BYTES, type AuthClient } from './clients.js';

const USERNAME = 'svc-orders';
const PASSWORD = 'Correct-Horse-9';
const TOKEN_SECONDS = 60;

/** Moves this process's clock (Date.now) forward, as if time had passed; returns how to undo it. */
function advanceClock(ms: number): () => void {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  return () => {
    Date.now = realNow;
  };
}

describe.each(ALL_CLIENTS)('$name adapter against the Cognito emulator', (kind) => {
  let emu: CognitoEmulator;
  let api: ProtectedApi;
  let other: RecordingServer;
  let provider: CognitoTokenProvider;
  let client: AuthClient;
  let signIns: number;
  let refreshes: number;

  beforeAll(async () => {
    emu = await startCognitoEmulator({ accessTokenValiditySeconds: TOKEN_SECONDS });
    emu.addUser({ username: USERNAME, password: PASSWORD });
    api = await ProtectedApi.start({ jwks: new URL(emu.jwksUri), issuer: emu.issuer, isRevoked: (token) => emu.isTokenRevoked(token) });
    other = await RecordingServer.start();
  });
  afterAll(async () => {
    await other.close();
    await api.close();
    await emu.close();
  });
  beforeEach(() => {
    provider = new CognitoTokenProvider({
      userPoolId: emu.userPoolId,
      clientId: emu.clientId,
      region: emu.region,
      endpoint: emu.endpoint,
      username: USERNAME,
      password: PASSWORD,
    });
    signIns = 0;
    refreshes = 0;
    provider.on('signIn', () => (signIns += 1));
    provider.on('refresh', () => (refreshes += 1));
    client = kind.create(provider, api.origin);
    api.requests.length = 0;
    other.requests.length = 0;
    emu.faults.clear();
  });
  afterEach(async () => {
    await client.close();
    provider.close();
  });

  test('the first request signs in with SRP, and the API accepts the token', async () => {
    const outcome = await client.send(api.url('/orders'));
    expect(outcome.status).toBe(200);
    expect(signIns).toBe(1);
    expect(api.requests[0]?.token).toBe(provider.peekToken());
  });

  test('1,000 concurrent requests while a refresh is due: all succeed, exactly one refresh', async () => {
    await client.send(api.url('/warm-up'));
    // Half the lifetime later the token is due for refresh (the provider refreshes at half the lifetime at the
    // latest) and still valid for half a minute: move the clock there rather than wait.
    const restoreClock = advanceClock((TOKEN_SECONDS / 2) * 1000 + 500);
    try {
      expect(provider.peekToken()).toBeUndefined();
      const outcomes = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.send(api.url(`/orders?i=${i}`))));
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1000);
      await provider.getToken();
    } finally {
      restoreClock();
    }
    expect(refreshes).toBe(1);
    expect(signIns).toBe(1);
  }, 30_000);

  test('a server-side revocation: the 401s are retried after one new sign-in and succeed', async () => {
    await client.send(api.url('/warm-up'));
    const revoked = provider.peekToken()!;
    emu.revokeUserTokens(USERNAME);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => client.send(api.url(`/orders?i=${i}`))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill(200));
    expect(signIns).toBe(2);
    expect(api.unauthorized.every((r) => r.token === revoked)).toBe(true);
    expect(api.unauthorized.length).toBeGreaterThan(0);
    expect(api.accepted.filter((r) => r.path.startsWith('/orders')).every((r) => r.token !== revoked)).toBe(true);
  });

  test('a redirect to another origin (another port) never receives the token', async () => {
    const outcome = await client.send(api.url(`/redirect?to=${encodeURIComponent(other.url('/elsewhere'))}`));
    expect(outcome.status).toBe(200);
    expect(api.requests[0]?.token).toBe(provider.peekToken());
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('a streamed upload is not replayed after a 401', async () => {
    await client.send(api.url('/warm-up'));
    emu.revokeUserTokens(USERNAME);
    api.requests.length = 0;
    const outcome = await client.send(api.url('/upload'), { body: 'stream' });
    expect(outcome.status).toBe(401);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.bodyBytes).toBe(STREAM_BYTES);
  });

  test('an aborted request does not break the others (nor the shared sign-in)', async () => {
    emu.faults.inject('InitiateAuth', { latencyMs: 300 });
    const controller = new AbortController();
    const aborted = client.send(api.url('/orders?aborted'), { signal: controller.signal });
    const others = Array.from({ length: 10 }, (_, i) => client.send(api.url(`/orders?i=${i}`)));
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toMatchObject({ name: expect.stringMatching(/^(AbortError|CanceledError)$/) });
    expect((await Promise.all(others)).map((o) => o.status)).toEqual(Array(10).fill(200));
    expect(signIns).toBe(1);
    expect(api.requests.some((r) => r.path.includes('aborted'))).toBe(false);
  });
});
