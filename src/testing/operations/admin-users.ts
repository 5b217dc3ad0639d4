import { randomInt } from 'node:crypto';

import { adminUser, userNotFound } from '../admin-access.js';
import type { EmulatorContext } from '../context.js';
import { CognitoWireError, invalidParameter } from '../errors.js';
import { randomAlphanumeric } from '../options.js';
import { attributeList, checkPoolId, oneOfParameter, optionalString, requireString, stringList } from '../params.js';
import { ADMIN_PREFIX, checkPasswordPolicy } from '../password-policy.js';
import type { UserRecord } from '../state.js';
import { checkWritable, deleteAttributes, sendVerificationCodes, writeAttributes } from '../user-attributes.js';
import { attributesOf, epochSeconds, type UserTypeWire, userStatus, userTypeWire } from '../user-wire.js';
import { usernameExists } from './sign-up.js';

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const SYMBOLS = '!#%&*+-=?^_~';

/** A temporary password that satisfies any policy the emulator accepts (upper, lower, digit, symbol). */
function temporaryPassword(ctx: EmulatorContext): string {
  const filler = randomAlphanumeric(Math.max(ctx.options.passwordPolicy.minimumLength, 12) - 4);
  return `${filler}Aa${randomInt(0, 10)}${SYMBOLS[randomInt(0, SYMBOLS.length)]}`;
}

/** Sends the invitation (the temporary password): to the email, else the phone; SUPPRESS only records it. */
function sendInvitation(
  ctx: EmulatorContext,
  user: UserRecord,
  password: string,
  input: Record<string, unknown>,
): void {
  const suppress = optionalString(input, 'MessageAction') === 'SUPPRESS';
  const mediums = stringList(input, 'DesiredDeliveryMediums', false);
  const wants = (medium: string): boolean => mediums.length === 0 || mediums.includes(medium);
  let channel: 'EMAIL' | 'SMS' | undefined;
  if (!suppress && user.email !== undefined && wants('EMAIL')) channel = 'EMAIL';
  else if (!suppress && user.phoneNumber !== undefined && wants('SMS')) channel = 'SMS';
  ctx.state.recordCode(user.username, channel, password);
}

function resendInvitation(input: Record<string, unknown>, ctx: EmulatorContext): { User: UserTypeWire } {
  const user = ctx.state.findUser(requireString(input, 'Username'));
  if (user === undefined) throw userNotFound();
  if (userStatus(user) !== 'FORCE_CHANGE_PASSWORD') {
    throw new CognitoWireError('UnsupportedUserStateException', 'User is not in FORCE_CHANGE_PASSWORD state.');
  }
  const password = optionalString(input, 'TemporaryPassword') ?? temporaryPassword(ctx);
  checkPasswordPolicy(ctx, password, ADMIN_PREFIX);
  ctx.state.setPassword(user, password);
  sendInvitation(ctx, user, password, input);
  return { User: userTypeWire(user) };
}

/**
 * AdminCreateUser: a FORCE_CHANGE_PASSWORD user with `TemporaryPassword` (or a generated one, readable with
 * `emu.lastCode(username)`); `MessageAction: 'RESEND'` re-sends the invitation, `'SUPPRESS'` sends nothing.
 */
export async function adminCreateUser(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ User: UserTypeWire }> {
  checkPoolId(input, ctx);
  const action = optionalString(input, 'MessageAction');
  if (action !== undefined) oneOfParameter(action, 'messageAction', ['RESEND', 'SUPPRESS']);
  if (action === 'RESEND') return resendInvitation(input, ctx);
  const username = requireString(input, 'Username');
  const entries = attributeList(input, 'UserAttributes', false);
  checkWritable(entries, true);
  if (ctx.options.emailAsUsername && !EMAIL.test(username)) throw invalidParameter('Username should be an email.');
  if (ctx.state.isNameTaken(username)) throw usernameExists(ctx);
  const password = optionalString(input, 'TemporaryPassword') ?? temporaryPassword(ctx);
  checkPasswordPolicy(ctx, password, ADMIN_PREFIX);
  const values = Object.fromEntries(entries);
  const {
    email,
    phone_number: phoneNumber,
    email_verified: emailVerified,
    phone_number_verified: phoneVerified,
    ...attributes
  } = values;
  const user = ctx.state.addUser({
    username,
    password,
    ...(email === undefined ? {} : { email }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
    attributes,
    forceChangePassword: true,
    emailVerified: emailVerified === 'true',
    phoneNumberVerified: phoneVerified === 'true',
  });
  sendInvitation(ctx, user, password, input);
  return { User: userTypeWire(user) };
}

/** AdminGetUser: attributes, status, dates and MFA settings. */
export async function adminGetUser(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  const user = adminUser(input, ctx);
  return {
    Username: user.username,
    UserAttributes: attributesOf(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: userStatus(user),
    UserMFASettingList: [...user.mfa],
    ...(user.preferredMfa === undefined ? {} : { PreferredMfaSetting: user.preferredMfa }),
  };
}

/** AdminUpdateUserAttributes: may also set `email_verified` / `phone_number_verified`. */
export async function adminUpdateUserAttributes(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  const entries = attributeList(input, 'UserAttributes', true);
  checkWritable(entries, true);
  sendVerificationCodes(ctx, user, writeAttributes(ctx, user, entries));
  return {};
}

export async function adminDeleteUserAttributes(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  deleteAttributes(ctx, user, stringList(input, 'UserAttributeNames', true));
  return {};
}

export async function adminDeleteUser(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  ctx.state.deleteUser(adminUser(input, ctx));
  return {};
}

export async function adminEnableUser(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  user.enabled = true;
  user.modifiedAt = ctx.options.clock();
  return {};
}

/** AdminDisableUser: sign-in answers `User is disabled.` and the user's tokens are revoked. */
export async function adminDisableUser(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  user.enabled = false;
  user.modifiedAt = ctx.options.clock();
  ctx.state.revokeUser(user.username);
  return {};
}

export async function adminUserGlobalSignOut(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  ctx.state.revokeUser(adminUser(input, ctx).username);
  return {};
}
