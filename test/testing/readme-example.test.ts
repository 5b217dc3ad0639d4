/** The emulator example of the README, run against the sources: it must keep working as documented. */
import { CognitoTokenProvider } from '../../src/index.js';
import { startCognitoEmulator } from '../../src/testing/index.js';

test('README emulator example', async () => {
  const emu = await startCognitoEmulator({ clientSecret: true, deviceTracking: 'always' });
  emu.addUser({ username: 'svc-billing', password: 'Passw0rd!', groups: ['billing'] });

  const provider = new CognitoTokenProvider({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    endpoint: emu.endpoint,
    username: 'svc-billing',
    password: 'Passw0rd!',
    rememberDevice: true,
  });
  try {
    const jwt = await provider.getToken();
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())['cognito:groups']).toEqual(['billing']);
    expect([emu.calls.InitiateAuth, emu.calls.ConfirmDevice]).toEqual([1, 1]);

    await provider.signOut();
    expect(emu.isTokenRevoked(jwt)).toBe(true);
  } finally {
    provider.close();
    await emu.close();
  }
});

test('README account example: SignUp, ConfirmSignUp with lastCode, signed AdminGetUser', async () => {
  const { AdminGetUserCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } = await import(
    '@aws-sdk/client-cognito-identity-provider'
  );
  const emu = await startCognitoEmulator();
  const cognito = new CognitoIdentityProviderClient({
    region: emu.region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await cognito.send(
      new SignUpCommand({
        ClientId: emu.clientId,
        Username: 'bob',
        Password: 'Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
      }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: emu.clientId, Username: 'bob', ConfirmationCode: emu.lastCode('bob', 'EMAIL') }),
    );
    const bob = await cognito.send(new AdminGetUserCommand({ UserPoolId: emu.userPoolId, Username: 'bob' }));
    expect([bob.UserStatus, emu.getUserStatus('bob')]).toEqual(['CONFIRMED', 'CONFIRMED']);
  } finally {
    cognito.destroy();
    await emu.close();
  }
});
