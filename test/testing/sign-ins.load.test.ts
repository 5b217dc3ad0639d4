/**
 * The emulator survives and answers 1,000 concurrent SRP sign-ins. Requests go through the global fetch
 * (undici opens as many connections as there are requests in flight), the client SRP math through src/srp.
 * A load test: `npm run test:load` runs it (CI too), `npm test` does not.
 */
import { randomBytes } from 'node:crypto';

import { computePasswordClaim, createEphemeral, poolNameOf, type SrpEphemeral } from '../../src/srp/index.js';
import { type CognitoEmulator, startCognitoEmulator } from '../../src/testing/index.js';
import { hashFor } from './helpers.js';

const SIGN_INS = 1000;
const USERS = 20;
const PASSWORD = 'Passw0rd!';

let emu: CognitoEmulator;

afterAll(async () => {
  await emu.close();
});

async function call(operation: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, any>;
  if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${String(json.__type)}`);
  return json;
}

/** A 256-bit client secret (RFC 5054's minimum) keeps the client math of 1,000 sign-ins within the time budget. */
function quickEphemeral(): SrpEphemeral {
  return createEphemeral(BigInt(`0x${randomBytes(32).toString('hex')}`) | 1n);
}

async function signIn(username: string): Promise<string> {
  const ephemeral = quickEphemeral();
  const initiate = await call('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: emu.clientId,
    AuthParameters: { USERNAME: username, SRP_A: ephemeral.srpA, ...hashFor(emu, username) },
  });
  const params = initiate.ChallengeParameters as Record<string, string>;
  const userId = params.USER_ID_FOR_SRP!;
  const claim = computePasswordClaim({
    poolName: poolNameOf(emu.userPoolId),
    userId,
    password: PASSWORD,
    ephemeral,
    salt: params.SALT!,
    srpB: params.SRP_B!,
    secretBlock: params.SECRET_BLOCK!,
  });
  const answer = await call('RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: emu.clientId,
    Session: initiate.Session,
    ChallengeResponses: {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock,
      PASSWORD_CLAIM_SIGNATURE: claim.signature,
      TIMESTAMP: claim.timestamp,
      ...hashFor(emu, userId),
    },
  });
  return answer.AuthenticationResult.AccessToken as string;
}

test(`${SIGN_INS} concurrent SRP sign-ins all succeed`, async () => {
  emu = await startCognitoEmulator({ clientSecret: true });
  for (let i = 0; i < USERS; i++) emu.addUser({ username: `user-${i}`, password: PASSWORD });

  const results = await Promise.allSettled(Array.from({ length: SIGN_INS }, (_, i) => signIn(`user-${i % USERS}`)));

  const failures = results.flatMap((r) =>
    r.status === 'rejected' ? [`${String(r.reason)} (cause: ${String((r.reason as Error).cause)})`] : [],
  );
  expect(failures.slice(0, 3)).toEqual([]);
  const tokens = results.map((r) => (r as PromiseFulfilledResult<string>).value);
  expect(new Set(tokens).size).toBe(SIGN_INS);
  expect(emu.calls.InitiateAuth).toBe(SIGN_INS);
  expect(emu.calls.RespondToAuthChallenge).toBe(SIGN_INS);
  // Still answering afterwards.
  await expect(signIn('user-0')).resolves.toEqual(expect.any(String));
}, 180_000);
