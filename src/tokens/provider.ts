import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { Mutex } from 'async-mutex';
import { EphemeralPool, type SrpEphemeral } from '../srp/index.js';
import {
  AbortedError,
  CognitoAuthError,
  CognitoConfigError,
  DeviceNotFoundError,
  DeviceStoreError,
  NotAuthorizedError,
  RefreshTokenExpiredError,
  TokenStoreError,
} from '../errors.js';
import { Secret } from '../secret.js';
import { CognitoApi, createCognitoClient } from '../auth/cognito-client.js';
import { defaultDeviceName, rememberNewDevice } from '../auth/device.js';
import { resolveOptions, type ResolvedOptions } from '../auth/options.js';
import { Refresher, type RefreshApi } from '../auth/refresh.js';
import { backoffDelay, withRetry } from '../auth/retry.js';
import { signInWithSrp } from '../auth/sign-in.js';
import type { AuthFlow, AuthFlowFallback } from '../auth/auth-flow.js';
import { readClientSecret } from '../auth/client-secret.js';
import { totpAnswerer, type TotpRetryEvent } from '../auth/totp-answer.js';
import type { CognitoTokenProviderOptions } from '../auth/types.js';
import { deviceStoreKey, type DeviceCredentials } from './device-store.js';
import type { TokenSource } from './token-source.js';
import { isStoredSession, type StoredSession } from './token-store.js';
import { tokenSetFromResult, type TokenSet } from './token-set.js';
import { TokenVerifier } from './verifier.js';

/** A token is never served closer than this to its `exp` (capped at a tenth of its lifetime). */
export const EXPIRY_MARGIN_MS = 5_000;

export type ProviderOperation = 'signIn' | 'refresh' | 'rememberDevice' | 'deviceStore' | 'tokenStore' | 'signOut';

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
export interface FailureEvent {
  operation: ProviderOperation;
  /** A `CognitoAuthError`, or what one of your callbacks (password, mfa.code, newPassword) threw. */
  error: Error;
  /** A background refresh failed; the still-valid token keeps being served. */
  background: boolean;
  /** The provider recovered by itself (e.g. dead refresh token → full sign-in follows). */
  recovered: boolean;
}
export interface RetryEvent {
  operation: 'signIn' | 'refresh';
  attempt: number;
  delayMs: number;
  error: CognitoAuthError;
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

/** New tokens, and the event to emit once they are installed. */
interface Obtained {
  next: TokenSet;
  announce: () => void;
}

/** What a refresh needs: from the tokens in memory, or from the `tokenStore`. */
interface RefreshSession {
  refreshToken: string;
  /** Cognito's internal user name. */
  username: string;
  deviceKey: string | undefined;
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
  readonly #ownsClient: boolean;
  readonly #closeClient: () => void;
  readonly #verifier: TokenVerifier | undefined;
  readonly #refresher = new Refresher();
  readonly #mutex = new Mutex();
  readonly #storeKey: string;

  #tokens: TokenSet | undefined;
  #token: string | undefined;
  #tokenPromise: Promise<string> | undefined;
  /** Before this instant (ms) the token is fresh: served without any other check. */
  #refreshAt = 0;
  /** Before this instant the token is still served while a refresh runs in the background. */
  #usableUntil = 0;
  #flight: Promise<string> | undefined;
  /** Bumped by signOut(), so a background refresh that was already queued does not sign in again. */
  #generation = 0;
  /** The refresh token was refused: the next attempt signs in, while the access token is still served. */
  #refreshTokenDead = false;
  #backgroundFailures = 0;
  #nextBackgroundAttemptAt = 0;

  /** A device remembered by this instance (when there is no store, or the store failed). */
  #rememberedDevice: Secret<DeviceCredentials> | undefined;
  #optionDeviceDropped = false;
  #changedPassword: Secret | undefined;

