/** USER_AUTH, the flow fallback, TOTP retry and the client-secret source, against a scripted Cognito. */
import { AuthFlowSelector } from '../../src/auth/auth-flow.js';
import type { CognitoApi } from '../../src/auth/cognito-client.js';
import { ClientSecretSource } from '../../src/auth/client-secret.js';
import { signInWithSrp, type SignInRequest } from '../../src/auth/sign-in.js';
import { TotpAnswerer, type TotpRetryEvent } from '../../src/auth/totp-answer.js';
import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import {
  AuthFlowNotEnabledError,
  CodeMismatchError,
  CognitoConfigError,
  InvalidParameterError,
  UnsupportedChallengeError,
} from '../../src/errors.js';
import { Secret } from '../../src/secret.js';
import { createEphemeral, secretHash } from '../../src/srp/index.js';

type Step = Record<string, unknown> | Error;
const TOKENS = { AuthenticationResult: { AccessToken: 'a', IdToken: 'i' } };

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

function refused(flow: string): InvalidParameterError {
  return new InvalidParameterError(`Cognito rejected a parameter: ${flow} flow not enabled for this client`, {
    awsType: 'InvalidParameterException',
  });
}

function request(api: CognitoApi, overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    api,
    clientId: 'client1',
    clientSecret: undefined,
    authFlow: new AuthFlowSelector(undefined),
    poolName: 'Pool1',
    username: 'svc',
    password: 'pw',
    device: undefined,
    clientMetadata: undefined,
    takeEphemeral: async () => createEphemeral(),
    totp: undefined,
    mfaCode: undefined,
    newPassword: undefined,
    ...overrides,
  };
}

describe('USER_AUTH', () => {
  test('InitiateAuth sends PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A', async () => {
    const { api, requests } = scripted([TOKENS]);
    const outcome = await signInWithSrp(request(api, { authFlow: AuthFlowSelector.from('USER_AUTH') }));
    expect(requests[0]).toMatchObject({
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'svc', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: expect.stringMatching(/^[0-9a-f]+$/) },
    });
    expect([outcome.authFlow, outcome.fallback]).toEqual(['USER_AUTH', undefined]);
  });

  test('SELECT_CHALLENGE is answered with ANSWER PASSWORD_SRP, the same SRP_A, SECRET_HASH over the typed name', async () => {
    const { api, requests } = scripted([
      { ChallengeName: 'SELECT_CHALLENGE', Session: 's1', ChallengeParameters: {}, AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP'] },
      TOKENS,
    ]);
    await signInWithSrp(
      request(api, { authFlow: AuthFlowSelector.from('USER_AUTH'), clientSecret: ClientSecretSource.from('shh') }),
    );
    const srpA = (requests[0]!.AuthParameters as Record<string, string>).SRP_A;
    expect(requests[1]).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      Session: 's1',
      ChallengeResponses: { USERNAME: 'svc', ANSWER: 'PASSWORD_SRP', SRP_A: srpA, SECRET_HASH: secretHash('svc', 'client1', 'shh') },
    });
  });

  test('SELECT_CHALLENGE without PASSWORD_SRP is an UnsupportedChallengeError', async () => {
    const { api } = scripted([
      { ChallengeName: 'SELECT_CHALLENGE', Session: 's1', ChallengeParameters: {}, AvailableChallenges: ['WEB_AUTHN'] },
    ]);
    await expect(signInWithSrp(request(api, { authFlow: AuthFlowSelector.from('USER_AUTH') }))).rejects.toThrow(
      UnsupportedChallengeError,
    );
  });

  test('authFlow is validated', () => {
    expect(() => AuthFlowSelector.from('USER_PASSWORD_AUTH')).toThrow(CognitoConfigError);
    expect(() => AuthFlowSelector.from('USER_PASSWORD_AUTH')).toThrow(/authFlow/);
  });
});

