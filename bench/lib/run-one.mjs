// Runs one bench file in a process of its own (bench/run.mjs starts one per file), so no file measures the
// garbage or the warmed-up state another file left behind: `node bench/lib/run-one.mjs <file> <result.json>`.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, out] = process.argv.slice(2);
const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const mod = await import(pathToFileURL(join(benchDir, file)).href);
if (typeof mod.run !== 'function') throw new TypeError(`${file} exports no run() function`);
const result = await mod.run({ print: true });
await writeFile(out, JSON.stringify(result));
