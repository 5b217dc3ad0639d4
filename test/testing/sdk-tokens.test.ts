/** Tokens, JWKS, refresh, rotation and revocation through @aws-sdk/client-cognito-identity-provider. */
import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

import { secretHash } from '../../src/srp/index.js';
import { decodePayload, rejectionOf, sdkFixture, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';

const fx = sdkFixture({ manualClock: true });
const { start } = fx;

async function signIn(username = 'alice'): Promise<{ access: string; id: string; refresh: string }> {
  const out = await srpSignIn(fx.client, fx.emu, username, PASSWORD);
  const result = out.AuthenticationResult!;
  return { access: result.AccessToken!, id: result.IdToken!, refresh: result.RefreshToken! };
}

function refreshAuth(refreshToken: string, extra: Record<string, string> = {}) {
  return fx.client.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: fx.emu.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra },
    }),
  );
}

function getTokens(refreshToken: string, extra: { DeviceKey?: string; ClientSecret?: string } = {}) {
  return fx.client.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: refreshToken, ClientId: fx.emu.clientId, ...extra }));
}

describe('tokens and JWKS', () => {
  test('RS256 ID and access tokens with Cognito claims, verifiable with the JWKS (jose and aws-jwt-verify)', async () => {
    await start({ accessTokenValiditySeconds: 600, idTokenValiditySeconds: 900 });
    const { sub } = fx.emu.addUser({
      username: 'alice',
      password: PASSWORD,
      email: 'alice@example.com',
      groups: ['admins', 'ops'],
      attributes: { 'custom:tenant': 't1' },
    });
    const { access, id } = await signIn();

    const jwks = createRemoteJWKSet(new URL(fx.emu.jwksUri));
    const { payload: a, protectedHeader: ah } = await jwtVerify(access, jwks, { issuer: fx.emu.issuer });
    const { payload: i, protectedHeader: ih } = await jwtVerify(id, jwks, { issuer: fx.emu.issuer, audience: fx.emu.clientId });
    expect(ah.alg).toBe('RS256');
    expect(ah.kid).not.toBe(ih.kid);
    expect(fx.emu.issuer).toBe(`${fx.emu.endpoint}/${fx.emu.userPoolId}`);

    expect(a).toMatchObject({
      sub,
      token_use: 'access',
      client_id: fx.emu.clientId,
      username: 'alice',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admins', 'ops'],
    });
    expect(a.aud).toBeUndefined();
    expect(a.exp! - a.iat!).toBe(600);
    expect(i).toMatchObject({
      sub,
      token_use: 'id',
      aud: fx.emu.clientId,
      'cognito:username': 'alice',
      email: 'alice@example.com',
      'custom:tenant': 't1',
    });
    expect(i.exp! - i.iat!).toBe(900);
    for (const payload of [a, i]) {
      expect(payload.jti).toEqual(expect.any(String));
      expect(payload.origin_jti).toEqual(expect.any(String));
      expect(payload.auth_time).toBe(Math.floor(fx.now / 1000));
    }
    expect(a.origin_jti).toBe(i.origin_jti);

    // aws-jwt-verify only fetches over https: hydrate it with the emulator's JWKS instead.
    const verifier = JwtRsaVerifier.create({ issuer: fx.emu.issuer, audience: null, jwksUri: fx.emu.jwksUri });
    const served = (await (await fetch(fx.emu.jwksUri)).json()) as Parameters<typeof verifier.cacheJwks>[0];
    verifier.cacheJwks(served);
    await expect(verifier.verify(access)).resolves.toMatchObject({ username: 'alice' });
    const idVerifier = JwtRsaVerifier.create({ issuer: fx.emu.issuer, audience: fx.emu.clientId, jwksUri: fx.emu.jwksUri });
    idVerifier.cacheJwks(served);
    await expect(idVerifier.verify(id)).resolves.toMatchObject({ 'cognito:username': 'alice' });
  });

  test('the JWKS and OpenID configuration are served under the issuer', async () => {
    await start();
    const jwks = (await (await fetch(fx.emu.jwksUri)).json()) as { keys: { kid: string; kty: string; alg: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256' });
      expect(key.d).toBeUndefined();
    }
    const config = (await (await fetch(`${fx.emu.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(config).toMatchObject({ issuer: fx.emu.issuer, jwks_uri: fx.emu.jwksUri });
    expect((await fetch(`${fx.emu.endpoint}/elsewhere`)).status).toBe(404);
  });
});

describe('refresh', () => {
  test('REFRESH_TOKEN_AUTH: new access/ID tokens, no refresh token, same auth_time and origin_jti', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const first = await signIn();
    fx.now += 60_000;
    const out = await refreshAuth(first.refresh, { SECRET_HASH: secretHash('alice', fx.emu.clientId, fx.emu.clientSecret!) });
    const result = out.AuthenticationResult!;
    expect(result.RefreshToken).toBeUndefined();
    const before = decodePayload(first.access);
    const after = decodePayload(result.AccessToken!);
    expect(after.jti).not.toBe(before.jti);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBe((before.iat as number) + 60);
  });

  test('REFRESH_TOKEN_AUTH with a client secret needs SECRET_HASH over the internal user name', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD, email: 'alice@example.com', alias: true });
    const out = await srpSignIn(fx.client, fx.emu, 'alice@example.com', PASSWORD);
    const refresh = out.AuthenticationResult!.RefreshToken!;
    const alias = await rejectionOf(
      refreshAuth(refresh, { SECRET_HASH: secretHash('alice@example.com', fx.emu.clientId, fx.emu.clientSecret!) }),
    );
    expect(alias.name).toBe('NotAuthorizedException');
    expect(alias.message).toBe(`Unable to verify secret hash for client ${fx.emu.clientId}`);
    const missing = await rejectionOf(refreshAuth(refresh));
    expect(missing.name).toBe('NotAuthorizedException');
    const ok = await refreshAuth(refresh, { SECRET_HASH: secretHash('alice', fx.emu.clientId, fx.emu.clientSecret!) });
    expect(ok.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  test('GetTokensFromRefreshToken without rotation: new tokens, no refresh token; ClientSecret checked', async () => {
    await start({ clientSecret: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const { refresh } = await signIn();
    const out = await getTokens(refresh, { ClientSecret: fx.emu.clientSecret! });
    expect(out.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
    const missing = await rejectionOf(getTokens(refresh));
    expect(missing.name).toBe('NotAuthorizedException');
    const wrong = await rejectionOf(getTokens(refresh, { ClientSecret: 'wrong' }));
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).not.toContain(fx.emu.clientSecret!);
  });

  test('an unknown, expired or missing refresh token', async () => {
    await start({ refreshTokenValiditySeconds: 3600 });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const { refresh } = await signIn();
    const unknown = await rejectionOf(refreshAuth('not-a-refresh-token'));
    expect(unknown).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    const missing = await rejectionOf(fx.client.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: fx.emu.clientId, AuthParameters: {} })));
    expect(missing.name).toBe('InvalidParameterException');
    expect(missing.message).toContain('REFRESH_TOKEN');
    fx.now += 3601_000;
    const expired = await rejectionOf(getTokens(refresh));
    expect(expired).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
  });

  test('rotation: GetTokensFromRefreshToken returns a new refresh token; reuse → RefreshTokenReuseException', async () => {
    await start({ refreshTokenRotation: true });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const { refresh } = await signIn();
    const rejected = await rejectionOf(refreshAuth(refresh));
    expect(rejected.name).toBe('InvalidParameterException');

    const first = await getTokens(refresh);
    const rotated = first.AuthenticationResult!.RefreshToken!;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(refresh);
    const reuse = await rejectionOf(getTokens(refresh));
    expect(reuse.name).toBe('RefreshTokenReuseException');
    const second = await getTokens(rotated);
    expect(second.AuthenticationResult!.RefreshToken).not.toBe(rotated);
  });

  test('rotation with a grace period: the old token works until the period ends', async () => {
    await start({ refreshTokenRotation: { gracePeriodSeconds: 30 } });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const { refresh } = await signIn();
    await getTokens(refresh);
    fx.now += 10_000;
    await expect(getTokens(refresh)).resolves.toMatchObject({ AuthenticationResult: { RefreshToken: expect.any(String) } });
    fx.now += 25_000;
    const reuse = await rejectionOf(getTokens(refresh));
    expect(reuse.name).toBe('RefreshTokenReuseException');
  });
});

describe('revocation', () => {
  test('RevokeToken revokes the refresh token and the access tokens of that sign-in only', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const one = await signIn();
    const two = await signIn();
    await fx.client.send(new RevokeTokenCommand({ Token: one.refresh, ClientId: fx.emu.clientId }));
    expect(fx.emu.isTokenRevoked(one.refresh)).toBe(true);
    expect(fx.emu.isTokenRevoked(one.access)).toBe(true);
    expect(fx.emu.isTokenRevoked(one.id)).toBe(true);
    expect(fx.emu.isTokenRevoked(two.access)).toBe(false);
    const refresh = await rejectionOf(refreshAuth(one.refresh));
    expect(refresh).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    const getUser = await rejectionOf(fx.client.send(new GetUserCommand({ AccessToken: one.access })));
    expect(getUser).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    await expect(fx.client.send(new GetUserCommand({ AccessToken: two.access }))).resolves.toMatchObject({ Username: 'alice' });
    const accessAsToken = await rejectionOf(fx.client.send(new RevokeTokenCommand({ Token: two.access, ClientId: fx.emu.clientId })));
    expect(accessAsToken.name).toBe('UnsupportedTokenTypeException');
  });

  test('GlobalSignOut revokes every sign-in of the user; revokeUserTokens does it server-side', async () => {
    await start();
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    fx.emu.addUser({ username: 'bob', password: PASSWORD });
    const one = await signIn();
    const two = await signIn();
    const bob = await signIn('bob');
    await fx.client.send(new GlobalSignOutCommand({ AccessToken: one.access }));
    for (const token of [one.access, one.refresh, two.access, two.refresh]) expect(fx.emu.isTokenRevoked(token)).toBe(true);
    expect(fx.emu.isTokenRevoked(bob.access)).toBe(false);
    const again = await rejectionOf(fx.client.send(new GlobalSignOutCommand({ AccessToken: two.access })));
    expect(again.message).toBe('Access Token has been revoked');

    fx.emu.revokeUserTokens('bob');
    expect(fx.emu.isTokenRevoked(bob.refresh)).toBe(true);
    expect((await rejectionOf(getTokens(bob.refresh))).message).toBe('Refresh Token has been revoked');
    // A new sign-in after sign-out works.
    const fresh = await signIn();
    expect(fx.emu.isTokenRevoked(fresh.access)).toBe(false);
  });

  test('an expired or foreign access token is refused', async () => {
    await start({ accessTokenValiditySeconds: 2 });
    fx.emu.addUser({ username: 'alice', password: PASSWORD });
    const { access } = await signIn();
    fx.now += 3_000;
    const expired = await rejectionOf(fx.client.send(new GetUserCommand({ AccessToken: access })));
    expect(expired).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
    const header = decodeProtectedHeader(access);
    const forged = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${access.split('.')[1]}.AAAA`;
    const invalid = await rejectionOf(fx.client.send(new GetUserCommand({ AccessToken: forged })));
    expect(invalid).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    expect(fx.emu.isTokenRevoked('garbage')).toBe(false);
  });
});
