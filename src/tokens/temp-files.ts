import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary file of a writer that is still alive is left alone for this long; past it, it is taken
 * for a leftover (a write takes milliseconds; a store call gives up after its own deadline anyway).
 */
export const STALE_TEMP_FILE_MS = 60_000;

const RANDOM_BYTES = 6;

/**
 * The temporary file a write of `path` goes through: `.<name>.<pid>.<12 hex>.tmp` in the same folder,
 * so a later process can tell whose it is (and whether that writer is still alive).
 */
export function tempFileFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(RANDOM_BYTES).toString('hex')}.tmp`);
}

function tempFilePattern(path: string): RegExp {
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${name}\\.(\\d+)\\.[0-9a-f]{${RANDOM_BYTES * 2}}\\.tmp$`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Removes the temporary files a killed writer left next to `path` (they may hold refresh tokens or device
 * passwords): those whose writer PID is no longer running, and any older than `maxAgeMs` (a PID may have
 * been reused). Best effort: returns how many were removed, never throws.
 */
export async function removeStaleTempFiles(path: string, maxAgeMs = STALE_TEMP_FILE_MS): Promise<number> {
  const dir = dirname(path);
  const pattern = tempFilePattern(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined) continue;
    const file = join(dir, name);
    try {
      const stale = !isAlive(Number(pid)) || Date.now() - (await stat(file)).mtimeMs > maxAgeMs;
      if (stale) {
        await unlink(file);
        removed += 1;
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
