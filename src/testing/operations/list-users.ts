import type { EmulatorContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { pageOf } from '../pagination.js';
import { checkPoolId, optionalInteger, optionalString, stringList } from '../params.js';
import type { UserRecord } from '../state.js';
import { attributeMap, type UserTypeWire, userStatus, userTypeWire } from '../user-wire.js';

export const MAX_USERS_PAGE = 60;

const FILTER = /^\s*([A-Za-z_:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
const SEARCHABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

type UserPredicate = (user: UserRecord) => boolean;

function searchValue(user: UserRecord, attribute: string): string | undefined {
  if (attribute === 'username') return user.username;
  if (attribute === 'cognito:user_status') return userStatus(user);
  if (attribute === 'status') return user.enabled ? 'Enabled' : 'Disabled';
  return attributeMap(user)[attribute];
}

/** ListUsers' `Filter`: `attr = "value"` (exact) or `attr ^= "prefix"`; empty = every user. */
export function parseUserFilter(filter: string | undefined): UserPredicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  if (match === null) throw invalidParameter('Error while parsing filter.');
  const [, attribute = '', operator, quoted = ''] = match;
  if (!SEARCHABLE.has(attribute)) throw invalidParameter(`Invalid search attribute: ${attribute}`);
  const wanted = quoted.replace(/\\(.)/g, '$1');
  return (user) => {
    const value = searchValue(user, attribute);
    if (value === undefined) return false;
    return operator === '=' ? value === wanted : value.startsWith(wanted);
  };
}

/** `Limit` 0–60 where 0 or absent means 60. */
export function pageLimit(input: Record<string, unknown>, name = 'Limit', min = 0): number {
  const limit = optionalInteger(input, name, min, MAX_USERS_PAGE);
  return limit === undefined || limit === 0 ? MAX_USERS_PAGE : limit;
}

/** ListUsers: pages of `Limit` users (PaginationToken), filtered, with only `AttributesToGet` when given. */
export async function listUsers(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<{ Users: UserTypeWire[]; PaginationToken?: string }> {
  checkPoolId(input, ctx);
  // Absent = every attribute; an empty list = none.
  const only =
    input.AttributesToGet === undefined || input.AttributesToGet === null
      ? undefined
      : stringList(input, 'AttributesToGet', false);
  const matches = parseUserFilter(optionalString(input, 'Filter'));
  const users = [...ctx.state.users.values()].filter(matches);
  const { page, next } = pageOf(users, pageLimit(input), optionalString(input, 'PaginationToken'));
  return {
    Users: page.map((user) => userTypeWire(user, only)),
    ...(next === undefined ? {} : { PaginationToken: next }),
  };
}
