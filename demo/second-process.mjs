/**
 * Step 8 of the demo, in its own process: another service instance with the same user and the same device
 * file, but no TOTP secret. The remembered device lets it sign in without MFA; if Cognito asked for a code
 * anyway, the `mfa.code` callback below would be called and the sign-in would fail.
 *
 * Started by demo.mjs with child_process.fork; configuration comes from the environment, the result goes
 * back over the IPC channel.
 */
import { CognitoTokenProvider, FileDeviceStore } from 'cognito-srp-auth';
import { cognitoFetch } from 'cognito-srp-auth/fetch';

const env = process.env;
let mfaCodeRequests = 0;

const provider = new CognitoTokenProvider({
  userPoolId: env.DEMO_USER_POOL_ID,
  clientId: env.DEMO_CLIENT_ID,
  endpoint: env.DEMO_ENDPOINT,
  username: env.DEMO_USERNAME,
  password: env.DEMO_PASSWORD,
  deviceStore: new FileDeviceStore(env.DEMO_DEVICE_FILE),
  mfa: {
    code: async () => {
      mfaCodeRequests += 1;
      throw new Error('Cognito asked for an MFA code: the remembered device was not used');
    },
  },
});

const signIns = [];
provider.on('signIn', (event) => signIns.push({ challenges: event.challenges, deviceKey: event.deviceKey }));

let result;
try {
  const fetch = cognitoFetch(provider);
  const response = await fetch(`${env.DEMO_API}/orders?from=second-process`);
  await response.arrayBuffer();
  result = { ok: true, pid: process.pid, status: response.status, signIns, mfaCodeRequests };
} catch (error) {
  const cause = error?.cause instanceof Error ? error.cause : error;
  result = { ok: false, pid: process.pid, error: cause?.message ?? String(cause), signIns, mfaCodeRequests };
} finally {
  provider.close();
}
// Exit once the parent has the result; keep-alive sockets must not keep this process around.
process.send(result, () => process.exit(result.ok ? 0 : 1));
