/**
 * Child processes run the library's TypeScript sources as plain ES modules: each source file (and every
 * relative import it pulls in) is transpiled with `typescript.transpileModule` into a temporary folder.
 * No build (dist/) is needed, so these tests never skip for want of one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Transpiled {
  /** Absolute path of the emitted .js for a source path relative to the repository root. */
  path(source: string): string;
  remove(): void;
}

export function transpileForChildren(root: string, entries: string[]): Transpiled {
  const out = mkdtempSync(join(tmpdir(), 'fleet-src-'));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const pending = entries.map((entry) => resolve(root, entry));
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const match of source.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  return {
    path: (source) => join(out, source).replace(/\.ts$/, '.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
