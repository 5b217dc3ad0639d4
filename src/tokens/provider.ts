import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { EphemeralPool, VerifierCache, type SrpEphemeral } from '../srp/index.js';
import {
  CognitoAuthError,
  CognitoConfigError,
  DeviceNotFoundError,
  NotAuthorizedError,
  RefreshTokenExpiredError,
} from '../errors.js';
import { Secret } from '../secret.js';
import { CognitoApi, createCognitoTransport } from '../auth/cognito-client.js';
import { sdkTransport, type CognitoTransport } from '../auth/cognito-transport.js';
import { resolveOptions, type ResolvedOptions } from '../auth/options.js';
import { Refresher, type RefreshApi } from '../auth/refresh.js';
import { withRetry } from '../auth/retry.js';
import { throwIfAborted } from '../auth/deadline.js';
import { flightTimeoutMs } from './flight-bound.js';
import { signInWithSrp } from '../auth/sign-in.js';
import type { AuthFlow, AuthFlowFallback } from '../auth/auth-flow.js';
import { readClientSecret } from '../auth/client-secret.js';
import { totpAnswerer, type TotpRetryEvent } from '../auth/totp-answer.js';
import type { CognitoTokenProviderOptions } from '../auth/types.js';
import { deviceStoreKey, type DeviceCredentials } from './device-store.js';
import { guardDeviceStore, guardTokenStore } from './store-deadline.js';
import type { TokenSource } from './token-source.js';
import { DeviceKeeper } from './device-keeper.js';
import { SessionKeeper, type RefreshSession } from './session-keeper.js';
import { tokenSetData, tokenSetFromData, tokenSetFromResult, type TokenSet } from './token-set.js';
import { fleetTokens } from './fleet.js';
import { TokenLifecycle, type ObtainContext, type Obtained } from './token-lifecycle.js';
import { TokenVerifier } from './verifier.js';
import { asError, emitSafely, type FailureEvent, type ProviderOperation, type RetryEvent } from './events.js';

export { EXPIRY_MARGIN_MS } from './token-lifecycle.js';

export type { FailureEvent, ProviderOperation, RetryEvent } from './events.js';

/** Payloads of the provider's events. None contains a password, token, device password or TOTP secret. */
export interface SignInEvent {
  /** Cognito's internal user name. */
  username: string;
  /** The remembered device used to skip MFA, if any. */
  deviceKey: string | undefined;
  /** Challenges answered, e.g. `['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA']`. */
  challenges: string[];
  durationMs: number;
  /** The flow that signed in: `USER_SRP_AUTH` or `USER_AUTH`. */
  authFlow: AuthFlow;
  /** Set when the app client refused the configured flow and the provider switched (USER_SRP_AUTH → USER_AUTH). */
  fallback: AuthFlowFallback | undefined;
}
export interface RefreshEvent {
  api: RefreshApi;
  /** Cognito returned a new refresh token (rotation). */
  rotated: boolean;
  /** The refresh ran while the previous token was still being served. */
  background: boolean;
  durationMs: number;
}
export interface DeviceEvent {
  deviceKey: string;
}
export interface DeviceForgottenEvent {
  deviceKey: string;
  reason: string;
}

export interface CognitoTokenProviderEvents {
  signIn: [SignInEvent];
  refresh: [RefreshEvent];
  failure: [FailureEvent];
  retry: [RetryEvent];
  deviceRemembered: [DeviceEvent];
  deviceForgotten: [DeviceForgottenEvent];
  signOut: [{ username: string | undefined }];
  /** A computed TOTP code was refused (already used); the sign-in waits `waitMs` for the next step, once. */
  totpRetry: [TotpRetryEvent];
}


/** One sign-in or refresh: its signal, and the Cognito API bound to it. */
interface Flight {
  signal: AbortSignal;
  api: CognitoApi;
}

let sharedEphemerals: EphemeralPool | undefined;
function takeEphemeral(): Promise<SrpEphemeral> {
  sharedEphemerals ??= new EphemeralPool(1);
  return sharedEphemerals.takeAsync();
}

