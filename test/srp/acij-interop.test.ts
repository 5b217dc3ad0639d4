/**
 * amazon-cognito-identity-js's CognitoUser runs its real sign-in code against a stub transport whose "server"
 * is our server-side SRP (the math the emulator uses). A sign-in only succeeds when both sides agree on every
 * value, so these tests cross-check our verifier, B, S, key and signature verification with AWS's client,
 * for the user step and the device step, and our device secrets with its ConfirmDevice math.
 */
import { randomBytes } from 'node:crypto';
import {
  computeServerS,
  computeU,
  computeVerifier,
  createDeviceSecrets,
  createServerEphemeral,
  deriveKey,
  parseSignedHex,
  toHex,
  verifyPasswordClaim,
  type ServerEphemeral,
} from '../../src/srp/index.js';
import { acij } from './oracle.js';

const USER_POOL_ID = 'eu-west-1_AbC123';
const POOL_NAME = 'AbC123';
const CLIENT_ID = '1example23456789';
const USER_ID = '3f1b6c2e-8a9d-4e5f-9a7b-0c1d2e3f4a5b';
const PASSWORD = 'Pässwörd-🔑-123';

type Callback = (err: { code: string; message: string } | null, data?: unknown) => void;
type Request = { ChallengeName?: string; AuthParameters?: Record<string, string>; ChallengeResponses?: Record<string, string>; DeviceSecretVerifierConfig?: { Salt: string; PasswordVerifier: string }; DeviceKey?: string };

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

function tokens(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    IdToken: fakeJwt({ 'cognito:username': USER_ID, iat: now, exp: now + 3600 }),
    AccessToken: fakeJwt({ username: USER_ID, iat: now, exp: now + 3600 }),
    RefreshToken: 'refresh',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
    ...extra,
  };
}

interface Device {
  deviceKey: string;
  deviceGroupKey: string;
  salt: string; // base64 of PAD(salt), as ConfirmDevice receives it
  passwordVerifier: string; // base64 of PAD(v)
}

/** A one-user Cognito whose SRP side is our server functions. */
function ourServer(p: { saltHex: string; password: string; device?: Device; newDevice?: { DeviceKey: string; DeviceGroupKey: string } }) {
  const salt = parseSignedHex(p.saltHex, 'SALT');
  const v = computeVerifier(salt, POOL_NAME, USER_ID, p.password);
  const seen: { op: string; params: Request }[] = [];
  const verdicts: boolean[] = [];
  let pending: { A: bigint; eph: ServerEphemeral; secretBlock: string; v: bigint; poolName: string; userId: string } | undefined;

  function challenge(A: bigint, verifier: bigint, saltHex: string, poolName: string, userId: string) {
    const eph = createServerEphemeral(verifier);
    const secretBlock = randomBytes(48).toString('base64');
    pending = { A, eph, secretBlock, v: verifier, poolName, userId };
    return { SALT: saltHex, SRP_B: toHex(eph.B), SECRET_BLOCK: secretBlock };
  }

  function check(r: Record<string, string>): boolean {
    if (pending === undefined) throw new Error('no pending challenge');
    const { A, eph, v: verifier, poolName, userId, secretBlock } = pending;
    const key = deriveKey(computeU(A, eph.B), computeServerS({ A, B: eph.B, b: eph.b, v: verifier }));
    const ok =
      r.PASSWORD_CLAIM_SECRET_BLOCK === secretBlock &&
      verifyPasswordClaim({
        poolName,
        userId,
        secretBlock,
        timestamp: r.TIMESTAMP ?? '',
        signature: r.PASSWORD_CLAIM_SIGNATURE ?? '',
        key,
      });
    verdicts.push(ok);
    return ok;
  }

  const client = {
    request(op: string, params: Request, cb: Callback) {
      seen.push({ op, params });
      const denied = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };
      if (op === 'InitiateAuth') {
        const A = parseSignedHex(params.AuthParameters?.SRP_A ?? '', 'SRP_A');
        return cb(null, {
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: 's1',
          ChallengeParameters: { ...challenge(A, v, toHex(salt), POOL_NAME, USER_ID), USER_ID_FOR_SRP: USER_ID, USERNAME: USER_ID },
        });
      }
      const responses = params.ChallengeResponses ?? {};
      if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER') {
        if (!check(responses)) return cb(denied);
        if (p.device) return cb(null, { ChallengeName: 'DEVICE_SRP_AUTH', Session: 's2', ChallengeParameters: {} });
        return cb(null, { AuthenticationResult: tokens(p.newDevice ? { NewDeviceMetadata: p.newDevice } : {}) });
      }
      if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_SRP_AUTH' && p.device) {
        const A = parseSignedHex(responses.SRP_A ?? '', 'SRP_A');
        const dv = BigInt(`0x${Buffer.from(p.device.passwordVerifier, 'base64').toString('hex')}`);
        const deviceSaltHex = Buffer.from(p.device.salt, 'base64').toString('hex');
        return cb(null, {
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: 's3',
          ChallengeParameters: { ...challenge(A, dv, deviceSaltHex, p.device.deviceGroupKey, p.device.deviceKey), USERNAME: USER_ID },
        });
      }
      if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
        return check(responses) ? cb(null, { AuthenticationResult: tokens() }) : cb(denied);
      }
      if (op === 'ConfirmDevice') return cb(null, { UserConfirmationNecessary: false });
      return cb({ code: 'InvalidParameterException', message: `unexpected ${op}` });
    },
  };
  return { client, seen, verdicts };
}

