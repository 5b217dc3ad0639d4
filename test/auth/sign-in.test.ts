import { createEphemeral } from '../../src/srp/index.js';
import { MfaRequiredError, UnsupportedChallengeError, CognitoAuthError } from '../../src/errors.js';
import type { CognitoApi } from '../../src/auth/cognito-client.js';
import { signInWithSrp, type SignInRequest } from '../../src/auth/sign-in.js';
import { chooseMfaType, newPasswordChallengeOf, baseResponses } from '../../src/auth/challenges.js';
import { Secret } from '../../src/secret.js';
import { AuthFlowSelector } from '../../src/auth/auth-flow.js';
import { ClientSecretSource } from '../../src/auth/client-secret.js';

type Step = Record<string, unknown>;

/** A scripted Cognito: each call returns the next step and records the request. */
function scripted(steps: Step[]): { api: CognitoApi; requests: Record<string, unknown>[] } {
  const requests: Record<string, unknown>[] = [];
  const next = async (input: unknown): Promise<never> => {
    requests.push(input as Record<string, unknown>);
    const step = steps.shift();
    if (step === undefined) throw new Error('no more scripted steps');
    if (step instanceof Error) throw step;
    return step as never;
  };
  return { api: { initiateAuth: next, respondToAuthChallenge: next } as unknown as CognitoApi, requests };
}

function request(api: CognitoApi, overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    api,
    clientId: 'client1',
    clientSecret: undefined,
    poolName: 'Pool1',
    username: 'svc',
    password: 'pw',
    device: undefined,
    clientMetadata: undefined,
    takeEphemeral: async () => createEphemeral(),
    totp: undefined,
    authFlow: new AuthFlowSelector(undefined),
    mfaCode: undefined,
    newPassword: undefined,
    ...overrides,
  };
}