describe('a refused flow', () => {
  test('default USER_SRP_AUTH refused → USER_AUTH once, reported, and kept for the next sign-in', async () => {
    const selector = new AuthFlowSelector(undefined);
    const { api, requests } = scripted([refused('USER_SRP_AUTH'), TOKENS, TOKENS]);
    const outcome = await signInWithSrp(request(api, { authFlow: selector }));
    expect(requests.map((r) => r.AuthFlow)).toEqual(['USER_SRP_AUTH', 'USER_AUTH']);
    expect(outcome.fallback).toEqual({
      from: 'USER_SRP_AUTH',
      to: 'USER_AUTH',
      reason: expect.stringContaining('USER_SRP_AUTH flow not enabled'),
    });
    const again = await signInWithSrp(request(api, { authFlow: selector }));
    expect(requests[2]!.AuthFlow).toBe('USER_AUTH');
    expect(again.fallback).toBeUndefined();
  });

  test('an explicit USER_SRP_AUTH refused → AuthFlowNotEnabledError naming authFlow, no second call', async () => {
    const { api, requests } = scripted([refused('USER_SRP_AUTH')]);
    const error = await signInWithSrp(request(api, { authFlow: AuthFlowSelector.from('USER_SRP_AUTH') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFlowNotEnabledError);
    expect(error).toMatchObject({ code: 'AUTH_FLOW_NOT_ENABLED', authFlow: 'USER_SRP_AUTH', flowsToEnable: ['ALLOW_USER_SRP_AUTH'] });
    expect((error as Error).message).toMatch(/`authFlow`.*'USER_AUTH'/);
    expect(requests).toHaveLength(1);
  });

  test('USER_AUTH refused → AuthFlowNotEnabledError suggesting ALLOW_USER_AUTH or USER_SRP_AUTH', async () => {
    const { api } = scripted([refused('USER_AUTH')]);
    const error = await signInWithSrp(request(api, { authFlow: AuthFlowSelector.from('USER_AUTH') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ authFlow: 'USER_AUTH', flowsToEnable: ['ALLOW_USER_AUTH'] });
    expect((error as Error).message).toMatch(/ALLOW_USER_AUTH.*'USER_SRP_AUTH'/);
  });

  test('both refused → the error lists both flags', async () => {
    const { api } = scripted([refused('USER_SRP_AUTH'), refused('USER_AUTH')]);
    const error = await signInWithSrp(request(api)).catch((e: unknown) => e);
    expect(error).toMatchObject({ authFlow: 'USER_SRP_AUTH', flowsToEnable: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'] });
  });
});

describe('TOTP without assumptions', () => {
  test('a refused computed code → wait for the next step (reported), answer once more in the same session', async () => {
    const secret = randomTotpSecret();
    let now = 56_666_667 * 30_000 + 10_000; // 10 s into a step
    const waits: TotpRetryEvent[] = [];
    const totp = new TotpAnswerer(new Secret(secret), {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      onRetry: (event) => waits.push(event),
    });
    const mismatch = new CodeMismatchError('Cognito rejected the MFA code', { awsType: 'CodeMismatchException' });
    const { api, requests } = scripted([{ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's1', ChallengeParameters: {} }, mismatch, TOKENS]);
    const start = now;
    await signInWithSrp(request(api, { totp }));
    const codes = requests.slice(1).map((r) => (r.ChallengeResponses as Record<string, string>).SOFTWARE_TOKEN_MFA_CODE);
    expect(codes).toEqual([generateTotp(secret, start), generateTotp(secret, start + 20_000)]);
    expect(requests.slice(1).map((r) => r.Session)).toEqual(['s1', 's1']);
    expect(waits).toEqual([{ waitMs: 20_000 }]);
  });

  test('only one retry: a second mismatch is the CodeMismatchError', async () => {
    const totp = new TotpAnswerer(new Secret(randomTotpSecret()), { sleep: async () => undefined });
    const mismatch = (): CodeMismatchError => new CodeMismatchError('no', { awsType: 'CodeMismatchException' });
    const { api, requests } = scripted([{ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's1', ChallengeParameters: {} }, mismatch(), mismatch()]);
    await expect(signInWithSrp(request(api, { totp }))).rejects.toThrow(CodeMismatchError);
    expect(requests).toHaveLength(3);
  });
});

describe('client secret source', () => {
  test('a function is read at every sign-in (rotation), never shown', async () => {
    let current = 'first-secret';
    const source = ClientSecretSource.from(() => current)!;
    const { api, requests } = scripted([TOKENS, TOKENS]);
    await signInWithSrp(request(api, { clientSecret: source }));
    current = 'second-secret';
    await signInWithSrp(request(api, { clientSecret: source }));
    const hashes = requests.map((r) => (r.AuthParameters as Record<string, string>).SECRET_HASH);
    expect(hashes).toEqual([secretHash('svc', 'client1', 'first-secret'), secretHash('svc', 'client1', 'second-secret')]);
    expect(JSON.stringify({ source })).not.toContain('secret"');
    expect(String(await source.read())).toBe('[redacted]');
  });

  test('bad values and a failing function are CognitoConfigErrors naming clientSecret', async () => {
    expect(() => ClientSecretSource.from('')).toThrow(/clientSecret/);
    expect(() => ClientSecretSource.from(42)).toThrow(CognitoConfigError);
    await expect(ClientSecretSource.from(async () => '')!.read()).rejects.toThrow(/clientSecret/);
    await expect(
      ClientSecretSource.from(() => {
        throw new Error('vault down');
      })!.read(),
    ).rejects.toThrow(CognitoConfigError);
  });
});

describe('TotpAnswerer wait', () => {
  test('an aborted signal ends the wait for the next step with its reason', async () => {
    const controller = new AbortController();
    const midStep = 56_666_667 * 30_000 + 10_000; // 20 s before the next step: the wait is a real timer
    const totp = new TotpAnswerer(new Secret(randomTotpSecret()), { signal: controller.signal, now: () => midStep });
    totp.code();
    const waiting = totp.retryCode();
    controller.abort(new Error('provider closed'));
    await expect(waiting).rejects.toThrow('provider closed');
    expect(await totp.retryCode()).toBeUndefined(); // the one retry is spent
  });
});
