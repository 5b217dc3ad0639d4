import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../srp/index.js';
import { CognitoAuthError } from '../errors.js';
import { isOperationUnavailable, mapCognitoError } from './aws-errors.js';
import { readClientSecret, type ClientSecretSource } from './client-secret.js';
import type { CognitoApi } from './cognito-client.js';

export type RefreshApi = 'GetTokensFromRefreshToken' | 'REFRESH_TOKEN_AUTH';

export interface RefreshRequest {
  api: CognitoApi;
  clientId: string;
  /** Read once per refresh (a rotated secret is picked up at once). */
  clientSecret: ClientSecretSource | undefined;
  refreshToken: string;
  /** Cognito's internal user name: REFRESH_TOKEN_AUTH's SECRET_HASH is computed over it, not the alias. */
  username: string;
  deviceKey: string | undefined;
  clientMetadata: Record<string, string> | undefined;
}

/**
 * Tracks which refresh API works. GetTokensFromRefreshToken is preferred (the only one that works
 * with refresh-token rotation); where the endpoint does not know it (older emulators, partitions),
 * the first "unknown operation" switches this refresher to REFRESH_TOKEN_AUTH for good.
 */
export class Refresher {
  #api: RefreshApi = 'GetTokensFromRefreshToken';

  get api(): RefreshApi {
    return this.#api;
  }

  async refresh(request: RefreshRequest): Promise<{ result: AuthenticationResultType; api: RefreshApi }> {
    const clientSecret = await readClientSecret(request.clientSecret);
    if (this.#api === 'GetTokensFromRefreshToken') {
      try {
        const output = await request.api.getTokensFromRefreshTokenRaw({
          RefreshToken: request.refreshToken,
          ClientId: request.clientId,
          ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret.reveal() }),
          ...(request.deviceKey === undefined ? {} : { DeviceKey: request.deviceKey }),
          ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
        });
        return { result: requireResult(output.AuthenticationResult), api: 'GetTokensFromRefreshToken' };
      } catch (error) {
        if (!isOperationUnavailable(error)) throw mapCognitoError(error, 'refresh', request.deviceKey);
        this.#api = 'REFRESH_TOKEN_AUTH';
      }
    }
    const parameters: Record<string, string> = { REFRESH_TOKEN: request.refreshToken };
    if (clientSecret !== undefined) {
      parameters.SECRET_HASH = secretHash(request.username, request.clientId, clientSecret.reveal());
    }
    if (request.deviceKey !== undefined) parameters.DEVICE_KEY = request.deviceKey;
    const output = await request.api.initiateAuth(
      {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: request.clientId,
        AuthParameters: parameters,
        ...(request.clientMetadata === undefined ? {} : { ClientMetadata: request.clientMetadata }),
      },
      'refresh',
    );
    return { result: requireResult(output.AuthenticationResult), api: 'REFRESH_TOKEN_AUTH' };
  }
}

function requireResult(result: AuthenticationResultType | undefined): AuthenticationResultType {
  if (result === undefined) {
    throw new CognitoAuthError('SERVICE_ERROR', 'Cognito answered the refresh without an AuthenticationResult.');
  }
  return result;
}
