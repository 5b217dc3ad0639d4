/**
 * `node --import ./test/support/source-loader.mjs src/cli/main.ts ...` runs an executable from the TypeScript
 * sources (no build needed): specifiers ending in `.js` fall back to the `.ts` file, which is transpiled
 * with TypeScript's own `transpileModule` (no type check).
 */
import { register } from 'node:module';

register('./source-hooks.mjs', import.meta.url);
