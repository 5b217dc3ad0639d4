const OPERATION_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Per-operation counters that read as 0 for operations never called. */
export function callCounter(): { calls: Record<string, number>; count(operation: string): void; reset(): void } {
  let counts: Record<string, number> = {};
  const calls = new Proxy({} as Record<string, number>, {
    get: (_target, key) => (typeof key === 'string' && OPERATION_NAME.test(key) ? (counts[key] ?? 0) : undefined),
    has: (_target, key) => typeof key === 'string' && key in counts,
    ownKeys: () => Reflect.ownKeys(counts),
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' && key in counts
        ? { value: counts[key], enumerable: true, configurable: true, writable: false }
        : undefined,
    set: () => false,
    deleteProperty: () => false,
  });
  return {
    calls,
    count(operation) {
      counts[operation] = (counts[operation] ?? 0) + 1;
    },
    reset() {
      counts = {};
    },
  };
}
