import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  ListUsersCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError } from '../errors.js';
import { type AccountContext, allPages, clientMetadataMember, requireArgument, send } from './context.js';
import { codeDeliveryOf, type CodeDelivery } from './registration.js';
import { CognitoUser, toCognitoAttributes, type AttrMap, type AttributeValue, type UserActions } from './users.js';

/** Cognito caps ListUsers pages at 60. */
const LIST_USERS_PAGE_SIZE = 60;

export interface UserQuery {
  attrMap?: AttrMap;
  /** ListUsers filter, e.g. `email ^= "ali"` or `status = "Enabled"`. */
  filter?: string;
}

export async function getUser(
  ctx: AccountContext,
  accessToken: string,
  attrMap: AttrMap | undefined,
  actions: UserActions,
): Promise<CognitoUser> {
  const output = await send(() => ctx.client.send(new GetUserCommand({ AccessToken: accessToken })));
  return new CognitoUser({
    username: output.Username ?? '',
    attributes: output.UserAttributes,
    metadata: {
      ...(output.PreferredMfaSetting === undefined ? {} : { preferredMfa: output.PreferredMfaSetting }),
      ...(output.UserMFASettingList === undefined ? {} : { mfaSettings: [...output.UserMFASettingList] }),
    },
    ...(attrMap === undefined ? {} : { attrMap }),
    actions,
  });
}

export async function adminGetUser(
  ctx: AccountContext,
  username: string,
  attrMap: AttrMap | undefined,
  actions: UserActions,
): Promise<CognitoUser> {
  const output = await send(() =>
    ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.userPoolId, Username: username })),
  );
  return new CognitoUser({
    username: output.Username ?? username,
    attributes: output.UserAttributes,
    metadata: {
      ...(output.UserStatus === undefined ? {} : { status: output.UserStatus }),
      ...(output.Enabled === undefined ? {} : { enabled: output.Enabled }),
      ...(output.UserCreateDate === undefined ? {} : { createdAt: output.UserCreateDate }),
      ...(output.UserLastModifiedDate === undefined ? {} : { modifiedAt: output.UserLastModifiedDate }),
      ...(output.PreferredMfaSetting === undefined ? {} : { preferredMfa: output.PreferredMfaSetting }),
      ...(output.UserMFASettingList === undefined ? {} : { mfaSettings: [...output.UserMFASettingList] }),
    },
    ...(attrMap === undefined ? {} : { attrMap }),
    actions,
  });
}

function userFromListing(user: UserType, attrMap: AttrMap | undefined, actions: UserActions): CognitoUser {
  return new CognitoUser({
    username: user.Username ?? '',
    attributes: user.Attributes,
    metadata: {
      ...(user.UserStatus === undefined ? {} : { status: user.UserStatus }),
      ...(user.Enabled === undefined ? {} : { enabled: user.Enabled }),
      ...(user.UserCreateDate === undefined ? {} : { createdAt: user.UserCreateDate }),
      ...(user.UserLastModifiedDate === undefined ? {} : { modifiedAt: user.UserLastModifiedDate }),
    },
    ...(attrMap === undefined ? {} : { attrMap }),
    actions,
  });
}

/** ListUsers, every page. */
export async function getUsers(ctx: AccountContext, query: UserQuery, actions: UserActions): Promise<CognitoUser[]> {
  if (query.filter !== undefined) requireArgument(query.filter, 'filter');
  const users = await allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new ListUsersCommand({
            UserPoolId: ctx.userPoolId,
            Limit: LIST_USERS_PAGE_SIZE,
            ...(query.filter === undefined ? {} : { Filter: query.filter }),
            ...(token === undefined ? {} : { PaginationToken: token }),
          }),
        ),
      ),
    (page) => page.Users,
    (page) => page.PaginationToken,
  );
  return users.map((user) => userFromListing(user, query.attrMap, actions));
}

export interface AdminCreateUserOptions {
  /** Default: Cognito generates one and sends it with the invitation. */
  temporaryPassword?: string;
  attributes?: Record<string, AttributeValue>;
  attrMap?: AttrMap;
  /** `SUPPRESS` sends no invitation; `RESEND` re-sends it to an existing user. */
  messageAction?: 'RESEND' | 'SUPPRESS';
  desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
  forceAliasCreation?: boolean;
  clientMetadata?: Record<string, string>;
}

