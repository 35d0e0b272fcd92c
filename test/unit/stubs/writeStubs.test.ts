// writeStubs on a real temp folder: first write, a rerun that touches nothing (bytes and mtime),
// removed tools and servers deleted, foreign files left alone, no temp files left behind.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog, CatalogServer, CatalogTool } from '../../../src/core/catalog/types';
import { UsageError } from '../../../src/core/errors';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { writeStubs } from '../../../src/core/stubs/writeStubs';

function tool(name: string): CatalogTool {
  return { name, ident: name, description: `Tool ${name}.`, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };
}

function server(name: string, tools: string[]): CatalogServer {
  return { name, ident: name, source: 'mcp', status: { state: 'connected' }, tools: tools.map(tool) };
}

function catalog(...servers: CatalogServer[]): Catalog {
  return { id: servers.map((s) => `${s.name}:${s.tools.map((t) => t.name).join(',')}`).join(';'), servers };
}

function walk(dir: string, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]))
    .sort();
}

let out: string;
beforeEach(() => {
  out = path.join(mkdtempSync(path.join(tmpdir(), 'tw-stubs-')), 'out');
});
afterEach(() => {
  rmSync(path.dirname(out), { recursive: true, force: true });
});

describe('writeStubs', () => {
  it('writes every rendered file, creating the folder', async () => {
    const c = catalog(server('a', ['one', 'two']), server('b', ['three']));
    const report = await writeStubs(c, out);
    const expected = renderStubs(c).map((f) => f.path);
    expect(report.written).toEqual(expected);
    expect(report.unchanged).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(report.ms).toBeGreaterThanOrEqual(0);
    expect(walk(out)).toEqual([...expected].sort());
    for (const f of renderStubs(c)) expect(readFileSync(path.join(out, f.path), 'utf8')).toBe(f.content);
  });

  it('leaves unchanged files untouched, mtime included, on a second run', async () => {
    const c = catalog(server('a', ['one', 'two']));
    await writeStubs(c, out);
    const old = new Date('2020-01-01T00:00:00Z');
    for (const p of walk(out)) utimesSync(path.join(out, p), old, old);
    const report = await writeStubs(structuredClone(c), out);
    expect(report.written).toEqual([]);
    expect(report.unchanged).toEqual(renderStubs(c).map((f) => f.path));
    for (const p of walk(out)) expect(statSync(path.join(out, p)).mtimeMs, p).toBe(old.getTime());
  });

  it('rewrites only what changed and deletes the files of removed tools and servers', async () => {
    await writeStubs(catalog(server('a', ['one', 'two']), server('b', ['three'])), out);
    const report = await writeStubs(catalog(server('a', ['one'])), out);
    expect(report.deleted).toEqual(['servers/a/two.ts', 'servers/b/index.ts', 'servers/b/three.ts']);
    expect(report.written).toEqual(['manifest.json', 'servers/a/index.ts', 'tools.d.ts']);
    expect(report.unchanged).toEqual(['servers/a/one.ts', 'tsconfig.json']);
    expect(existsSync(path.join(out, 'servers/b'))).toBe(false);
    expect(walk(out)).toEqual(['manifest.json', 'servers/a/index.ts', 'servers/a/one.ts', 'tools.d.ts', 'tsconfig.json']);
  });

  it('never deletes files it did not generate, nor their folders', async () => {
    await writeStubs(catalog(server('a', ['one']), server('b', ['two'])), out);
    writeFileSync(path.join(out, 'servers/b/notes.md'), 'my notes about b\n');
    writeFileSync(path.join(out, 'servers/a/helper.ts'), 'export const x = 1;\n');
    writeFileSync(path.join(out, 'script.ts'), 'await tools.a.one({});\n');
    mkdirSync(path.join(out, 'servers/empty-of-mine'));
    const report = await writeStubs(catalog(server('a', [])), out);
    expect(report.deleted).toEqual(['servers/a/one.ts', 'servers/b/index.ts', 'servers/b/two.ts']);
    expect(walk(out)).toEqual([
      'manifest.json',
      'script.ts',
      'servers/a/helper.ts',
      'servers/a/index.ts',
      'servers/b/notes.md',
      'tools.d.ts',
      'tsconfig.json',
    ]);
    expect(readFileSync(path.join(out, 'servers/b/notes.md'), 'utf8')).toBe('my notes about b\n');
    expect(statSync(path.join(out, 'servers/empty-of-mine')).isDirectory()).toBe(true);
  });

  it('refuses to overwrite a file the user wrote where a stub must go', async () => {
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'tools.d.ts'), 'declare const mine: 1;\n');
    await expect(writeStubs(catalog(server('a', ['one'])), out)).rejects.toThrowError(UsageError);
    expect(readFileSync(path.join(out, 'tools.d.ts'), 'utf8')).toBe('declare const mine: 1;\n');
  });

  it('writes atomically: no temp files remain and a stale generated temp file is cleaned up', async () => {
    mkdirSync(path.join(out, 'servers/a'), { recursive: true });
    writeFileSync(path.join(out, 'servers/a/.one.ts.123.abcd.tmp'), '// Generated by ToolWeaver — do not edit. (half-written)\n');
    await writeStubs(catalog(server('a', ['one'])), out);
    expect(walk(out).filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it('produces byte-identical trees for the same catalog in two folders', async () => {
    const c = catalog(server('a', ['one', 'two']), server('b', ['three']));
    const other = `${out}-2`;
    await writeStubs(c, out);
    await writeStubs(structuredClone(c), other);
    expect(walk(other)).toEqual(walk(out));
    for (const p of walk(out)) expect(readFileSync(path.join(other, p))).toEqual(readFileSync(path.join(out, p)));
  });
});
