import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';

/** An app-client secret as given: the value, or a function read at each sign-in and refresh (rotation). */
export type ClientSecretOption = string | (() => string | Promise<string>);

/**
 * Where the app-client secret comes from. Sign-in, refresh and sign-out call `read()` once per operation, so a
 * rotated secret (a function returning the current one) is picked up without a restart. Never printed.
 */
export class ClientSecretSource {
  readonly #source: Secret<ClientSecretOption>;
  readonly #option: string;

  private constructor(source: ClientSecretOption, option: string) {
    this.#source = new Secret(source);
    this.#option = option;
  }

  /**
   * Validates an option value: undefined, a non-empty string or a function.
   * @throws CognitoConfigError naming `option`.
   */
  static from(value: unknown, option = 'clientSecret'): ClientSecretSource | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'function') return new ClientSecretSource(value as () => string | Promise<string>, option);
    if (typeof value === 'string' && value.length > 0) return new ClientSecretSource(value, option);
    throw new CognitoConfigError(option, 'expected a non-empty string or a function returning one (or a promise of one).');
  }

  /** The secret for one operation. @throws CognitoConfigError when the function gives no usable secret. */
  async read(): Promise<Secret> {
    const source = this.#source.reveal();
    if (typeof source === 'string') return new Secret(source);
    let value: unknown;
    try {
      value = await source();
    } catch (error) {
      // Not kept as `cause`: a secret store's error may quote what it read.
      const kind = error instanceof Error ? error.name : typeof error;
      throw new CognitoConfigError(this.#option, `the secret function failed (${kind}).`);
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new CognitoConfigError(this.#option, 'the secret function must return a non-empty string.');
    }
    return new Secret(value);
  }

  toJSON(): string {
    return '[redacted]';
  }
}

/** Reads `source` for one operation; undefined when the app client has no secret. */
export async function readClientSecret(source: ClientSecretSource | undefined): Promise<Secret | undefined> {
  return source === undefined ? undefined : source.read();
}
