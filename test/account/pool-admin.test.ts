/** describeUserPool, describeUserPoolClient, updateUserPoolClient, listIdentityProviders, describeIdentityProvider. */
import {
  CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Cognito } from '../../src/account/index.js';
import { InvalidParameterError, ResourceNotFoundError } from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;
let sdk: CognitoIdentityProviderClient;

beforeEach(() => {
  sdk = new CognitoIdentityProviderClient({ region: fx.emu.region, endpoint: fx.emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
});
afterEach(() => {
  sdk.destroy();
});

test('describeUserPool and describeUserPoolClient; the client secret is readable but never printed', async () => {
  const admin = account();
  expect((await admin.describeUserPool()).Id).toBe(fx.emu.userPoolId);
  const client = await admin.describeUserPoolClient();
  expect(client.ClientId).toBe(fx.emu.clientId);
  expect(client.ClientSecret).toBe(fx.emu.clientSecret);
  expect(printed(client)).not.toContain(fx.emu.clientSecret!);
  expect(await rejectionOf(admin.describeUserPoolClient('nope'))).toBeInstanceOf(ResourceNotFoundError);
});

test('updateUserPoolClient changes only what it is given (UpdateUserPoolClient alone would reset the auth flows)', async () => {
  const admin = account({ username: 'bob' });
  const before = await admin.describeUserPoolClient();
  expect(before.ExplicitAuthFlows).toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  const after = await admin.updateUserPoolClient({ ClientName: 'renamed' });
  expect(after.ClientName).toBe('renamed');
  expect(after.ExplicitAuthFlows?.sort()).toEqual(before.ExplicitAuthFlows?.sort());
  expect(printed(after)).not.toContain(fx.emu.clientSecret!);
  await admin.adminAuthenticate(PASSWORD); // still allowed

  // What the plain SDK call does, for contrast: the omitted flows fall back to Cognito's defaults.
  await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: fx.emu.userPoolId, ClientId: fx.emu.clientId, ClientName: 'plain' }));
  const refused = await rejectionOf(account({ username: 'bob' }).adminAuthenticate(PASSWORD));
  expect(refused).toBeInstanceOf(InvalidParameterError); // "Auth flow not enabled for this client"
});

test('listIdentityProviders (every page) and describeIdentityProvider', async () => {
  for (let i = 0; i < 3; i++) {
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: fx.emu.userPoolId,
        ProviderName: `Corp${i}`,
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'abc', oidc_issuer: 'https://idp.example.com', authorize_scopes: 'openid', attributes_request_method: 'GET' },
      }),
    );
  }
  const admin = account();
  const providers = await admin.listIdentityProviders();
  expect(providers.map((p) => p.ProviderName).sort()).toEqual(['Corp0', 'Corp1', 'Corp2']);
  const described = await admin.describeIdentityProvider('Corp1');
  expect(described.ProviderType).toBe('OIDC');
  expect(described.ProviderDetails?.oidc_issuer).toBe('https://idp.example.com');
  expect(await rejectionOf(admin.describeIdentityProvider('Nope'))).toBeInstanceOf(ResourceNotFoundError);
});
