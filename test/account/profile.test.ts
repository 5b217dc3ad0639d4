/** getUser, adminGetUser, getUsers, adminCreateUser, updateProfile, verification, deleteUser and the admin user switches. */
import { Cognito, CognitoUser } from '../../src/account/index.js';
import {
  CodeMismatchError,
  CognitoConfigError,
  ExpiredCodeError,
  InvalidParameterError,
  NotAuthorizedError,
  UserNotFoundError,
  UsernameExistsError,
} from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf, sleep, withOperations } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;
async function signedIn(username = 'bob'): Promise<Cognito> {
  const u = account({ username });
  await u.authenticate(PASSWORD);
  return u;
}

beforeEach(() => {
  fx.emu.addUser({
    username: 'bob',
    password: PASSWORD,
    email: 'bob@example.com',
    attributes: { given_name: 'Bob', family_name: 'Smith', 'custom:tenant': 'acme' },
  });
});

test('getUser returns a user object with attributes renamed through attrMap and sub/email_verified lifted out', async () => {
  const u = await signedIn();
  const user = await u.getUser({ attrMap: { given_name: 'firstName', family_name: 'lastName', 'custom:tenant': 'tenant' } });
  expect(user).toBeInstanceOf(CognitoUser);
  expect(user.username).toBe('bob');
  expect(user.sub).toMatch(/^[0-9a-f-]{36}$/);
  expect(user.emailVerified).toBe(true);
  expect(user.attributes).toEqual({ email: 'bob@example.com', firstName: 'Bob', lastName: 'Smith', tenant: 'acme' });
  expect(user.attribute('firstName')).toBe('Bob');
  expect(printed(user)).not.toContain(u.accessToken!);
});

test('getUser without tokens is a CognitoConfigError naming accessToken; with a revoked token NotAuthorizedError', async () => {
  const error = await rejectionOf(account().getUser());
  expect(error).toBeInstanceOf(CognitoConfigError);
  expect((error as CognitoConfigError).option).toBe('accessToken');
  const u = await signedIn();
  fx.emu.revokeUserTokens('bob');
  expect(await rejectionOf(u.getUser())).toBeInstanceOf(NotAuthorizedError);
});

test('updateProfile writes attributes through attrMap; user.save() writes changed attributes back', async () => {
  const u = await signedIn();
  await u.updateProfile({ firstName: 'Edward', family_name: 'Jones' }, { attrMap: { given_name: 'firstName' } });
  let user = await u.getUser();
  expect(user.attributes.given_name).toBe('Edward');
  expect(user.attributes.family_name).toBe('Jones');

  user.attributes.nickname = 'Ed';
  await user.save();
  user = await u.getUser();
  expect(user.attributes.nickname).toBe('Ed');

  const unknown = await rejectionOf(u.updateProfile({ no_such_attribute: 'x' }));
  expect(unknown).toBeInstanceOf(InvalidParameterError);
  const badValue = await rejectionOf(u.updateProfile({ given_name: { nested: true } as unknown as string }));
  expect((badValue as CognitoConfigError).option).toBe('attributes.given_name');
});

test('sendVerification + validateVerification verify a changed email; a wrong code is CodeMismatchError', async () => {
  const u = await signedIn();
  await u.updateProfile({ email: 'robert@example.com' });
  expect((await u.getUser()).emailVerified).toBe(false);
  const delivery = await u.sendVerification('email');
  expect(delivery?.attributeName).toBe('email');
  const code = fx.emu.lastCode('bob', 'EMAIL')!;
  const mismatch = await rejectionOf(u.validateVerification(code === '000000' ? '111111' : '000000', 'email'));
  expect(mismatch).toBeInstanceOf(CodeMismatchError);
  await u.validateVerification(code, 'email');
  const user = await u.getUser();
  expect(user.emailVerified).toBe(true);
  expect(user.attributes.email).toBe('robert@example.com');
});

test('validateVerification: an expired code is ExpiredCodeError', async () => {
  await fx.restart({ codeValiditySeconds: 1 });
  fx.emu.addUser({ username: 'bob', password: PASSWORD, email: 'bob@example.com', emailVerified: false });
  const u = await signedIn();
  await u.sendVerification();
  await sleep(1_100);
  expect(await rejectionOf(u.validateVerification(fx.emu.lastCode('bob')!))).toBeInstanceOf(ExpiredCodeError);
});

test('deleteUser deletes the signed-in user and forgets the tokens', async () => {
  const u = await signedIn();
  await u.deleteUser();
  expect(u.accessToken).toBeUndefined();
  // PreventUserExistenceErrors LEGACY (Cognito's API default): the deleted user is named as unknown.
  expect(await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD))).toBeInstanceOf(UserNotFoundError);
});

