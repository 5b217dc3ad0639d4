import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';

import { computePasswordClaim, createEphemeral, poolNameOf, secretHash, type SrpEphemeral } from '../../src/srp/index.js';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions } from '../../src/testing/index.js';

export function sdkClient(emu: CognitoEmulator): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: emu.region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

/** The emulator and SDK client a test starts with `start(options)`; both are closed after the test. */
export interface SdkFixture {
  readonly emu: CognitoEmulator;
  readonly client: CognitoIdentityProviderClient;
  /** The emulator's time in ms with `manualClock` (set at `start`, moved only by the test); else unused. */
  now: number;
  start(options?: CognitoEmulatorOptions): Promise<CognitoEmulator>;
}

/** Registers the afterEach that closes what `start` opened; `manualClock` gives the emulator `fx.now` as its clock. */
export function sdkFixture({ manualClock = false }: { manualClock?: boolean } = {}): SdkFixture {
  let emu: CognitoEmulator | undefined;
  let client: CognitoIdentityProviderClient | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('sdkFixture: call start() first');
    return value;
  };
  afterEach(async () => {
    client?.destroy();
    await emu?.close();
    client = undefined;
    emu = undefined;
  });
  const fixture: SdkFixture = {
    get emu() {
      return started(emu);
    },
    get client() {
      return started(client);
    },
    now: Date.now(),
    async start(options = {}) {
      if (manualClock) {
        fixture.now = Date.now();
        emu = await startCognitoEmulator({ clock: () => fixture.now, ...options });
      } else {
        emu = await startCognitoEmulator(options);
      }
      client = sdkClient(emu);
      return emu;
    },
  };
  return fixture;
}

/** `SecretHash` for the *Password and *SignUp operations when the emulator's client has a secret. */
export function secretHashParam(emu: CognitoEmulator, username: string): { SecretHash?: string } {
  return emu.clientSecret === undefined ? {} : { SecretHash: secretHash(username, emu.clientId, emu.clientSecret) };
}

/** SECRET_HASH entry for `name` when the emulator's client has a secret. */
export function hashFor(emu: CognitoEmulator, name: string): Record<string, string> {
  return emu.clientSecret === undefined ? {} : { SECRET_HASH: secretHash(name, emu.clientId, emu.clientSecret) };
}

export interface SrpStart {
  initiate: InitiateAuthCommandOutput;
  ephemeral: SrpEphemeral;
}

export async function initiateSrp(
  client: CognitoIdentityProviderClient,
  emu: CognitoEmulator,
  username: string,
  extra: Record<string, string> = {},
  ephemeral: SrpEphemeral = createEphemeral(),
): Promise<SrpStart> {
  const initiate = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: emu.clientId,
      AuthParameters: { USERNAME: username, SRP_A: ephemeral.srpA, ...hashFor(emu, username), ...extra },
    }),
  );
  return { initiate, ephemeral };
}

export interface VerifierOptions {
  password: string;
  /** Extra ChallengeResponses (DEVICE_KEY...). */
  extra?: Record<string, string>;
  /** Name used for SECRET_HASH; default USER_ID_FOR_SRP. */
  hashName?: string;
  now?: Date;
}

/** Answers PASSWORD_VERIFIER with the client SRP math from src/srp. */
export async function answerPasswordVerifier(
  client: CognitoIdentityProviderClient,
  emu: CognitoEmulator,
  start: SrpStart,
  options: VerifierOptions,
): Promise<RespondToAuthChallengeCommandOutput> {
  const params = start.initiate.ChallengeParameters!;
  const userId = params.USER_ID_FOR_SRP!;
  const claim = computePasswordClaim({
    poolName: poolNameOf(emu.userPoolId),
    userId,
    password: options.password,
    ephemeral: start.ephemeral,
    salt: params.SALT!,
    srpB: params.SRP_B!,
    secretBlock: params.SECRET_BLOCK!,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return client.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: emu.clientId,
      Session: start.initiate.Session,
      ChallengeResponses: {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock,
        PASSWORD_CLAIM_SIGNATURE: claim.signature,
        TIMESTAMP: claim.timestamp,
        ...hashFor(emu, options.hashName ?? userId),
        ...(options.extra ?? {}),
      },
    }),
  );
}

/** Full USER_SRP_AUTH → PASSWORD_VERIFIER; returns the answer (tokens or the next challenge). */
export async function srpSignIn(
  client: CognitoIdentityProviderClient,
  emu: CognitoEmulator,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const start = await initiateSrp(client, emu, username, extra);
  return answerPasswordVerifier(client, emu, start, { password, extra });
}

/** Respond to a challenge with `responses` plus USERNAME and SECRET_HASH over the internal name. */
export function respond(
  client: CognitoIdentityProviderClient,
  emu: CognitoEmulator,
  challengeName: string,
  session: string | undefined,
  username: string,
  responses: Record<string, string>,
): Promise<RespondToAuthChallengeCommandOutput> {
  return client.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: challengeName as never,
      ClientId: emu.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, ...hashFor(emu, username), ...responses },
    }),
  );
}

/** Resolves to the rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

export function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1]!;
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** USER_PASSWORD_AUTH sign-in; returns the access token (fails the test on a challenge). */
export async function passwordSignIn(
  client: CognitoIdentityProviderClient,
  emu: CognitoEmulator,
  username: string,
  password: string,
): Promise<string> {
  const out = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: emu.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...hashFor(emu, username) },
    }),
  );
  const token = out.AuthenticationResult?.AccessToken;
  if (token === undefined) throw new Error(`expected tokens, got challenge ${String(out.ChallengeName)}`);
  return token;
}

/** A raw AWS JSON 1.1 request to the emulator, with optional extra headers (e.g. no Authorization at all). */
export async function rawCall(
  emu: CognitoEmulator,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; errorType: string | null }> {
  const response = await fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    errorType: response.headers.get('x-amzn-errortype'),
  };
}
