/**
 * The signed-in state behind `Cognito`: the tokens, the remembered device and a pending MFA challenge, and the
 * operations that change them (SRP and admin sign-in, MFA answers, verification, renewal, sign-out). `Cognito`
 * (cognito.ts) adds the account operations on top and reaches this state only through the protected members.
 */
import { AuthFlowSelector } from '../auth/auth-flow.js';
import { inspect } from 'node:util';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { CognitoApi } from '../auth/cognito-client.js';
import { sdkTransport } from '../auth/cognito-transport.js';
import { Refresher } from '../auth/refresh.js';
import { signInWithSrp } from '../auth/sign-in.js';
import {
  CognitoAuthError,
  CognitoConfigError,
  MfaRequiredError,
  TokenVerificationError,
  type ChallengeContinuation,
} from '../errors.js';
import { Secret } from '../secret.js';
import { createEphemeralAsync } from '../srp/index.js';
import type { DeviceCredentials } from '../tokens/device-store.js';
import { TokenVerifier } from '../tokens/verifier.js';
import * as auth from './authentication.js';
import type { AccountContext } from './context.js';
import { resolveCognitoOptions, type CognitoOptions } from './options.js';

export interface ClientMetadataOption {
  clientMetadata?: Record<string, string>;
}

/** Device metadata Cognito issued at the last sign-in (device tracking on): confirm it with `confirmDevice()`. */
export interface NewDeviceMetadata {
  deviceKey: string;
  deviceGroupKey: string;
}

/** The session half of `Cognito`; not exported from the package (use `Cognito`). */
export class CognitoSession {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** The user this instance acts for; set it, or pass a username to the methods that take one. */
  username: string | undefined;
  /** `Bearer` after a sign-in. */
  tokenType: string | undefined;
  /** Verified claims of the ID token (after a sign-in, a renewal or `verifyTokens()`). */
  idClaims: JWTPayload | undefined;
  /** Verified claims of the access token. */
  accessClaims: JWTPayload | undefined;
  /** Device tracking: the device Cognito issued at the last sign-in, not yet confirmed. */
  newDevice: NewDeviceMetadata | undefined;

  readonly #ctx: AccountContext;
  readonly #api: CognitoApi;
  readonly #poolName: string;
  /** Kept across sign-ins: a client that refused USER_SRP_AUTH once is asked with USER_AUTH from then on. */
  readonly #authFlow = new AuthFlowSelector(undefined);
  readonly #ownsClient: boolean;
  readonly #verifier: TokenVerifier | undefined;
  readonly #refresher = new Refresher();
  #idToken: string | undefined;
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
  #device: Secret<DeviceCredentials> | undefined;
  #continuation: ChallengeContinuation | undefined;

  constructor(options: CognitoOptions) {
    const o = resolveCognitoOptions(options);
    this.userPoolId = o.userPoolId;
    this.clientId = o.clientId;
    this.region = o.region;
    this.username = o.username;
    this.#poolName = o.poolName;
    this.#ctx = { client: o.client, userPoolId: o.userPoolId, clientId: o.clientId, clientSecret: o.clientSecret };
    this.#api = new CognitoApi(sdkTransport(o.client), { timeoutMs: o.timeoutMs });
    this.#ownsClient = o.ownsClient;
    this.#verifier = o.verifier === undefined ? undefined : new TokenVerifier(o.verifier);
    this.#idToken = o.idToken;
    this.#accessToken = o.accessToken;
    this.#refreshToken = o.refreshToken;
    this.#device = o.device;
  }

