// Real reference MCP servers (stdio and Streamable HTTP on 127.0.0.1) through loadCatalog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { EVERYTHING, FILESYSTEM, MEMORY, NODE, signal, startEverythingHttp, tempDir, type HttpServer } from './helpers';
import path from 'node:path';
import { readFileSync } from 'node:fs';

describe('reference servers over stdio', () => {
  let loaded: LoadedCatalog;
  const dir = tempDir();
  beforeAll(async () => {
    loaded = await loadCatalog({
      cwd: dir,
      servers: {
        everything: { command: NODE, args: [EVERYTHING] },
        filesystem: { command: NODE, args: [FILESYSTEM, dir] },
        memory: { command: NODE, args: [MEMORY], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
      },
    });
  }, 30_000);
  afterAll(() => loaded?.close());

  it('lists every server connected with their tools', () => {
    const byName = Object.fromEntries(loaded.catalog.servers.map((s) => [s.name, s]));
    expect(loaded.origin).toBe('servers');
    for (const s of loaded.catalog.servers) expect(s.status).toEqual({ state: 'connected' });
    expect(byName.everything?.tools.length).toBeGreaterThanOrEqual(10);
    expect(byName.filesystem?.tools.length).toBeGreaterThanOrEqual(10);
    expect(byName.memory?.tools.map((t) => t.name)).toContain('create_entities');
    const env = byName.everything?.tools.find((t) => t.name === 'get-env');
    expect(env?.ident).toBe('get_env');
    const read = byName.filesystem?.tools.find((t) => t.name === 'read_text_file');
    expect(read?.annotations?.readOnlyHint).toBe(true);
    expect(read?.inputSchema.type).toBe('object');
    expect(loaded.catalog.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('calls tools: text → JSON value, structuredContent preferred', async () => {
    const echo = await loaded.invoker.callTool({ server: 'everything', tool: 'echo', args: { message: 'hi' } }, { signal: signal(), timeoutMs: 5000 });
    expect(echo).toBe('Echo: hi');
    await loaded.invoker.callTool({ server: 'memory', tool: 'create_entities', args: { entities: [{ name: 'Ada', entityType: 'person', observations: ['math'] }] } }, { signal: signal(), timeoutMs: 5000 });
    const graph = (await loaded.invoker.callTool({ server: 'memory', tool: 'read_graph', args: {} }, { signal: signal(), timeoutMs: 5000 })) as { entities: { name: string }[] };
    expect(graph.entities.map((e) => e.name)).toEqual(['Ada']);
    expect(readFileSync(path.join(dir, 'memory.jsonl'), 'utf8')).toContain('Ada');
  });

  it('spawns servers without the parent environment (secrets never leak by env)', async () => {
    process.env.TW_PARENT_ONLY_SECRET = 'parent-secret-value';
    const l2 = await loadCatalog({ cwd: dir, servers: { everything: { command: NODE, args: [EVERYTHING], env: { TW_CONFIGURED: 'configured-value' } } } });
    try {
      const value = await l2.invoker.callTool({ server: 'everything', tool: 'get-env', args: {} }, { signal: signal(), timeoutMs: 5000 });
      const env = value as Record<string, string>;
      expect(env.TW_CONFIGURED).toBe('configured-value');
      expect(env.TW_PARENT_ONLY_SECRET).toBeUndefined();
      expect(env.PATH).toBeDefined();
      expect(l2.secrets.values).toContain('configured-value');
    } finally {
      delete process.env.TW_PARENT_ONLY_SECRET;
      await l2.close();
    }
  });
});

describe('server-everything over Streamable HTTP on 127.0.0.1', () => {
  let http: HttpServer;
  beforeAll(async () => {
    http = await startEverythingHttp();
  }, 20_000);
  afterAll(() => http?.kill());

  it('connects, lists tools and calls one', async () => {
    const loaded = await loadCatalog({ cwd: tempDir(), servers: { web: { type: 'http', url: http.url, headers: { 'X-Test-Token': 'header-secret' } } } });
    try {
      const server = loaded.catalog.servers[0];
      expect(server?.status).toEqual({ state: 'connected' });
      expect(server?.tools.map((t) => t.name)).toContain('echo');
      expect(loaded.secrets.values).toContain('header-secret');
      const value = await loaded.invoker.callTool({ server: 'web', tool: 'echo', args: { message: 'over http' } }, { signal: signal(), timeoutMs: 5000 });
      expect(value).toBe('Echo: over http');
    } finally {
      await loaded.close();
    }
  });
});

describe('server-everything over legacy SSE on 127.0.0.1', () => {
  let sse: HttpServer;
  beforeAll(async () => {
    sse = await startEverythingHttp('sse');
  }, 20_000);
  afterAll(() => sse?.kill());

  it('connects with type sse, and type http falls back to SSE', async () => {
    const loaded = await loadCatalog({ cwd: tempDir(), servers: { direct: { type: 'sse', url: sse.url }, fallback: { type: 'http', url: sse.url } } });
    try {
      for (const s of loaded.catalog.servers) {
        expect(s.status).toEqual({ state: 'connected' });
        expect(s.tools.map((t) => t.name)).toContain('echo');
      }
      const value = await loaded.invoker.callTool({ server: 'fallback', tool: 'echo', args: { message: 'sse' } }, { signal: signal(), timeoutMs: 5000 });
      expect(value).toBe('Echo: sse');
    } finally {
      await loaded.close();
    }
  });
});
