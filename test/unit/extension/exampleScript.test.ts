import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/catalog/catalogId';
import { exampleScript } from '../../../src/extension/exampleScript';

const server = (name: string, tools: Array<{ name: string; readOnly?: boolean; destructive?: boolean }>, state: 'connected' | 'error' = 'connected') => ({
  name,
  source: 'mcp' as const,
  status: state === 'connected' ? { state } : { state, code: 'connect_failed', message: 'down' },
  tools: tools.map((t) => ({ name: t.name, inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, annotations: { readOnlyHint: t.readOnly, destructiveHint: t.destructive } })),
});

describe('exampleScript (New Script template)', () => {
  it('calls a read-only tool of the catalog, skipping servers without one', () => {
    const text = exampleScript(buildCatalog([server('vscode', [{ name: 'setup_tools_createNewWorkspace' }]), server('crm', [{ name: 'delete_customer', destructive: true }, { name: 'get_customer', readOnly: true }])]));
    expect(text).toContain('const result = await tools.crm.get_customer({ id:');
    expect(text).not.toContain('setup_tools');
  });

  it('never makes a live call to a tool without a read-only hint: it comments one out instead', () => {
    const text = exampleScript(buildCatalog([server('vscode', [{ name: 'setup_tools_createNewWorkspace' }])]));
    expect(text).toContain('// const result = await tools.vscode.setup_tools_createNewWorkspace(');
    expect(text.split('\n').filter((l) => l.includes('tools.') && !l.trim().startsWith('//'))).toEqual([]);
    expect(text).toContain("return 'hello';");
  });

  it('an empty catalog or a failed server gives the commented placeholder', () => {
    expect(exampleScript(buildCatalog([]))).toContain('// const result = await tools.<server>.<tool>({ ... });');
    expect(exampleScript(buildCatalog([server('down', [{ name: 'read', readOnly: true }], 'error')]))).toContain('tools.<server>.<tool>');
  });
});
