import { inspect } from 'node:util';
import type {
  AttributeType,
  AuthenticationResultType,
  GroupType,
  IdentityProviderType,
  ProviderDescription,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { AuthFlowSelector } from '../auth/auth-flow.js';
import { CognitoApi } from '../auth/cognito-client.js';
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
import * as devices from './devices.js';
import * as groups from './groups.js';
import * as mfa from './mfa.js';
import { resolveCognitoOptions, type CognitoOptions } from './options.js';
import * as passwords from './passwords.js';
import * as pool from './pool-admin.js';
import * as profile from './profile.js';
import * as registration from './registration.js';
import { DeviceTrust, jsonTrustStore, type TrustRecordStore } from './trusted-device.js';
import { CognitoUser, type AttrMap, type AttributeValue, type UserActions } from './users.js';

export interface ClientMetadataOption {
  clientMetadata?: Record<string, string>;
}

/** Device metadata Cognito issued at the last sign-in (device tracking on): confirm it with `confirmDevice()`. */
export interface NewDeviceMetadata {
  deviceKey: string;
  deviceGroupKey: string;
}

/**
 * One Cognito user pool user, pycognito's `Cognito` class in TypeScript: registration, SRP and admin sign-in,
 * MFA, tokens, passwords, profile, groups, devices and a few pool-admin operations, as camelCase methods.
 * After any sign-in or `verifyTokens()`, `idClaims` and `accessClaims` hold the verified claims.
 * Tokens and secrets never show in `util.inspect` or `JSON.stringify` of the instance.
 *
 * @example
 * const u = new Cognito({ userPoolId: 'eu-west-1_AbC123', clientId, username: 'bob' });
 * await u.authenticate('bobs-password');
 * const user = await u.getUser({ attrMap: { given_name: 'firstName' } });
 */
export class Cognito implements UserActions {
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
  /** Attributes `register()` sends (pycognito's `set_base_attributes`). */
  baseAttributes: Record<string, AttributeValue> = {};
  /** `custom:` attributes `register()` sends, without the prefix (pycognito's `add_custom_attributes`). */
  customAttributes: Record<string, AttributeValue> = {};

  readonly #ctx: AccountContext;
  readonly #api: CognitoApi;
  readonly #poolName: string;
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
    this.#api = new CognitoApi(o.client);
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

  // ---- registration ----

  /** Sets the attributes `register()` sends (merged with earlier calls). */
  setBaseAttributes(attributes: Record<string, AttributeValue>): this {
    Object.assign(this.baseAttributes, attributes);
    return this;
  }

  /** Adds `custom:` attributes for `register()`; give names without the prefix. */
  addCustomAttributes(attributes: Record<string, AttributeValue>): this {
    Object.assign(this.customAttributes, attributes);
    return this;
  }

  /** SignUp with `baseAttributes` and `customAttributes` (renamed from your names through `attrMap`). */
  async register(
    username: string,
    password: string,
    options: { attrMap?: AttrMap } & ClientMetadataOption = {},
  ): Promise<registration.SignUpResult> {
    const custom = Object.fromEntries(
      Object.entries(this.customAttributes).map(([name, value]) => [
        name.startsWith('custom:') ? name : `custom:${name}`,
        value,
      ]),
    );
    return registration.register(this.#ctx, {
      username,
      password,
      attributes: { ...this.baseAttributes, ...custom },
      attrMap: options.attrMap,
      clientMetadata: options.clientMetadata,
    });
  }

  async confirmSignUp(confirmationCode: string, username?: string, options: ClientMetadataOption = {}): Promise<void> {
    return registration.confirmSignUp(this.#ctx, this.#user(username), confirmationCode, options.clientMetadata);
  }

  async resendConfirmationCode(username?: string): Promise<registration.CodeDelivery | undefined> {
    return registration.resendConfirmationCode(this.#ctx, this.#user(username));
  }

  async adminConfirmSignUp(username?: string): Promise<void> {
    return registration.adminConfirmSignUp(this.#ctx, this.#user(username));
  }

  // ---- authentication ----

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
    const username = this.#user();
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
    const username = typeof claims.username === 'string' ? claims.username : this.#user();
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
    this.#idToken = undefined;
    this.#accessToken = undefined;
    this.#refreshToken = undefined;
    this.tokenType = undefined;
    this.idClaims = undefined;
    this.accessClaims = undefined;
  }

  // ---- passwords ----

  async initiateForgotPassword(options: ClientMetadataOption = {}): Promise<registration.CodeDelivery | undefined> {
    return passwords.initiateForgotPassword(this.#ctx, this.#user(), options.clientMetadata);
  }

  async confirmForgotPassword(confirmationCode: string, password: string): Promise<void> {
    return passwords.confirmForgotPassword(this.#ctx, this.#user(), confirmationCode, password);
  }

  async changePassword(previousPassword: string, proposedPassword: string): Promise<void> {
    return passwords.changePassword(this.#ctx, this.#signedIn(), previousPassword, proposedPassword);
  }

  async adminResetPassword(username?: string, options: ClientMetadataOption = {}): Promise<void> {
    return passwords.adminResetPassword(this.#ctx, this.#user(username), options.clientMetadata);
  }

  // ---- profile and verification ----

  async getUser(options: { attrMap?: AttrMap } = {}): Promise<CognitoUser> {
    return profile.getUser(this.#ctx, this.#signedIn(), options.attrMap, this);
  }

  async adminGetUser(options: { attrMap?: AttrMap; username?: string } = {}): Promise<CognitoUser> {
    return profile.adminGetUser(this.#ctx, this.#user(options.username), options.attrMap, this);
  }

  /** Every user of the pool (ListUsers, all pages). */
  async getUsers(options: profile.UserQuery = {}): Promise<CognitoUser[]> {
    return profile.getUsers(this.#ctx, options, this);
  }

  /** A user object from Cognito's attribute list (pycognito's `get_user_obj`). */
  getUserObj(
    username: string,
    attributeList: AttributeType[],
    options: { metadata?: CognitoUser['metadata']; attrMap?: AttrMap } = {},
  ): CognitoUser {
    return new CognitoUser({ username, attributes: attributeList, ...options, actions: this });
  }

  async adminCreateUser(username: string, options: profile.AdminCreateUserOptions = {}): Promise<CognitoUser> {
    return profile.adminCreateUser(this.#ctx, this.#user(username), options, this);
  }

  /** UpdateUserAttributes for the signed-in user. Changing email or phone sends a verification code. */
  async updateProfile(
    attributes: Record<string, AttributeValue>,
    options: { attrMap?: AttrMap } & ClientMetadataOption = {},
  ): Promise<void> {
    await profile.updateProfile(this.#ctx, this.#signedIn(), attributes, options.attrMap, options.clientMetadata);
  }

  async adminUpdateProfile(
    attributes: Record<string, AttributeValue>,
    options: { attrMap?: AttrMap; username?: string } = {},
  ): Promise<void> {
    return profile.adminUpdateProfile(this.#ctx, this.#user(options.username), attributes, options.attrMap);
  }

  /** Sends a code to verify `email` (default) or `phone_number`. */
  async sendVerification(attribute = 'email'): Promise<registration.CodeDelivery | undefined> {
    return profile.sendVerification(this.#ctx, this.#signedIn(), attribute);
  }

  async validateVerification(confirmationCode: string, attribute = 'email'): Promise<void> {
    return profile.validateVerification(this.#ctx, this.#signedIn(), confirmationCode, attribute);
  }

  /** DeleteUser: the signed-in user deletes themself; the tokens are forgotten. */
  async deleteUser(): Promise<void> {
    await profile.deleteUser(this.#ctx, this.#signedIn());
    this.#idToken = this.#accessToken = this.#refreshToken = undefined;
    this.idClaims = this.accessClaims = undefined;
  }

  async adminDeleteUser(username?: string): Promise<void> {
    return profile.adminDeleteUser(this.#ctx, this.#user(username));
  }

  async adminEnableUser(username?: string): Promise<void> {
    return profile.adminSetUserEnabled(this.#ctx, this.#user(username), true);
  }

  async adminDisableUser(username?: string): Promise<void> {
    return profile.adminSetUserEnabled(this.#ctx, this.#user(username), false);
  }

  // ---- groups ----

  getGroupObj(groupData: GroupType): groups.CognitoGroup {
    return groups.groupFromData(groupData);
  }

  async getGroup(groupName: string): Promise<groups.CognitoGroup> {
    return groups.getGroup(this.#ctx, groupName);
  }

  /** Every group of the pool (ListGroups, all pages). */
  async getGroups(): Promise<groups.CognitoGroup[]> {
    return groups.getGroups(this.#ctx);
  }

  async adminAddUserToGroup(username: string | undefined, groupName: string): Promise<void> {
    return groups.adminAddUserToGroup(this.#ctx, this.#user(username), groupName);
  }

  async adminRemoveUserFromGroup(username: string | undefined, groupName: string): Promise<void> {
    return groups.adminRemoveUserFromGroup(this.#ctx, this.#user(username), groupName);
  }

  /** The names of the user's groups (all pages). */
  async adminListGroupsForUser(username?: string): Promise<string[]> {
    return groups.adminListGroupsForUser(this.#ctx, this.#user(username));
  }

  // ---- MFA ----

  /**
   * AssociateSoftwareToken: the TOTP secret to show the user (or `otpauthUri(account, issuer)` as a QR code).
   * With a `continuation` of an MFA_SETUP challenge, enrols during sign-in instead of with the access token.
   */
  async associateSoftwareToken(continuation?: ChallengeContinuation): Promise<mfa.SoftwareTokenSetup> {
    return mfa.associateSoftwareToken(this.#ctx, this.#mfaAuth(continuation));
  }

  /** VerifySoftwareToken: `true` when Cognito accepted the code and enabled the authenticator. */
  async verifySoftwareToken(code: string, deviceName?: string, session?: { session: string }): Promise<boolean> {
    const by = session ?? { accessToken: this.#signedIn() };
    const { verified } = await mfa.verifySoftwareToken(this.#ctx, by, code, deviceName);
    return verified;
  }

  /** SetUserMFAPreference as pycognito: `setUserMfaPreference(false, true, 'SOFTWARE_TOKEN')`. */
  async setUserMfaPreference(smsMfa: boolean, softwareTokenMfa: boolean, preferred?: mfa.PreferredMfa): Promise<void> {
    return mfa.setUserMfaPreference(this.#ctx, this.#signedIn(), smsMfa, softwareTokenMfa, preferred);
  }

  async getUserAuthFactors(): Promise<mfa.UserAuthFactors> {
    return mfa.getUserAuthFactors(this.#ctx, this.#signedIn());
  }

  // ---- devices ----

  /**
   * ConfirmDevice for the device Cognito issued at the last sign-in (or `device`). Returns the credentials to
   * store; from then on `authenticate()` on this instance signs in with the device.
   */
  async confirmDevice(deviceName?: string, device?: NewDeviceMetadata): Promise<devices.ConfirmedDevice> {
    const target = device ?? this.newDevice;
    if (target === undefined) {
      throw new CognitoConfigError(
        'device',
        'no new device: sign in with device tracking on first, or pass { deviceKey, deviceGroupKey }.',
      );
    }
    const name = deviceName ?? devices.defaultDeviceName();
    const confirmed = await devices.confirmDevice(this.#ctx, this.#signedIn(), target, name);
    this.#device = new Secret({
      deviceKey: confirmed.deviceKey,
      deviceGroupKey: confirmed.deviceGroupKey,
      devicePassword: confirmed.devicePassword,
    });
    if (target === this.newDevice) this.newDevice = undefined;
    return confirmed;
  }

  /** The remembered device this instance signs in with, if any. */
  get deviceKey(): string | undefined {
    return this.#device?.reveal().deviceKey;
  }

  async updateDeviceStatus(remembered: boolean, deviceKey?: string): Promise<void> {
    return devices.updateDeviceStatus(this.#ctx, this.#signedIn(), this.#deviceKeyOf(deviceKey), remembered);
  }

  /** ForgetDevice; forgetting this instance's own device also stops using it. */
  async forgetDevice(deviceKey?: string): Promise<void> {
    const key = this.#deviceKeyOf(deviceKey);
    await devices.forgetDevice(this.#ctx, this.#signedIn(), key);
    if (this.#device?.reveal().deviceKey === key) this.#device = undefined;
  }

  async getDevice(deviceKey?: string): Promise<devices.CognitoDevice> {
    return devices.getDevice(this.#ctx, this.#signedIn(), this.#deviceKeyOf(deviceKey));
  }

  /** The signed-in user's devices (ListDevices, all pages). */
  async listDevices(): Promise<devices.CognitoDevice[]> {
    return devices.listDevices(this.#ctx, this.#signedIn());
  }

  async adminGetDevice(deviceKey: string, username?: string): Promise<devices.CognitoDevice> {
    return devices.adminGetDevice(this.#ctx, this.#user(username), deviceKey);
  }

  async adminListDevices(username?: string): Promise<devices.CognitoDevice[]> {
    return devices.adminListDevices(this.#ctx, this.#user(username));
  }

  async adminForgetDevice(deviceKey: string, username?: string): Promise<void> {
    return devices.adminForgetDevice(this.#ctx, this.#user(username), deviceKey);
  }

  async adminUpdateDeviceStatus(deviceKey: string, remembered: boolean, username?: string): Promise<void> {
    return devices.adminUpdateDeviceStatus(this.#ctx, this.#user(username), deviceKey, remembered);
  }

  /**
   * "Trust this device for N days" (see `DeviceTrust`), changing the status with this instance's access token,
   * or with AdminUpdateDeviceStatus for `username` when `admin` is true.
   */
  deviceTrust(
    store: TrustRecordStore,
    options: { admin?: boolean; username?: string; clock?: () => number } = {},
  ): DeviceTrust {
    const setRemembered =
      options.admin === true
        ? (deviceKey: string, remembered: boolean) => this.adminUpdateDeviceStatus(deviceKey, remembered, options.username)
        : (deviceKey: string, remembered: boolean) => this.updateDeviceStatus(remembered, deviceKey);
    return new DeviceTrust({ store, setRemembered, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  }

  /**
   * A `TrustRecordStore` kept in one custom attribute of the user (default `custom:trusted_devices`, which the
   * pool must define and the app client may write), through the access token or, with `admin`, the admin APIs.
   */
  trustedDeviceAttributeStore(
    attribute = 'custom:trusted_devices',
    options: { admin?: boolean; username?: string } = {},
  ): TrustRecordStore {
    const admin = options.admin === true;
    const who = options.username === undefined ? {} : { username: options.username };
    return jsonTrustStore({
      read: async () => {
        const user = admin ? await this.adminGetUser(who) : await this.getUser();
        return user.attribute(attribute);
      },
      write: async (text) => {
        if (admin) await this.adminUpdateProfile({ [attribute]: text }, who);
        else await this.updateProfile({ [attribute]: text });
      },
    });
  }

  // ---- pool administration ----

  async describeUserPool(): Promise<UserPoolType> {
    return pool.describeUserPool(this.#ctx);
  }

  /** DescribeUserPoolClient (default: this instance's client); `ClientSecret` is hidden from inspect and JSON. */
  async describeUserPoolClient(clientId = this.clientId): Promise<UserPoolClientType> {
    return pool.describeUserPoolClient(this.#ctx, clientId);
  }

  /**
   * Changes only the named app-client settings: reads the others first, since UpdateUserPoolClient resets every
   * setting it is not given.
   */
  async updateUserPoolClient(changes: pool.UserPoolClientSettings, clientId = this.clientId): Promise<UserPoolClientType> {
    return pool.updateUserPoolClient(this.#ctx, clientId, changes);
  }

  async listIdentityProviders(): Promise<ProviderDescription[]> {
    return pool.listIdentityProviders(this.#ctx);
  }

  async describeIdentityProvider(providerName: string): Promise<IdentityProviderType> {
    return pool.describeIdentityProvider(this.#ctx, providerName);
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
    const username = this.#user();
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
        authFlow: new AuthFlowSelector(undefined),
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

  #user(given?: string): string {
    const name = given ?? this.username;
    if (typeof name !== 'string' || name.length === 0) {
      throw new CognitoConfigError('username', 'pass a username, or set `username` in the constructor.');
    }
    return name;
  }

  #signedIn(): string {
    return this.#requireToken(this.#accessToken, 'accessToken');
  }

  #requireToken(token: string | undefined, name: 'idToken' | 'accessToken' | 'refreshToken'): string {
    if (token === undefined) {
      throw new CognitoConfigError(name, 'not available: sign in first (authenticate) or pass it to the constructor.');
    }
    return token;
  }

  #deviceKeyOf(given: string | undefined): string {
    const key = given ?? this.#device?.reveal().deviceKey;
    if (typeof key !== 'string' || key.length === 0) {
      throw new CognitoConfigError('deviceKey', 'pass a device key, or confirm a device on this instance first.');
    }
    return key;
  }

  #mfaAuth(continuation: ChallengeContinuation | undefined): { accessToken: string } | { session: string } {
    if (continuation !== undefined) return { session: auth.checkContinuation(continuation).session };
    return { accessToken: this.#signedIn() };
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
