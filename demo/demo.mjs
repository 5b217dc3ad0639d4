#!/usr/bin/env node
/**
 * `npm run demo`: cognito-srp-auth doing its main job, with no AWS account and no network beyond 127.0.0.1.
 *
 * A local Cognito user pool (the emulator from `cognito-srp-auth/testing`, with a TOTP user and device
 * tracking) and a small API that verifies every JWT with the pool's JWKS; then one CognitoTokenProvider
 * shared by axios, got, undici and fetch goes through sign-in, device remembering, a forced expiry, a
 * server-side revocation, and a second process signing in on the remembered device. Every figure printed
 * is measured live; if one is not what the library promises, the demo says which step failed and exits 1.
 *
 * The imports below use the package's own name (Node resolves it through package.json "exports"), so this
 * file reads like your code would. It runs on the build: `npm run demo` builds first.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import got from 'got';
import { Agent, request } from 'undici';
import { CognitoTokenProvider, FileDeviceStore } from 'cognito-srp-auth';
import { startCognitoEmulator } from 'cognito-srp-auth/testing';
import { attachCognitoAuth } from 'cognito-srp-auth/axios';
import { cognitoGot } from 'cognito-srp-auth/got';
import { cognitoInterceptor } from 'cognito-srp-auth/undici';
import { cognitoFetch } from 'cognito-srp-auth/fetch';
import { startProtectedApi } from './protected-api.mjs';

// The AWS SDK prints a notice about its future Node support on Node < 22; it is not about this demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USERNAME = 'svc-orders';
const PASSWORD = 'Correct-Horse-Battery-9!'; // demo only: in production, a secret store or a password function
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'; // base32, as an authenticator app would have it
const PER_CLIENT = 100;
const CLIENTS = ['axios', 'got', 'undici', 'fetch'];
const STEP_TIMEOUT_MS = 20_000;

const started = performance.now();
const cleanups = [];
let stepNumber = 0;

/** Runs one numbered step; its function returns the lines to print. */
async function step(title, run) {
  stepNumber += 1;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
  });
  try {
    const lines = [await Promise.race([run(), timeout])].flat();
    console.log(`${String(stepNumber).padStart(2)}. ${lines[0]}`);
    for (const line of lines.slice(1)) console.log(`    ${line}`);
  } catch (error) {
    error.step = `${stepNumber} (${title})`;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The demo's claims are checked, not just printed. */
function expectThat(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
}

const ms = (t0) => `${Math.round(performance.now() - t0)} ms`;
const short = (key) => `${key.slice(0, 18)}…`;

async function main() {
  console.log('cognito-srp-auth demo: a local Cognito user pool, a protected API and four HTTP clients, all on 127.0.0.1\n');

  // Cognito's clock and the API's clock; step 6 moves both forward to expire the cached token for real.
  let clockOffsetMs = 0;
  const worldNow = () => Date.now() + clockOffsetMs;

  const emu = await startCognitoEmulator({ poolName: 'demo', deviceTracking: 'always', clock: worldNow });
  cleanups.push(() => emu.close());
  emu.addUser({ username: USERNAME, password: PASSWORD, email: 'orders@example.com', totpSecret: TOTP_SECRET });
  await step('emulator', () => [
    `Cognito emulator  ${emu.endpoint}  pool ${emu.userPoolId}, device tracking on, user ${USERNAME} with TOTP MFA`,
  ]);

  const api = await startProtectedApi({
    jwksUri: emu.jwksUri,
    issuer: emu.issuer,
    isRevoked: (token) => emu.isTokenRevoked(token),
    now: worldNow,
  });
  cleanups.push(() => api.close());
  await step('protected API', () => [`Protected API     ${api.origin}  verifies every JWT with the pool's JWKS (RS256, issuer, expiry)`]);

  const dir = await mkdtemp(join(tmpdir(), 'cognito-srp-auth-demo-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const deviceFile = join(dir, 'devices.json');

  const provider = new CognitoTokenProvider({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    endpoint: emu.endpoint, // leave out for the real Cognito
    username: USERNAME,
    password: PASSWORD,
    mfa: { totpSecret: TOTP_SECRET },
    rememberDevice: true,
    deviceStore: new FileDeviceStore(deviceFile),
  });
  cleanups.push(() => provider.close());
  const events = { signIns: [], refreshes: [], failures: [], devices: [] };
  provider.on('signIn', (e) => events.signIns.push(e));
  provider.on('refresh', (e) => events.refreshes.push(e));
  provider.on('failure', (e) => events.failures.push(e));
  provider.on('deviceRemembered', (e) => events.devices.push(e));

  await step('sign-in', async () => {
    const t0 = performance.now();
    const tokens = await provider.getTokens();
    const signIn = events.signIns[0];
    expectThat(signIn?.challenges.includes('SOFTWARE_TOKEN_MFA'), 'the first sign-in to answer SOFTWARE_TOKEN_MFA');
    const minutes = Math.round((tokens.expiresAt - worldNow()) / 60_000);
    return [
      `SRP sign-in: ${signIn.challenges.join(' → ')} (code computed from the TOTP secret) in ${ms(t0)}`,
      `access token for ${tokens.username}, valid ${minutes} min, already verified against the JWKS by the provider`,
    ];
  });

  await step('device', async () => {
    const device = events.devices[0];
    expectThat(device !== undefined && emu.calls.ConfirmDevice === 1, 'one ConfirmDevice');
    const mode = (await stat(deviceFile)).mode & 0o777;
    expectThat(mode === 0o600, 'the device file to have mode 0600');
    return `Device remembered: ConfirmDevice → ${short(device.deviceKey)}, saved to ${deviceFile} (mode ${mode.toString(8)})`;
  });

  // The four clients, each wired once, all sharing the provider.
  const axiosClient = axios.create({ baseURL: api.origin });
  attachCognitoAuth(axiosClient, provider);
  const gotClient = got.extend({ retry: { limit: 0 } }, cognitoGot(provider));
  const dispatcher = new Agent().compose(cognitoInterceptor(provider, { origins: [api.origin] }));
  cleanups.push(() => dispatcher.close());
  const authFetch = cognitoFetch(provider);
  const send = {
    axios: async (path) => (await axiosClient.get(path)).status,
    got: async (path) => (await gotClient.get(`${api.origin}${path}`)).statusCode,
    undici: async (path) => {
      const response = await request(`${api.origin}${path}`, { dispatcher });
      await response.body.dump();
      return response.statusCode;
    },
    fetch: async (path) => {
      const response = await authFetch(`${api.origin}${path}`);
      await response.arrayBuffer();
      return response.status;
    },
  };

  await step('clients', async () => {
    const statuses = [];
    for (const client of CLIENTS) statuses.push(`${client} ${await send[client](`/orders?client=${client}`)}`);
    expectThat(api.counts.ok === 4 && api.distinctTokens === 1, 'four 200s with one token');
    expectThat(events.signIns.length === 1, 'no sign-in besides the first');
    return `One request per client, same cached token: ${statuses.join(' · ')}`;
  });

  await step('forced expiry', async () => {
    clockOffsetMs += 60 * 60 * 1000;
    api.resetCounts();
    const refreshesBefore = events.refreshes.length;
    const refreshCallsBefore = emu.calls.GetTokensFromRefreshToken ?? 0;
    const t0 = performance.now();
    const statuses = await Promise.all(
      CLIENTS.flatMap((client) => Array.from({ length: PER_CLIENT }, (_, i) => send[client](`/orders/${client}/${i}`))),
    );
    const total = statuses.length;
    const refreshes = events.refreshes.length - refreshesBefore;
    const refreshCalls = (emu.calls.GetTokensFromRefreshToken ?? 0) - refreshCallsBefore;
    expectThat(statuses.every((s) => s === 200), `all ${total} requests to end with 200`);
    expectThat(refreshes === 1, `1 refresh, got ${refreshes}`);
    return [
      `Forced expiry: Cognito's and the API's clocks jump 1 h ahead, so the cached token has expired`,
      `${total} concurrent requests, ${PER_CLIENT} each via ${CLIENTS.join(', ')} → ${api.counts.unauthorized} × 401`,
      `→ ${refreshes} refresh (emulator saw ${refreshCalls} GetTokensFromRefreshToken) → ${api.counts.ok} × 200, in ${ms(t0)}`,
    ];
  });

  await step('revocation', async () => {
    emu.revokeUserTokens(USERNAME); // like AdminUserGlobalSignOut: the API and Cognito now refuse this session
    api.resetCounts();
    const signInsBefore = events.signIns.length;
    const t0 = performance.now();
    const status = await send.axios('/orders/after-revocation');
    const signIns = events.signIns.slice(signInsBefore);
    const refused = events.failures.some((f) => f.operation === 'refresh' && f.recovered);
    expectThat(status === 200, 'the request to succeed after one re-sign-in');
    expectThat(signIns.length === 1 && refused, 'one refused refresh and one re-sign-in');
    expectThat(!signIns[0].challenges.includes('SOFTWARE_TOKEN_MFA'), 'no MFA on the remembered device');
    return [
      `Server-side revocation (like AdminUserGlobalSignOut) → ${api.counts.unauthorized} × 401 → refresh refused`,
      `→ 1 re-sign-in on the remembered device (${signIns[0].challenges.join(' → ')}, no MFA) → ${status}, in ${ms(t0)}`,
    ];
  });

  await step('second process', async () => {
    const signInsBefore = emu.calls.InitiateAuth;
    const confirmsBefore = emu.calls.ConfirmDevice;
    const result = await runSecondProcess({
      DEMO_USER_POOL_ID: emu.userPoolId,
      DEMO_CLIENT_ID: emu.clientId,
      DEMO_ENDPOINT: emu.endpoint,
      DEMO_USERNAME: USERNAME,
      DEMO_PASSWORD: PASSWORD,
      DEMO_DEVICE_FILE: deviceFile,
      DEMO_API: api.origin,
    });
    expectThat(result.ok, `the second process to succeed (${result.error ?? ''})`);
    const challenges = result.signIns[0]?.challenges ?? [];
    expectThat(result.mfaCodeRequests === 0 && challenges.includes('DEVICE_PASSWORD_VERIFIER'), 'a device sign-in without MFA');
    expectThat(emu.calls.InitiateAuth - signInsBefore === 1 && emu.calls.ConfirmDevice === confirmsBefore, 'one sign-in, no new device');
    return [
      `Second process (pid ${result.pid}, same device file, no TOTP secret): ${challenges.join(' → ')}`,
      `MFA code callback called ${result.mfaCodeRequests} times → API ${result.status}`,
    ];
  });

  const c = emu.calls;
  console.log(
    `\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s. Cognito saw ${c.InitiateAuth} SRP sign-ins, ` +
      `${c.GetTokensFromRefreshToken ?? 0} refresh calls (1 refused after the revocation), ${c.ConfirmDevice} device confirmation.`,
  );
}

/** Forks demo/second-process.mjs and resolves with the result it sends back. */
function runSecondProcess(env) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./second-process.mjs', import.meta.url)), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result;
    child.on('message', (message) => (result = message));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`the second process exited with ${code ?? signal} without a result`));
    });
  });
}

async function closeAll() {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // keep closing the rest
    }
  }
}

try {
  await main();
} catch (error) {
  const where = error?.step === undefined ? '' : ` at step ${error.step}`;
  console.error(`\ndemo FAILED${where}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeAll();
}
