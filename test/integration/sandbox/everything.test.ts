// The sandbox against a real reference MCP server over stdio (server-everything), through
// loadCatalog's invoker: 100 parallel calls, validation against the server's own schemas,
// structured results, cancellation of a long-running tool.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { createSandbox } from '../../../src/core/sandbox/sandbox';

const serverJs = path.resolve(__dirname, '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const sandbox = createSandbox({ poolSize: 1 });
let loaded: LoadedCatalog;

beforeAll(async () => {
  loaded = await loadCatalog({
    cwd: process.cwd(),
    servers: { everything: { type: 'stdio', command: process.execPath, args: [serverJs] } },
  });
  expect(loaded.catalog.servers[0]?.status.state).toBe('connected');
});
afterAll(async () => {
  await sandbox.dispose();
  await loaded?.close();
});

describe('server-everything over stdio', () => {
  it('answers 100 parallel calls via Promise.all', async () => {
    const r = await sandbox.run(
      'const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => tools.everything.get_sum({ a: i, b: 1 })));\nconst echoes = await Promise.all(Array.from({ length: 100 }, (_, i) => tools.everything.echo({ message: `m${i}` })));\nreturn { sums, echoes: echoes.slice(0, 2) };',
      { catalog: loaded.catalog, invoker: loaded.invoker, limits: { maxToolCalls: 300 } },
    );
    expect(r.ok, JSON.stringify(r).slice(0, 500)).toBe(true);
    const value = (r as { value: { sums: unknown[]; echoes: unknown[] } }).value;
    expect(value.sums).toHaveLength(100);
    expect(JSON.stringify(value.sums[41])).toContain('42');
    expect(JSON.stringify(value.echoes[1])).toContain('m1');
    expect(r.stats.toolCalls).toBe(200);
    expect(r.stats.peakConcurrency).toBeGreaterThan(1);
  });

  it('validates against the server schema before calling', async () => {
    const r = await sandbox.run('try { await tools.everything.get_sum({ a: 1 }); } catch (e) { return [e.code, e.field]; }', { catalog: loaded.catalog, invoker: loaded.invoker });
    expect(r).toMatchObject({ ok: true, value: ['invalid_arguments', 'b'] });
  });

  it('cancels a long-running tool promptly', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = performance.now();
    const r = await sandbox.run('await tools.everything.trigger_long_running_operation({ duration: 30, steps: 5 });', {
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      signal: ac.signal,
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1500);
    // The connection still works afterwards.
    const next = await sandbox.run('return await tools.everything.echo({ message: "after" });', { catalog: loaded.catalog, invoker: loaded.invoker });
    expect(JSON.stringify(next)).toContain('after');
  });
});
