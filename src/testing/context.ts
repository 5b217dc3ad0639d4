import type { M2mRegistry } from './m2m-state.js';
import type { ResolvedEmulatorOptions } from './options.js';
import type { SessionStore } from './sessions.js';
import type { PoolState } from './state.js';
import type { TokenIssuer } from './tokens.js';

/** Everything an operation handler may read or change. */
export interface EmulatorContext {
  readonly options: ResolvedEmulatorOptions;
  readonly state: PoolState;
  readonly sessions: SessionStore;
  readonly tokens: TokenIssuer;
  readonly userPoolId: string;
  /** `<endpoint>/<userPoolId>`. */
  readonly issuer: string;
  /** The part of the pool id after `_`: the SRP "pool name". */
  readonly poolName: string;
  readonly clientId: string;
  /** Replaced by `rotateClientSecret()`. */
  clientSecret: string | undefined;
  /** Per-pool random key for deterministic fake challenges (unknown users get the same salt every time). */
  readonly fakeSaltKey: Buffer;
  /** Resource servers and machine-to-machine app clients. */
  readonly m2m: M2mRegistry;
}

/** One Cognito operation: the parsed JSON body in, the JSON response body out (or a thrown CognitoWireError). */
export type OperationHandler = (input: Record<string, unknown>, ctx: EmulatorContext) => Promise<unknown>;
