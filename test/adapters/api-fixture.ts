import { JwtIssuer } from '../http/jwt-issuer.js';
import { ProtectedApi, RecordingServer, type ProtectedApiOptions } from '../http/protected-api.js';
import { TestTokenSource } from '../http/test-token-source.js';

/** A JWT issuer and a second origin for the block, a fresh protected API and token source for each test. */
export interface ApiFixture {
  readonly issuer: JwtIssuer;
  /** The test's API on 127.0.0.1, verifying the issuer's tokens. */
  readonly api: ProtectedApi;
  /** The test's token source; primed before the test unless `prime: false`. */
  readonly source: TestTokenSource;
  /** Another origin (redirect target), its requests cleared before each test. */
  readonly other: RecordingServer;
  /** Another API trusting the same issuer, with `options` (the caller closes it). */
  startApi(options?: Partial<ProtectedApiOptions>): Promise<ProtectedApi>;
}

/** Registers the hooks of an `ApiFixture` in the enclosing describe block. */
export function apiFixture({ prime = true }: { prime?: boolean } = {}): ApiFixture {
  let issuer: JwtIssuer | undefined;
  let other: RecordingServer | undefined;
  let api: ProtectedApi | undefined;
  let source: TestTokenSource | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`apiFixture: ${name} exists only inside a test`);
    return value;
  };
  const startApi = (options: Partial<ProtectedApiOptions> = {}): Promise<ProtectedApi> => {
    const { jwks, issuer: iss } = ready(issuer, 'issuer');
    return ProtectedApi.start({ jwks, issuer: iss, ...options });
  };

  beforeAll(async () => {
    issuer = await JwtIssuer.create();
    other = await RecordingServer.start();
  });
  afterAll(async () => {
    await other?.close();
  });
  beforeEach(async () => {
    api = await startApi();
    source = new TestTokenSource(ready(issuer, 'issuer'));
    if (prime) await source.prime();
    ready(other, 'other').requests.length = 0;
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  return {
    get issuer() {
      return ready(issuer, 'issuer');
    },
    get api() {
      return ready(api, 'api');
    },
    get source() {
      return ready(source, 'source');
    },
    get other() {
      return ready(other, 'other');
    },
    startApi,
  };
}
