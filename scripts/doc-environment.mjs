/**
 * The environment the README's and docs' code blocks read their settings from, for the docs test
 * (test/docs/code-blocks.test.ts, against the sources) and the smoke test (scripts/smoke-readme.mjs, against the
 * packed tarball): adds the SRP user and the M2M client to `emu` and returns the variables pointing at it.
 */
import { randomBytes } from 'node:crypto';

const USERNAME = 'svc@example.com';
const PASSWORD = 'Corr3ct-Horse-Battery!';

export function docEnvironment(emu, { apiUrl, redisUrl }) {
  emu.addUser({ username: USERNAME, password: PASSWORD });
  const m2m = emu.addM2mClient({ scopes: ['orders/read'] });
  return {
    COGNITO_USER_POOL_ID: emu.userPoolId,
    COGNITO_CLIENT_ID: emu.clientId,
    COGNITO_ENDPOINT: emu.endpoint,
    COGNITO_USERNAME: USERNAME,
    COGNITO_PASSWORD: PASSWORD,
    COGNITO_M2M_CLIENT_ID: m2m.clientId,
    COGNITO_M2M_CLIENT_SECRET: m2m.clientSecret,
    API_URL: apiUrl,
    REDIS_URL: redisUrl,
    COGNITO_CACHE_KEY: randomBytes(32).toString('base64'),
  };
}
