import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/catalog/catalogId';
import { ToolError } from '../../../src/core/errors';
import type { ToolInvoker } from '../../../src/core/ports';
import { mergeCatalogs } from '../../../src/core/workspace/mergeCatalogs';

const part = (label: string, server: string, tools: string[]) => {
  const calls: string[] = [];
  const invoker: ToolInvoker = { callTool: async (req) => { calls.push(`${label}:${req.server}.${req.tool}`); return label; } };
  const catalog = buildCatalog([{ name: server, source: 'mcp', status: { state: 'connected' }, tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })) }]);
  let closed = 0;
  return { part: { id: `id-${label}`, kind: 'settings' as const, label, catalog, invoker, secrets: { values: [`secret-${label}`] }, close: async () => { closed++; } }, calls, closedCount: () => closed };
};

describe('mergeCatalogs', () => {
  it('routes calls to the source that owns the server; the first source wins a clash', async () => {
    const a = part('file', 'github', ['search']);
    const b = part('settings', 'github', ['other']);
    const c = part('lm', 'vscode', ['copilot-search']);
    const merged = mergeCatalogs([a.part, b.part, c.part]);
    expect(merged.catalog.servers.map((s) => s.name)).toEqual(['github', 'vscode']);
    expect(merged.shadowed).toEqual([{ server: 'github', keptFrom: 'file', droppedFrom: 'settings' }]);
    expect(Object.fromEntries([...merged.origins].map(([k, v]) => [k, v.id]))).toEqual({ github: 'id-file', vscode: 'id-lm' });
    expect(merged.catalog.servers[1]!.tools[0]!.ident).toBe('copilot_search');
    const signal = new AbortController().signal;
    expect(await merged.invoker.callTool({ server: 'vscode', tool: 'copilot-search', args: {} }, { signal, timeoutMs: 1000 })).toBe('lm');
    await expect(merged.invoker.callTool({ server: 'nope', tool: 'x', args: {} }, { signal, timeoutMs: 1000 })).rejects.toSatisfy((e) => ToolError.is(e, 'unknown_tool'));
    expect(merged.secrets.values.sort()).toEqual(['secret-file', 'secret-lm', 'secret-settings']);
    await merged.close();
    await merged.close();
    expect([a.closedCount(), b.closedCount(), c.closedCount()]).toEqual([1, 1, 1]);
  });
});
