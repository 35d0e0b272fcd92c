import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalogFile, writeCatalogFile } from '../../../src/core/catalog/catalogFile';
import { buildCatalog, computeCatalogId } from '../../../src/core/catalog/catalogId';
import { toolValue } from '../../../src/core/catalog/toolValue';
import { loadCatalog } from '../../../src/core/catalog/loadCatalog';
import { ConfigError, ToolError } from '../../../src/core/errors';

const tool = (name: string) => ({ name, description: `${name} it`, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } });
const catalog = buildCatalog([
  { name: 'git-hub', source: 'mcp', status: { state: 'connected' }, serverInfo: { name: 'gh', version: '1' }, tools: [tool('search-issues'), tool('delete')] },
  { name: 'broken', source: 'mcp', status: { state: 'error', code: 'connect_timeout', message: 'slow' }, tools: [] },
]);

describe('catalog id', () => {
  it('depends on content, not order or status', () => {
    const reordered = buildCatalog([
      { name: 'broken', source: 'mcp', status: { state: 'offline' }, tools: [] },
      { name: 'git-hub', source: 'mcp', status: { state: 'offline' }, tools: [tool('delete'), tool('search-issues')] },
    ]);
    expect(reordered.id).toBe(catalog.id);
    expect(computeCatalogId([{ name: 'git-hub', tools: [] }])).not.toBe(catalog.id);
  });
  it('assigns identifiers', () => {
    expect(catalog.servers[0]?.ident).toBe('git_hub');
    expect(catalog.servers[0]?.tools.map((t) => t.ident)).toEqual(['search_issues', 'delete_']);
  });
});

describe('catalog file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-catfile-'));

  it('round-trips: same id, offline status, deterministic bytes', async () => {
    const file = path.join(dir, 'sub', 'catalog.json');
    await writeCatalogFile(file, catalog);
    const first = readFileSync(file, 'utf8');
    const back = await readCatalogFile(file);
    expect(back.id).toBe(catalog.id);
    expect(back.servers.map((s) => [s.name, s.ident, s.source, s.status.state])).toEqual([
      ['git-hub', 'git_hub', 'catalog-file', 'offline'],
      ['broken', 'broken', 'catalog-file', 'offline'],
    ]);
    expect(back.servers[0]?.tools[0]).toEqual({ ...tool('search-issues'), ident: 'search_issues' });
    await writeCatalogFile(file, back);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(JSON.parse(first)).toMatchObject({ version: 1, servers: [{ name: 'git-hub' }, { name: 'broken' }] });
  });

  it('invalid files are catalog_file_invalid naming the field', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 1, servers: [{ name: 's', tools: [{ name: 't', inputSchema: 'x' }] }] }));
    const err = (await readCatalogFile(file).catch((e: unknown) => e)) as ConfigError;
    expect(ConfigError.is(err, 'catalog_file_invalid')).toBe(true);
    expect(err.field).toBe('servers[0].tools[0].inputSchema');
    writeFileSync(file, JSON.stringify({ version: 2, servers: [] }));
    expect(((await readCatalogFile(file).catch((e: unknown) => e)) as ConfigError).field).toBe('version');
    writeFileSync(file, '{oops');
    expect(ConfigError.is(await readCatalogFile(file).catch((e: unknown) => e), 'catalog_file_invalid')).toBe(true);
  });

  it('loadCatalog from a file gives an invoker that explains the offline snapshot', async () => {
    const file = path.join(dir, 'offline.json');
    await writeCatalogFile(file, catalog);
    const loaded = await loadCatalog({ cwd: dir, catalogFile: 'offline.json' });
    expect(loaded.origin).toBe('catalog-file');
    const err = (await loaded.invoker.callTool({ server: 'git-hub', tool: 'delete', args: {} }, { signal: new AbortController().signal, timeoutMs: 100 }).catch((e: unknown) => e)) as ToolError;
    expect(ToolError.is(err, 'server_unreachable')).toBe(true);
    expect(err.message).toContain('offline snapshot');
    expect([err.server, err.tool]).toEqual(['git-hub', 'delete']);
    await loaded.close();
  });
});

describe('toolValue', () => {
  it('prefers structuredContent, then JSON text, then text, then content', () => {
    expect(toolValue({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { b: 2 } })).toEqual({ b: 2 });
    expect(toolValue({ content: [{ type: 'text', text: '{"a":1}' }] })).toEqual({ a: 1 });
    expect(toolValue({ content: [{ type: 'text', text: '42' }] })).toBe(42);
    expect(toolValue({ content: [{ type: 'text', text: 'hello' }, { type: 'text', text: 'world' }] })).toBe('hello\nworld');
    expect(toolValue({ content: [{ type: 'text', text: '{not json' }] })).toBe('{not json');
    const image = [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }];
    expect(toolValue({ content: image })).toEqual(image);
  });
});

describe('catalog file strictness', () => {
  it('rejects unknown fields (typos) naming them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-catfile-'));
    const file = path.join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ version: 1, servers: [{ name: 's', tools: [{ name: 't', descripton: 'typo' }] }] }));
    const err = (await readCatalogFile(file).catch((e: unknown) => e)) as ConfigError;
    expect(err.code).toBe('catalog_file_invalid');
    expect(err.field).toBe('servers[0].tools[0]');
    expect(err.message).toContain('descripton');
  });
});
