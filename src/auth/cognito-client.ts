import type {
  ConfirmDeviceCommandInput,
  ConfirmDeviceCommandOutput,
  GetTokensFromRefreshTokenCommandInput,
  GetTokensFromRefreshTokenCommandOutput,
  InitiateAuthCommandInput,
  InitiateAuthCommandOutput,
  RespondToAuthChallengeCommandInput,
  RespondToAuthChallengeCommandOutput,
  UpdateDeviceStatusCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { mapCognitoError, type CognitoCallKind } from './aws-errors.js';
import { abortError, deadline, DEFAULT_TIMEOUT_MS } from './deadline.js';
import { sdkResolvedEndpoint } from './cognito-endpoint.js';
import type { CognitoOperation, CognitoTransport } from './cognito-transport.js';
import { CognitoJsonTransport } from './json-transport.js';

/**
 * The transport the providers build when the caller passes no `cognitoClient`: AWS JSON 1.1 over `node:http(s)` to
 * `endpoint`, or to the URL the AWS SDK's endpoint rules give for `region` (resolved on the first call).
 */
export function createCognitoTransport(region: string, endpoint: string | undefined): CognitoTransport {
  return new CognitoJsonTransport(endpoint === undefined ? () => sdkResolvedEndpoint(region) : new URL(endpoint));
}

export interface CognitoApiOptions {
  /** Deadline of each call, ms. */
  timeoutMs?: number;
  /** The owner's lifetime: aborting it (`close()`) ends every call in flight with an `AbortedError`. */
  lifetime?: () => AbortSignal;
}

/**
 * The Cognito operations the provider uses, each mapping transport errors to this library's classes. Every call
 * carries an AbortSignal (also through a client the caller passed in), so it ends by `timeoutMs` whatever the
 * transport's own timeouts do: a silent endpoint gives a `NetworkError` naming the call, never a hang.
 */
export class CognitoApi {
  readonly #transport: CognitoTransport;
  readonly #timeoutMs: number;
  readonly #lifetime: (() => AbortSignal) | undefined;

  constructor(transport: CognitoTransport, options: CognitoApiOptions = {}) {
    this.#transport = transport;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#lifetime = options.lifetime;
  }

  /** The same API, each call also ending when `signal` fires (one sign-in or refresh: its flight's signal). */
  within(signal: AbortSignal): CognitoApi {
    return new CognitoApi(this.#transport, { timeoutMs: this.#timeoutMs, lifetime: () => signal });
  }

  /** Sends `operation` with this API's deadline; transport errors become typed errors. */
  async #send<T>(operation: CognitoOperation, kind: CognitoCallKind, deviceKey: string | undefined, input: object): Promise<T> {
    try {
      return await this.#sendRaw<T>(operation, input);
    } catch (error) {
      throw mapCognitoError(error, kind, deviceKey);
    }
  }

  /** Sends with the deadline; errors pass through untyped except a deadline or close. */
  async #sendRaw<T>(operation: CognitoOperation, input: object): Promise<T> {
    const { signal, release } = deadline(this.#timeoutMs, this.#lifetime?.());
    try {
      return (await this.#transport.send(operation, input, signal)) as T;
    } catch (error) {
      throw abortError(signal, `Cognito ${operation}`, this.#timeoutMs) ?? error;
    } finally {
      release();
    }
  }

  initiateAuth(input: InitiateAuthCommandInput, kind: CognitoCallKind = 'signIn'): Promise<InitiateAuthCommandOutput> {
    return this.#send('InitiateAuth', kind, input.AuthParameters?.DEVICE_KEY, input);
  }

  respondToAuthChallenge(input: RespondToAuthChallengeCommandInput): Promise<RespondToAuthChallengeCommandOutput> {
    return this.#send('RespondToAuthChallenge', 'signIn', input.ChallengeResponses?.DEVICE_KEY, input);
  }

  /** Raw: the caller needs the transport's error to tell "operation unavailable" apart. */
  getTokensFromRefreshTokenRaw(input: GetTokensFromRefreshTokenCommandInput): Promise<GetTokensFromRefreshTokenCommandOutput> {
    return this.#sendRaw('GetTokensFromRefreshToken', input);
  }

  confirmDevice(input: ConfirmDeviceCommandInput): Promise<ConfirmDeviceCommandOutput> {
    return this.#send('ConfirmDevice', 'device', input.DeviceKey, input);
  }

  async updateDeviceStatus(input: UpdateDeviceStatusCommandInput): Promise<void> {
    await this.#send('UpdateDeviceStatus', 'device', input.DeviceKey, input);
  }

  async globalSignOut(accessToken: string): Promise<void> {
    await this.#send('GlobalSignOut', 'signOut', undefined, { AccessToken: accessToken });
  }

  async revokeToken(refreshToken: string, clientId: string, clientSecret: string | undefined): Promise<void> {
    await this.#send('RevokeToken', 'signOut', undefined, {
      Token: refreshToken,
      ClientId: clientId,
      ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
    });
  }
}
