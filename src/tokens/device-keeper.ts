import { DeviceStoreError } from '../errors.js';
import { Secret } from '../secret.js';
import type { CognitoApi } from '../auth/cognito-client.js';
import { defaultDeviceName, rememberNewDevice } from '../auth/device.js';
import type { DeviceCredentials, DeviceStore } from './device-store.js';
import type { ProviderOperation } from './events.js';

type Report = (operation: ProviderOperation, error: unknown, background?: boolean, recovered?: boolean) => Error;

export interface DeviceKeeperOptions {
  store: DeviceStore | undefined;
  /** The store key of this pool and user. */
  key: string;
  /** The `device` option. */
  device: Secret<DeviceCredentials> | undefined;
  /** `rememberDevice.name`, when set. */
  name: string | undefined;
  report: Report;
  onRemembered: (deviceKey: string) => void;
  onForgotten: (deviceKey: string, reason: string) => void;
}

/**
 * The provider's remembered device: which one a sign-in uses (the store's, which another process may have
 * remembered, else this instance's, else the `device` option), confirming a new one, and dropping one Cognito
 * no longer knows.
 */
export class DeviceKeeper {
  readonly #options: DeviceKeeperOptions;
  /** A device remembered by this instance (when there is no store, or the store failed). */
  #remembered: Secret<DeviceCredentials> | undefined;
  #optionDropped = false;

  constructor(options: DeviceKeeperOptions) {
    this.#options = options;
  }

  async current(): Promise<DeviceCredentials | undefined> {
    const { store, key, device, report } = this.#options;
    if (store !== undefined) {
      try {
        const stored = await store.load(key);
        if (stored !== undefined) return stored;
      } catch (error) {
        report('deviceStore', asStoreError(error), false, true);
      }
    }
    if (this.#remembered !== undefined) return this.#remembered.reveal();
    if (device !== undefined && !this.#optionDropped) return device.reveal();
    return undefined;
  }

  /**
   * Confirms (and remembers) the device Cognito just issued. It is saved to the store before Cognito hears of
   * it: a device the store cannot keep is never confirmed. `false` when it was not remembered.
   */
  async remember(api: CognitoApi, accessToken: string, deviceKey: string, deviceGroupKey: string): Promise<boolean> {
    const { store, key, name, report } = this.#options;
    const keep =
      store === undefined
        ? undefined
        : async (credentials: DeviceCredentials): Promise<void> => {
            try {
              await store.save(key, credentials);
            } catch (error) {
              throw report('deviceStore', asStoreError(error));
            }
          };
    let credentials: DeviceCredentials;
    try {
      ({ credentials } = await rememberNewDevice(api, accessToken, { deviceKey, deviceGroupKey }, name ?? defaultDeviceName(), keep));
    } catch (error) {
      // A store failure was reported above: the device was not confirmed, so nothing is lost.
      if (!(error instanceof DeviceStoreError)) report('rememberDevice', error);
      return false;
    }
    this.#remembered = new Secret(credentials);
    this.#options.onRemembered(deviceKey);
    return true;
  }

  /** Drops a device Cognito no longer knows, wherever it came from. */
  async forget(deviceKey: string, reason: string): Promise<void> {
    const { store, key, device, report } = this.#options;
    if (this.#remembered?.reveal().deviceKey === deviceKey) this.#remembered = undefined;
    if (device?.reveal().deviceKey === deviceKey) this.#optionDropped = true;
    if (store !== undefined) {
      try {
        const stored = await store.load(key);
        if (stored?.deviceKey === deviceKey) await store.delete(key);
      } catch (error) {
        report('deviceStore', asStoreError(error), false, true);
      }
    }
    this.#options.onForgotten(deviceKey, reason);
  }
}

function asStoreError(error: unknown): DeviceStoreError {
  return error instanceof DeviceStoreError
    ? error
    : new DeviceStoreError(`The device store failed: ${(error as Error)?.message ?? 'unknown error'}`, { cause: error });
}