/**
 * Signs a service user in to a Cognito user pool with SRP and keeps a valid JWT at hand.
 *
 * - `getToken()` returns the same settled promise while the token is fresh (one clock compare);
 *   it refreshes `refreshBeforeExpirySeconds` before `exp` in the background, and all concurrent
 *   callers share one sign-in or refresh.
 * - Devices: with `rememberDevice` and a `deviceStore`, the first sign-in confirms the device and later
 *   sign-ins (other processes too) use it to skip MFA.
 * - Sessions: with a `tokenStore`, the newest refresh token is saved after every sign-in and refresh, and
 *   a new instance (or process) resumes with one refresh instead of a password sign-in.
 * - Events (`signIn`, `refresh`, `failure`, `retry`, `deviceRemembered`, `deviceForgotten`, `signOut`)
 *   carry no secrets. Listener exceptions are ignored.
 *
 * @example
 * const provider = new CognitoTokenProvider({ userPoolId, clientId, username, password });
 * const jwt = await provider.getToken();
 */
export class CognitoTokenProvider extends EventEmitter<CognitoTokenProviderEvents> implements TokenSource {
  readonly #options: ResolvedOptions;
  readonly #api: CognitoApi;
  readonly #transport: CognitoTransport;
  readonly #verifier: TokenVerifier | undefined;
  readonly #refresher = new Refresher();
  readonly #storeKey: string;
  readonly #lifecycle: TokenLifecycle<TokenSet>;

  /** The refresh token was refused: the next attempt signs in, while the access token is still served. */
  #refreshTokenDead = false;
  readonly #devices: DeviceKeeper;
  readonly #sessions: SessionKeeper;
  #changedPassword: Secret | undefined;
  /** g^x of the password, kept only when the options hold the password as a string anyway (never x itself). */
  readonly #verifierCache: VerifierCache | undefined;

