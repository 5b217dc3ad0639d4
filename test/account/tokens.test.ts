/** verifyTokens, verifyToken, checkToken, renewAccessToken, logout. */
import {
  CognitoConfigError,
  InvalidPasswordError,
  type CognitoAuthError,
  NotAuthorizedError,
  TokenVerificationError,
} from '../../src/errors.js';
import { accountFixture, PASSWORD, printed, rejectionOf, sleep } from './helpers.js';

const fx = accountFixture({ clientSecret: true });
const { account } = fx;

test('verifyTokens checks tokens given to the constructor; a tampered token is TokenVerificationError', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const first = account({ username: 'bob' });
  await first.authenticate(PASSWORD);
  const restored = account({ idToken: first.idToken!, accessToken: first.accessToken!, refreshToken: first.refreshToken! });
  expect(restored.idClaims).toBeUndefined();
  await restored.verifyTokens();
  expect(restored.accessClaims?.username).toBe('bob');

  const [header, payload, signature] = first.accessToken!.split('.');
  const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  forged.username = 'mallory';
  const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
  const bad = account({ idToken: first.idToken!, accessToken: tampered });
  const error = await rejectionOf(bad.verifyTokens());
  expect(error).toBeInstanceOf(TokenVerificationError);
  expect(printed(error)).not.toContain(tampered);

  const missing = await rejectionOf(account().verifyTokens());
  expect((missing as CognitoConfigError).option).toBe('idToken');
});

test('checkToken(false) reports an expired access token; checkToken() renews it with the refresh token', async () => {
  // `exp` has whole-second resolution: a 3 s token keeps at least 2 s after it arrives, even on a loaded machine.
  await fx.restart({ accessTokenValiditySeconds: 3 });
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  expect(await u.checkToken()).toBe(false);
  const before = u.accessToken!;
  const expiresAt = (JSON.parse(Buffer.from(before.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
  await sleep(expiresAt - Date.now() + 50);
  expect(await u.checkToken(false)).toBe(true);
  expect(u.accessToken).toBe(before);
  expect(await u.checkToken()).toBe(true);
  expect(u.accessToken).not.toBe(before);
  expect(await u.checkToken(false)).toBe(false);
  expect(u.accessClaims?.username).toBe('bob');
});

test('renewAccessToken replaces both JWTs and keeps the refresh token; without one it is a CognitoConfigError', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  const { accessToken, refreshToken } = u;
  await sleep(1_000); // a new iat
  await u.renewAccessToken();
  expect(u.accessToken).not.toBe(accessToken);
  expect(u.refreshToken).toBe(refreshToken);
  expect(u.accessClaims?.username).toBe('bob');
  const error = await rejectionOf(account({ username: 'bob' }).renewAccessToken());
  expect((error as CognitoConfigError).option).toBe('refreshToken');
});

test('logout signs out globally (the old tokens are revoked) and forgets the tokens and claims', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  const access = u.accessToken!;
  await u.logout();
  expect(u.accessToken).toBeUndefined();
  expect(u.idToken).toBeUndefined();
  expect(u.refreshToken).toBeUndefined();
  expect(u.accessClaims).toBeUndefined();
  expect(fx.emu.isTokenRevoked(access)).toBe(true);
  const error = await rejectionOf(account({ accessToken: access }).getUser());
  expect(error).toBeInstanceOf(NotAuthorizedError);
});

test('checkToken and verifyToken on something that is not a JWT: TokenVerificationError, the text not quoted', async () => {
  const u = account({ accessToken: 'not-a-jwt-secret-value', idToken: 'x', verify: false });
  const error = await rejectionOf(u.checkToken());
  expect(error).toBeInstanceOf(TokenVerificationError);
  expect(printed(error)).not.toContain('not-a-jwt-secret-value');
  expect(await rejectionOf(u.verifyTokens())).toBeInstanceOf(TokenVerificationError);
});

test('typical failures: a revoked refresh token cannot renew, a weak new password is refused', async () => {
  fx.emu.addUser({ username: 'bob', password: PASSWORD });
  const u = account({ username: 'bob' });
  await u.authenticate(PASSWORD);
  fx.emu.revokeUserTokens('bob');
  const renew = await rejectionOf(u.renewAccessToken());
  expect(['REFRESH_TOKEN_EXPIRED', 'NOT_AUTHORIZED']).toContain((renew as CognitoAuthError).code);
  expect(printed(renew)).not.toContain(u.refreshToken!);

  fx.emu.addUser({ username: 'tim', password: PASSWORD, forceChangePassword: true });
  const weak = await rejectionOf(account({ username: 'tim' }).newPasswordChallenge(PASSWORD, 'weak'));
  expect(weak).toBeInstanceOf(InvalidPasswordError);
  expect(printed(weak)).not.toContain(PASSWORD);
});
