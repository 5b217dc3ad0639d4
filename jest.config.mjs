/**
 * Jest runs the TypeScript sources as ES modules (got and nock 15 are ESM-only). ts-jest only transpiles
 * (tsconfig has isolatedModules); `npm run typecheck` does the type checking.
 *
 * `npm test` runs every test file except the load tests (`*.load.test.ts`): those keep their full size and run
 * with `npm run test:load` (jest.load.config.mjs), a CI phase of its own. The global set-up builds dist/ when it is
 * missing or stale, for the tests that run the built executables.
 */
export const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/jest.global-setup.mjs',
  testTimeout: 30000,
};

export default {
  ...shared,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.load\\.test\\.ts$'],
  maxWorkers: 2,
};
