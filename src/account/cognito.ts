import type {
  AttributeType,
  GroupType,
  IdentityProviderType,
  ProviderDescription,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError, type ChallengeContinuation } from '../errors.js';
import * as devices from './devices.js';
import * as groups from './groups.js';
import * as mfa from './mfa.js';
import * as passwords from './passwords.js';
import * as pool from './pool-admin.js';
import * as profile from './profile.js';
import * as registration from './registration.js';
import { CognitoSession, type ClientMetadataOption, type NewDeviceMetadata } from './session.js';
import { DeviceTrust, jsonTrustStore, type TrustRecordStore } from './trusted-device.js';
import { CognitoUser, type AttrMap, type AttributeValue, type UserActions } from './users.js';

export type { ClientMetadataOption, NewDeviceMetadata } from './session.js';

/**
 * One Cognito user pool user, pycognito's `Cognito` class in TypeScript: registration, SRP and admin sign-in,
 * MFA, tokens, passwords, profile, groups, devices and a few pool-admin operations, as camelCase methods.
 * After any sign-in or `verifyTokens()`, `idClaims` and `accessClaims` hold the verified claims.
 * Tokens and secrets never show in `util.inspect` or `JSON.stringify` of the instance. Sign-in, MFA answers and
 * the token lifecycle live in `CognitoSession` (session.ts); this class adds the account operations, by concern.
 *
 * @example
 * const u = new Cognito({ userPoolId: 'eu-west-1_AbC123', clientId, username: 'bob' });
 * await u.authenticate('bobs-password');
 * const user = await u.getUser({ attrMap: { given_name: 'firstName' } });
 */