export async function adminCreateUser(
  ctx: AccountContext,
  username: string,
  options: AdminCreateUserOptions,
  actions: UserActions,
): Promise<CognitoUser> {
  if (options.messageAction !== undefined && options.messageAction !== 'RESEND' && options.messageAction !== 'SUPPRESS') {
    throw new CognitoConfigError('messageAction', "expected 'RESEND' or 'SUPPRESS'.");
  }
  if (options.temporaryPassword !== undefined) requireArgument(options.temporaryPassword, 'temporaryPassword');
  const output = await send(() =>
    ctx.client.send(
      new AdminCreateUserCommand({
        UserPoolId: ctx.userPoolId,
        Username: username,
        UserAttributes: toCognitoAttributes(options.attributes ?? {}, options.attrMap),
        ...(options.temporaryPassword === undefined ? {} : { TemporaryPassword: options.temporaryPassword }),
        ...(options.messageAction === undefined ? {} : { MessageAction: options.messageAction }),
        ...(options.desiredDeliveryMediums === undefined ? {} : { DesiredDeliveryMediums: options.desiredDeliveryMediums }),
        ...(options.forceAliasCreation === undefined ? {} : { ForceAliasCreation: options.forceAliasCreation }),
        ...clientMetadataMember(options.clientMetadata),
      }),
    ),
  );
  return userFromListing(output.User ?? { Username: username }, options.attrMap, actions);
}

export async function updateProfile(
  ctx: AccountContext,
  accessToken: string,
  attributes: Record<string, AttributeValue>,
  attrMap: AttrMap | undefined,
  clientMetadata?: Record<string, string>,
): Promise<CodeDelivery[]> {
  const output = await send(() =>
    ctx.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: toCognitoAttributes(attributes, attrMap),
        ...clientMetadataMember(clientMetadata),
      }),
    ),
  );
  return (output.CodeDeliveryDetailsList ?? []).map((details) => codeDeliveryOf(details)!);
}

export async function adminUpdateProfile(
  ctx: AccountContext,
  username: string,
  attributes: Record<string, AttributeValue>,
  attrMap: AttrMap | undefined,
): Promise<void> {
  await send(() =>
    ctx.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: ctx.userPoolId,
        Username: username,
        UserAttributes: toCognitoAttributes(attributes, attrMap),
      }),
    ),
  );
}

/** GetUserAttributeVerificationCode: Cognito sends a code to verify `email` or `phone_number`. */
export async function sendVerification(
  ctx: AccountContext,
  accessToken: string,
  attribute: string,
): Promise<CodeDelivery | undefined> {
  requireArgument(attribute, 'attribute');
  const output = await send(() =>
    ctx.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attribute })),
  );
  return codeDeliveryOf(output.CodeDeliveryDetails);
}

export async function validateVerification(
  ctx: AccountContext,
  accessToken: string,
  code: string,
  attribute: string,
): Promise<void> {
  requireArgument(code, 'confirmationCode');
  requireArgument(attribute, 'attribute');
  await send(() =>
    ctx.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attribute, Code: code })),
  );
}

export async function deleteUser(ctx: AccountContext, accessToken: string): Promise<void> {
  await send(() => ctx.client.send(new DeleteUserCommand({ AccessToken: accessToken })));
}

export async function adminDeleteUser(ctx: AccountContext, username: string): Promise<void> {
  await send(() => ctx.client.send(new AdminDeleteUserCommand({ UserPoolId: ctx.userPoolId, Username: username })));
}

export async function adminSetUserEnabled(ctx: AccountContext, username: string, enabled: boolean): Promise<void> {
  await send(() =>
    ctx.client.send(
      enabled
        ? new AdminEnableUserCommand({ UserPoolId: ctx.userPoolId, Username: username })
        : new AdminDisableUserCommand({ UserPoolId: ctx.userPoolId, Username: username }),
    ),
  );
}