  /** The ID token JWT. Secret: never log it. */
  get idToken(): string | undefined {
    return this.#idToken;
  }
  /** The access token JWT. Secret: never log it. */
  get accessToken(): string | undefined {
    return this.#accessToken;
  }
  /** The refresh token. Secret: never log it. */
  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }
  /** The pending MFA challenge of the last sign-in on this instance, if any (the session is hidden). */
  get mfaContinuation(): ChallengeContinuation | undefined {
    return this.#continuation;
  }

  /** What every account operation needs: the SDK client, the pool, the app client and its secret. */
  protected get ctx(): AccountContext {
    return this.#ctx;
  }

  /** The remembered device this instance signs in with, if any. */
  get deviceKey(): string | undefined {
    return this.#device?.reveal().deviceKey;
  }

  /** Signs in with `device` from now on (`undefined`: without a device). */
  protected useDevice(device: DeviceCredentials | undefined): void {
    this.#device = device === undefined ? undefined : new Secret(device);
  }

  /** Forgets the tokens and their claims (after a sign-out or a deleted user). */
  protected forgetTokens(): void {
    this.#idToken = this.#accessToken = this.#refreshToken = undefined;
    this.idClaims = this.accessClaims = undefined;
  }

  /**
   * USER_SRP_AUTH (with DEVICE_SRP_AUTH when a remembered `device` is set). An MFA challenge throws
   * `MfaRequiredError`: answer it with `respondToSoftwareTokenMfaChallenge(code)` on this instance, or on a new
   * one with `err.continuation`. NEW_PASSWORD_REQUIRED throws `PasswordChangeRequiredError`.
   */
  async authenticate(password: string, options: ClientMetadataOption = {}): Promise<void> {
    await this.#signIn(password, undefined, options.clientMetadata);
  }

  /** Signs in with `password` and answers NEW_PASSWORD_REQUIRED with `newPassword`. */
  async newPasswordChallenge(password: string, newPassword: string, options: ClientMetadataOption = {}): Promise<void> {
    if (typeof newPassword !== 'string' || newPassword.length === 0) {
      throw new CognitoConfigError('newPassword', 'expected a non-empty string.');
    }
    await this.#signIn(password, newPassword, options.clientMetadata);
  }

  /** ADMIN_USER_PASSWORD_AUTH through AdminInitiateAuth (needs AWS credentials). */
  async adminAuthenticate(password: string, options: ClientMetadataOption = {}): Promise<void> {
    const username = this.userOf();
    await this.#challenged(async () => {
      const { result } = await auth.adminAuthenticate(this.#ctx, username, password, options.clientMetadata);
      await this.#install(result, undefined);
    });
  }

  /** Answers SOFTWARE_TOKEN_MFA with the authenticator's code; `continuation` is `MfaRequiredError.continuation`. */
  async respondToSoftwareTokenMfaChallenge(
    code: string,
    continuation?: ChallengeContinuation,
    options: ClientMetadataOption = {},
  ): Promise<void> {
    return this.respondToMfaChallenge('SOFTWARE_TOKEN_MFA', code, continuation, options);
  }

  /** Answers SMS_MFA with the code the user received. */
  async respondToSmsMfaChallenge(
    code: string,
    continuation?: ChallengeContinuation,
    options: ClientMetadataOption = {},
  ): Promise<void> {
    return this.respondToMfaChallenge('SMS_MFA', code, continuation, options);
  }

  /** Answers the pending `challenge` (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) with `code`. */
  async respondToMfaChallenge(
    challenge: auth.MfaCodeChallenge,
    code: string,
    continuation?: ChallengeContinuation,
    options: ClientMetadataOption = {},
  ): Promise<void> {
    const pending = auth.checkContinuation(continuation ?? this.#continuation);
    await this.#challenged(async () => {
      const { result } = await auth.respondToMfaChallenge(
        this.#api,
        this.#ctx,
        pending,
        challenge,
        code,
        options.clientMetadata,
      );
      this.#continuation = undefined;
      await this.#install(result, pending.deviceKey);
    });
  }

  /** Verifies the ID and access tokens (signature, issuer, audience, expiry, token_use) and fills the claims. */
  async verifyTokens(): Promise<void> {
    const idToken = this.#requireToken(this.#idToken, 'idToken');
    const accessToken = this.#requireToken(this.#accessToken, 'accessToken');
    const [idClaims, accessClaims] = await Promise.all([
      this.verifyToken(idToken, 'id'),
      this.verifyToken(accessToken, 'access'),
    ]);
    this.idClaims = idClaims;
    this.accessClaims = accessClaims;
  }

  /** Verifies one token; with `verify: false` it is only decoded. @throws TokenVerificationError */
  async verifyToken(token: string, use: 'id' | 'access'): Promise<JWTPayload> {
    if (this.#verifier === undefined) return decodeClaims(token, use);
    return this.#verifier.verify(token, use);
  }

  /**
   * Whether the access token has expired (by its `exp`); when it has and `renew` is true, renews it.
   * @throws CognitoConfigError('accessToken') when there is no access token.
   */
  async checkToken(renew = true): Promise<boolean> {
    const token = this.#requireToken(this.#accessToken, 'accessToken');
    const { exp } = decodeClaims(token, 'access');
    const expired = typeof exp !== 'number' || Date.now() >= exp * 1000;
    if (expired && renew) await this.renewAccessToken();
    return expired;
  }

  /** New ID and access tokens from the refresh token (GetTokensFromRefreshToken, else REFRESH_TOKEN_AUTH). */
  async renewAccessToken(): Promise<void> {
    const refreshToken = this.#requireToken(this.#refreshToken, 'refreshToken');
    const claims = this.#accessToken === undefined ? {} : safeDecode(this.#accessToken);
    const username = typeof claims.username === 'string' ? claims.username : this.userOf();
    const deviceKey = this.#device?.reveal().deviceKey;
    const { result } = await this.#refresher.refresh({
      api: this.#api,
      clientId: this.clientId,
      clientSecret: this.#ctx.clientSecret,
      refreshToken,
      username,
      deviceKey,
      clientMetadata: undefined,
    });
    await this.#install(result, deviceKey);
  }

  /** GlobalSignOut, then forgets the tokens and claims. */
  async logout(): Promise<void> {
    const accessToken = this.#requireToken(this.#accessToken, 'accessToken');
    await this.#api.globalSignOut(accessToken);
    this.forgetTokens();
    this.tokenType = undefined;
  }


  /** Closes the SDK client this instance created (not one passed as `cognitoClient`). */
  close(): void {
    if (this.#ownsClient) this.#ctx.client.destroy();
  }

  toJSON(): object {
    return {
      userPoolId: this.userPoolId,
      clientId: this.clientId,
      region: this.region,
      username: this.username,
      idToken: this.#idToken === undefined ? undefined : '[redacted]',
      accessToken: this.#accessToken === undefined ? undefined : '[redacted]',
      refreshToken: this.#refreshToken === undefined ? undefined : '[redacted]',
      tokenType: this.tokenType,
      deviceKey: this.deviceKey,
    };
  }

  [inspect.custom](): string {
    return `Cognito ${inspect(this.toJSON())}`;
  }


  // ---- internals ----

  async #signIn(
    password: string,
    newPassword: string | undefined,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<void> {
    if (typeof password !== 'string' || password.length === 0) {
      throw new CognitoConfigError('password', 'expected a non-empty string.');
    }
    const username = this.userOf();
    const device = this.#device?.reveal();
    await this.#challenged(async () => {
      const outcome = await signInWithSrp({
        api: this.#api,
        clientId: this.clientId,
        clientSecret: this.#ctx.clientSecret,
        poolName: this.#poolName,
        username,
        password,
        device,
        clientMetadata,
        takeEphemeral: createEphemeralAsync,
        totp: undefined,
        authFlow: this.#authFlow,
        mfaCode: undefined,
        newPassword: newPassword === undefined ? undefined : async () => newPassword,
      });
      await this.#install(outcome.result, outcome.deviceKey);
    });
  }

  /** Remembers the continuation of an MFA challenge, so `respondTo*MfaChallenge(code)` works on this instance. */
  async #challenged(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof MfaRequiredError) this.#continuation = error.continuation;
      throw error;
    }
  }

  async #install(result: AuthenticationResultType, deviceKey: string | undefined): Promise<void> {
    if (result.AccessToken === undefined || result.IdToken === undefined) {
      throw new CognitoAuthError('SERVICE_ERROR', 'Cognito returned no access or ID token.');
    }
    this.#idToken = result.IdToken;
    this.#accessToken = result.AccessToken;
    if (result.RefreshToken !== undefined) this.#refreshToken = result.RefreshToken;
    this.tokenType = result.TokenType ?? 'Bearer';
    this.#continuation = undefined;
    const issued = result.NewDeviceMetadata;
    if (issued?.DeviceKey !== undefined && issued.DeviceGroupKey !== undefined && issued.DeviceKey !== deviceKey) {
      this.newDevice = { deviceKey: issued.DeviceKey, deviceGroupKey: issued.DeviceGroupKey };
    }
    await this.verifyTokens();
  }

  /** `given`, else this instance's username. @throws CognitoConfigError('username') when neither is set. */
  protected userOf(given?: string): string {
    const name = given ?? this.username;
    if (typeof name !== 'string' || name.length === 0) {
      throw new CognitoConfigError('username', 'pass a username, or set `username` in the constructor.');
    }
    return name;
  }

  /** The access token. @throws CognitoConfigError('accessToken') before a sign-in. */
  protected signedIn(): string {
    return this.#requireToken(this.#accessToken, 'accessToken');
  }

  #requireToken(token: string | undefined, name: 'idToken' | 'accessToken' | 'refreshToken'): string {
    if (token === undefined) {
      throw new CognitoConfigError(name, 'not available: sign in first (authenticate) or pass it to the constructor.');
    }
    return token;
  }

  /** `given`, else the key of this instance's confirmed device. @throws CognitoConfigError('deviceKey') */
  protected deviceKeyOf(given: string | undefined): string {
    const key = given ?? this.#device?.reveal().deviceKey;
    if (typeof key !== 'string' || key.length === 0) {
      throw new CognitoConfigError('deviceKey', 'pass a device key, or confirm a device on this instance first.');
    }
    return key;
  }

  /** How an MFA set-up call authenticates: the session of a pending challenge, else the access token. */
  protected mfaAuth(continuation: ChallengeContinuation | undefined): { accessToken: string } | { session: string } {
    if (continuation !== undefined) return { session: auth.checkContinuation(continuation).session };
    return { accessToken: this.signedIn() };
  }
}

/** The claims of a JWT, unverified. @throws TokenVerificationError when it is not a JWT (the token is not quoted). */
function decodeClaims(token: string, use: 'id' | 'access'): JWTPayload {
  try {
    return decodeJwt(token);
  } catch (error) {
    throw new TokenVerificationError(`The ${use} token is not a JWT.`, { cause: error });
  }
}

function safeDecode(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}

