/** The quick start and the device-trust example of the README account section, run against the sources. */
import { Cognito, MemoryTrustStore, MfaRequiredError, generateTotp } from '../../src/index.js';
import { startCognitoEmulator } from '../../src/testing/index.js';
import { rejectionOf } from './helpers.js';

test('README account quick start', async () => {
  const emu = await startCognitoEmulator();
  const pool = { userPoolId: emu.userPoolId, clientId: emu.clientId, endpoint: emu.endpoint };
  const opened: Cognito[] = [];
  const make = (extra: { username?: string } = {}): Cognito => {
    const c = new Cognito({ ...pool, ...extra });
    opened.push(c);
    return c;
  };
  try {
    const signUp = make();
    signUp.setBaseAttributes({ email: 'bob@example.com', given_name: 'Bob' });
    signUp.addCustomAttributes({ tenant: 'acme' });
    await signUp.register('bob', 'Corr3ct-Horse-Battery!');
    await signUp.confirmSignUp(emu.lastCode('bob')!, 'bob');

    const bob = make({ username: 'bob' });
    await bob.authenticate('Corr3ct-Horse-Battery!');
    expect(bob.idClaims!['custom:tenant']).toBe('acme');
    const user = await bob.getUser({ attrMap: { given_name: 'firstName' } });
    expect(user.attributes.firstName).toBe('Bob');

    const setup = await bob.associateSoftwareToken();
    expect(setup.otpauthUri('bob@example.com', 'Acme')).toMatch(/^otpauth:\/\/totp\/Acme:/);
    await bob.verifySoftwareToken(generateTotp(setup.secretCode), 'phone');
    await bob.setUserMfaPreference(false, true, 'SOFTWARE_TOKEN');
    const error = await rejectionOf(make({ username: 'bob' }).authenticate('Corr3ct-Horse-Battery!'));
    expect(error).toBeInstanceOf(MfaRequiredError);
    const later = make({ username: 'bob' });
    await later.respondToSoftwareTokenMfaChallenge(generateTotp(setup.secretCode), (error as MfaRequiredError).continuation);
    expect(later.accessClaims!.username).toBe('bob');
  } finally {
    for (const c of opened) c.close();
    await emu.close();
  }
});

test('README device-trust example', async () => {
  const emu = await startCognitoEmulator({ deviceTracking: 'always' });
  emu.addUser({ username: 'bob', password: 'Corr3ct-Horse-Battery!' });
  const bob = new Cognito({ userPoolId: emu.userPoolId, clientId: emu.clientId, endpoint: emu.endpoint, username: 'bob' });
  try {
    await bob.authenticate('Corr3ct-Horse-Battery!');
    const device = await bob.confirmDevice('laptop');
    for (const store of [bob.trustedDeviceAttributeStore(), new MemoryTrustStore()]) {
      const trust = bob.deviceTrust(store);
      await trust.trust(device.deviceKey, 30);
      expect((await trust.enforce(device.deviceKey)).status).toBe('trusted');
    }
    expect((await bob.getDevice()).remembered).toBe(true);
  } finally {
    bob.close();
    await emu.close();
  }
});
