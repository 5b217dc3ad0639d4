import type { EmulatorContext } from './context.js';
import { type CodeDeliveryWire, type ContactAttribute, deliverCode } from './delivery.js';
import { CognitoWireError, invalidParameter, notAuthorized } from './errors.js';
import type { UserRecord } from './state.js';

/** Cognito's standard attributes (besides the contact ones handled separately). */
const STANDARD = new Set([
  'address',
  'birthdate',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+\d{4,15}$/;

export function aliasExists(): CognitoWireError {
  return new CognitoWireError('AliasExistsException', 'An account with the given email already exists.');
}

function checkName(name: string): void {
  if (name.startsWith('custom:') && name.length > 'custom:'.length) return;
  if (STANDARD.has(name) || ['email', 'phone_number', 'email_verified', 'phone_number_verified'].includes(name)) return;
  if (name === 'sub') throw invalidParameter('Cannot modify an immutable attribute: sub');
  throw invalidParameter(`user.${name}: Attribute does not exist in the schema.`);
}

/**
 * Checks names and values of attributes a request writes. Only admin requests may set `*_verified`.
 * @throws InvalidParameterException (unknown name, bad email or phone) / NotAuthorizedException.
 */
export function checkWritable(entries: readonly [string, string][], admin: boolean): void {
  for (const [name, value] of entries) {
    checkName(name);
    if (!admin && name.endsWith('_verified')) {
      throw notAuthorized('A client attempted to write unauthorized attribute');
    }
    if (name === 'email' && !EMAIL.test(value)) throw invalidParameter('Invalid email address format.');
    if (name === 'phone_number' && !PHONE.test(value)) throw invalidParameter('Invalid phone number format.');
    if (name.endsWith('_verified') && value !== 'true' && value !== 'false') {
      throw invalidParameter(`${name} must be 'true' or 'false'.`);
    }
  }
}

/**
 * Writes checked attributes. A changed email or phone number becomes unverified (unless an admin marks it
 * verified in the same request); the changed contacts are returned so the caller can send them a code.
 * @throws AliasExistsException when the new email is another user's sign-in alias.
 */
export function writeAttributes(
  ctx: EmulatorContext,
  user: UserRecord,
  entries: readonly [string, string][],
): ContactAttribute[] {
  const changed: ContactAttribute[] = [];
  const values = new Map(entries);
  const email = values.get('email');
  if (email !== undefined && email !== user.email) {
    try {
      ctx.state.changeEmail(user, email);
    } catch {
      throw aliasExists();
    }
    user.emailVerified = false;
    changed.push('email');
  }
  const phone = values.get('phone_number');
  if (phone !== undefined && phone !== user.phoneNumber) {
    user.phoneNumber = phone;
    user.phoneNumberVerified = false;
    changed.push('phone_number');
  }
  for (const [name, value] of values) {
    if (name === 'email_verified') user.emailVerified = value === 'true';
    else if (name === 'phone_number_verified') user.phoneNumberVerified = value === 'true';
    else if (name !== 'email' && name !== 'phone_number') user.attributes[name] = value;
  }
  user.modifiedAt = ctx.options.clock();
  return changed.filter((contact) => (contact === 'email' ? !user.emailVerified : !user.phoneNumberVerified));
}

/** @throws InvalidParameterException for `sub` or a name outside the schema. */
export function deleteAttributes(ctx: EmulatorContext, user: UserRecord, names: readonly string[]): void {
  for (const name of names) checkName(name);
  for (const name of names) {
    if (name === 'email') {
      ctx.state.changeEmail(user, undefined);
      user.emailVerified = false;
    } else if (name === 'phone_number') {
      user.phoneNumber = undefined;
      user.phoneNumberVerified = false;
    } else if (name === 'email_verified') user.emailVerified = false;
    else if (name === 'phone_number_verified') user.phoneNumberVerified = false;
    else delete user.attributes[name];
  }
  user.modifiedAt = ctx.options.clock();
}

/** Issues and "sends" a verification code for each contact attribute. */
export function sendVerificationCodes(
  ctx: EmulatorContext,
  user: UserRecord,
  contacts: readonly ContactAttribute[],
): CodeDeliveryWire[] {
  return contacts.map((contact) => {
    const code = ctx.state.verificationCodes.issue(user.username, contact, ctx.options.codeValiditySeconds);
    return deliverCode(ctx, user, code, contact)!;
  });
}
