// Output types learned from real results: a run calls server-everything's tools that declare no
// outputSchema (stdio), the types inferred from its trace are golden files, the stubs with them compile
// under tsc --strict, and a script that read `unknown` before now type-checks; a later result that does
// not fit is flagged as a drift in its trace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { applyLearnedTypes, inferWorkspaceTypes, loadTypesFiles, pinType, discardType, withWorkspaceTypes } from '../../../src/core/learned/learnTypes';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { writeStubs } from '../../../src/core/stubs/writeStubs';
import { describeTool } from '../../../src/core/discovery/toolSearch';
import { createTraceStore } from '../../../src/core/trace/store';
import type { Catalog } from '../../../src/core/catalog/types';
import { compileFolder } from '../../fixtures/stubs/compileStubs';
import { EVERYTHING, NODE } from '../catalog/helpers';

const RECORD = `
const out = [];
for (const message of ['hi', 'hello there', '']) out.push(await tools.everything.echo({ message }));
for (const [a, b] of [[1, 2], [3.5, 4], [-1, 1]]) out.push(await tools.everything.get_sum({ a, b }));
out.push(await tools.everything.get_annotated_message({ messageType: 'error' }));
out.push(await tools.everything.get_annotated_message({ messageType: 'success', includeImage: true }));
out.push(await tools.everything.get_annotated_message({ messageType: 'debug' }));
out.push(await tools.everything.get_resource_links({ count: 2 }));
out.push(await tools.everything.get_resource_reference({ resourceId: 2 }));
out.push(await tools.everything.get_tiny_image({}));
return out.length;
`;

/** Reads `unknown` without learned types: does not type-check against the untyped stubs. */
const USES_RESULTS = `
const sum = await tools.everything.get_sum({ a: 1, b: 2 });
const shout: string = sum.toUpperCase();
const parts = await tools.everything.get_annotated_message({ messageType: 'success' });
const kinds: string[] = Array.isArray(parts) ? parts.map((p) => p.type) : [parts];
console.log(shout, kinds);
`;

let work: string;
let loaded: LoadedCatalog;
const sandbox = createSandbox({ poolSize: 1 });
const traceDir = () => path.join(work, '.toolweaver', 'traces');

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tw-learned-'));
  loaded = await loadCatalog({ cwd: work, servers: { everything: { type: 'stdio', command: NODE, args: [EVERYTHING] } }, connectTimeoutMs: 20_000 });
  const run = await executeRun({ source: RECORD, catalog: loaded.catalog, invoker: loaded.invoker, sandbox, cwd: work, tokenizer: false, checkpointMs: 0 });
  expect(run.result.ok, JSON.stringify(run.result)).toBe(true);
}, 60_000);

afterAll(async () => {
  await loaded?.close();
  await sandbox.dispose();
  rmSync(work, { recursive: true, force: true });
});

function stubsOf(catalog: Catalog, dir: string) {
  return writeStubs(catalog, path.join(work, dir));
}

describe('output types learned from real results (server-everything)', () => {
  it('infers one type per untyped tool called; golden types; the stubs compile strict and a script reading them type-checks', async () => {
    const entries = await inferWorkspaceTypes({ store: createTraceStore({ dir: traceDir() }), cwd: work, date: '2026-12-02' });
    expect([...entries.keys()].sort()).toEqual([
      'everything/echo',
      'everything/get-annotated-message',
      'everything/get-resource-links',
      'everything/get-resource-reference',
      'everything/get-sum',
      'everything/get-tiny-image',
    ]);
    expect(entries.get('everything/get-sum')).toMatchObject({ calls: 3, schema: { type: 'string' } });
    const catalog = await withWorkspaceTypes(loaded.catalog, work);

    // Before: the script reads `unknown` and does not type-check.
    const before = path.join(work, 'stubs-before');
    await stubsOf(loaded.catalog, 'stubs-before');
    writeFileSync(path.join(before, 'script.ts'), USES_RESULTS);
    expect(compileFolder(before).length).toBeGreaterThan(0);

    // After: the stubs carry the learned types (golden files) and the same script compiles, strict.
    const after = path.join(work, 'stubs-after');
    await stubsOf(catalog, 'stubs-after');
    for (const tool of ['echo', 'get_sum', 'get_annotated_message', 'get_resource_links', 'get_resource_reference', 'get_tiny_image']) {
      const text = readFileSync(path.join(after, 'servers', 'everything', `${tool}.ts`), 'utf8');
      expect(text).toContain('/** Output type inferred from ');
      expect(text).toContain(' — not declared by the server */');
      await expect(text).toMatchFileSnapshot(path.join(__dirname, '__golden__', `everything.${tool}.ts`));
    }
    writeFileSync(path.join(after, 'script.ts'), USES_RESULTS);
    expect(compileFolder(after)).toEqual([]);

    // describe_tool shows it too; a declared outputSchema is never replaced.
    expect(describeTool(catalog, 'everything.get_sum')).toContain('Promise<string>');
    const structured = catalog.servers[0]!.tools.find((t) => t.name === 'get-structured-content');
    expect(structured?.learnedOutput).toBeUndefined();
  });

  it('Accept pins a type into the pinned file, Discard drops it until Re-infer', async () => {
    expect(await pinType(work, 'everything/get-sum')).toBe(true);
    let files = await loadTypesFiles(work);
    expect(Object.keys(files.pinned.tools)).toEqual(['everything/get-sum']);
    let tool = applyLearnedTypes(loaded.catalog, files.learned, files.pinned).servers[0]!.tools.find((t) => t.name === 'get-sum');
    expect(tool?.learnedOutput).toMatchObject({ pinned: true, calls: 3 });

    await discardType(work, 'everything/get-sum');
    files = await loadTypesFiles(work);
    expect(files.pinned.tools).toEqual({});
    tool = applyLearnedTypes(loaded.catalog, files.learned, files.pinned).servers[0]!.tools.find((t) => t.name === 'get-sum');
    expect(tool?.learnedOutput).toBeUndefined();
    // A plain infer keeps it discarded; Re-infer brings it back.
    const store = createTraceStore({ dir: traceDir() });
    await inferWorkspaceTypes({ store, cwd: work });
    expect((await loadTypesFiles(work)).learned.tools['everything/get-sum']?.discarded).toBe(true);
    await inferWorkspaceTypes({ store, cwd: work, reinfer: new Set(['everything/get-sum']) });
    expect((await loadTypesFiles(work)).learned.tools['everything/get-sum']?.discarded).toBeUndefined();
  });

  it('flags a later result that does not fit the learned type as a drift, without failing the run', async () => {
    const catalog = await withWorkspaceTypes(loaded.catalog, work);
    // Learned from three calls: get-sum returns a string. A fake answer with an object drifts.
    const invoker = { callTool: async () => ({ sum: 3 }) };
    const run = await executeRun({ source: 'return await tools.everything.get_sum({ a: 1, b: 2 });', catalog, invoker, sandbox, cwd: work, tokenizer: false, checkpointMs: 0 });
    expect(run.result.ok).toBe(true);
    const span = run.trace.spans.find((s) => s.kind === 'tool');
    expect(span?.kind === 'tool' && span.drift).toBe('$: expected string, got object');
  });
});
