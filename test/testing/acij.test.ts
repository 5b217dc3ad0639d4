/**
 * AWS's own client, amazon-cognito-identity-js, against the emulator: if it signs in, answers TOTP, confirms and
 * remembers a device, signs in again through DEVICE_SRP_AUTH and refreshes, the emulator speaks Cognito's protocol.
 */
import type {
  CognitoUser as CognitoUserType,
  CognitoUserPool as CognitoUserPoolType,
  CognitoUserSession,
  ICognitoStorage,
} from 'amazon-cognito-identity-js';
// Loaded through the oracle so that its big-number code runs at full speed on Node 24 (see requireWithoutNavigator).
import { acijTyped } from '../srp/oracle.js';

import { generateTotp, randomTotpSecret } from '../../src/auth/totp.js';
import { type CognitoEmulator, startCognitoEmulator } from '../../src/testing/index.js';
import { decodePayload } from './helpers.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = acijTyped;

class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

interface SignInOutcome {
  session: CognitoUserSession;
  userConfirmationNecessary: boolean;
  totpAsked: boolean;
}

function poolFor(emu: CognitoEmulator, storage: ICognitoStorage): CognitoUserPoolType {
  return new CognitoUserPool({ UserPoolId: emu.userPoolId, ClientId: emu.clientId, endpoint: emu.endpoint, Storage: storage });
}

