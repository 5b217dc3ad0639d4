import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value that must never be printed: `util.inspect`, `console.log`, `JSON.stringify` and string
 * conversion all show `[redacted]`. Read it with `reveal()` at the one place it is sent.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

/** Defines `key` on `target` as a non-enumerable property, so inspect and JSON.stringify skip it. */
export function defineHidden<T extends object, K extends PropertyKey, V>(target: T, key: K, value: V): T & Record<K, V> {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
  return target as T & Record<K, V>;
}
