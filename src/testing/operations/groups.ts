import { adminUser } from '../admin-access.js';
import type { EmulatorContext } from '../context.js';
import { CognitoWireError, resourceNotFound } from '../errors.js';
import { pageOf } from '../pagination.js';
import { checkPoolId, optionalInteger, optionalString, requireString } from '../params.js';
import type { GroupDetails, GroupRecord } from '../pool-records.js';
import { type UserTypeWire, epochSeconds, userTypeWire } from '../user-wire.js';
import { pageLimit } from './list-users.js';

interface GroupTypeWire {
  GroupName: string;
  UserPoolId: string;
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
  CreationDate: number;
  LastModifiedDate: number;
}

const MAX_PRECEDENCE = 2 ** 31 - 1;

function groupWire(ctx: EmulatorContext, group: GroupRecord): GroupTypeWire {
  return {
    GroupName: group.name,
    UserPoolId: ctx.userPoolId,
    ...(group.description === undefined ? {} : { Description: group.description }),
    ...(group.roleArn === undefined ? {} : { RoleArn: group.roleArn }),
    ...(group.precedence === undefined ? {} : { Precedence: group.precedence }),
    CreationDate: epochSeconds(group.createdAt),
    LastModifiedDate: epochSeconds(group.modifiedAt),
  };
}

/** @throws ResourceNotFoundException `Group not found.` */
function existingGroup(input: Record<string, unknown>, ctx: EmulatorContext): GroupRecord {
  const group = ctx.state.groups.get(requireString(input, 'GroupName'));
  if (group === undefined) throw resourceNotFound('Group not found.');
  return group;
}

function groupDetails(input: Record<string, unknown>): GroupDetails {
  const description = optionalString(input, 'Description');
  const roleArn = optionalString(input, 'RoleArn');
  const precedence = optionalInteger(input, 'Precedence', 0, MAX_PRECEDENCE);
  return {
    ...(description === undefined ? {} : { description }),
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(precedence === undefined ? {} : { precedence }),
  };
}

export async function createGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Group: GroupTypeWire }> {
  checkPoolId(input, ctx);
  const name = requireString(input, 'GroupName');
  if (ctx.state.groups.has(name)) {
    throw new CognitoWireError('GroupExistsException', 'A group with the name already exists.');
  }
  const group = ctx.state.newGroup(name, groupDetails(input));
  ctx.state.groups.set(name, group);
  return { Group: groupWire(ctx, group) };
}

export async function getGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Group: GroupTypeWire }> {
  checkPoolId(input, ctx);
  return { Group: groupWire(ctx, existingGroup(input, ctx)) };
}

/** UpdateGroup: given fields replace the stored ones. */
export async function updateGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Group: GroupTypeWire }> {
  checkPoolId(input, ctx);
  const group = existingGroup(input, ctx);
  Object.assign(group, groupDetails(input), { modifiedAt: ctx.options.clock() });
  return { Group: groupWire(ctx, group) };
}

/** DeleteGroup: also removes the group from its members (and so from their next tokens). */
export async function deleteGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  checkPoolId(input, ctx);
  const group = existingGroup(input, ctx);
  ctx.state.groups.delete(group.name);
  for (const user of ctx.state.users.values()) user.groups = user.groups.filter((name) => name !== group.name);
  return {};
}

/** ListGroups: pages by `Limit` (1–60) and `NextToken`. */
export async function listGroups(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Groups: GroupTypeWire[]; NextToken?: string }> {
  checkPoolId(input, ctx);
  const groups = [...ctx.state.groups.values()];
  const { page, next } = pageOf(groups, pageLimit(input, 'Limit', 1), optionalString(input, 'NextToken'));
  return { Groups: page.map((group) => groupWire(ctx, group)), ...(next === undefined ? {} : { NextToken: next }) };
}

/** AdminAddUserToGroup: the group shows in the user's next tokens (`cognito:groups`). */
export async function adminAddUserToGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  const group = existingGroup(input, ctx);
  if (!user.groups.includes(group.name)) user.groups.push(group.name);
  return {};
}

export async function adminRemoveUserFromGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const user = adminUser(input, ctx);
  const group = existingGroup(input, ctx);
  user.groups = user.groups.filter((name) => name !== group.name);
  return {};
}

export async function adminListGroupsForUser(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Groups: GroupTypeWire[]; NextToken?: string }> {
  const user = adminUser(input, ctx);
  const groups = user.groups.map((name) => ctx.state.groups.get(name) ?? ctx.state.newGroup(name));
  const { page, next } = pageOf(groups, pageLimit(input, 'Limit', 1), optionalString(input, 'NextToken'));
  return { Groups: page.map((group) => groupWire(ctx, group)), ...(next === undefined ? {} : { NextToken: next }) };
}

export async function listUsersInGroup(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Users: UserTypeWire[]; NextToken?: string }> {
  checkPoolId(input, ctx);
  const group = existingGroup(input, ctx);
  const members = [...ctx.state.users.values()].filter((user) => user.groups.includes(group.name));
  const { page, next } = pageOf(members, pageLimit(input, 'Limit', 1), optionalString(input, 'NextToken'));
  return { Users: page.map((user) => userTypeWire(user)), ...(next === undefined ? {} : { NextToken: next }) };
}
