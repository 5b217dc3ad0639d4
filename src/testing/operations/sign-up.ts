import { adminUser } from '../admin-access.js';
import type { EmulatorContext } from '../context.js';
import { type CodeDeliveryWire, deliverCode, signUpContact } from '../delivery.js';
import { CognitoWireError, invalidParameter, notAuthorized } from '../errors.js';
import { attributeList, checkClientId, checkSecretHash, optionalString, requireString } from '../params.js';
import { checkPasswordPolicy } from '../password-policy.js';
import type { UserRecord } from '../state.js';
import { checkWritable } from '../user-attributes.js';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function usernameExists(ctx: EmulatorContext): CognitoWireError {
  return new CognitoWireError(
    'UsernameExistsException',
    ctx.options.emailAsUsername ? 'An account with the given email already exists.' : 'User already exists',
  );
}

/**
 * The user a self-service request (SignUp family, ForgotPassword...) names, after its SECRET_HASH (over the typed
 * name) is checked.
 * @throws UserNotFoundException `Username/client id combination not found.`
 */
export function clientUser(input: Record<string, unknown>, ctx: EmulatorContext): UserRecord {
  checkClientId(input, ctx);
  const typed = requireString(input, 'Username');
  checkSecretHash(ctx, optionalString(input, 'SecretHash'), typed);
  const user = ctx.state.findUser(typed);
  if (user === undefined) {
    throw new CognitoWireError('UserNotFoundException', 'Username/client id combination not found.');
  }
  return user;
}

function sendSignUpCode(ctx: EmulatorContext, user: UserRecord): CodeDeliveryWire | undefined {
  const code = ctx.state.verificationCodes.issue(user.username, 'SIGN_UP', ctx.options.codeValiditySeconds);
  return deliverCode(ctx, user, code, signUpContact(user));
}

function cannotConfirm(): CognitoWireError {
  return notAuthorized('User cannot be confirmed. Current status is CONFIRMED');
}

/** SignUp: an UNCONFIRMED user and a confirmation code sent to its email (else phone); `ValidationData` is ignored. */
export async function signUp(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ UserConfirmed: false; UserSub: string; CodeDeliveryDetails?: CodeDeliveryWire }> {
  checkClientId(input, ctx);
  const username = requireString(input, 'Username');
  const password = requireString(input, 'Password');
  checkSecretHash(ctx, optionalString(input, 'SecretHash'), username);
  const entries = attributeList(input, 'UserAttributes', false);
  attributeList(input, 'ValidationData', false);
  checkWritable(entries, false);
  if (ctx.options.emailAsUsername && !EMAIL.test(username)) throw invalidParameter('Username should be an email.');
  if (ctx.state.isNameTaken(username)) throw usernameExists(ctx);
  checkPasswordPolicy(ctx, password);
  const { email, phone_number: phoneNumber, ...attributes } = Object.fromEntries(entries);
  const user = ctx.state.addUser({
    username,
    password,
    ...(email === undefined ? {} : { email }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
    attributes,
    confirmed: false,
    emailVerified: false,
    phoneNumberVerified: false,
  });
  const delivery = sendSignUpCode(ctx, user);
  return {
    UserConfirmed: false,
    UserSub: user.sub,
    ...(delivery === undefined ? {} : { CodeDeliveryDetails: delivery }),
  };
}

/** ConfirmSignUp: the code from SignUp / ResendConfirmationCode confirms the user and verifies where it was sent. */
export async function confirmSignUp(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = clientUser(input, ctx);
  const code = requireString(input, 'ConfirmationCode');
  if (user.confirmed) throw cannotConfirm();
  ctx.state.verificationCodes.consume(user.username, 'SIGN_UP', code);
  user.confirmed = true;
  const contact = signUpContact(user);
  if (contact === 'email') user.emailVerified = true;
  if (contact === 'phone_number') user.phoneNumberVerified = true;
  user.modifiedAt = ctx.options.clock();
  return {};
}

/** ResendConfirmationCode: a new code replaces the previous one (5 per user and hour, then LimitExceeded). */
export async function resendConfirmationCode(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ CodeDeliveryDetails?: CodeDeliveryWire }> {
  const user = clientUser(input, ctx);
  if (user.confirmed) throw invalidParameter('User is already confirmed.');
  ctx.state.deliveryAttempts.hit(`ResendConfirmationCode:${user.username}`);
  const delivery = sendSignUpCode(ctx, user);
  return delivery === undefined ? {} : { CodeDeliveryDetails: delivery };
}

/** AdminConfirmSignUp: confirms without a code (contact attributes stay unverified, as in Cognito). */
export async function adminConfirmSignUp(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  if (user.confirmed) throw cannotConfirm();
  user.confirmed = true;
  ctx.state.verificationCodes.clear(user.username);
  user.modifiedAt = ctx.options.clock();
  return {};
}
