import {
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccountContext, clientMetadataMember, requireArgument, secretHashMember, send } from './context.js';
import { codeDeliveryOf, type CodeDelivery } from './registration.js';

/** ForgotPassword: Cognito sends the user a code to reset the password with. */
export async function initiateForgotPassword(
  ctx: AccountContext,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDelivery | undefined> {
  const output = await send(async () =>
    ctx.client.send(
      new ForgotPasswordCommand({
        ClientId: ctx.clientId,
        Username: username,
        ...(await secretHashMember(ctx, username)),
        ...clientMetadataMember(clientMetadata),
      }),
    ),
  );
  return codeDeliveryOf(output.CodeDeliveryDetails);
}

export async function confirmForgotPassword(
  ctx: AccountContext,
  username: string,
  code: string,
  newPassword: string,
): Promise<void> {
  requireArgument(code, 'confirmationCode');
  requireArgument(newPassword, 'password');
  await send(async () =>
    ctx.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: ctx.clientId,
        Username: username,
        ConfirmationCode: code,
        Password: newPassword,
        ...(await secretHashMember(ctx, username)),
      }),
    ),
  );
}

export async function changePassword(
  ctx: AccountContext,
  accessToken: string,
  previousPassword: string,
  proposedPassword: string,
): Promise<void> {
  requireArgument(previousPassword, 'previousPassword');
  requireArgument(proposedPassword, 'proposedPassword');
  await send(async () =>
    ctx.client.send(
      new ChangePasswordCommand({
        AccessToken: accessToken,
        PreviousPassword: previousPassword,
        ProposedPassword: proposedPassword,
      }),
    ),
  );
}

/** AdminResetUserPassword: the user must reset (PasswordResetRequired at the next sign-in). */
export async function adminResetPassword(
  ctx: AccountContext,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<void> {
  await send(async () =>
    ctx.client.send(
      new AdminResetUserPasswordCommand({
        UserPoolId: ctx.userPoolId,
        Username: username,
        ...clientMetadataMember(clientMetadata),
      }),
    ),
  );
}