  constructor(options: CognitoTokenProviderOptions) {
    super();
    const resolved = resolveOptions(options);
    // Every store call ends by the deadline too (or at close()): a hung network share must not hold the flight.
    const storeLifetime = (): AbortSignal => this.#lifecycle.signal;
    this.#options = {
      ...resolved,
      deviceStore: resolved.deviceStore && guardDeviceStore(resolved.deviceStore, resolved.timeoutMs, storeLifetime),
      tokenStore: resolved.tokenStore && guardTokenStore(resolved.tokenStore, resolved.timeoutMs, storeLifetime),
    };
    const o = this.#options;
    this.#verifierCache = typeof o.password.reveal() === 'string' ? new VerifierCache() : undefined;
    this.#storeKey = deviceStoreKey(o.userPoolId, o.username);
    const report = this.#reportFailure.bind(this);
    this.#sessions = new SessionKeeper(o.tokenStore, this.#storeKey, o.clientId, report);
    this.#devices = new DeviceKeeper({
      store: o.deviceStore,
      key: this.#storeKey,
      device: o.device,
      name: o.rememberDevice === false ? undefined : o.rememberDevice.name,
      report,
      onRemembered: (deviceKey) => this.#emit('deviceRemembered', { deviceKey }),
      onForgotten: (deviceKey, reason) => this.#emit('deviceForgotten', { deviceKey, reason }),
    });
    this.#transport =
      o.cognitoClient === undefined ? createCognitoTransport(o.region, o.endpoint) : sdkTransport(o.cognitoClient);
    this.#lifecycle = new TokenLifecycle<TokenSet>({
      tokenOf: (tokens) => tokens.token(o.tokenType),
      refreshBeforeMs: o.refreshBeforeExpirySeconds * 1000,
      retry: o.retry,
      flightTimeoutMs: flightTimeoutMs(o.timeoutMs, o.retry),
      obtain: (context) => this.#obtain(context),
      onInstalled: (tokens, background) => this.#sessions.save(tokens, background),
      ...(o.cache === undefined
        ? {}
        : {
            shared: fleetTokens<TokenSet>({
              cache: o.cache,
              kind: 'srp',
              identity: [o.endpoint ?? o.region, o.userPoolId, o.clientId, o.username, o.tokenType],
              timeoutMs: o.timeoutMs,
              onFailure: (error) => this.#reportFailure('cache', error, false, true),
              serialize: tokenSetData,
              parse: tokenSetFromData,
            }),
          }),
    });
    const lifetime = (): AbortSignal => this.#lifecycle.signal;
    this.#api = new CognitoApi(this.#transport, { timeoutMs: o.timeoutMs, lifetime });
    this.#verifier =
      o.verify === undefined
        ? undefined
        : new TokenVerifier({
            issuer: o.verify.issuer,
            clientId: o.verify.clientId,
            jwksUri: o.verify.jwksUri,
            timeoutMs: o.timeoutMs,
            lifetime,
            ...(o.verify.jwks === undefined ? {} : { jwks: o.verify.jwks }),
          });
  }

  /**
   * A JWT (access token by default, `tokenType: 'id'` for the ID token) valid now. Signs in or
   * refreshes as needed; concurrent callers share one operation.
   */
  getToken(): Promise<string> {
    return this.#lifecycle.getToken();
  }

  /** The cached token while it is fresh, else `undefined`. Never starts I/O. */
  peekToken(): string | undefined {
    return this.#lifecycle.peekToken();
  }

  /**
   * The API rejected `token` (401): the next `getToken()` refreshes, once, however many callers report
   * it. A token that is no longer the current one is ignored; no argument invalidates the current one.
   */
  invalidate(token?: string): void {
    this.#lifecycle.invalidate(token);
  }

  /** All tokens of the current session (fresh, as `getToken()` ensures). Do not log the JWTs. */
  async getTokens(): Promise<TokenSet> {
    await this.getToken();
    const tokens = this.#lifecycle.tokens;
    if (tokens === undefined) throw new CognitoAuthError('NOT_AUTHORIZED', 'Signed out while the tokens were requested.');
    return tokens;
  }

  /**
   * Signs the user out everywhere (GlobalSignOut; RevokeToken of this session's refresh token when
   * that fails) and forgets the tokens. The remembered device stays. The next `getToken()` signs in.
   */
  async signOut(): Promise<void> {
    await this.#lifecycle.forget(async (tokens) => {
      this.#refreshTokenDead = false;
      // A session saved by an earlier instance or process is signed out too, so a restart does not resume it.
      const stored = tokens === undefined ? await this.#sessions.load() : undefined;
      if (tokens === undefined && stored === undefined) return;
      if (tokens !== undefined) await this.#signOutEverywhere(tokens);
      else await this.#revoke(stored!.refreshToken);
      // Only once Cognito has revoked it: if that failed, the stored session stays, so signOut() can be retried
      // (from this process or the next) instead of leaving a live refresh token nobody can revoke.
      await this.#sessions.delete();
      this.#emit('signOut', { username: tokens?.username ?? stored?.username });
    });
  }

  async #signOutEverywhere(tokens: TokenSet): Promise<void> {
    try {
      await this.#api.globalSignOut(tokens.accessToken);
    } catch (globalError) {
      if (tokens.refreshToken === undefined) throw this.#reportFailure('signOut', globalError);
      await this.#revoke(tokens.refreshToken);
    }
  }

  async #revoke(refreshToken: string): Promise<void> {
    try {
      const clientSecret = await readClientSecret(this.#options.clientSecret);
      await this.#api.revokeToken(refreshToken, this.#options.clientId, clientSecret?.reveal());
    } catch (revokeError) {
      throw this.#reportFailure('signOut', revokeError);
    }
  }

  /**
   * Aborts the sign-in or refresh in progress (its Cognito calls, JWKS fetch and back-off waits; callers
   * waiting on it get an `AbortedError`); idle keep-alive sockets never hold the process, so it can exit at once. The provider stays usable: a later `getToken()` starts afresh.
   */
  close(): void {
    this.#lifecycle.close();
    this.#verifierCache?.clear();
    this.#transport.destroy();
  }

  async #obtain(context: ObtainContext<TokenSet>): Promise<Obtained<TokenSet>> {
    const { current: tokens, background } = context;
    // Every Cognito call of this flight ends with the flight: one left over after close() or its deadline stops.
    const flight: Flight = { signal: context.signal, api: this.#api.within(context.signal) };
    let operation: 'signIn' | 'refresh' = 'signIn';
    try {
      let obtained: Obtained<TokenSet>;
      if (tokens?.refreshToken !== undefined && !this.#refreshTokenDead) {
        operation = 'refresh';
        obtained = await this.#refreshOrSignIn(sessionOf(tokens, tokens.refreshToken), background, flight);
      } else {
        // Nothing in memory: a saved session (from an earlier instance or process) spares the password sign-in.
        const stored = tokens === undefined ? await this.#sessions.load() : undefined;
        if (stored !== undefined) operation = 'refresh';
        obtained =
          stored === undefined
            ? await this.#signIn(flight)
            : await this.#refreshOrSignIn(stored, background, flight);
      }
      this.#refreshTokenDead = false;
      return obtained;
    } catch (error) {
      // A dead refresh token was followed by a sign-in: that sign-in is what failed.
      throw this.#reportFailure(this.#refreshTokenDead ? 'signIn' : operation, error, context.stillServing());
    }
  }

  async #refreshOrSignIn(session: RefreshSession, background: boolean, flight: Flight): Promise<Obtained<TokenSet>> {
    const started = Date.now();
    try {
      const { result, api } = await withRetry(
        this.#options.retry,
        () =>
          this.#refresher.refresh({
            api: flight.api,
            clientId: this.#options.clientId,
            clientSecret: this.#options.clientSecret,
            refreshToken: session.refreshToken,
            username: session.username,
            deviceKey: session.deviceKey,
            clientMetadata: this.#options.clientMetadata,
          }),
        { onRetry: (info) => this.#emit('retry', { operation: 'refresh', ...info }), signal: flight.signal },
      );
      const next = tokenSetFromResult(result, {
        previousRefreshToken: session.refreshToken,
        username: session.username,
        deviceKey: session.deviceKey,
      });
      await this.#verify(next);
      const event: RefreshEvent = {
        api,
        rotated: result.RefreshToken !== undefined && result.RefreshToken !== session.refreshToken,
        background,
        durationMs: Date.now() - started,
      };
      return { next, announce: () => this.#emit('refresh', event) };
    } catch (error) {
      const dead =
        error instanceof RefreshTokenExpiredError ||
        error instanceof NotAuthorizedError ||
        error instanceof DeviceNotFoundError;
      if (!dead) throw error;
      // Expired, revoked or rotated-out refresh token (or its device is gone): one full sign-in.
      this.#reportFailure('refresh', error, background, true);
      this.#refreshTokenDead = true;
      // Deleted before the sign-in, so a sign-in that fails (MFA nobody answers) leaves no dead session behind.
      await this.#sessions.delete(session.refreshToken, background);
      if (error instanceof DeviceNotFoundError && session.deviceKey !== undefined) {
        await this.#devices.forget(session.deviceKey, 'Cognito no longer knows the device (refresh)');
      }
      return this.#signIn(flight);
    }
  }

  async #signIn(flight: Flight): Promise<Obtained<TokenSet>> {
    const device = await this.#devices.current();
    try {
      return await this.#signInWith(device, flight);
    } catch (error) {
      if (!(error instanceof DeviceNotFoundError) || device === undefined) throw error;
      // `Device does not exist.`: drop it and sign in once more without it (MFA may then apply).
      this.#reportFailure('signIn', error, false, true);
      await this.#devices.forget(device.deviceKey, 'Cognito no longer knows the device (sign-in)');
      return this.#signInWith(undefined, flight);
    }
  }

  async #signInWith(device: DeviceCredentials | undefined, flight: Flight): Promise<Obtained<TokenSet>> {
    const { signal, api } = flight;
    const o = this.#options;
    const started = Date.now();
    const outcome = await withRetry(
      o.retry,
      async () => {
        const password = await this.#password();
        // Closed (or past the flight deadline) while the callback ran: do not sign in after all.
        throwIfAborted(signal);
        return signInWithSrp({
          api,
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          poolName: o.poolName,
          username: o.username,
          password,
          device,
          clientMetadata: o.clientMetadata,
          takeEphemeral,
          ...(this.#verifierCache === undefined ? {} : { verifierCache: this.#verifierCache }),
          authFlow: o.authFlow,
          totp: totpAnswerer(o.totpSecret, (event) => this.#emit('totpRetry', event), signal),
          mfaCode: o.mfaCode,
          newPassword: o.newPassword,
        });
      },
      { onRetry: (info) => this.#emit('retry', { operation: 'signIn', ...info }), signal },
    );
    if (outcome.changedPassword !== undefined) this.#changedPassword = new Secret(outcome.changedPassword);
    let tokens = tokenSetFromResult(outcome.result, { username: outcome.username, deviceKey: device?.deviceKey });
    await this.#verify(tokens);
    const fresh = outcome.newDevice;
    if (
      fresh?.DeviceKey !== undefined &&
      fresh.DeviceGroupKey !== undefined &&
      o.rememberDevice !== false
    ) {
      const remembered = await this.#devices.remember(api, tokens.accessToken, fresh.DeviceKey, fresh.DeviceGroupKey);
      // Refreshes must carry the key of a confirmed device.
      if (remembered) tokens = withDeviceKey(tokens, fresh.DeviceKey);
    }
    const event: SignInEvent = {
      username: tokens.username,
      deviceKey: device?.deviceKey,
      challenges: outcome.challenges,
      durationMs: Date.now() - started,
      authFlow: outcome.authFlow,
      fallback: outcome.fallback,
    };
    return { next: tokens, announce: () => this.#emit('signIn', event) };
  }

  async #password(): Promise<string> {
    if (this.#changedPassword !== undefined) return this.#changedPassword.reveal();
    const source = this.#options.password.reveal();
    if (typeof source === 'string') return source;
    const value = await source();
    if (typeof value !== 'string' || value.length === 0) {
      throw new CognitoConfigError('password', 'the password function must resolve to a non-empty string.');
    }
    return value;
  }

  async #verify(tokens: TokenSet): Promise<void> {
    if (this.#verifier === undefined) return;
    await Promise.all([this.#verifier.verify(tokens.accessToken, 'access'), this.#verifier.verify(tokens.idToken, 'id')]);
  }

  /**
   * Emits a `failure` event and returns the error to throw: Cognito failures are already typed; an
   * error from the caller's own callbacks (password, mfa.code, newPassword) is passed on unchanged.
   */
  #reportFailure(operation: ProviderOperation, error: unknown, background = false, recovered = false): Error {
    const typed = asError(error, operation);
    this.#emit('failure', { operation, error: typed, background, recovered });
    return typed;
  }

  #emit<K extends keyof CognitoTokenProviderEvents>(event: K, ...args: CognitoTokenProviderEvents[K]): void {
    emitSafely(this, event, args[0]);
  }

  #describe(): Record<string, unknown> {
    return {
      userPoolId: this.#options.userPoolId,
      clientId: this.#options.clientId,
      username: this.#options.username,
      tokenType: this.#options.tokenType,
      signedIn: this.#lifecycle.tokens !== undefined,
      expiresAt: this.#lifecycle.tokens?.expiresAt,
      deviceKey: this.#lifecycle.tokens?.deviceKey,
    };
  }

  toJSON(): Record<string, unknown> {
    return this.#describe();
  }

  [inspect.custom](): string {
    return `CognitoTokenProvider ${inspect(this.#describe())}`;
  }
}

function sessionOf(tokens: TokenSet, refreshToken: string): RefreshSession {
  return { refreshToken, username: tokens.username, deviceKey: tokens.deviceKey };
}

function withDeviceKey(tokens: TokenSet, deviceKey: string): TokenSet {
  return tokenSetFromResult(
    { AccessToken: tokens.accessToken, IdToken: tokens.idToken, RefreshToken: tokens.refreshToken },
    { username: tokens.username, deviceKey },
  );
}