describe('sign-in state machine edges', () => {
  test('an unknown challenge is an UnsupportedChallengeError carrying the continuation', async () => {
    const { api } = scripted([{ ChallengeName: 'CUSTOM_CHALLENGE', Session: 'sess-123', ChallengeParameters: { USERNAME: 'u-1' } }]);
    const error = (await signInWithSrp(request(api)).catch((e: unknown) => e)) as UnsupportedChallengeError;
    expect(error).toBeInstanceOf(UnsupportedChallengeError);
    expect(error.continuation).toEqual(expect.objectContaining({ challengeName: 'CUSTOM_CHALLENGE', session: 'sess-123' }));
  });

  test('MFA_SETUP asks the caller to enrol TOTP', async () => {
    const { api } = scripted([{ ChallengeName: 'MFA_SETUP', Session: 's', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } }]);
    const error = (await signInWithSrp(request(api)).catch((e: unknown) => e)) as MfaRequiredError;
    expect(error).toBeInstanceOf(MfaRequiredError);
    expect(error.challengeName).toBe('MFA_SETUP');
    expect(error.message).toContain('mfa.totpSecret');
  });

  test('SELECT_MFA_TYPE with nothing configured is an MfaRequiredError', async () => {
    const { api } = scripted([{ ChallengeName: 'SELECT_MFA_TYPE', Session: 's', ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA"]' } }]);
    await expect(signInWithSrp(request(api))).rejects.toEqual(expect.objectContaining({ challengeName: 'SELECT_MFA_TYPE' }));
  });

  test('DEVICE_SRP_AUTH without a device cannot be answered', async () => {
    const { api } = scripted([{ ChallengeName: 'DEVICE_SRP_AUTH', Session: 's', ChallengeParameters: {} }]);
    await expect(signInWithSrp(request(api))).rejects.toBeInstanceOf(UnsupportedChallengeError);
  });

  test('a PASSWORD_VERIFIER without SRP_B is a service error, not a crash', async () => {
    const { api } = scripted([
      { ChallengeName: 'PASSWORD_VERIFIER', Session: 's', ChallengeParameters: { USER_ID_FOR_SRP: 'u', SALT: 'ab', SECRET_BLOCK: 'AA==' } },
    ]);
    await expect(signInWithSrp(request(api))).rejects.toThrow('without SRP_B');
  });

  test('a response with neither tokens nor a challenge, and endless challenges, end in typed errors', async () => {
    await expect(signInWithSrp(request(scripted([{}]).api))).rejects.toBeInstanceOf(CognitoAuthError);
    const loop = Array.from({ length: 20 }, () => ({ ChallengeName: 'SMS_MFA', Session: 's', ChallengeParameters: {} }));
    const { api, requests } = scripted(loop);
    await expect(signInWithSrp(request(api, { mfaCode: async () => '123456' }))).rejects.toThrow(/did not finish/);
    expect(requests.length).toBeLessThanOrEqual(11);
  });

  test('an mfa.code callback resolving to an empty code names the option', async () => {
    const { api } = scripted([{ ChallengeName: 'EMAIL_OTP', Session: 's', ChallengeParameters: {} }]);
    await expect(signInWithSrp(request(api, { mfaCode: async () => '  ' }))).rejects.toEqual(
      expect.objectContaining({ option: 'mfa.code' }),
    );
  });

  test('InitiateAuth carries USERNAME as typed, SECRET_HASH for it, DEVICE_KEY and the ClientMetadata', async () => {
    const { api, requests } = scripted([{ AuthenticationResult: { AccessToken: 'a', IdToken: 'i' } }]);
    await signInWithSrp(
      request(api, {
        clientSecret: ClientSecretSource.from('shh'),
        device: { deviceKey: 'dk', deviceGroupKey: 'g', devicePassword: 'p' },
        clientMetadata: { tenant: 't1' },
      }),
    );
    const params = requests[0]!.AuthParameters as Record<string, string>;
    expect(params).toEqual(expect.objectContaining({ USERNAME: 'svc', DEVICE_KEY: 'dk', SECRET_HASH: expect.any(String) }));
    expect(requests[0]!.ClientMetadata).toEqual({ tenant: 't1' });
  });
});

function baseIdentity() {
  return { clientId: 'c', clientSecret: undefined, username: 'u', deviceKey: undefined };
}

describe('challenge helpers', () => {
  test('chooseMfaType prefers TOTP with a secret, otherwise what mfa.code can answer', () => {
    const both = { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' };
    expect(chooseMfaType(both, { totp: true, code: false })).toBe('SOFTWARE_TOKEN_MFA');
    expect(chooseMfaType({ MFAS_CAN_CHOOSE: '["SMS_MFA"]' }, { totp: true, code: false })).toBeUndefined();
    expect(chooseMfaType({ MFAS_CAN_CHOOSE: '["SMS_MFA","EMAIL_MFA"]' }, { totp: false, code: true })).toBe('EMAIL_OTP');
    expect(chooseMfaType({ MFAS_CAN_CHOOSE: 'garbage' }, { totp: true, code: true })).toBeUndefined();
  });

  test('NEW_PASSWORD_REQUIRED details strip the userAttributes. prefix and tolerate bad JSON', () => {
    const info = newPasswordChallengeOf(baseIdentity(), {
      requiredAttributes: '["userAttributes.given_name"]',
      userAttributes: '{"email":"a@b.c","email_verified":true}',
    });
    expect(info).toEqual({ username: 'u', requiredAttributes: ['given_name'], userAttributes: { email: 'a@b.c' } });
    expect(newPasswordChallengeOf(baseIdentity(), { requiredAttributes: '{', userAttributes: '[' }).requiredAttributes).toEqual([]);
  });

  test('baseResponses adds SECRET_HASH and DEVICE_KEY only when in play', () => {
    expect(baseResponses(baseIdentity())).toEqual({ USERNAME: 'u' });
    const full = baseResponses({ clientId: 'c', clientSecret: new Secret('s'), username: 'u', deviceKey: 'd' });
    expect(Object.keys(full).sort()).toEqual(['DEVICE_KEY', 'SECRET_HASH', 'USERNAME']);
  });
});

describe('a clientSecret function that throws', () => {
  test('gives a CognitoConfigError naming the option, and nothing its error said (it may quote the secret)', async () => {
    const { ClientSecretSource } = await import('../../src/auth/client-secret.js');
    const { inspect } = await import('node:util');
    const source = ClientSecretSource.from(() => {
      throw new Error('vault answered s3cr3t-value for a stale lease');
    }, 'clientSecret');
    const error = (await source!.read().catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', option: 'clientSecret' });
    expect(error.message).toBe('Invalid option `clientSecret`: the secret function failed (Error).');
    expect(inspect(error, { depth: 5 })).not.toContain('s3cr3t');
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });
});