withOperations('AdminGetUser')('adminGetUser returns attributes and metadata (status, enabled, dates); unknown users are UserNotFoundError', async () => {
  const admin = account({ username: 'bob' });
  const user = await admin.adminGetUser({ attrMap: { given_name: 'firstName' } });
  expect(user.username).toBe('bob');
  expect(user.attributes.firstName).toBe('Bob');
  expect(user.metadata.status).toBe('CONFIRMED');
  expect(user.metadata.enabled).toBe(true);
  expect(user.metadata.createdAt).toBeInstanceOf(Date);
  expect(await rejectionOf(admin.adminGetUser({ username: 'nobody' }))).toBeInstanceOf(UserNotFoundError);
});

withOperations('ListUsers')('getUsers reads every page (more users than one ListUsers page) and applies attrMap', async () => {
  for (let i = 0; i < 70; i++) fx.emu.addUser({ username: `user${i}`, password: PASSWORD, attributes: { given_name: `N${i}` } });
  const users = await account().getUsers({ attrMap: { given_name: 'firstName' } });
  expect(users).toHaveLength(71);
  expect(new Set(users.map((user) => user.username)).size).toBe(71);
  expect(users.find((user) => user.username === 'user69')?.attributes.firstName).toBe('N69');
  const filtered = await account().getUsers({ filter: 'username = "user7"' });
  expect(filtered.map((user) => user.username)).toEqual(['user7']);
});

withOperations('AdminCreateUser', 'AdminGetUser')(
  'adminCreateUser with a temporary password: FORCE_CHANGE_PASSWORD; an existing name is UsernameExistsError',
  async () => {
    const admin = account();
    const created = await admin.adminCreateUser('newbie', {
      temporaryPassword: 'Temp0rary-Pass!',
      attributes: { email: 'newbie@example.com', firstName: 'New' },
      attrMap: { given_name: 'firstName' },
      messageAction: 'SUPPRESS',
    });
    expect(created.username).toBe('newbie');
    expect(created.metadata.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(created.attributes.firstName).toBe('New');
    expect(await rejectionOf(admin.adminCreateUser('bob'))).toBeInstanceOf(UsernameExistsError);
    const bad = await rejectionOf(admin.adminCreateUser('x', { messageAction: 'NOPE' as 'SUPPRESS' }));
    expect((bad as CognitoConfigError).option).toBe('messageAction');
  },
);

withOperations('AdminUpdateUserAttributes', 'AdminGetUser')('adminUpdateProfile and user.save({ admin: true })', async () => {
  const admin = account({ username: 'bob' });
  await admin.adminUpdateProfile({ firstName: 'Robert' }, { attrMap: { given_name: 'firstName' } });
  const user = await admin.adminGetUser();
  expect(user.attributes.given_name).toBe('Robert');
  user.attributes.nickname = 'Rob';
  await user.save({ admin: true });
  expect((await admin.adminGetUser()).attributes.nickname).toBe('Rob');
});

withOperations('AdminDisableUser', 'AdminEnableUser', 'AdminDeleteUser')(
  'adminDisableUser blocks sign-in, adminEnableUser restores it, adminDeleteUser removes the user',
  async () => {
    const admin = account();
    await admin.adminDisableUser('bob');
    expect(await rejectionOf(account({ username: 'bob' }).authenticate(PASSWORD))).toBeInstanceOf(NotAuthorizedError);
    await admin.adminEnableUser('bob');
    await account({ username: 'bob' }).authenticate(PASSWORD);
    await admin.adminDeleteUser('bob');
    expect(await rejectionOf(admin.adminDeleteUser('bob'))).toBeInstanceOf(UserNotFoundError);
  },
);

test('a user object built without an instance cannot save itself (typed error)', async () => {
  const user = new CognitoUser({ username: 'x', attributes: [{ Name: 'email', Value: 'x@example.com' }] });
  expect(await rejectionOf(user.save())).toBeInstanceOf(CognitoConfigError);
});

test('admin calls for an unknown user are UserNotFoundError; a revoked session cannot read its auth factors', async () => {
  const admin = account();
  expect(await rejectionOf(admin.adminConfirmSignUp('nobody'))).toBeInstanceOf(UserNotFoundError);
  expect(await rejectionOf(admin.adminUpdateProfile({ given_name: 'X' }, { username: 'nobody' }))).toBeInstanceOf(
    UserNotFoundError,
  );
  expect(await rejectionOf(admin.adminEnableUser('nobody'))).toBeInstanceOf(UserNotFoundError);
  const u = await signedIn();
  fx.emu.revokeUserTokens('bob');
  expect(await rejectionOf(u.getUserAuthFactors())).toBeInstanceOf(NotAuthorizedError);
  expect(await rejectionOf(u.deleteUser())).toBeInstanceOf(NotAuthorizedError);
  expect(u.accessToken).toBeDefined(); // a failed DeleteUser keeps the tokens
});
