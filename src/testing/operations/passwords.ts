import { adminUser } from '../admin-access.js';
import { authorizeAccessToken } from '../access.js';
import type { EmulatorContext } from '../context.js';
import { type CodeDeliveryWire, deliverCode, recoveryContact } from '../delivery.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import { constantTimeEquals, optionalBoolean, requireString } from '../params.js';
import { ADMIN_PREFIX, checkPasswordPolicy } from '../password-policy.js';
import type { UserRecord } from '../state.js';
import { clientUser } from './sign-up.js';

function sendResetCode(ctx: EmulatorContext, user: UserRecord): CodeDeliveryWire | undefined {
  const validity = ctx.options.resetCodeValiditySeconds;
  const code = ctx.state.verificationCodes.issue(user.username, 'FORGOT_PASSWORD', validity);
  return deliverCode(ctx, user, code, recoveryContact(user));
}

/** ForgotPassword: a reset code to the verified email (else phone); 5 per user and hour, then LimitExceeded. */
export async function forgotPassword(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ CodeDeliveryDetails: CodeDeliveryWire }> {
  const user = clientUser(input, ctx);
  ctx.state.deliveryAttempts.hit(`ForgotPassword:${user.username}`);
  if (recoveryContact(user) === undefined) {
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  return { CodeDeliveryDetails: sendResetCode(ctx, user)! };
}

/** ConfirmForgotPassword: code + new password; also ends RESET_REQUIRED and FORCE_CHANGE_PASSWORD. */
export async function confirmForgotPassword(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = clientUser(input, ctx);
  const code = requireString(input, 'ConfirmationCode');
  const password = requireString(input, 'Password');
  checkPasswordPolicy(ctx, password);
  ctx.state.verificationCodes.consume(user.username, 'FORGOT_PASSWORD', code);
  ctx.state.setPassword(user, password);
  user.resetRequired = false;
  user.forceChangePassword = false;
  user.modifiedAt = ctx.options.clock();
  return {};
}

/** ChangePassword: the signed-in user's previous password must match; existing tokens stay valid. */
export async function changePassword(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const { user } = await authorizeAccessToken(input, ctx);
  const previous = requireString(input, 'PreviousPassword');
  const proposed = requireString(input, 'ProposedPassword');
  if (!constantTimeEquals(previous, user.password.reveal())) throw notAuthorized();
  checkPasswordPolicy(ctx, proposed);
  ctx.state.setPassword(user, proposed);
  user.modifiedAt = ctx.options.clock();
  return {};
}

/** AdminResetUserPassword: RESET_REQUIRED (sign-in → PasswordResetRequiredException) and a reset code. */
export async function adminResetUserPassword(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  user.resetRequired = true;
  user.modifiedAt = ctx.options.clock();
  sendResetCode(ctx, user);
  return {};
}

/** AdminSetUserPassword: `Permanent: true` → CONFIRMED; otherwise FORCE_CHANGE_PASSWORD at the next sign-in. */
export async function adminSetUserPassword(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  const password = requireString(input, 'Password');
  checkPasswordPolicy(ctx, password, ADMIN_PREFIX);
  ctx.state.setPassword(user, password);
  user.forceChangePassword = optionalBoolean(input, 'Permanent') !== true;
  user.resetRequired = false;
  user.confirmed = true;
  user.modifiedAt = ctx.options.clock();
  return {};
}
