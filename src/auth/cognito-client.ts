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
import { sharedConnectionPool, withoutUnusedMiddleware } from './lean-sdk-client.js';

/** How long one Cognito request may take before it counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * Builds the SDK client the provider talks to Cognito with. It never goes through a user's wrapped
 * HTTP client, and SDK retries are off because the provider retries with its own policy (the SDK's
 * would multiply the attempts). The operations used are unsigned, so no AWS credentials are needed, and the
 * middleware those choices make useless is removed (see `withoutUnusedMiddleware`).
 */
export function createCognitoClient(region: string, endpoint: string | undefined): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    maxAttempts: 1,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS, ...sharedConnectionPool() },
    // Unsigned operations only; a placeholder keeps the SDK from searching the environment for keys.
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  return withoutUnusedMiddleware(client);
}

/** The Cognito operations the provider uses, each mapping SDK errors to this library's classes. */
export class CognitoApi {
  readonly #client: CognitoIdentityProviderClient;

  constructor(client: CognitoIdentityProviderClient) {
    this.#client = client;
  }

  async #send<T>(kind: CognitoCallKind, deviceKey: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw mapCognitoError(error, kind, deviceKey);
    }
  }

  initiateAuth(input: InitiateAuthCommandInput, kind: CognitoCallKind = 'signIn'): Promise<InitiateAuthCommandOutput> {
    return this.#send(kind, input.AuthParameters?.DEVICE_KEY, () => this.#client.send(new InitiateAuthCommand(input)));
  }

  respondToAuthChallenge(input: RespondToAuthChallengeCommandInput): Promise<RespondToAuthChallengeCommandOutput> {
    return this.#send('signIn', input.ChallengeResponses?.DEVICE_KEY, () =>
      this.#client.send(new RespondToAuthChallengeCommand(input)),
    );
  }

  /** Raw: the caller needs the SDK error to tell "operation unavailable" apart. */
  getTokensFromRefreshTokenRaw(input: GetTokensFromRefreshTokenCommandInput): Promise<GetTokensFromRefreshTokenCommandOutput> {
    return this.#client.send(new GetTokensFromRefreshTokenCommand(input));
  }

  confirmDevice(input: ConfirmDeviceCommandInput): Promise<ConfirmDeviceCommandOutput> {
    return this.#send('device', input.DeviceKey, () => this.#client.send(new ConfirmDeviceCommand(input)));
  }

  async updateDeviceStatus(input: UpdateDeviceStatusCommandInput): Promise<void> {
    await this.#send('device', input.DeviceKey, () => this.#client.send(new UpdateDeviceStatusCommand(input)));
  }

  async globalSignOut(accessToken: string): Promise<void> {
    await this.#send('signOut', undefined, () =>
      this.#client.send(new GlobalSignOutCommand({ AccessToken: accessToken })),
    );
  }

  async revokeToken(refreshToken: string, clientId: string, clientSecret: string | undefined): Promise<void> {
    await this.#send('signOut', undefined, () =>
      this.#client.send(
        new RevokeTokenCommand({
          Token: refreshToken,
          ClientId: clientId,
          ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
        }),
      ),
    );
  }
}
