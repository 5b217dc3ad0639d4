import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import type { CodeDeliveryWire, ContactAttribute } from '../delivery.js';
import { invalidParameter } from '../errors.js';
import { attributeList, requireString, stringList } from '../params.js';
import type { UserRecord } from '../state.js';
import { checkWritable, deleteAttributes, sendVerificationCodes, writeAttributes } from '../user-attributes.js';

function contactAttribute(input: Record<string, unknown>, user: UserRecord): ContactAttribute {
  const name = requireString(input, 'AttributeName');
  if (name !== 'email' && name !== 'phone_number') {
    throw invalidParameter(`Attribute ${name} cannot be verified: only email and phone_number can.`);
  }
  if ((name === 'email' ? user.email : user.phoneNumber) === undefined) {
    throw invalidParameter(`User does not have an ${name} attribute.`);
  }
  return name;
}

/** UpdateUserAttributes: a changed email / phone number becomes unverified and gets a verification code. */
export async function updateUserAttributes(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ CodeDeliveryDetailsList: CodeDeliveryWire[] }> {
  const { user } = await authorizeAccessToken(input, ctx);
  const entries = attributeList(input, 'UserAttributes', true);
  checkWritable(entries, false);
  const changed = writeAttributes(ctx, user, entries);
  return { CodeDeliveryDetailsList: sendVerificationCodes(ctx, user, changed) };
}

export async function deleteUserAttributes(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  deleteAttributes(ctx, user, stringList(input, 'UserAttributeNames', true));
  return {};
}

/** GetUserAttributeVerificationCode: a new code for `email` or `phone_number`. */
export async function getUserAttributeVerificationCode(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ CodeDeliveryDetails: CodeDeliveryWire }> {
  const { user } = await authorizeAccessToken(input, ctx);
  const [delivery] = sendVerificationCodes(ctx, user, [contactAttribute(input, user)]);
  return { CodeDeliveryDetails: delivery! };
}

/** VerifyUserAttribute: the code marks the attribute verified (CodeMismatch / ExpiredCode otherwise). */
export async function verifyUserAttribute(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  const attribute = contactAttribute(input, user);
  ctx.state.verificationCodes.consume(user.username, attribute, requireString(input, 'Code'));
  if (attribute === 'email') user.emailVerified = true;
  else user.phoneNumberVerified = true;
  user.modifiedAt = ctx.options.clock();
  return {};
}

/** DeleteUser: the token's user is gone; its tokens are revoked. */
export async function deleteUser(input: Record<string, unknown>, ctx: EmulatorContext): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  ctx.state.deleteUser(user);
  return {};
}
