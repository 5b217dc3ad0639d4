export * from './errors.js';
export * as srp from './srp/index.js';
