/** SigV4 on admin operations, pool and app-client configuration, identity providers — through the AWS SDK. */
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListIdentityProvidersCommand,
  ListUserPoolClientsCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { emulatorOperations, UNSIGNED_OPERATIONS } from '../../src/testing/operations/index.js';
import { decodePayload, passwordSignIn, rawCall, rejectionOf, sdkFixture, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';
const FAKE_SIGNATURE =
  'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00';

const fx = sdkFixture();
const { start } = fx;

describe('SigV4 on admin and pool-management operations', () => {
  test('an unsigned Admin* request → 400 MissingAuthenticationTokenException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const out = await rawCall(fx.emu, 'AdminGetUser', { UserPoolId: fx.emu.userPoolId, Username: 'alice' });
    expect(out.status).toBe(400);
    expect(out.body).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(out.errorType).toBe('MissingAuthenticationTokenException:');
  });

  test('every implemented operation outside the noAuth list is refused unsigned; noAuth ones are not', async () => {
    await start();
    const operations = [...emulatorOperations().keys()];
    const signed = operations.filter((op) => !UNSIGNED_OPERATIONS.has(op));
    expect(signed).toEqual(expect.arrayContaining(['AdminInitiateAuth', 'ListUsers', 'CreateGroup', 'UpdateUserPoolClient']));
    for (const operation of signed) {
      const out = await rawCall(fx.emu, operation, {});
      expect([operation, out.body.__type]).toEqual([operation, 'MissingAuthenticationTokenException']);
    }
    for (const operation of operations.filter((op) => UNSIGNED_OPERATIONS.has(op))) {
      const out = await rawCall(fx.emu, operation, {});
      expect([operation, out.body.__type]).not.toEqual([operation, 'MissingAuthenticationTokenException']);
    }
  });

  test('any SigV4 Authorization header is accepted; a non-SigV4 one → IncompleteSignatureException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const signed = await rawCall(
      fx.emu,
      'AdminGetUser',
      { UserPoolId: fx.emu.userPoolId, Username: 'alice' },
      { authorization: FAKE_SIGNATURE },
    );
    expect(signed.status).toBe(200);
    expect(signed.body.Username).toBe('alice');
    const bearer = await rawCall(fx.emu, 'AdminGetUser', { UserPoolId: fx.emu.userPoolId, Username: 'alice' }, { authorization: 'Bearer abc' });
    expect(bearer.status).toBe(400);
    expect(bearer.body.__type).toBe('IncompleteSignatureException');
  });

  test('the SDK signs admin calls when given any credentials; unknown operations stay UnknownOperationException', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const out = await fx.client.send(new AdminGetUserCommand({ UserPoolId: fx.emu.userPoolId, Username: 'alice' }));
    expect(out.Username).toBe('alice');
    const unknown = await rawCall(fx.emu, 'AdminDoSomethingNew', {});
    expect(unknown.body.__type).toBe('UnknownOperationException');
  });
});