export class Cognito extends CognitoSession implements UserActions {
  /** Attributes `register()` sends (pycognito's `set_base_attributes`). */
  baseAttributes: Record<string, AttributeValue> = {};
  /** `custom:` attributes `register()` sends, without the prefix (pycognito's `add_custom_attributes`). */
  customAttributes: Record<string, AttributeValue> = {};

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
    return registration.register(this.ctx, {
      username,
      password,
      attributes: { ...this.baseAttributes, ...custom },
      attrMap: options.attrMap,
      clientMetadata: options.clientMetadata,
    });
  }

  async confirmSignUp(confirmationCode: string, username?: string, options: ClientMetadataOption = {}): Promise<void> {
    return registration.confirmSignUp(this.ctx, this.userOf(username), confirmationCode, options.clientMetadata);
  }

  async resendConfirmationCode(username?: string): Promise<registration.CodeDelivery | undefined> {
    return registration.resendConfirmationCode(this.ctx, this.userOf(username));
  }

  async adminConfirmSignUp(username?: string): Promise<void> {
    return registration.adminConfirmSignUp(this.ctx, this.userOf(username));
  }

  // ---- passwords ----

  async initiateForgotPassword(options: ClientMetadataOption = {}): Promise<registration.CodeDelivery | undefined> {
    return passwords.initiateForgotPassword(this.ctx, this.userOf(), options.clientMetadata);
  }

  async confirmForgotPassword(confirmationCode: string, password: string): Promise<void> {
    return passwords.confirmForgotPassword(this.ctx, this.userOf(), confirmationCode, password);
  }

  async changePassword(previousPassword: string, proposedPassword: string): Promise<void> {
    return passwords.changePassword(this.ctx, this.signedIn(), previousPassword, proposedPassword);
  }

  async adminResetPassword(username?: string, options: ClientMetadataOption = {}): Promise<void> {
    return passwords.adminResetPassword(this.ctx, this.userOf(username), options.clientMetadata);
  }

  // ---- profile and verification ----

  async getUser(options: { attrMap?: AttrMap } = {}): Promise<CognitoUser> {
    return profile.getUser(this.ctx, this.signedIn(), options.attrMap, this);
  }

  async adminGetUser(options: { attrMap?: AttrMap; username?: string } = {}): Promise<CognitoUser> {
    return profile.adminGetUser(this.ctx, this.userOf(options.username), options.attrMap, this);
  }

  /** Every user of the pool (ListUsers, all pages). */
  async getUsers(options: profile.UserQuery = {}): Promise<CognitoUser[]> {
    return profile.getUsers(this.ctx, options, this);
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
    return profile.adminCreateUser(this.ctx, this.userOf(username), options, this);
  }

  /** UpdateUserAttributes for the signed-in user. Changing email or phone sends a verification code. */
  async updateProfile(
    attributes: Record<string, AttributeValue>,
    options: { attrMap?: AttrMap } & ClientMetadataOption = {},
  ): Promise<void> {
    await profile.updateProfile(this.ctx, this.signedIn(), attributes, options.attrMap, options.clientMetadata);
  }

  async adminUpdateProfile(
    attributes: Record<string, AttributeValue>,
    options: { attrMap?: AttrMap; username?: string } = {},
  ): Promise<void> {
    return profile.adminUpdateProfile(this.ctx, this.userOf(options.username), attributes, options.attrMap);
  }

  /** Sends a code to verify `email` (default) or `phone_number`. */
  async sendVerification(attribute = 'email'): Promise<registration.CodeDelivery | undefined> {
    return profile.sendVerification(this.ctx, this.signedIn(), attribute);
  }

  async validateVerification(confirmationCode: string, attribute = 'email'): Promise<void> {
    return profile.validateVerification(this.ctx, this.signedIn(), confirmationCode, attribute);
  }

  /** DeleteUser: the signed-in user deletes themself; the tokens are forgotten. */
  async deleteUser(): Promise<void> {
    await profile.deleteUser(this.ctx, this.signedIn());
    this.forgetTokens();
  }

  async adminDeleteUser(username?: string): Promise<void> {
    return profile.adminDeleteUser(this.ctx, this.userOf(username));
  }

  async adminEnableUser(username?: string): Promise<void> {
    return profile.adminSetUserEnabled(this.ctx, this.userOf(username), true);
  }

  async adminDisableUser(username?: string): Promise<void> {
    return profile.adminSetUserEnabled(this.ctx, this.userOf(username), false);
  }

  // ---- groups ----

  getGroupObj(groupData: GroupType): groups.CognitoGroup {
    return groups.groupFromData(groupData);
  }

  async getGroup(groupName: string): Promise<groups.CognitoGroup> {
    return groups.getGroup(this.ctx, groupName);
  }

  /** Every group of the pool (ListGroups, all pages). */
  async getGroups(): Promise<groups.CognitoGroup[]> {
    return groups.getGroups(this.ctx);
  }

  async adminAddUserToGroup(username: string | undefined, groupName: string): Promise<void> {
    return groups.adminAddUserToGroup(this.ctx, this.userOf(username), groupName);
  }

  async adminRemoveUserFromGroup(username: string | undefined, groupName: string): Promise<void> {
    return groups.adminRemoveUserFromGroup(this.ctx, this.userOf(username), groupName);
  }

  /** The names of the user's groups (all pages). */
  async adminListGroupsForUser(username?: string): Promise<string[]> {
    return groups.adminListGroupsForUser(this.ctx, this.userOf(username));
  }

  // ---- MFA ----

  /**
   * AssociateSoftwareToken: the TOTP secret to show the user (or `otpauthUri(account, issuer)` as a QR code).
   * With a `continuation` of an MFA_SETUP challenge, enrols during sign-in instead of with the access token.
   */
  async associateSoftwareToken(continuation?: ChallengeContinuation): Promise<mfa.SoftwareTokenSetup> {
    return mfa.associateSoftwareToken(this.ctx, this.mfaAuth(continuation));
  }

  /** VerifySoftwareToken: `true` when Cognito accepted the code and enabled the authenticator. */
  async verifySoftwareToken(code: string, deviceName?: string, session?: { session: string }): Promise<boolean> {
    const by = session ?? { accessToken: this.signedIn() };
    const { verified } = await mfa.verifySoftwareToken(this.ctx, by, code, deviceName);
    return verified;
  }

  /** SetUserMFAPreference as pycognito: `setUserMfaPreference(false, true, 'SOFTWARE_TOKEN')`. */
  async setUserMfaPreference(smsMfa: boolean, softwareTokenMfa: boolean, preferred?: mfa.PreferredMfa): Promise<void> {
    return mfa.setUserMfaPreference(this.ctx, this.signedIn(), smsMfa, softwareTokenMfa, preferred);
  }

  async getUserAuthFactors(): Promise<mfa.UserAuthFactors> {
    return mfa.getUserAuthFactors(this.ctx, this.signedIn());
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
    const confirmed = await devices.confirmDevice(this.ctx, this.signedIn(), target, name);
    this.useDevice({
      deviceKey: confirmed.deviceKey,
      deviceGroupKey: confirmed.deviceGroupKey,
      devicePassword: confirmed.devicePassword,
    });
    if (target === this.newDevice) this.newDevice = undefined;
    return confirmed;
  }

  async updateDeviceStatus(remembered: boolean, deviceKey?: string): Promise<void> {
    return devices.updateDeviceStatus(this.ctx, this.signedIn(), this.deviceKeyOf(deviceKey), remembered);
  }

  /** ForgetDevice; forgetting this instance's own device also stops using it. */
  async forgetDevice(deviceKey?: string): Promise<void> {
    const key = this.deviceKeyOf(deviceKey);
    await devices.forgetDevice(this.ctx, this.signedIn(), key);
    if (this.deviceKey === key) this.useDevice(undefined);
  }

  async getDevice(deviceKey?: string): Promise<devices.CognitoDevice> {
    return devices.getDevice(this.ctx, this.signedIn(), this.deviceKeyOf(deviceKey));
  }

  /** The signed-in user's devices (ListDevices, all pages). */
  async listDevices(): Promise<devices.CognitoDevice[]> {
    return devices.listDevices(this.ctx, this.signedIn());
  }

  async adminGetDevice(deviceKey: string, username?: string): Promise<devices.CognitoDevice> {
    return devices.adminGetDevice(this.ctx, this.userOf(username), deviceKey);
  }

  async adminListDevices(username?: string): Promise<devices.CognitoDevice[]> {
    return devices.adminListDevices(this.ctx, this.userOf(username));
  }

  async adminForgetDevice(deviceKey: string, username?: string): Promise<void> {
    return devices.adminForgetDevice(this.ctx, this.userOf(username), deviceKey);
  }

  async adminUpdateDeviceStatus(deviceKey: string, remembered: boolean, username?: string): Promise<void> {
    return devices.adminUpdateDeviceStatus(this.ctx, this.userOf(username), deviceKey, remembered);
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
    return pool.describeUserPool(this.ctx);
  }

  /** DescribeUserPoolClient (default: this instance's client); `ClientSecret` is hidden from inspect and JSON. */
  async describeUserPoolClient(clientId = this.clientId): Promise<UserPoolClientType> {
    return pool.describeUserPoolClient(this.ctx, clientId);
  }

  /**
   * Changes only the named app-client settings: reads the others first, since UpdateUserPoolClient resets every
   * setting it is not given.
   */
  async updateUserPoolClient(changes: pool.UserPoolClientSettings, clientId = this.clientId): Promise<UserPoolClientType> {
    return pool.updateUserPoolClient(this.ctx, clientId, changes);
  }

  async listIdentityProviders(): Promise<ProviderDescription[]> {
    return pool.listIdentityProviders(this.ctx);
  }

  async describeIdentityProvider(providerName: string): Promise<IdentityProviderType> {
    return pool.describeIdentityProvider(this.ctx, providerName);
  }
}
