import {
  AddUserPoolClientSecretCommand,
  CreateResourceServerCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeResourceServerCommand,
  GetClientTokenCommand,
  ListResourceServersCommand,
  ListUserPoolClientSecretsCommand,
  UpdateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';

import { obtainClientCredentialsToken, resolveClientCredentialsOptions } from '../../src/m2m/index.js';
import type { CognitoEmulator } from '../../src/testing/index.js';
import { sdkFixture } from './helpers.js';

const fx = sdkFixture();

async function jwks(emu: CognitoEmulator): Promise<ReturnType<typeof createLocalJWKSet>> {
  return createLocalJWKSet((await (await fetch(emu.jwksUri)).json()) as JSONWebKeySet);
}

/** A raw AWS JSON 1.1 call, unsigned unless `authorization` is given. */
async function rawCall(
  emu: CognitoEmulator,
  operation: string,
  body: unknown,
  authorization?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A raw POST to the token endpoint. */
async function tokenPost(
  emu: CognitoEmulator,
  form: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; contentType: string | null }> {
  const response = await fetch(emu.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    contentType: response.headers.get('content-type'),
  };
}

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('emulator: resource servers', () => {
  it('create, describe, list (paged), update and delete; SigV4 required', async () => {
    const emu = await fx.start();
    const { client } = fx;
    const created = await client.send(
      new CreateResourceServerCommand({
        UserPoolId: emu.userPoolId,
        Identifier: 'https://orders.example.com',
        Name: 'orders',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read orders' }],
      }),
    );
    expect(created.ResourceServer).toEqual({
      UserPoolId: emu.userPoolId,
      Identifier: 'https://orders.example.com',
      Name: 'orders',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read orders' }],
    });
    await expect(
      client.send(
        new CreateResourceServerCommand({ UserPoolId: emu.userPoolId, Identifier: 'https://orders.example.com', Name: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await client.send(new CreateResourceServerCommand({ UserPoolId: emu.userPoolId, Identifier: 'billing', Name: 'billing' }));

    const first = await client.send(new ListResourceServersCommand({ UserPoolId: emu.userPoolId, MaxResults: 1 }));
    expect(first.ResourceServers).toHaveLength(1);
    const second = await client.send(
      new ListResourceServersCommand({ UserPoolId: emu.userPoolId, MaxResults: 1, NextToken: first.NextToken! }),
    );
    expect(second.ResourceServers!.map((s) => s.Identifier)).toEqual(['billing']);
    expect(second.NextToken).toBeUndefined();

    const updated = await client.send(
      new UpdateResourceServerCommand({
        UserPoolId: emu.userPoolId,
        Identifier: 'billing',
        Name: 'Billing API',
        Scopes: [{ ScopeName: 'pay', ScopeDescription: 'Pay' }],
      }),
    );
    expect(updated.ResourceServer?.Scopes).toEqual([{ ScopeName: 'pay', ScopeDescription: 'Pay' }]);
    const described = await client.send(
      new DescribeResourceServerCommand({ UserPoolId: emu.userPoolId, Identifier: 'billing' }),
    );
    expect(described.ResourceServer?.Name).toBe('Billing API');

    await client.send(new DeleteResourceServerCommand({ UserPoolId: emu.userPoolId, Identifier: 'billing' }));
    await expect(
      client.send(new DescribeResourceServerCommand({ UserPoolId: emu.userPoolId, Identifier: 'billing' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const unsigned = await rawCall(emu, 'ListResourceServers', { UserPoolId: emu.userPoolId, MaxResults: 10 });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
  });

  it('a scope removed from its resource server is no longer granted', async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    await fx.client.send(
      new UpdateResourceServerCommand({
        UserPoolId: emu.userPoolId,
        Identifier: 'orders',
        Name: 'orders',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
      }),
    );
    const result = await rawCall(emu, 'GetClientToken', { ClientId: m2m.clientId, Secret: m2m.clientSecret });
    expect(decodeJwt((result.body.ClientAuthenticationResult as { AccessToken: string }).AccessToken).scope).toBe(
      'orders/read',
    );
    const refused = await rawCall(emu, 'GetClientToken', {
      ClientId: m2m.clientId,
      Secret: m2m.clientSecret,
      Scopes: ['orders/write'],
    });
    expect(refused.body.__type).toBe('InvalidParameterException');
  });
});

describe('emulator: GetClientToken', () => {
  it("the AWS SDK's own GetClientTokenCommand (signed) agrees with our unsigned client", async () => {
    const emu = await fx.start({ accessTokenValiditySeconds: 900 });
    const m2m = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    const sdk = await fx.client.send(
      new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.clientSecret, Scopes: ['orders/write'] }),
    );
    expect(sdk.ClientAuthenticationResult).toMatchObject({ ExpiresIn: 900, TokenType: 'Bearer' });
    const ours = await obtainClientCredentialsToken(
      resolveClientCredentialsOptions({
        userPoolId: emu.userPoolId,
        clientId: m2m.clientId,
        clientSecret: m2m.clientSecret,
        endpoint: emu.endpoint,
        scopes: ['orders/write'],
      }),
      { signal: AbortSignal.timeout(10_000) },
    );
    const keys = await jwks(emu);
    const a = (await jwtVerify(sdk.ClientAuthenticationResult!.AccessToken!, keys, { issuer: emu.issuer })).payload;
    const b = (await jwtVerify(ours.accessToken, keys, { issuer: emu.issuer })).payload;
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(Object.keys(a).sort()).toEqual(
      ['auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'token_use', 'version'].sort(),
    );
    for (const claim of ['sub', 'client_id', 'token_use', 'scope', 'iss', 'version'] as const) expect(a[claim]).toEqual(b[claim]);
    expect(a.jti).not.toBe(b.jti);
    expect(ours.expiresAt - ours.issuedAt).toBe(900_000);
    expect(emu.calls.GetClientToken).toBe(2);
  });

  it('answers Cognito-shaped errors', async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read'] });
    const noFlow = emu.addM2mClient({ scopes: ['orders/read'], explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] });
    const cases: [Record<string, unknown>, string][] = [
      [{ ClientId: 'nosuchclient', Secret: 'x' }, 'ResourceNotFoundException'],
      [{ ClientId: m2m.clientId, Secret: 'wrong' }, 'NotAuthorizedException'],
      [{ ClientId: m2m.clientId }, 'InvalidParameterException'],
      [{ ClientId: m2m.clientId, Secret: m2m.clientSecret, Scopes: ['orders/write'] }, 'InvalidParameterException'],
      [{ ClientId: noFlow.clientId, Secret: noFlow.clientSecret }, 'InvalidParameterException'],
      [{ ClientId: emu.clientId, Secret: 'x' }, 'InvalidParameterException'],
    ];
    for (const [input, type] of cases) {
      const answer = await rawCall(emu, 'GetClientToken', input);
      expect({ input, status: answer.status, type: answer.body.__type }).toEqual({ input, status: 400, type });
      expect(typeof answer.body.message).toBe('string');
      expect(JSON.stringify(answer.body)).not.toContain(m2m.clientSecret);
    }
    const flowAnswer = await rawCall(emu, 'GetClientToken', { ClientId: noFlow.clientId, Secret: noFlow.clientSecret });
    expect(flowAnswer.body.message).toMatch(/ALLOW_CLIENT_TOKEN_AUTH/);
  });

  it('two secrets at once: add, list (no values), delete; at most two, never zero', async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read'], secret: 'first-secret' });
    const { client } = fx;
    const ids = { UserPoolId: emu.userPoolId, ClientId: m2m.clientId };
    const added = await client.send(new AddUserPoolClientSecretCommand({ ...ids, ClientSecret: 'second-secret' }));
    expect(added.ClientSecretDescriptor).toMatchObject({ ClientSecretValue: 'second-secret' });
    expect(added.ClientSecretDescriptor?.ClientSecretCreateDate).toBeInstanceOf(Date);
    await expect(client.send(new AddUserPoolClientSecretCommand(ids))).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    const listed = await client.send(new ListUserPoolClientSecretsCommand(ids));
    expect(listed.ClientSecrets).toHaveLength(2);
    expect(listed.ClientSecrets!.every((s) => s.ClientSecretValue === undefined)).toBe(true);
    for (const secret of ['first-secret', 'second-secret']) {
      const ok = await rawCall(emu, 'GetClientToken', { ClientId: m2m.clientId, Secret: secret });
      expect(ok.status).toBe(200);
    }
    const firstId = listed.ClientSecrets!.find((s) => s.ClientSecretId !== added.ClientSecretDescriptor!.ClientSecretId)!;
    await client.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: firstId.ClientSecretId! }));
    const old = await rawCall(emu, 'GetClientToken', { ClientId: m2m.clientId, Secret: 'first-secret' });
    expect(old.body.__type).toBe('NotAuthorizedException');
    const post = await tokenPost(emu, 'grant_type=client_credentials', { authorization: basic(m2m.clientId, 'first-secret') });
    expect(post).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    await expect(
      client.send(
        new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: added.ClientSecretDescriptor!.ClientSecretId! }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const unsigned = await rawCall(emu, 'ListUserPoolClientSecrets', ids);
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
  });
});

describe('emulator: POST /oauth2/token', () => {
  it('grants with client_secret_basic and client_secret_post; counts calls as TokenEndpoint', async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read', 'orders/write'] });
    const viaBasic = await tokenPost(emu, 'grant_type=client_credentials&scope=orders%2Fread', {
      authorization: basic(m2m.clientId, m2m.clientSecret),
    });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.contentType).toMatch(/^application\/json/);
    expect(viaBasic.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(Object.keys(viaBasic.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(decodeJwt(viaBasic.body.access_token as string).scope).toBe('orders/read');
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      scope: 'orders/read orders/write',
    });
    const viaPost = await tokenPost(emu, form.toString());
    expect(viaPost.status).toBe(200);
    const payload = (await jwtVerify(viaPost.body.access_token as string, await jwks(emu), { issuer: emu.issuer })).payload;
    expect(payload.scope).toBe('orders/read orders/write');
    expect(emu.calls.TokenEndpoint).toBe(2);
    expect(emu.calls.GetClientToken).toBe(0);
  });

  it("answers Cognito's OAuth errors: HTTP 400 and {error}", async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read'] });
    emu.addM2mClient({ scopes: ['orders/write'] });
    const noGrant = emu.addM2mClient({ scopes: ['orders/read'], allowedOAuthFlows: [] });
    const good = basic(m2m.clientId, m2m.clientSecret);
    const cases: [string, Record<string, string>, string][] = [
      ['grant_type=client_credentials', { authorization: basic(m2m.clientId, 'wrong') }, 'invalid_client'],
      ['grant_type=client_credentials', { authorization: basic('nosuchclient', 'x') }, 'invalid_client'],
      ['grant_type=client_credentials', {}, 'invalid_client'],
      ['grant_type=client_credentials', { authorization: 'Basic !!!' }, 'invalid_client'],
      ['grant_type=client_credentials', { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 'invalid_client'],
      ['scope=orders%2Fread', { authorization: good }, 'invalid_request'],
      ['grant_type=client_credentials&grant_type=client_credentials', { authorization: good }, 'invalid_request'],
      [`grant_type=client_credentials&client_secret=${m2m.clientSecret}`, { authorization: good }, 'invalid_request'],
      ['grant_type=client_credentials', { authorization: good, 'content-type': 'application/json' }, 'invalid_request'],
      ['grant_type=password&username=a&password=b', { authorization: good }, 'unsupported_grant_type'],
      ['grant_type=authorization_code&code=x', { authorization: good }, 'unsupported_grant_type'],
      ['grant_type=client_credentials&scope=orders%2Fwrite', { authorization: good }, 'invalid_scope'],
      ['grant_type=client_credentials&scope=nosuch%2Fscope', { authorization: good }, 'invalid_scope'],
      ['grant_type=client_credentials', { authorization: basic(noGrant.clientId, noGrant.clientSecret) }, 'unauthorized_client'],
    ];
    for (const [form, headers, error] of cases) {
      const answer = await tokenPost(emu, form, headers);
      expect({ form, headers, status: answer.status, body: answer.body }).toEqual({ form, headers, status: 400, body: { error } });
    }
    expect(emu.calls.TokenEndpoint).toBe(cases.length);
  });

  it('injected faults answer with the given status and {error}', async () => {
    const emu = await fx.start();
    const m2m = emu.addM2mClient({ scopes: ['orders/read'] });
    emu.faults.inject('TokenEndpoint', { error: { type: 'slow_down', status: 429 } });
    const answer = await tokenPost(emu, 'grant_type=client_credentials', { authorization: basic(m2m.clientId, m2m.clientSecret) });
    expect(answer).toMatchObject({ status: 429, body: { error: 'slow_down' } });
  });
});
