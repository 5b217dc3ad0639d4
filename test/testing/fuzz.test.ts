/** Arbitrary request bodies never crash the emulator: every answer is a modelled 200/4xx, never a 5xx. */
import fc from 'fast-check';

import { type CognitoEmulator, startCognitoEmulator } from '../../src/testing/index.js';

const OPERATIONS = [
  'InitiateAuth',
  'RespondToAuthChallenge',
  'GetTokensFromRefreshToken',
  'RevokeToken',
  'GlobalSignOut',
  'ConfirmDevice',
  'UpdateDeviceStatus',
  'ForgetDevice',
  'GetDevice',
  'ListDevices',
  'GetUser',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
];

let emu: CognitoEmulator;

beforeAll(async () => {
  emu = await startCognitoEmulator({ clientSecret: true, deviceTracking: 'always' });
  emu.addUser({ username: 'alice', password: 'Passw0rd!' });
});

afterAll(async () => {
  await emu.close();
});

async function post(operation: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(emu.endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Request-shaped objects: the real member names with arbitrary values, sometimes the right client id. */
function requestBody(): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), fc.jsonValue()));
  const members = [
    'ClientId', 'AuthFlow', 'AuthParameters', 'ChallengeName', 'ChallengeResponses', 'Session', 'RefreshToken',
    'ClientSecret', 'DeviceKey', 'Token', 'AccessToken', 'DeviceSecretVerifierConfig', 'DeviceRememberedStatus',
    'Limit', 'PaginationToken', 'UserCode', 'SoftwareTokenMfaSettings',
  ];
  return fc
    .record(Object.fromEntries(members.map((m) => [m, value])), { requiredKeys: [] })
    .chain((body) =>
      fc.boolean().map((withClient) => (withClient ? { ...body, ClientId: emu.clientId } : body)),
    );
}

test('random request bodies get 200 or a typed 4xx error, never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...OPERATIONS), requestBody(), async (operation, body) => {
      const { status, json } = await post(operation, JSON.stringify(body));
      expect(status === 200 || (status >= 400 && status < 500)).toBe(true);
      if (status !== 200) expect(typeof json.__type).toBe('string');
    }),
    { numRuns: 300 },
  );
});

test('random raw bodies are SerializationException or a typed error', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...OPERATIONS), fc.string(), async (operation, raw) => {
      const { status, json } = await post(operation, raw);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(typeof json.__type).toBe('string');
    }),
    { numRuns: 200 },
  );
});