describe('DescribeUserPool / ListUserPoolClients', () => {
  test('shows the password policy, MFA mode, username attributes and user count', async () => {
    await start({ passwordPolicy: { minimumLength: 12, requireSymbols: false }, mfa: 'on', usernameAttributes: ['email'] });
    fx.emu.addUser({ username: 'a@example.com', password: PASSWORD });
    const out = await fx.client.send(new DescribeUserPoolCommand({ UserPoolId: fx.emu.userPoolId }));
    expect(out.UserPool).toMatchObject({
      Id: fx.emu.userPoolId,
      MfaConfiguration: 'ON',
      UsernameAttributes: ['email'],
      EstimatedNumberOfUsers: 1,
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, RequireUppercase: true } },
    });
    expect(out.UserPool!.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${fx.emu.userPoolId}`);
    const wrong = await rejectionOf(fx.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nope' })));
    expect(wrong.name).toBe('ResourceNotFoundException');
  });

  test('ListUserPoolClients lists the one app client', async () => {
    await start();
    const out = await fx.client.send(new ListUserPoolClientsCommand({ UserPoolId: fx.emu.userPoolId, MaxResults: 10 }));
    expect(out.UserPoolClients).toEqual([{ ClientId: fx.emu.clientId, UserPoolId: fx.emu.userPoolId, ClientName: expect.any(String) }]);
  });
});

describe('DescribeUserPoolClient / UpdateUserPoolClient', () => {
  test('describes the emulator options', async () => {
    await start({ clientSecret: 'sekrit', accessTokenValiditySeconds: 2, refreshTokenRotation: { gracePeriodSeconds: 10 } });
    const out = await fx.client.send(new DescribeUserPoolClientCommand({ UserPoolId: fx.emu.userPoolId, ClientId: fx.emu.clientId }));
    expect(out.UserPoolClient).toMatchObject({
      ClientId: fx.emu.clientId,
      ClientSecret: 'sekrit',
      AccessTokenValidity: 2,
      IdTokenValidity: 2,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' },
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      AuthSessionValidity: 3,
    });
    expect(out.UserPoolClient!.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH']),
    );
    const wrong = await rejectionOf(
      fx.client.send(new DescribeUserPoolClientCommand({ UserPoolId: fx.emu.userPoolId, ClientId: 'nope' })),
    );
    expect(wrong.name).toBe('ResourceNotFoundException');
  });

  test('token validity and ExplicitAuthFlows take effect at once', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const out = await fx.client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: fx.emu.userPoolId,
        ClientId: fx.emu.clientId,
        ClientName: 'web',
        AccessTokenValidity: 10,
        IdTokenValidity: 2,
        TokenValidityUnits: { AccessToken: 'minutes' },
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        CallbackURLs: ['https://example.com/cb'],
      }),
    );
    expect(out.UserPoolClient).toMatchObject({
      ClientName: 'web',
      AccessTokenValidity: 10,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
      CallbackURLs: ['https://example.com/cb'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const step = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
    expect(step.AuthenticationResult!.ExpiresIn).toBe(600);
    const access = decodePayload(step.AuthenticationResult!.AccessToken!);
    const id = decodePayload(step.AuthenticationResult!.IdToken!);
    expect((access.exp as number) - (access.iat as number)).toBe(600);
    expect((id.exp as number) - (id.iat as number)).toBe(7200);

    const plain = await rejectionOf(passwordSignIn(fx.client, fx.emu, 'alice', PASSWORD));
    expect(plain.name).toBe('InvalidParameterException');
    expect(plain.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
    const admin = await rejectionOf(
      fx.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: fx.emu.userPoolId,
          ClientId: fx.emu.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice', PASSWORD },
        }),
      ),
    );
    expect(admin.name).toBe('InvalidParameterException');
  });

  test('omitted settings return to Cognito defaults; RefreshTokenRotation switches refresh behaviour', async () => {
    await start({ accessTokenValiditySeconds: 300 });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    await fx.client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: fx.emu.userPoolId,
        ClientId: fx.emu.clientId,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    const first = await fx.client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: fx.emu.clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD },
      }),
    );
    expect(first.AuthenticationResult!.ExpiresIn).toBe(3600);
    const refreshToken = first.AuthenticationResult!.RefreshToken!;
    const legacy = await rejectionOf(
      fx.client.send(
        new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: fx.emu.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }),
      ),
    );
    expect(legacy.name).toBe('InvalidParameterException');
    const rotated = await fx.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: fx.emu.clientId, RefreshToken: refreshToken }));
    expect(rotated.AuthenticationResult!.RefreshToken).toEqual(expect.any(String));
    expect(rotated.AuthenticationResult!.RefreshToken).not.toBe(refreshToken);
    const described = await fx.client.send(new DescribeUserPoolClientCommand({ UserPoolId: fx.emu.userPoolId, ClientId: fx.emu.clientId }));
    expect(described.UserPoolClient).toMatchObject({
      AccessTokenValidity: 1,
      RefreshTokenValidity: 30,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    });
  });

  test('describe-then-update keeps the emulator\'s short lifetimes and every setting', async () => {
    await start({ accessTokenValiditySeconds: 2, refreshTokenRotation: { gracePeriodSeconds: 5 } });
    const key = { UserPoolId: fx.emu.userPoolId, ClientId: fx.emu.clientId };
    const before = (await fx.client.send(new DescribeUserPoolClientCommand(key))).UserPoolClient!;
    const { ClientSecret: _secret, CreationDate: _c, LastModifiedDate: _m, UserPoolId: _p, ClientId: _id, ...settings } = before;
    await fx.client.send(new UpdateUserPoolClientCommand({ ...key, ...settings, ClientName: 'renamed' }));
    const after = (await fx.client.send(new DescribeUserPoolClientCommand(key))).UserPoolClient!;
    const { LastModifiedDate: _before, ...unchangedBefore } = before;
    const { LastModifiedDate: _after, ...unchangedAfter } = after;
    expect(unchangedAfter).toEqual({ ...unchangedBefore, ClientName: 'renamed' });
    expect(after.AccessTokenValidity).toBe(2);
  });

  test('an out-of-range validity or unknown flow → InvalidParameterException', async () => {
    await start();
    const update = (extra: Record<string, unknown>) =>
      rejectionOf(fx.client.send(new UpdateUserPoolClientCommand({ UserPoolId: fx.emu.userPoolId, ClientId: fx.emu.clientId, ...extra })));
    expect((await update({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } })).name).toBe(
      'InvalidParameterException',
    );
    expect((await update({ RefreshTokenValidity: 30, TokenValidityUnits: { RefreshToken: 'minutes' } })).name).toBe(
      'InvalidParameterException',
    );
    expect((await update({ ExplicitAuthFlows: ['ALLOW_EVERYTHING'] })).name).toBe('InvalidParameterException');
  });
});

describe('identity providers (stored, not used)', () => {
  test('create, describe, update, list with pages, delete', async () => {
    await start();
    const created = await fx.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: fx.emu.userPoolId,
        ProviderName: 'Google',
        ProviderType: 'Google',
        ProviderDetails: { client_id: 'gid', authorize_scopes: 'email' },
        AttributeMapping: { email: 'email' },
      }),
    );
    expect(created.IdentityProvider).toMatchObject({ ProviderName: 'Google', ProviderType: 'Google', AttributeMapping: { email: 'email' } });
    const duplicate = await rejectionOf(
      fx.client.send(
        new CreateIdentityProviderCommand({ UserPoolId: fx.emu.userPoolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: {} }),
      ),
    );
    expect(duplicate.name).toBe('DuplicateProviderException');
    await fx.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: fx.emu.userPoolId,
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { oidc_issuer: 'https://idp.example' },
        IdpIdentifiers: ['corp'],
      }),
    );
    await fx.client.send(
      new UpdateIdentityProviderCommand({ UserPoolId: fx.emu.userPoolId, ProviderName: 'Corp', AttributeMapping: { username: 'sub' } }),
    );
    const described = await fx.client.send(new DescribeIdentityProviderCommand({ UserPoolId: fx.emu.userPoolId, ProviderName: 'Corp' }));
    expect(described.IdentityProvider).toMatchObject({
      ProviderType: 'OIDC',
      ProviderDetails: { oidc_issuer: 'https://idp.example' },
      AttributeMapping: { username: 'sub' },
      IdpIdentifiers: ['corp'],
    });
    const page1 = await fx.client.send(new ListIdentityProvidersCommand({ UserPoolId: fx.emu.userPoolId, MaxResults: 1 }));
    const page2 = await fx.client.send(
      new ListIdentityProvidersCommand({ UserPoolId: fx.emu.userPoolId, MaxResults: 1, NextToken: page1.NextToken }),
    );
    expect([...page1.Providers!, ...page2.Providers!].map((p) => p.ProviderName)).toEqual(['Google', 'Corp']);
    expect(page2.NextToken).toBeUndefined();
    await fx.client.send(new DeleteIdentityProviderCommand({ UserPoolId: fx.emu.userPoolId, ProviderName: 'Google' }));
    const gone = await rejectionOf(
      fx.client.send(new DescribeIdentityProviderCommand({ UserPoolId: fx.emu.userPoolId, ProviderName: 'Google' })),
    );
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});
