// The floors of src/core (docs/architecture.md): each folder imports only from folders on lower
// floors, and no files import each other in a cycle. Violations that predate this test are listed
// in KNOWN_UPWARD and may only shrink: a new upward import fails, and so does a fixed one still
// listed (take it off the list), so the list ratchets down to empty.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE, coreImports, filesUnder, folderOf, importCycles } from './importGraph';

/** Keep in sync with the table in docs/architecture.md. */
export const FLOORS: Record<string, number> = {
  '(ground)': 0, // ports.ts, errors.ts, fsAtomic.ts
  redact: 1,
  preview: 1,
  untrusted: 1,
  flow: 1,
  demo: 1,
  llm: 1,
  catalog: 2,
  codeMode: 2,
  approvals: 3,
  editing: 3,
  stubs: 3,
  workspace: 3,
  tokens: 3,
  sandbox: 4,
  discovery: 4,
  trace: 5,
  account: 6,
  learned: 6,
  skills: 6,
  firewall: 7,
  run: 8,
  agents: 9,
  eval: 9,
  replay: 9,
  mcpServer: 10,
};

/** Upward imports that predate the floors (issue "4 of 10"); folder → folder, with the file. */
const KNOWN_UPWARD = new Set<string>([
]);

const edges = coreImports();
const rel = (f: string) => path.relative(CORE, f).split(path.sep).join('/');

describe('the floors of src/core', () => {
  it('gives every folder a floor', () => {
    const folders = [...new Set(filesUnder(CORE).map(folderOf))].sort();
    expect(folders.filter((f) => FLOORS[f] === undefined)).toEqual([]);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('has no upward or sideways import beyond the known ones, and each known one still exists', () => {
    const found = new Set<string>();
    for (const { from, to } of edges) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      if ((FLOORS[b] ?? 99) >= (FLOORS[a] ?? 99)) found.add(`${rel(from)} -> ${b}`);
    }
    expect([...found].filter((v) => !KNOWN_UPWARD.has(v)).sort(), 'new upward imports: move the thing to the floor where it belongs').toEqual([]);
    expect([...KNOWN_UPWARD].filter((v) => !found.has(v)).sort(), 'fixed: take these off KNOWN_UPWARD').toEqual([]);
  });

  it('has no import cycles between files', () => {
    expect(importCycles(edges).map((c) => c.map(rel))).toEqual([]);
  });

  it('detects a cycle when there is one (the checker can fail)', () => {
    expect(importCycles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }])).toEqual([['a', 'b', 'c']]);
  });
});
