/** `npm run test:load`: the load tests only (`*.load.test.ts`), one file at a time so each gets the whole machine. */
import { shared } from './jest.config.mjs';

export default {
  ...shared,
  testMatch: ['**/*.load.test.ts'],
  maxWorkers: 1,
};