function signIn(user: CognitoUserType, username: string, password: string, totpSecret?: string): Promise<SignInOutcome> {
  let totpAsked = false;
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess(session: CognitoUserSession, userConfirmationNecessary?: boolean) {
        resolve({ session, userConfirmationNecessary: userConfirmationNecessary === true, totpAsked });
      },
      onFailure: reject,
      totpRequired() {
        totpAsked = true;
        if (totpSecret === undefined) {
          reject(new Error('unexpected TOTP challenge'));
          return;
        }
        user.sendMFACode(generateTotp(totpSecret), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
      mfaRequired() {
        reject(new Error('unexpected SMS challenge'));
      },
      newPasswordRequired() {
        reject(new Error('unexpected NEW_PASSWORD_REQUIRED'));
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

describe('amazon-cognito-identity-js against the emulator', () => {
  let emu: CognitoEmulator;

  afterEach(async () => {
    await emu.close();
  });

  test('SRP sign-in yields tokens with Cognito claims', async () => {
    emu = await startCognitoEmulator();
    const { sub } = emu.addUser({ username: 'alice', password: 'Passw0rd!', groups: ['admins'] });
    const storage = new MemoryStorage();
    const user = new CognitoUser({ Username: 'alice', Pool: poolFor(emu, storage), Storage: storage });

    const { session } = await signIn(user, 'alice', 'Passw0rd!');

    expect(session.isValid()).toBe(true);
    const access = session.getAccessToken().decodePayload();
    expect(access).toMatchObject({ token_use: 'access', username: 'alice', sub, client_id: emu.clientId, iss: emu.issuer });
    expect(access['cognito:groups']).toEqual(['admins']);
    expect(session.getIdToken().decodePayload()).toMatchObject({ token_use: 'id', aud: emu.clientId, 'cognito:username': 'alice' });
    expect(emu.calls.InitiateAuth).toBe(1);
    expect(emu.calls.RespondToAuthChallenge).toBe(1);
  });

  test('email as username: the client switches to USER_ID_FOR_SRP (a UUID) and signs in', async () => {
    emu = await startCognitoEmulator({ usernameAttributes: ['email'] });
    const { username } = emu.addUser({ username: 'carol@example.com', password: 'Passw0rd!' });
    const storage = new MemoryStorage();
    const user = new CognitoUser({ Username: 'carol@example.com', Pool: poolFor(emu, storage), Storage: storage });

    const { session } = await signIn(user, 'carol@example.com', 'Passw0rd!');

    expect(user.getUsername()).toBe(username);
    expect(session.getIdToken().decodePayload()).toMatchObject({ 'cognito:username': username, email: 'carol@example.com' });
  });

  test('a wrong password fails with NotAuthorizedException', async () => {
    emu = await startCognitoEmulator();
    emu.addUser({ username: 'alice', password: 'Passw0rd!' });
    const storage = new MemoryStorage();
    const user = new CognitoUser({ Username: 'alice', Pool: poolFor(emu, storage), Storage: storage });

    await expect(signIn(user, 'alice', 'wrong-password')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test('an unknown user with a negative fake salt fails with NotAuthorizedException, not a crash', async () => {
    emu = await startCognitoEmulator({ preventUserExistenceErrors: 'ENABLED' });
    // Fake salts are stable per name: find a name whose salt is negative, then let the AWS client try it.
    let name = '';
    for (let i = 0; i < 64 && name === ''; i++) {
      const response = await fetch(emu.endpoint, {
        method: 'POST',
        headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
        body: JSON.stringify({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: emu.clientId,
          AuthParameters: { USERNAME: `ghost-${i}`, SRP_A: 'abcdef' },
        }),
      });
      const body = (await response.json()) as { ChallengeParameters: { SALT: string } };
      if (body.ChallengeParameters.SALT.startsWith('-')) name = `ghost-${i}`;
    }
    expect(name).not.toBe('');
    const storage = new MemoryStorage();
    const user = new CognitoUser({ Username: name, Pool: poolFor(emu, storage), Storage: storage });
    await expect(signIn(user, name, 'Passw0rd!')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  test('TOTP, device confirm + remember, DEVICE_SRP_AUTH without MFA, refresh', async () => {
    emu = await startCognitoEmulator({ deviceTracking: 'opt-in' });
    const totpSecret = randomTotpSecret();
    emu.addUser({ username: 'bob', password: 'Passw0rd!', totpSecret });
    const storage = new MemoryStorage();
    const pool = poolFor(emu, storage);

    // First sign-in: password, then TOTP; the new device is confirmed and (opt-in) must be remembered explicitly.
    const first = new CognitoUser({ Username: 'bob', Pool: pool, Storage: storage });
    const firstOutcome = await signIn(first, 'bob', 'Passw0rd!', totpSecret);
    expect(firstOutcome.totpAsked).toBe(true);
    expect(firstOutcome.userConfirmationNecessary).toBe(true);
    expect(emu.calls.ConfirmDevice).toBe(1);
    const deviceKey = decodePayload(firstOutcome.session.getAccessToken().getJwtToken()).device_key as string;
    expect(deviceKey).toMatch(new RegExp(`^${emu.region}_[0-9a-f-]{36}$`));
    await new Promise<void>((resolve, reject) =>
      first.setDeviceStatusRemembered({ onSuccess: () => resolve(), onFailure: reject }),
    );
    expect(emu.calls.UpdateDeviceStatus).toBe(1);

    // Second sign-in from the same storage: the remembered device skips MFA through DEVICE_SRP_AUTH.
    emu.resetCalls();
    const second = new CognitoUser({ Username: 'bob', Pool: pool, Storage: storage });
    const secondOutcome = await signIn(second, 'bob', 'Passw0rd!', totpSecret);
    expect(secondOutcome.totpAsked).toBe(false);
    // PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER.
    expect(emu.calls.RespondToAuthChallenge).toBe(3);
    expect(emu.calls.ConfirmDevice).toBe(0);
    expect(decodePayload(secondOutcome.session.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);

    // Refresh (REFRESH_TOKEN_AUTH with DEVICE_KEY from storage) keeps auth_time and origin_jti.
    const before = secondOutcome.session.getAccessToken().decodePayload();
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      second.refreshSession(secondOutcome.session.getRefreshToken(), (error: unknown, session: CognitoUserSession) =>
        error ? reject(error) : resolve(session),
      ),
    );
    const after = refreshed.getAccessToken().decodePayload();
    expect(after.jti).not.toBe(before.jti);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.device_key).toBe(deviceKey);
    expect(emu.calls.InitiateAuth).toBe(2);
  });
});
