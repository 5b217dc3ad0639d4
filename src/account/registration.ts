import {
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CodeDeliveryDetailsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccountContext, clientMetadataMember, requireArgument, secretHashMember, send } from './context.js';
import { toCognitoAttributes, type AttrMap, type AttributeValue } from './users.js';

/** Where Cognito sent a code, masked: e.g. `{ deliveryMedium: 'EMAIL', destination: 'a***@e***', attributeName: 'email' }`. */
export interface CodeDelivery {
  deliveryMedium: string | undefined;
  destination: string | undefined;
  attributeName: string | undefined;
}

export interface SignUpResult {
  /** `true` when a pre-sign-up trigger or auto-verification confirmed the user already. */
  userConfirmed: boolean;
  userSub: string | undefined;
  codeDelivery: CodeDelivery | undefined;
}

export function codeDeliveryOf(details: CodeDeliveryDetailsType | undefined): CodeDelivery | undefined {
  if (details === undefined) return undefined;
  return {
    deliveryMedium: details.DeliveryMedium,
    destination: details.Destination,
    attributeName: details.AttributeName,
  };
}

export interface RegisterRequest {
  username: string;
  password: string;
  attributes: Readonly<Record<string, AttributeValue>>;
  attrMap: AttrMap | undefined;
  clientMetadata: Record<string, string> | undefined;
}

/** SignUp with the base and custom attributes. */
export async function register(ctx: AccountContext, request: RegisterRequest): Promise<SignUpResult> {
  const username = requireArgument(request.username, 'username');
  const password = requireArgument(request.password, 'password');
  const output = await send(async () =>
    ctx.client.send(
      new SignUpCommand({
        ClientId: ctx.clientId,
        Username: username,
        Password: password,
        UserAttributes: toCognitoAttributes(request.attributes, request.attrMap),
        ...(await secretHashMember(ctx, username)),
        ...clientMetadataMember(request.clientMetadata),
      }),
    ),
  );
  return {
    userConfirmed: output.UserConfirmed === true,
    userSub: output.UserSub,
    codeDelivery: codeDeliveryOf(output.CodeDeliveryDetails),
  };
}

export async function confirmSignUp(
  ctx: AccountContext,
  username: string,
  code: string,
  clientMetadata?: Record<string, string>,
): Promise<void> {
  requireArgument(code, 'confirmationCode');
  await send(async () =>
    ctx.client.send(
      new ConfirmSignUpCommand({
        ClientId: ctx.clientId,
        Username: username,
        ConfirmationCode: code,
        ...(await secretHashMember(ctx, username)),
        ...clientMetadataMember(clientMetadata),
      }),
    ),
  );
}

export async function resendConfirmationCode(ctx: AccountContext, username: string): Promise<CodeDelivery | undefined> {
  const output = await send(async () =>
    ctx.client.send(
      new ResendConfirmationCodeCommand({ ClientId: ctx.clientId, Username: username, ...(await secretHashMember(ctx, username)) }),
    ),
  );
  return codeDeliveryOf(output.CodeDeliveryDetails);
}

export async function adminConfirmSignUp(ctx: AccountContext, username: string): Promise<void> {
  await send(async () => ctx.client.send(new AdminConfirmSignUpCommand({ UserPoolId: ctx.userPoolId, Username: username })));
}
