/** getGroup, getGroups, adminAddUserToGroup, adminRemoveUserFromGroup, adminListGroupsForUser, getGroupObj. */
import { CognitoIdentityProviderClient, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Cognito } from '../../src/account/index.js';
import { groupFromData } from '../../src/account/index.js';
import { CognitoConfigError, ResourceNotFoundError, UserNotFoundError } from '../../src/errors.js';
import { accountFixture, PASSWORD, rejectionOf } from './helpers.js';

const fx = accountFixture();
const { account } = fx;
let sdk: CognitoIdentityProviderClient;
function createGroup(name: string, extra: { Description?: string; Precedence?: number } = {}) {
  return sdk.send(new CreateGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: name, ...extra }));
}

beforeEach(() => {
  sdk = new CognitoIdentityProviderClient({
    region: fx.emu.region,
    endpoint: fx.emu.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
});
afterEach(() => {
  sdk.destroy();
});

test('getGroup returns the group object; an unknown group is ResourceNotFoundError', async () => {
  await createGroup('admins', { Description: 'Administrators', Precedence: 1 });
  const group = await account().getGroup('admins');
  expect(group).toMatchObject({ groupName: 'admins', description: 'Administrators', precedence: 1 });
  expect(group.createdAt).toBeInstanceOf(Date);
  const error = await rejectionOf(account().getGroup('nope'));
  expect(error).toBeInstanceOf(ResourceNotFoundError);
  expect((await rejectionOf(account().getGroup(''))) as CognitoConfigError).toBeInstanceOf(CognitoConfigError);
});

test('getGroups reads every page (more than one ListGroups page)', async () => {
  for (let i = 0; i < 65; i++) await createGroup(`g${String(i).padStart(2, '0')}`);
  const groups = await account().getGroups();
  expect(groups).toHaveLength(65);
  expect(new Set(groups.map((g) => g.groupName)).size).toBe(65);
});

test('adminAddUserToGroup / adminListGroupsForUser / adminRemoveUserFromGroup; the groups reach the tokens', async () => {
  await createGroup('admins');
  await createGroup('editors');
  const admin = account({ username: 'bob' });
  await admin.adminAddUserToGroup(undefined, 'admins');
  await admin.adminAddUserToGroup('bob', 'editors');
  expect((await admin.adminListGroupsForUser()).sort()).toEqual(['admins', 'editors']);

  const bob = account({ username: 'bob' });
  await bob.authenticate(PASSWORD);
  expect(bob.accessClaims?.['cognito:groups']).toEqual(expect.arrayContaining(['admins', 'editors']));

  await admin.adminRemoveUserFromGroup('bob', 'admins');
  expect(await admin.adminListGroupsForUser('bob')).toEqual(['editors']);
  expect(await rejectionOf(admin.adminAddUserToGroup('nobody', 'admins'))).toBeInstanceOf(UserNotFoundError);
  expect(await rejectionOf(admin.adminAddUserToGroup('bob', 'no-such-group'))).toBeInstanceOf(ResourceNotFoundError);
});

test('getGroupObj / groupFromData build a group from Cognito data and reject data without a name', () => {
  const data = { GroupName: 'user_group', Description: 'description', Precedence: 1 };
  expect(account().getGroupObj(data)).toMatchObject({ groupName: 'user_group', description: 'description', precedence: 1 });
  expect(() => groupFromData({} as never)).toThrow(CognitoConfigError);
});
