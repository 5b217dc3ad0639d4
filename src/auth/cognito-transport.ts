import {
  ConfirmDeviceCommand,
  GetClientTokenCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  UpdateDeviceStatusCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { unsignedCommand } from './unsigned-command.js';

/** The Cognito operations the token providers send (all unsigned: no AWS credentials). */
export type CognitoOperation =
  | 'InitiateAuth'
  | 'RespondToAuthChallenge'
  | 'GetTokensFromRefreshToken'
  | 'ConfirmDevice'
  | 'UpdateDeviceStatus'
  | 'GlobalSignOut'
  | 'RevokeToken'
  | 'GetClientToken';

/**
 * How a request reaches Cognito: one operation, its input as the SDK's `…CommandInput` shape, and the signal that
 * ends it (the call's deadline or the owner's `close()`). It resolves to the operation's output and rejects with an
 * error shaped as the AWS SDK's (`name`, `message`, `$metadata.httpStatusCode`, `$fault`) or a Node network error,
 * which `mapCognitoError` reads the same way whichever transport threw it.
 */
export interface CognitoTransport {
  send(operation: CognitoOperation, input: object, signal: AbortSignal): Promise<unknown>;
  /** Releases what the transport owns (never a caller's SDK client). */
  destroy(): void;
}

const COMMANDS = {
  InitiateAuth: InitiateAuthCommand,
  RespondToAuthChallenge: RespondToAuthChallengeCommand,
  GetTokensFromRefreshToken: GetTokensFromRefreshTokenCommand,
  ConfirmDevice: ConfirmDeviceCommand,
  UpdateDeviceStatus: UpdateDeviceStatusCommand,
  GlobalSignOut: GlobalSignOutCommand,
  RevokeToken: RevokeTokenCommand,
  GetClientToken: GetClientTokenCommand,
} as const satisfies Record<CognitoOperation, new (input: never) => object>;

/**
 * The AWS SDK as the transport: a `cognitoClient` the caller passed in (used as given, with its own middleware,
 * credentials and request handler), or a client the library built (`owned`: destroyed with the transport).
 */
export function sdkTransport(client: CognitoIdentityProviderClient, { owned = false } = {}): CognitoTransport {
  return {
    send: (operation, input, signal) => {
      const Command = COMMANDS[operation] as new (input: object) => InitiateAuthCommand;
      const command = new Command(input);
      // The SDK models GetClientToken as signed although Cognito does not check a signature for it.
      return client.send(operation === 'GetClientToken' ? unsignedCommand(command) : command, { abortSignal: signal });
    },
    destroy: () => {
      if (owned) client.destroy();
    },
  };
}
