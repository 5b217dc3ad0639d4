import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { CognitoConfigError } from '../errors.js';
import { callCounter } from './calls.js';
import type { EmulatorContext } from './context.js';
import { FaultRegistry } from './faults.js';
import { M2mRegistry } from './m2m-state.js';
import { TOKEN_ENDPOINT_PATH } from './oauth2-token.js';
import { emulatorOperations, UNSIGNED_OPERATIONS } from './operations/index.js';
import { randomAlphanumeric, resolveEmulatorOptions } from './options.js';
import { createRequestListener, createSwitchableServer } from './server.js';
import { SessionStore } from './sessions.js';
import { PoolState } from './state.js';
import { TokenIssuer } from './tokens.js';
import { userStatus } from './user-wire.js';
import type { CognitoEmulator, CognitoEmulatorOptions } from './types.js';

/**
 * Pending connections the kernel may queue while the event loop is busy with SRP math (Node's default is 511):
 * a burst of a thousand clients then completes its TCP handshakes at once instead of retrying SYNs into timeouts.
 */
const LISTEN_BACKLOG = 4096;

/**
 * Starts a local Cognito user pool + app client on 127.0.0.1 that speaks Cognito's AWS JSON 1.1 protocol and
 * verifies SRP for real. Point `@aws-sdk/client-cognito-identity-provider`, amazon-cognito-identity-js or
 * `CognitoTokenProvider` at `emu.endpoint`.
 *
 * @example
 * const emu = await startCognitoEmulator({ clientSecret: true });
 * emu.addUser({ username: 'svc', password: 'Passw0rd!' });
 * const provider = new CognitoTokenProvider({ userPoolId: emu.userPoolId, clientId: emu.clientId,
 *   clientSecret: emu.clientSecret, endpoint: emu.endpoint, username: 'svc', password: 'Passw0rd!' });
 * await provider.getToken();
 * await emu.close();
 */
export async function startCognitoEmulator(options: CognitoEmulatorOptions = {}): Promise<CognitoEmulator> {
  if (options === null || typeof options !== 'object') throw new CognitoConfigError('options', 'must be an object.');
  const resolved = resolveEmulatorOptions(options);
  const userPoolId = `${resolved.region}_${resolved.poolName}`;
  const { clientId } = resolved;

  const { server, use } = createSwitchableServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: resolved.port, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const issuer = `${endpoint}/${userPoolId}`;

  let tokens: TokenIssuer;
  try {
    tokens = await TokenIssuer.create({
      issuer,
      clientId,
      // Read at each issue: UpdateUserPoolClient changes them.
      get accessTokenValiditySeconds() {
        return resolved.accessTokenValiditySeconds;
      },
      get idTokenValiditySeconds() {
        return resolved.idTokenValiditySeconds;
      },
      clock: resolved.clock,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const state = new PoolState(resolved);
  const ctx: EmulatorContext = {
    options: resolved,
    state,
    sessions: new SessionStore(resolved.sessionValiditySeconds * 1000, resolved.clock),
    tokens,
    userPoolId,
    issuer,
    poolName: resolved.poolName,
    clientId,
    clientSecret: resolved.clientSecret,
    fakeSaltKey: randomBytes(32),
    m2m: new M2mRegistry(resolved.clock, () => resolved.accessTokenValiditySeconds),
  };
  const faults = new FaultRegistry();
  const counter = callCounter();
  use(
    createRequestListener({
      ctx,
      operations: emulatorOperations(),
      unsignedOperations: UNSIGNED_OPERATIONS,
      faults,
      countCall: counter.count,
    }),
  );

  let closed: Promise<void> | undefined;
  const emulator: CognitoEmulator = {
    endpoint,
    region: resolved.region,
    userPoolId,
    clientId,
    clientSecret: resolved.clientSecret,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    tokenEndpoint: `${endpoint}${TOKEN_ENDPOINT_PATH}`,
    addM2mClient(client = {}) {
      const record = ctx.m2m.addClient(client);
      const result = { clientId: record.clientId } as { clientId: string; clientSecret: string };
      // Kept out of util.inspect and JSON.stringify, like emu.clientSecret.
      Object.defineProperty(result, 'clientSecret', { value: record.secrets[0]!.value.reveal(), enumerable: false });
      return result;
    },
    addUser(user) {
      const record = state.addUser(user);
      return { username: record.username, sub: record.sub };
    },
    calls: counter.calls,
    resetCalls: counter.reset,
    faults,
    lastCode: (username, channel) => state.lastCode(username, channel),
    getUserStatus(username) {
      const user = state.findUser(username);
      return user === undefined ? undefined : userStatus(user);
    },
    isTokenRevoked(token) {
      const refresh = state.refreshTokens.get(token);
      if (refresh !== undefined) return refresh.origin.revoked;
      const origin = tokens.originOf(token);
      return origin !== undefined && state.origins.get(origin)?.revoked === true;
    },
    revokeUserTokens(username) {
      const user = state.findUser(username);
      if (user === undefined) throw new CognitoConfigError('username', 'no such user in the emulator.');
      state.revokeUser(user.username);
    },
    forgetDevice(username, deviceKey) {
      const user = state.findUser(username);
      if (user === undefined || state.findDevice(user.username, deviceKey) === undefined) {
        throw new CognitoConfigError('deviceKey', 'no such device for this user in the emulator.');
      }
      state.forgetDevice(deviceKey);
    },
    rotateClientSecret(secret) {
      if (ctx.clientSecret === undefined) {
        throw new CognitoConfigError('clientSecret', 'the emulator was started without a client secret.');
      }
      const next = secret ?? randomAlphanumeric(51).toLowerCase();
      if (typeof next !== 'string' || next.length === 0) throw new CognitoConfigError('secret', 'must not be empty.');
      ctx.clientSecret = next;
      resolved.clientSecret = next;
      Object.defineProperty(emulator, 'clientSecret', { value: next, enumerable: false });
      return next;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  // The client secret must not show up when a test logs the emulator handle.
  Object.defineProperty(emulator, 'clientSecret', { value: resolved.clientSecret, enumerable: false, configurable: true });
  return emulator;
}
