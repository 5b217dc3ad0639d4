import {
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListIdentityProvidersCommand,
  UpdateUserPoolClientCommand,
  type IdentityProviderType,
  type ProviderDescription,
  type UpdateUserPoolClientCommandInput,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAuthError } from '../errors.js';
import { defineHidden } from '../secret.js';
import { type AccountContext, allPages, requireArgument, send } from './context.js';

/** Cognito caps ListIdentityProviders pages at 60. */
const LIST_PROVIDERS_PAGE_SIZE = 60;

/** The app-client settings UpdateUserPoolClient accepts (everything but the pool and client ids). */
export type UserPoolClientSettings = Omit<UpdateUserPoolClientCommandInput, 'UserPoolId' | 'ClientId'>;

/** Fields DescribeUserPoolClient returns that UpdateUserPoolClient does not take. */
const READ_ONLY_CLIENT_FIELDS = ['ClientSecret', 'CreationDate', 'LastModifiedDate', 'UserPoolId', 'ClientId'] as const;

/** The app client as Cognito describes it; `ClientSecret` is readable but hidden from inspect and JSON. */
function hideClientSecret(client: UserPoolClientType): UserPoolClientType {
  const { ClientSecret, ...visible } = client;
  const out: UserPoolClientType = { ...visible };
  if (ClientSecret !== undefined) defineHidden(out, 'ClientSecret', ClientSecret);
  return out;
}

export async function describeUserPool(ctx: AccountContext): Promise<UserPoolType> {
  const output = await send(() => ctx.client.send(new DescribeUserPoolCommand({ UserPoolId: ctx.userPoolId })));
  if (output.UserPool === undefined) throw new CognitoAuthError('SERVICE_ERROR', 'Cognito described no user pool.');
  return output.UserPool;
}

export async function describeUserPoolClient(ctx: AccountContext, clientId: string): Promise<UserPoolClientType> {
  const output = await send(() =>
    ctx.client.send(new DescribeUserPoolClientCommand({ UserPoolId: ctx.userPoolId, ClientId: clientId })),
  );
  if (output.UserPoolClient === undefined) throw new CognitoAuthError('SERVICE_ERROR', 'Cognito described no app client.');
  return hideClientSecret(output.UserPoolClient);
}

/**
 * UpdateUserPoolClient resets every setting it is not given to its default. This reads the current settings
 * first and sends them back with `changes` applied, so only what you name changes.
 */
export async function updateUserPoolClient(
  ctx: AccountContext,
  clientId: string,
  changes: UserPoolClientSettings,
): Promise<UserPoolClientType> {
  const current: Record<string, unknown> = { ...(await describeUserPoolClient(ctx, clientId)) };
  for (const field of READ_ONLY_CLIENT_FIELDS) delete current[field];
  const output = await send(() =>
    ctx.client.send(
      new UpdateUserPoolClientCommand({
        ...(current as UserPoolClientSettings),
        ...changes,
        UserPoolId: ctx.userPoolId,
        ClientId: clientId,
      }),
    ),
  );
  if (output.UserPoolClient === undefined) throw new CognitoAuthError('SERVICE_ERROR', 'Cognito returned no app client.');
  return hideClientSecret(output.UserPoolClient);
}

/** ListIdentityProviders, every page. */
export async function listIdentityProviders(ctx: AccountContext): Promise<ProviderDescription[]> {
  return allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new ListIdentityProvidersCommand({
            UserPoolId: ctx.userPoolId,
            MaxResults: LIST_PROVIDERS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      ),
    (page) => page.Providers,
    (page) => page.NextToken,
  );
}

export async function describeIdentityProvider(ctx: AccountContext, providerName: string): Promise<IdentityProviderType> {
  requireArgument(providerName, 'providerName');
  const output = await send(() =>
    ctx.client.send(new DescribeIdentityProviderCommand({ UserPoolId: ctx.userPoolId, ProviderName: providerName })),
  );
  if (output.IdentityProvider === undefined) {
    throw new CognitoAuthError('SERVICE_ERROR', 'Cognito described no identity provider.');
  }
  return output.IdentityProvider;
}
