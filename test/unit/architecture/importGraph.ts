// The import graph of src/core, read with TypeScript's own pre-processor (static imports, `import
// type`, re-exports and dynamic `import()` alike), for the floors test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const CORE = 'src/core';

/** Every .ts file under `dir`, as paths relative to the repo. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
    });
}

/** The folder of src/core a file belongs to; files directly in src/core are the ground floor. */
export function folderOf(file: string): string {
  const rel = path.relative(CORE, file).split(path.sep);
  return rel.length > 1 ? (rel[0] as string) : '(ground)';
}

export interface ImportEdge {
  from: string;
  to: string;
}

/** Imports between files of src/core (relative specifiers only; packages are not edges). */
export function coreImports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of filesUnder(CORE)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(from, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = path.normalize(path.join(path.dirname(from), fileName));
      const to = [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => c.endsWith('.ts') && safeIsFile(c));
      if (to && to.startsWith(CORE + path.sep)) edges.push({ from, to });
    }
  }
  return edges;
}

function safeIsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** File-level import cycles, each as the list of its files (smallest file first), deduplicated. */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components; a component of 2+ files (or a self-import) is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(comp.sort());
    }
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort()) if (!idx.has(v)) strong(v);
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