  constructor(options: CognitoTokenProviderOptions) {
    super();
    this.#options = resolveOptions(options);
    const o = this.#options;
    this.#storeKey = deviceStoreKey(o.userPoolId, o.username);
    const client = o.cognitoClient ?? createCognitoClient(o.region, o.endpoint);
    this.#ownsClient = o.cognitoClient === undefined;
    this.#closeClient = () => client.destroy();
    this.#api = new CognitoApi(client);
    this.#verifier =
      o.verify === undefined
        ? undefined
        : new TokenVerifier({
            issuer: o.verify.issuer,
            clientId: o.verify.clientId,
            jwksUri: o.verify.jwksUri,
            ...(o.verify.jwks === undefined ? {} : { jwks: o.verify.jwks }),
          });
  }

  /**
   * A JWT (access token by default, `tokenType: 'id'` for the ID token) valid now. Signs in or
   * refreshes as needed; concurrent callers share one operation.
   */
  getToken(): Promise<string> {
    if (Date.now() < this.#refreshAt) return this.#tokenPromise!;
    return this.#getTokenSlow();
  }

  /** The cached token while it is fresh, else `undefined`. Never starts I/O. */
  peekToken(): string | undefined {
    return Date.now() < this.#refreshAt ? this.#token : undefined;
  }

  /**
   * The API rejected `token` (401): the next `getToken()` refreshes, once, however many callers report
   * it. A token that is no longer the current one is ignored; no argument invalidates the current one.
   */
  invalidate(token?: string): void {
    if (this.#token === undefined || (token !== undefined && token !== this.#token)) return;
    this.#refreshAt = 0;
    this.#usableUntil = 0;
    this.#nextBackgroundAttemptAt = 0;
  }

  /** All tokens of the current session (fresh, as `getToken()` ensures). Do not log the JWTs. */
  async getTokens(): Promise<TokenSet> {
    await this.getToken();
    const tokens = this.#tokens;
    if (tokens === undefined) throw new CognitoAuthError('NOT_AUTHORIZED', 'Signed out while the tokens were requested.');
    return tokens;
  }

  /**
   * Signs the user out everywhere (GlobalSignOut; RevokeToken of this session's refresh token when
   * that fails) and forgets the tokens. The remembered device stays. The next `getToken()` signs in.
   */
  async signOut(): Promise<void> {
    this.#generation++;
    this.#flight = undefined;
    await this.#mutex.runExclusive(async () => {
      const tokens = this.#tokens;
      this.#forgetTokens();
      // A session saved by an earlier instance or process is signed out too, so a restart does not resume it.
      const stored = tokens === undefined ? await this.#loadSession() : undefined;
      if (tokens === undefined && stored === undefined) return;
      if (tokens !== undefined) await this.#signOutEverywhere(tokens);
      else await this.#revoke(stored!.refreshToken);
      // Only once Cognito has revoked it: if that failed, the stored session stays, so signOut() can be retried
      // (from this process or the next) instead of leaving a live refresh token nobody can revoke.
      await this.#deleteSession();
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

  /** Releases the SDK client's sockets when the provider created it. The provider stays usable. */
  close(): void {
    if (this.#ownsClient) this.#closeClient();
  }

  #getTokenSlow(): Promise<string> {
    const now = Date.now();
    if (this.#tokenPromise !== undefined && now < this.#usableUntil) {
      if (this.#flight === undefined && now >= this.#nextBackgroundAttemptAt) this.#startFlight(true);
      return this.#tokenPromise;
    }
    return this.#flight ?? this.#startFlight(false);
  }

  #startFlight(background: boolean): Promise<string> {
    const generation = this.#generation;
    const flight = this.#mutex.runExclusive(() => this.#obtain(background, generation));
    this.#flight = flight;
    // Cleared before any caller resumes, so the next call after a failure starts a new attempt; a flight
    // left over from before a signOut() never clears its successor.
    const settled = (): void => {
      if (this.#flight === flight) this.#flight = undefined;
    };
    // Background failures are reported through events; the flight must never be an unhandled rejection.
    flight.then(settled, settled);
    return flight;
  }

  async #obtain(background: boolean, generation: number): Promise<string> {
    // A background flight only renews a live session: one queued behind signOut() has nothing to renew.
    if (background && (generation !== this.#generation || this.#tokens === undefined)) {
      throw new AbortedError('Signed out before the background refresh ran; nothing was refreshed.');
    }
    let operation: 'signIn' | 'refresh' = 'signIn';
    try {
      const tokens = this.#tokens;
      let obtained: Obtained;
      if (tokens?.refreshToken !== undefined && !this.#refreshTokenDead) {
        operation = 'refresh';
        obtained = await this.#refreshOrSignIn(sessionOf(tokens, tokens.refreshToken), background);
      } else {
        // Nothing in memory: a saved session (from an earlier instance or process) spares the password sign-in.
        const stored = tokens === undefined ? await this.#loadSession() : undefined;
        if (stored !== undefined) operation = 'refresh';
        obtained = stored === undefined ? await this.#signIn() : await this.#refreshOrSignIn(stored, background);
      }
      const { next, announce } = obtained;
      this.#install(next);
      this.#refreshTokenDead = false;
      this.#backgroundFailures = 0;
      this.#nextBackgroundAttemptAt = 0;
      await this.#saveSession(next, background);
      // Listeners run once the new token is what getToken() returns.
      announce();
      return next.token(this.#options.tokenType);
    } catch (error) {
      const stillServing = this.#tokenPromise !== undefined && Date.now() < this.#usableUntil;
      if (stillServing) {
        // Spaced by at least the base delay, so a burst of calls after a failure does not retry at once.
        const { retry } = this.#options;
        const delay = Math.max(retry.baseDelayMs, backoffDelay(retry, this.#backgroundFailures++));
        this.#nextBackgroundAttemptAt = Date.now() + delay;
      }
      // A dead refresh token was followed by a sign-in: that sign-in is what failed.
      throw this.#reportFailure(this.#refreshTokenDead ? 'signIn' : operation, error, stillServing);
    }
  }

  async #refreshOrSignIn(session: RefreshSession, background: boolean): Promise<Obtained> {
    const started = Date.now();
    try {
      const { result, api } = await withRetry(
        this.#options.retry,
        () =>
          this.#refresher.refresh({
            api: this.#api,
            clientId: this.#options.clientId,
            clientSecret: this.#options.clientSecret,
            refreshToken: session.refreshToken,
            username: session.username,
            deviceKey: session.deviceKey,
            clientMetadata: this.#options.clientMetadata,
          }),
        { onRetry: (info) => this.#emit('retry', { operation: 'refresh', ...info }) },
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
      await this.#deleteSession(session.refreshToken, background);
      if (error instanceof DeviceNotFoundError && session.deviceKey !== undefined) {
        await this.#forgetDevice(session.deviceKey, 'Cognito no longer knows the device (refresh)');
      }
      return this.#signIn();
    }
  }

  async #signIn(): Promise<Obtained> {
    const device = await this.#currentDevice();
    try {
      return await this.#signInWith(device);
    } catch (error) {
      if (!(error instanceof DeviceNotFoundError) || device === undefined) throw error;
      // `Device does not exist.`: drop it and sign in once more without it (MFA may then apply).
      this.#reportFailure('signIn', error, false, true);
      await this.#forgetDevice(device.deviceKey, 'Cognito no longer knows the device (sign-in)');
      return this.#signInWith(undefined);
    }
  }

  async #signInWith(device: DeviceCredentials | undefined): Promise<Obtained> {
    const o = this.#options;
    const started = Date.now();
    const outcome = await withRetry(
      o.retry,
      async () =>
        signInWithSrp({
          api: this.#api,
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          poolName: o.poolName,
          username: o.username,
          password: await this.#password(),
          device,
          clientMetadata: o.clientMetadata,
          takeEphemeral,
          authFlow: o.authFlow,
          totp: totpAnswerer(o.totpSecret, (event) => this.#emit('totpRetry', event)),
          mfaCode: o.mfaCode,
          newPassword: o.newPassword,
        }),
      { onRetry: (info) => this.#emit('retry', { operation: 'signIn', ...info }) },
    );
    if (outcome.changedPassword !== undefined) this.#changedPassword = new Secret(outcome.changedPassword);
    let tokens = tokenSetFromResult(outcome.result, { username: outcome.username, deviceKey: device?.deviceKey });
    await this.#verify(tokens);
    const fresh = outcome.newDevice;
    if (fresh?.DeviceKey !== undefined && fresh.DeviceGroupKey !== undefined && o.rememberDevice !== false) {
      const remembered = await this.#remember(tokens.accessToken, fresh.DeviceKey, fresh.DeviceGroupKey);
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

  async #remember(accessToken: string, deviceKey: string, deviceGroupKey: string): Promise<boolean> {
    const o = this.#options;
    const name = o.rememberDevice === false ? undefined : o.rememberDevice.name;
    let credentials: DeviceCredentials;
    try {
      ({ credentials } = await rememberNewDevice(
        this.#api,
        accessToken,
        { deviceKey, deviceGroupKey },
        name ?? defaultDeviceName(),
      ));
    } catch (error) {
      this.#reportFailure('rememberDevice', error);
      return false;
    }
    this.#rememberedDevice = new Secret(credentials);
    if (o.deviceStore !== undefined) {
      try {
        await o.deviceStore.save(this.#storeKey, credentials);
      } catch (error) {
        this.#reportFailure('deviceStore', asStoreError(error));
      }
    }
    this.#emit('deviceRemembered', { deviceKey });
    return true;
  }

  /** The store's device (another process may have remembered one), else this instance's, else the option. */
  async #currentDevice(): Promise<DeviceCredentials | undefined> {
    const o = this.#options;
    if (o.deviceStore !== undefined) {
      try {
        const stored = await o.deviceStore.load(this.#storeKey);
        if (stored !== undefined) return stored;
      } catch (error) {
        this.#reportFailure('deviceStore', asStoreError(error), false, true);
      }
    }
    if (this.#rememberedDevice !== undefined) return this.#rememberedDevice.reveal();
    if (o.device !== undefined && !this.#optionDeviceDropped) return o.device.reveal();
    return undefined;
  }

  async #forgetDevice(deviceKey: string, reason: string): Promise<void> {
    const o = this.#options;
    if (this.#rememberedDevice?.reveal().deviceKey === deviceKey) this.#rememberedDevice = undefined;
    if (o.device?.reveal().deviceKey === deviceKey) this.#optionDeviceDropped = true;
    if (o.deviceStore !== undefined) {
      try {
        const stored = await o.deviceStore.load(this.#storeKey);
        if (stored?.deviceKey === deviceKey) await o.deviceStore.delete(this.#storeKey);
      } catch (error) {
        this.#reportFailure('deviceStore', asStoreError(error), false, true);
      }
    }
    this.#emit('deviceForgotten', { deviceKey, reason });
  }

  /** The stored session of this pool, user and app client, if the `tokenStore` has one. */
  async #loadSession(): Promise<RefreshSession | undefined> {
    const store = this.#options.tokenStore;
    if (store === undefined) return undefined;
    let stored: StoredSession | undefined;
    try {
      stored = await store.load(this.#storeKey);
    } catch (error) {
      this.#reportFailure('tokenStore', asTokenStoreError(error), false, true);
      return undefined;
    }
    if (stored === undefined) return undefined;
    if (!isStoredSession(stored)) {
      const error = new TokenStoreError('The token store returned a session without refreshToken, username or clientId.');
      this.#reportFailure('tokenStore', error, false, true);
      return undefined;
    }
    // A refresh token works only with the app client it was issued to.
    if (stored.clientId !== this.#options.clientId) return undefined;
    return { refreshToken: stored.refreshToken, username: stored.username, deviceKey: stored.deviceKey };
  }

  async #saveSession(tokens: TokenSet, background: boolean): Promise<void> {
    const store = this.#options.tokenStore;
    if (store === undefined || tokens.refreshToken === undefined) return;
    const session: StoredSession = {
      refreshToken: tokens.refreshToken,
      username: tokens.username,
      clientId: this.#options.clientId,
      ...(tokens.deviceKey === undefined ? {} : { deviceKey: tokens.deviceKey }),
    };
    try {
      await store.save(this.#storeKey, session);
    } catch (error) {
      this.#reportFailure('tokenStore', asTokenStoreError(error), background);
    }
  }

  /**
   * Deletes the stored session; with `deadToken`, only when that is the one stored (another process may have
   * saved a newer one since).
   */
  async #deleteSession(deadToken?: string, background = false): Promise<void> {
    const store = this.#options.tokenStore;
    if (store === undefined) return;
    try {
      if (deadToken !== undefined && (await store.load(this.#storeKey))?.refreshToken !== deadToken) return;
      await store.delete(this.#storeKey);
    } catch (error) {
      this.#reportFailure('tokenStore', asTokenStoreError(error), background, deadToken !== undefined);
    }
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

  #install(tokens: TokenSet): void {
    const now = Date.now();
    const lifetime = Math.max(0, tokens.expiresAt - tokens.issuedAt);
    // Deadlines come from the token's lifetime (exp - iat) on this host's clock, so a host clock that is
    // off from Cognito's neither keeps a token past its real expiry nor refreshes in a loop.
    const expiresLocal = now + lifetime;
    const usableUntil = expiresLocal - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
    const before = Math.min(this.#options.refreshBeforeExpirySeconds * 1000, lifetime / 2);
    this.#tokens = tokens;
    this.#token = tokens.token(this.#options.tokenType);
    this.#tokenPromise = Promise.resolve(this.#token);
    this.#usableUntil = usableUntil;
    this.#refreshAt = Math.min(expiresLocal - before, usableUntil);
  }

  #forgetTokens(): void {
    this.#refreshTokenDead = false;
    this.#tokens = undefined;
    this.#token = undefined;
    this.#tokenPromise = undefined;
    this.#refreshAt = 0;
    this.#usableUntil = 0;
  }

  /**
   * Emits a `failure` event and returns the error to throw: Cognito failures are already typed; an
   * error from the caller's own callbacks (password, mfa.code, newPassword) is passed on unchanged.
   */
  #reportFailure(operation: ProviderOperation, error: unknown, background = false, recovered = false): Error {
    const typed =
      error instanceof Error ? error : new CognitoAuthError('SERVICE_ERROR', `${operation} failed with a non-Error value.`);
    this.#emit('failure', { operation, error: typed, background, recovered });
    return typed;
  }


  #emit<K extends keyof CognitoTokenProviderEvents>(event: K, ...args: CognitoTokenProviderEvents[K]): void {
    try {
      (this.emit as (name: K, ...rest: CognitoTokenProviderEvents[K]) => boolean)(event, ...args);
    } catch {
      // A throwing listener must not break sign-in or refresh.
    }
  }

  #describe(): Record<string, unknown> {
    return {
      userPoolId: this.#options.userPoolId,
      clientId: this.#options.clientId,
      username: this.#options.username,
      tokenType: this.#options.tokenType,
      signedIn: this.#tokens !== undefined,
      expiresAt: this.#tokens?.expiresAt,
      deviceKey: this.#tokens?.deviceKey,
    };
  }

  toJSON(): Record<string, unknown> {
    return this.#describe();
  }

  [inspect.custom](): string {
    return `CognitoTokenProvider ${inspect(this.#describe())}`;
  }
}

function asStoreError(error: unknown): DeviceStoreError {
  return error instanceof DeviceStoreError
    ? error
    : new DeviceStoreError(`The device store failed: ${(error as Error)?.message ?? 'unknown error'}`, { cause: error });
}

function asTokenStoreError(error: unknown): TokenStoreError {
  return error instanceof TokenStoreError
    ? error
    : new TokenStoreError(`The token store failed: ${(error as Error)?.message ?? 'unknown error'}`, { cause: error });
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