function signInWithAcij(
  server: ReturnType<typeof ourServer>,
  password: string,
  storage = memoryStorage(),
): Promise<{ ok: boolean; error?: { code: string } }> {
  const pool = new acij.CognitoUserPool({ UserPoolId: USER_POOL_ID, ClientId: CLIENT_ID, Storage: storage });
  pool.client = server.client;
  const user = new acij.CognitoUser({ Username: 'alice@example.com', Pool: pool, Storage: storage });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  return new Promise((resolve) => {
    user.authenticateUser(new acij.AuthenticationDetails({ Username: 'alice@example.com', Password: password }), {
      onSuccess: () => resolve({ ok: true }),
      onFailure: (error: { code: string }) => resolve({ ok: false, error }),
    });
  });
}

describe('amazon-cognito-identity-js signs in against our server-side SRP', () => {
  test.each([
    ['positive', '5d3c1b2a99887766'],
    ['top bit set', 'c3d4e5f60718293a4b5c6d7e8f901a2b'],
    ['odd length', 'abc1234567890def0'],
    ['negative', '-16e462a84f2df159eee0c14642974ee7'],
  ])('with a %s salt: the signature verifies', async (_label, saltHex) => {
    const server = ourServer({ saltHex, password: PASSWORD });
    const result = await signInWithAcij(server, PASSWORD);
    expect(result).toEqual({ ok: true });
    expect(server.verdicts).toEqual([true]);
    const answer = server.seen.find((s) => s.params.ChallengeName === 'PASSWORD_VERIFIER')?.params.ChallengeResponses;
    expect(answer?.USERNAME).toBe(USER_ID);
    expect(answer?.TIMESTAMP).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/);
  });

  test('with the wrong password the signature is rejected', async () => {
    const server = ourServer({ saltHex: '5d3c1b2a99887766', password: PASSWORD });
    const result = await signInWithAcij(server, 'wrong-password');
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('NotAuthorizedException');
    expect(server.verdicts).toEqual([false]);
  });
});

describe('device SRP', () => {
  /**
   * Our server knowing a device registered with createDeviceSecrets, and acij storage remembering that device with
   * `storedDevicePassword` (by default the registered one).
   */
  function registeredDevice(deviceKey: string, deviceGroupKey: string, storedDevicePassword?: string) {
    const secrets = createDeviceSecrets(deviceGroupKey, deviceKey);
    const server = ourServer({
      saltHex: '5d3c1b2a99887766',
      password: PASSWORD,
      device: { deviceKey, deviceGroupKey, salt: secrets.salt, passwordVerifier: secrets.passwordVerifier },
    });
    const prefix = `CognitoIdentityServiceProvider.${CLIENT_ID}.${USER_ID}`;
    const storage = memoryStorage({
      [`${prefix}.deviceKey`]: deviceKey,
      [`${prefix}.deviceGroupKey`]: deviceGroupKey,
      [`${prefix}.randomPasswordKey`]: storedDevicePassword ?? secrets.devicePassword,
    });
    return { server, storage };
  }

  test('a device registered with our createDeviceSecrets passes its DEVICE_PASSWORD_VERIFIER step', async () => {
    const deviceKey = 'eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const { server, storage } = registeredDevice(deviceKey, '-abcDEF123');
    const result = await signInWithAcij(server, PASSWORD, storage);
    expect(result).toEqual({ ok: true });
    expect(server.verdicts).toEqual([true, true]);
    const deviceAnswer = server.seen.find((s) => s.params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER');
    expect(deviceAnswer?.params.ChallengeResponses?.DEVICE_KEY).toBe(deviceKey);
  });

  test('a wrong device password is rejected at DEVICE_PASSWORD_VERIFIER', async () => {
    const deviceKey = 'eu-west-1_11111111-2222-3333-4444-555555555555';
    const deviceGroupKey = 'grpKey';
    const wrongPassword = createDeviceSecrets(deviceGroupKey, deviceKey).devicePassword;
    const { server, storage } = registeredDevice(deviceKey, deviceGroupKey, wrongPassword);
    const result = await signInWithAcij(server, PASSWORD, storage);
    expect(result.ok).toBe(false);
    expect(server.verdicts).toEqual([true, false]);
  });

  test('the verifier its ConfirmDevice sends equals our computeVerifier for its salt and password', async () => {
    const newDevice = { DeviceKey: 'eu-west-1_aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', DeviceGroupKey: 'gRoUpKey' };
    const server = ourServer({ saltHex: '5d3c1b2a99887766', password: PASSWORD, newDevice });
    const storage = memoryStorage();
    expect(await signInWithAcij(server, PASSWORD, storage)).toEqual({ ok: true });
    const confirm = server.seen.find((s) => s.op === 'ConfirmDevice')?.params;
    const config = confirm?.DeviceSecretVerifierConfig;
    expect(config).toBeDefined();
    const devicePassword = storage.getItem(`CognitoIdentityServiceProvider.${CLIENT_ID}.${USER_ID}.randomPasswordKey`);
    expect(devicePassword).toEqual(expect.any(String));
    const saltHex = Buffer.from(config?.Salt ?? '', 'base64').toString('hex');
    const ours = computeVerifier(parseSignedHex(saltHex, 'SALT'), newDevice.DeviceGroupKey, newDevice.DeviceKey, devicePassword as string);
    expect(toHex(ours)).toBe(BigInt(`0x${Buffer.from(config?.PasswordVerifier ?? '', 'base64').toString('hex')}`).toString(16));
  });
});
