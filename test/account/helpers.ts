import { inspect } from 'node:util';
import { Cognito } from '../../src/account/index.js';
import type { CognitoOptions } from '../../src/account/index.js';
import { emulatorOperations } from '../../src/testing/operations/index.js';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions } from '../../src/testing/index.js';

/** Meets the emulator's default (Cognito's) password policy. */
export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const NEW_PASSWORD = 'N3w-Staple-Battery!';

export function emulator(options: CognitoEmulatorOptions = {}): Promise<CognitoEmulator> {
  return startCognitoEmulator(options);
}

/** A `Cognito` for the emulator's pool and client (its secret included). */
export function cognitoFor(emu: CognitoEmulator, overrides: Partial<CognitoOptions> = {}): Cognito {
  return new Cognito({
    userPoolId: emu.userPoolId,
    clientId: emu.clientId,
    ...(emu.clientSecret === undefined ? {} : { clientSecret: emu.clientSecret }),
    endpoint: emu.endpoint,
    region: emu.region,
    ...overrides,
  });
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Everything a value could leak through: inspect, JSON, string conversion. */
export function printed(value: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = '';
  }
  return `${inspect(value, { depth: 10, showHidden: false })}\n${json}\n${String(value)}`;
}

/** One emulator per test and the `Cognito` instances a test opens, all closed after it. */
export interface AccountFixture {
  /** The running test's emulator. */
  readonly emu: CognitoEmulator;
  /** A `Cognito` for the emulator (see `cognitoFor`), closed after the test. */
  account(overrides?: Partial<CognitoOptions>): Cognito;
  /** Closes `closable` after the test; returns it. */
  track<T extends { close(): void }>(closable: T): T;
  /** Closes the test's emulator and starts another with `options` (for one test that needs other pool settings). */
  restart(options?: CognitoEmulatorOptions): Promise<CognitoEmulator>;
}

/** Registers the beforeEach/afterEach that start an emulator with `options` and close it and every tracked instance. */
export function accountFixture(options: CognitoEmulatorOptions = {}): AccountFixture {
  let current: CognitoEmulator | undefined;
  const opened: { close(): void }[] = [];
  const running = (): CognitoEmulator => {
    if (current === undefined) throw new Error('accountFixture: the emulator runs only inside a test');
    return current;
  };
  beforeEach(async () => {
    current = await emulator(options);
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) c.close();
    await current?.close();
    current = undefined;
  });
  const track = <T extends { close(): void }>(closable: T): T => {
    opened.push(closable);
    return closable;
  };
  return {
    get emu() {
      return running();
    },
    account: (overrides = {}) => track(cognitoFor(running(), overrides)),
    track,
    async restart(next = {}) {
      const previous = running();
      current = undefined;
      await previous.close();
      current = await emulator(next);
      return current;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const emulated = new Set(emulatorOperations().keys());

/**
 * `test` when the emulator implements every operation named, else a failing test naming what is missing
 * (never a silent skip).
 */
export function withOperations(...operations: string[]): (name: string, fn: () => Promise<void>, timeout?: number) => void {
  const missing = operations.filter((operation) => !emulated.has(operation));
  if (missing.length === 0) return (name, fn, timeout) => test(name, fn, timeout);
  return (name) =>
    test(name, () => {
      throw new Error(`the emulator does not implement ${missing.join(', ')}`);
    });
}
