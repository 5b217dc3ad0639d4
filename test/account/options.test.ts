/** The constructor: validation, credentials for admin calls, a caller's SDK client, token verification settings. */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Cognito } from '../../src/account/index.js';
import { CognitoConfigError, TokenVerificationError } from '../../src/errors.js';
import type { CognitoEmulator } from '../../src/testing/index.js';
import { cognitoFor, emulator, PASSWORD, printed, rejectionOf } from './helpers.js';

const BASE = { userPoolId: 'eu-west-1_AbC123', clientId: 'client123' };

function configError(make: () => unknown): CognitoConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigError);
    return error as CognitoConfigError;
  }
  throw new Error('expected a CognitoConfigError');
}

test('bad options throw a CognitoConfigError naming the option, and never echo a secret', () => {
  expect(configError(() => new Cognito({ clientId: 'c' } as never)).option).toBe('userPoolId');
  expect(configError(() => new Cognito({ ...BASE, userPoolId: 'nounderscore' })).option).toBe('userPoolId');
  expect(configError(() => new Cognito({ ...BASE, clientId: '' })).option).toBe('clientId');
  expect(configError(() => new Cognito({ ...BASE, user_pool_id: 'x' } as never)).option).toBe('user_pool_id');
  expect(configError(() => new Cognito({ ...BASE, endpoint: 'ftp://x' })).option).toBe('endpoint');
  expect(configError(() => new Cognito({ ...BASE, region: 'Europe' })).option).toBe('region');
  expect(configError(() => new Cognito({ ...BASE, credentials: 42 as never })).option).toBe('credentials');
  expect(configError(() => new Cognito({ ...BASE, verify: { jwks: {} as never } })).option).toBe('verify.jwks');
  const device = configError(() =>
    new Cognito({ ...BASE, device: { deviceKey: 'k', deviceGroupKey: 'g', devicePassword: '' } }),
  );
  expect(device.option).toBe('device');
  const secret = configError(() => new Cognito({ ...BASE, clientSecret: 's3cr3t-value', accessToken: 7 as never }));
  expect(secret.option).toBe('accessToken');
  expect(printed(secret)).not.toContain('s3cr3t-value');
});

test('region comes from the pool id unless given; tokens and the client secret stay out of inspect and JSON', () => {
  const u = new Cognito({ ...BASE, clientSecret: 's3cr3t-value', idToken: 'id.tok.en', accessToken: 'acc.tok.en', refreshToken: 'refresh-opaque' });
  expect(u.region).toBe('eu-west-1');
  expect(new Cognito({ ...BASE, region: 'us-east-2' }).region).toBe('us-east-2');
  const shown = printed(u);
  for (const secret of ['s3cr3t-value', 'id.tok.en', 'acc.tok.en', 'refresh-opaque']) expect(shown).not.toContain(secret);
  expect(u.accessToken).toBe('acc.tok.en');
  expect(JSON.parse(JSON.stringify(u))).toMatchObject({ userPoolId: BASE.userPoolId, accessToken: '[redacted]' });
  u.close();
});

describe('against the emulator', () => {
  let emu: CognitoEmulator;
  beforeEach(async () => {
    emu = await emulator();
    emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com' });
  });
  afterEach(async () => {
    delete process.env.COGNITO_JWKS;
    await emu.close();
  });

  test('explicit credentials sign admin calls (the provider function is asked); a caller’s cognitoClient is used as is', async () => {
    let asked = 0;
    const u = cognitoFor(emu, {
      username: 'bob',
      credentials: async () => {
        asked++;
        return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' };
      },
    });
    expect((await u.adminGetUser()).username).toBe('bob');
    expect(asked).toBeGreaterThan(0);
    u.close();

    const client = new CognitoIdentityProviderClient({
      region: emu.region,
      endpoint: emu.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const own = new Cognito({ userPoolId: emu.userPoolId, clientId: emu.clientId, cognitoClient: client, endpoint: emu.endpoint, username: 'bob' });
    await own.authenticate(PASSWORD);
    own.close(); // does not destroy a client it was given
    expect((await own.getUser()).username).toBe('bob');
    client.destroy();
  });

  test('verify: false only decodes; verify.jwks with foreign keys fails verification; COGNITO_JWKS is honoured', async () => {
    const unverified = cognitoFor(emu, { username: 'bob', verify: false });
    await unverified.authenticate(PASSWORD);
    expect(unverified.accessClaims?.username).toBe('bob');
    unverified.close();

    const foreign = { keys: [{ kty: 'RSA', kid: 'other', n: 'sXch', e: 'AQAB', alg: 'RS256', use: 'sig' }] };
    const strict = cognitoFor(emu, { username: 'bob', verify: { jwks: foreign } });
    expect(await rejectionOf(strict.authenticate(PASSWORD))).toBeInstanceOf(TokenVerificationError);
    strict.close();

    const jwks = await (await fetch(emu.jwksUri)).json();
    process.env.COGNITO_JWKS = JSON.stringify(jwks);
    const fromEnv = cognitoFor(emu, { username: 'bob', verify: { jwksUri: 'http://127.0.0.1:9/never-fetched' } });
    await fromEnv.authenticate(PASSWORD);
    expect(fromEnv.idClaims?.email).toBe('bob@example.com');
    fromEnv.close();
  });
});
