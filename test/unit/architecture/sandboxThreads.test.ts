// The rooms of src/core/sandbox (docs/architecture.md): host/ (the caller's thread), worker/ (a
// worker thread) and guest/ (QuickJS) share only the contract files at the sandbox root. Host and
// worker never import each other; the guest imports nothing but the contract files and the pure
// libraries in GUEST_LIBRARIES; the contract files import no room; the entry sandbox.ts only host/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE, coreImports, folderOf, type ImportEdge } from './importGraph';

const SANDBOX = path.join(CORE, 'sandbox');
const ENTRY = path.join(SANDBOX, 'sandbox.ts');

type Room = 'contract' | 'entry' | 'host' | 'worker' | 'guest';

/** Which room of sandbox/ a file is in, or undefined outside sandbox/. */
export function roomOf(file: string): Room | undefined {
  const rel = path.relative(SANDBOX, file).split(path.sep);
  if (rel[0] === '..' || path.isAbsolute(rel[0] as string)) return undefined;
  if (rel.length === 1) return file === ENTRY ? 'entry' : 'contract';
  const room = rel[0] as string;
  if (room === 'host' || room === 'worker' || room === 'guest') return room;
  throw new Error(`${file} is in sandbox/${room}/, which is no room: put it in host/, worker/, guest/ or at the root.`);
}

/** What each room may import inside sandbox/. */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  contract: ['contract'],
  entry: ['contract', 'host'],
  host: ['contract', 'host'],
  worker: ['contract', 'worker'],
  guest: ['contract', 'guest'],
};

/** The folders outside sandbox/ the guest may import: pure floor-1 libraries the prelude bundles
 *  (the flow helpers run in the guest). Keep in sync with docs/architecture.md. */
const GUEST_LIBRARIES = new Set(['flow']);

/** Other guest imports from outside sandbox/, each with why; the list may only shrink. */
const GUEST_EXCEPTIONS = new Set<string>([
  // A pure string function (edit distance); it sits in editing/ because code actions use it too.
  'sandbox/guest/toolsObject.ts -> editing/closestName.ts',
]);

const rel = (f: string) => path.relative(CORE, f).split(path.sep).join('/');

/** Every import that breaks the rooms' rules, as `from -> to`. */
export function roomViolations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = roomOf(from);
    if (!a) continue;
    const b = roomOf(to);
    if (b) {
      if (!MAY_IMPORT[a].includes(b)) out.push(`${rel(from)} -> ${rel(to)}`);
    } else if (a === 'guest' && !GUEST_LIBRARIES.has(folderOf(to))) out.push(`${rel(from)} -> ${rel(to)}`);
  }
  return out.sort();
}

const edges = coreImports();

describe('the rooms of src/core/sandbox', () => {
  it('has files in every room', () => {
    const rooms = new Set(edges.flatMap((e) => [roomOf(e.from), roomOf(e.to)]));
    expect([...rooms].filter(Boolean).sort()).toEqual(['contract', 'entry', 'guest', 'host', 'worker']);
  });

  it('keeps host, worker and guest apart, sharing only the contract files (exceptions may only shrink)', () => {
    const found = roomViolations(edges);
    expect(found.filter((v) => !GUEST_EXCEPTIONS.has(v)), 'move the shared thing to a contract file at the sandbox root').toEqual([]);
    expect([...GUEST_EXCEPTIONS].filter((v) => !found.includes(v)), 'fixed: take these off GUEST_EXCEPTIONS').toEqual([]);
  });

  it('fails on an import between rooms (the checker can fail)', () => {
    const f = (p: string) => path.join(SANDBOX, p);
    const bad: ImportEdge[] = [
      { from: f('host/bridge.ts'), to: f('worker/engine.ts') },
      { from: f('worker/guestRun.ts'), to: f('host/pool.ts') },
      { from: f('guest/prelude.ts'), to: f('host/bridge.ts') },
      { from: f('guest/calls.ts'), to: path.join(CORE, 'catalog/types.ts') },
      { from: f('protocol.ts'), to: f('worker/engine.ts') },
      { from: f('limits.ts'), to: ENTRY },
    ];
    const ok: ImportEdge[] = [
      { from: f('host/bridge.ts'), to: f('protocol.ts') },
      { from: f('guest/prelude.ts'), to: path.join(CORE, 'flow/helpers.ts') },
      { from: ENTRY, to: f('host/pool.ts') },
    ];
    expect(roomViolations([...bad, ...ok])).toEqual(bad.map((e) => `${rel(e.from)} -> ${rel(e.to)}`).sort());
  });

  it('builds the worker and the prelude from their rooms (esbuild entry points)', () => {
    const build = readFileSync('esbuild.mjs', 'utf8');
    expect(build).toContain("sandboxWorker: 'src/core/sandbox/worker/worker.ts'");
    expect(build).toContain("sandboxPrelude: 'src/core/sandbox/guest/prelude.ts'");
  });
});
