/** MFA_SETUP and TOTP enrolment (AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference) through the SDK. */
import {
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { generateTotp } from '../../src/auth/totp.js';
import { type CognitoEmulatorOptions } from '../../src/testing/index.js';
import { rejectionOf, respond, sdkFixture, srpSignIn } from './helpers.js';

const PASSWORD = 'Passw0rd!';

const fx = sdkFixture();

async function start(options: CognitoEmulatorOptions): Promise<void> {
  (await fx.start(options)).addUser({ username: 'alice', password: PASSWORD });
}

test('pool MFA "on" and no MFA yet: MFA_SETUP, then TOTP enrolment through the session, then tokens', async () => {
  await start({ mfa: 'on', clientSecret: true });
  const setup = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
  expect(setup.ChallengeName).toBe('MFA_SETUP');
  expect(JSON.parse(setup.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(['SOFTWARE_TOKEN_MFA']);

  const early = await rejectionOf(respond(fx.client, fx.emu, 'MFA_SETUP', setup.Session, 'alice', {}));
  expect(early.name).toBe('InvalidParameterException');

  const associated = await fx.client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
  expect(associated.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
  const wrong = await rejectionOf(fx.client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: '000000' })));
  expect(wrong.name).toBe('EnableSoftwareTokenMFAException');
  const verified = await fx.client.send(
    new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: generateTotp(associated.SecretCode!) }),
  );
  expect(verified.Status).toBe('SUCCESS');
  const done = await respond(fx.client, fx.emu, 'MFA_SETUP', verified.Session, 'alice', {});
  expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));

  // The next sign-in asks for the enrolled TOTP.
  const next = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
  expect(next.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const again = await respond(fx.client, fx.emu, 'SOFTWARE_TOKEN_MFA', next.Session, 'alice', {
    SOFTWARE_TOKEN_MFA_CODE: generateTotp(associated.SecretCode!),
  });
  expect(again.AuthenticationResult?.IdToken).toEqual(expect.any(String));
});

test('a signed-in user enrols TOTP with the access token and enables it with SetUserMFAPreference', async () => {
  await start({ mfa: 'optional' });
  const first = await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD);
  const access = first.AuthenticationResult!.AccessToken!;

  const notYet = await rejectionOf(
    fx.client.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true } })),
  );
  expect(notYet.name).toBe('InvalidParameterException');

  const { SecretCode } = await fx.client.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
  await fx.client.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: generateTotp(SecretCode!) }));
  // Verified but not enabled: no challenge yet.
  expect((await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD)).AuthenticationResult).toBeDefined();

  await fx.client.send(
    new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  const user = await fx.client.send(new GetUserCommand({ AccessToken: access }));
  expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
  expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  expect((await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

  await fx.client.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: false } }));
  expect((await srpSignIn(fx.client, fx.emu, 'alice', PASSWORD)).AuthenticationResult).toBeDefined();
});
