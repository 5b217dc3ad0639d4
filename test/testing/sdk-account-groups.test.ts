/** Group operations through the AWS SDK, and `cognito:groups` in the tokens. */
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  type ListGroupsCommandOutput,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { decodePayload, passwordSignIn, rejectionOf, sdkFixture } from './helpers.js';

const PASSWORD = 'Passw0rd!';

const fx = sdkFixture();

beforeEach(async () => {
  await fx.start();
});

function create(GroupName: string, extra: { Description?: string; Precedence?: number } = {}) {
  return fx.client.send(new CreateGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName, ...extra }));
}

async function groupsClaim(username: string): Promise<unknown> {
  return decodePayload(await passwordSignIn(fx.client, fx.emu, username, PASSWORD))['cognito:groups'];
}

describe('groups', () => {
  test('CreateGroup / GetGroup / UpdateGroup / DeleteGroup', async () => {
    const created = await create('admins', { Description: 'Administrators', Precedence: 1 });
    expect(created.Group).toMatchObject({
      GroupName: 'admins',
      UserPoolId: fx.emu.userPoolId,
      Description: 'Administrators',
      Precedence: 1,
    });
    expect(created.Group!.CreationDate).toBeInstanceOf(Date);
    const exists = await rejectionOf(create('admins'));
    expect(exists.name).toBe('GroupExistsException');
    await fx.client.send(new UpdateGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'admins', Description: 'Admins' }));
    const got = await fx.client.send(new GetGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'admins' }));
    expect(got.Group).toMatchObject({ Description: 'Admins', Precedence: 1 });
    await fx.client.send(new DeleteGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'admins' }));
    const gone = await rejectionOf(fx.client.send(new GetGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'admins' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe('Group not found.');
  });

  test('ListGroups pages with Limit and NextToken; groups named by addUser exist', async () => {
    fx.emu.addUser({ username: 'alice', password: PASSWORD, groups: ['from-add-user'] });
    for (const name of ['a', 'b', 'c', 'd']) await create(name);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out: ListGroupsCommandOutput = await fx.client.send(
        new ListGroupsCommand({ UserPoolId: fx.emu.userPoolId, Limit: 2, NextToken: token }),
      );
      expect(out.Groups!.length).toBeLessThanOrEqual(2);
      names.push(...out.Groups!.map((g) => g.GroupName!));
      token = out.NextToken;
    } while (token !== undefined);
    expect(names.sort()).toEqual(['a', 'b', 'c', 'd', 'from-add-user']);
  });

  test('membership: add, list both ways, cognito:groups claim, remove, and DeleteGroup drops members', async () => {
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    fx.emu.addUser({ username: 'bob', password: PASSWORD });
    await create('admins');
    await create('billing');
    const add = (Username: string, GroupName: string) =>
      fx.client.send(new AdminAddUserToGroupCommand({ UserPoolId: fx.emu.userPoolId, Username, GroupName }));
    await add('alice', 'admins');
    await add('alice', 'billing');
    await add('alice', 'admins');
    await add('bob', 'billing');
    const forAlice = await fx.client.send(new AdminListGroupsForUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect(forAlice.Groups!.map((g) => g.GroupName)).toEqual(['admins', 'billing']);
    const inBilling = await fx.client.send(new ListUsersInGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'billing' }));
    expect(inBilling.Users!.map((u) => u.Username).sort()).toEqual(['alice', 'bob']);
    expect(await groupsClaim('alice')).toEqual(['admins', 'billing']);

    await fx.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', GroupName: 'admins' }));
    expect(await groupsClaim('alice')).toEqual(['billing']);
    await fx.client.send(new DeleteGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'billing' }));
    expect(await groupsClaim('alice')).toBeUndefined();
  });

  test('unknown group / user / pool errors', async () => {
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const noGroup = await rejectionOf(
      fx.client.send(new AdminAddUserToGroupCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice', GroupName: 'nope' })),
    );
    expect(noGroup.name).toBe('ResourceNotFoundException');
    await create('admins');
    const noUser = await rejectionOf(
      fx.client.send(new AdminAddUserToGroupCommand({ UserPoolId: fx.emu.userPoolId, Username: 'ghost', GroupName: 'admins' })),
    );
    expect(noUser.name).toBe('UserNotFoundException');
    const noPool = await rejectionOf(fx.client.send(new ListGroupsCommand({ UserPoolId: 'us-east-1_nope' })));
    expect(noPool.name).toBe('ResourceNotFoundException');
    const inMissing = await rejectionOf(
      fx.client.send(new ListUsersInGroupCommand({ UserPoolId: fx.emu.userPoolId, GroupName: 'nope' })),
    );
    expect(inMissing.name).toBe('ResourceNotFoundException');
  });
});
