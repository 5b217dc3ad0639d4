import {
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  UpdateDeviceStatusCommand,
  type ConfirmDeviceCommandInput,
  type ConfirmDeviceCommandOutput,
  type GetTokensFromRefreshTokenCommandInput,
  type GetTokensFromRefreshTokenCommandOutput,
  type InitiateAuthCommandInput,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandInput,
  type RespondToAuthChallengeCommandOutput,
  type UpdateDeviceStatusCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { mapCognitoError, type CognitoCallKind } from './aws-errors.js';
import { abortError, callSignal, DEFAULT_TIMEOUT_MS } from './deadline.js';
import { sharedConnectionPool, withoutUnusedMiddleware } from './lean-sdk-client.js';

export const CONNECTION_TIMEOUT_MS = 5_000;
const SOCKET_TIMEOUT_SLACK_MS = 1_000;
/** The SDK client's own request timeout when none is configured (the account API's clients). */
export const REQUEST_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

/**
 * Builds the SDK client the provider talks to Cognito with. It never goes through a user's wrapped
 * HTTP client, and SDK retries are off because the provider retries with its own policy (the SDK's
 * would multiply the attempts). The operations used are unsigned, so no AWS credentials are needed, and the
 * middleware those choices make useless is removed (see `withoutUnusedMiddleware`).
 */
export function createCognitoClient(
  region: string,
  endpoint: string | undefined,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    maxAttempts: 1,
    // The deadline itself is the AbortSignal CognitoApi passes with every call (the SDK's requestTimeout only
    // logs a warning unless throwOnRequestTimeout is set); these bound the socket as well, a little later, so
    // the error that names the call wins.
    requestHandler: {
      requestTimeout: timeoutMs + SOCKET_TIMEOUT_SLACK_MS,
      connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, timeoutMs),
      throwOnRequestTimeout: true,
      ...sharedConnectionPool(),
    },
    // Unsigned operations only; a placeholder keeps the SDK from searching the environment for keys.
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  return withoutUnusedMiddleware(client);
}

export interface CognitoApiOptions {
  /** Deadline of each call, ms. */
  timeoutMs?: number;
  /** The owner's lifetime: aborting it (`close()`) ends every call in flight with an `AbortedError`. */
  lifetime?: () => AbortSignal;
}

/**
 * The Cognito operations the provider uses, each mapping SDK errors to this library's classes. Every call
 * carries an AbortSignal (also on a client the caller passed in), so it ends by `timeoutMs` whatever the
 * client's own `requestTimeout` does: a silent endpoint gives a `NetworkError` naming the call, never a hang.
 */
export class CognitoApi {
  readonly #client: CognitoIdentityProviderClient;
  readonly #timeoutMs: number;
  readonly #lifetime: (() => AbortSignal) | undefined;

  constructor(client: CognitoIdentityProviderClient, options: CognitoApiOptions = {}) {
    this.#client = client;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#lifetime = options.lifetime;
  }

  /** The same API, each call also ending when `signal` fires (one sign-in or refresh: its flight's signal). */
  within(signal: AbortSignal): CognitoApi {
    return new CognitoApi(this.#client, { timeoutMs: this.#timeoutMs, lifetime: () => signal });
  }

  /** Sends `command` with this API's deadline; SDK errors become typed errors. */
  async send<T>(
    operation: string,
    kind: CognitoCallKind,
    deviceKey: string | undefined,
    command: object,
  ): Promise<T> {
    try {
      return await this.#sendRaw<T>(operation, command);
    } catch (error) {
      throw mapCognitoError(error, kind, deviceKey);
    }
  }

  /** Sends with the deadline; SDK errors pass through untyped except a deadline or close. */
  async #sendRaw<T>(operation: string, command: object): Promise<T> {
    const { signal, release } = callSignal(this.#timeoutMs, this.#lifetime?.());
    try {
      return (await this.#client.send(command as never, { abortSignal: signal })) as T;
    } catch (error) {
      throw abortError(signal, `Cognito ${operation}`, this.#timeoutMs) ?? error;
    } finally {
      release();
    }
  }

  #send<T>(kind: CognitoCallKind, deviceKey: string | undefined, command: object): Promise<T> {
    const operation = command.constructor.name.replace(/Command$/, '');
    return this.send<T>(operation, kind, deviceKey, command);
  }

  initiateAuth(input: InitiateAuthCommandInput, kind: CognitoCallKind = 'signIn'): Promise<InitiateAuthCommandOutput> {
    return this.#send(kind, input.AuthParameters?.DEVICE_KEY, new InitiateAuthCommand(input));
  }

  respondToAuthChallenge(input: RespondToAuthChallengeCommandInput): Promise<RespondToAuthChallengeCommandOutput> {
    return this.#send('signIn', input.ChallengeResponses?.DEVICE_KEY, new RespondToAuthChallengeCommand(input));
  }

  /** Raw: the caller needs the SDK error to tell "operation unavailable" apart. */
  getTokensFromRefreshTokenRaw(input: GetTokensFromRefreshTokenCommandInput): Promise<GetTokensFromRefreshTokenCommandOutput> {
    return this.#sendRaw('GetTokensFromRefreshToken', new GetTokensFromRefreshTokenCommand(input));
  }

  confirmDevice(input: ConfirmDeviceCommandInput): Promise<ConfirmDeviceCommandOutput> {
    return this.#send('device', input.DeviceKey, new ConfirmDeviceCommand(input));
  }

  async updateDeviceStatus(input: UpdateDeviceStatusCommandInput): Promise<void> {
    await this.#send('device', input.DeviceKey, new UpdateDeviceStatusCommand(input));
  }

  async globalSignOut(accessToken: string): Promise<void> {
    await this.#send('signOut', undefined, new GlobalSignOutCommand({ AccessToken: accessToken }));
  }

  async revokeToken(refreshToken: string, clientId: string, clientSecret: string | undefined): Promise<void> {
    await this.#send(
      'signOut',
      undefined,
      new RevokeTokenCommand({
        Token: refreshToken,
        ClientId: clientId,
        ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
      }),
    );
  }
}
