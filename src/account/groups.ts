import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError } from '../errors.js';
import { type AccountContext, allPages, requireArgument, send } from './context.js';

/** Cognito caps ListGroups and AdminListGroupsForUser pages at 60. */
const LIST_GROUPS_PAGE_SIZE = 60;

/** A user pool group (pycognito's `GroupObj`). */
export interface CognitoGroup {
  groupName: string;
  description: string | undefined;
  precedence: number | undefined;
  roleArn: string | undefined;
  createdAt: Date | undefined;
  modifiedAt: Date | undefined;
}

/** Builds a group from Cognito's `GroupType` (pycognito's `get_group_obj`). */
export function groupFromData(data: GroupType): CognitoGroup {
  if (typeof data !== 'object' || data === null || typeof data.GroupName !== 'string') {
    throw new CognitoConfigError('groupData', 'expected a Cognito group with a GroupName.');
  }
  return {
    groupName: data.GroupName,
    description: data.Description,
    precedence: data.Precedence,
    roleArn: data.RoleArn,
    createdAt: data.CreationDate,
    modifiedAt: data.LastModifiedDate,
  };
}

export async function getGroup(ctx: AccountContext, groupName: string): Promise<CognitoGroup> {
  requireArgument(groupName, 'groupName');
  const output = await send(() =>
    ctx.client.send(new GetGroupCommand({ UserPoolId: ctx.userPoolId, GroupName: groupName })),
  );
  return groupFromData(output.Group ?? { GroupName: groupName });
}

/** ListGroups, every page. */
export async function getGroups(ctx: AccountContext): Promise<CognitoGroup[]> {
  const groups = await allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new ListGroupsCommand({
            UserPoolId: ctx.userPoolId,
            Limit: LIST_GROUPS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      ),
    (page) => page.Groups,
    (page) => page.NextToken,
  );
  return groups.map(groupFromData);
}

export async function adminAddUserToGroup(ctx: AccountContext, username: string, groupName: string): Promise<void> {
  requireArgument(groupName, 'groupName');
  await send(() =>
    ctx.client.send(new AdminAddUserToGroupCommand({ UserPoolId: ctx.userPoolId, Username: username, GroupName: groupName })),
  );
}

export async function adminRemoveUserFromGroup(ctx: AccountContext, username: string, groupName: string): Promise<void> {
  requireArgument(groupName, 'groupName');
  await send(() =>
    ctx.client.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: ctx.userPoolId, Username: username, GroupName: groupName }),
    ),
  );
}

/** AdminListGroupsForUser, every page: the names of the user's groups. */
export async function adminListGroupsForUser(ctx: AccountContext, username: string): Promise<string[]> {
  const groups = await allPages(
    (token) =>
      send(() =>
        ctx.client.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: ctx.userPoolId,
            Username: username,
            Limit: LIST_GROUPS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      ),
    (page) => page.Groups,
    (page) => page.NextToken,
  );
  return groups.map((group) => group.GroupName ?? '').filter((name) => name !== '');
}
