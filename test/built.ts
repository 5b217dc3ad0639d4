import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** A built module under `dist/esm` (child-process tests run the package as users do). */
export function builtModule(relative: string): string {
  const path = join(ROOT, 'dist', 'esm', relative);
  if (!existsSync(path)) throw new Error(`${path} is missing: the test set-up builds it (npm run build).`);
  return path;
}

export const FIXTURES = join(ROOT, 'test');
