// The compact modes of the tool renderer: exact text of the search line and the describe text for a
// typed tool, an untyped one, and server text that would end a comment or a line.
import { describe, expect, it } from 'vitest';
import type { CatalogServer, CatalogTool } from '../../../src/core/catalog/types';
import { renderToolSignature } from '../../../src/core/stubs/renderToolSignature';

const demo: CatalogServer = { name: 'demo', ident: 'demo', source: 'demo', status: { state: 'connected' }, tools: [] };

describe('renderToolSignature', () => {
  it('search: one line, input to two levels, output to its top-level keys, the summary as a trailing comment', () => {
    const tool: CatalogTool = {
      name: 'search-customers',
      ident: 'searchCustomers',
      description: 'Search customers by name or email. Returns a page of matches.\nMore text.',
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string' }, limit: { type: 'integer' }, filter: { $ref: '#/$defs/Filter' } },
        required: ['query'],
        $defs: { Filter: { type: 'object', properties: { status: { enum: ['active', 'churned'] }, tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } } } } },
      },
      outputSchema: {
        type: 'object',
        properties: {
          items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, address: { type: 'object', properties: { city: { type: 'string' } } } }, required: ['id'] } },
          total: { type: 'integer' },
        },
        required: ['items', 'total'],
      },
    };
    expect(renderToolSignature(demo, tool)).toBe(
      'tools.demo.searchCustomers(input: { query: string; limit?: number; filter?: { status?: "active" | "churned"; tags?: {...}[] } }): ' +
        'Promise<{ items: {...}[]; total: number }> // Search customers by name or email.',
    );
    // describe: the whole input (every parameter), output two levels deep, then description and hints.
    expect(renderToolSignature(demo, { ...tool, annotations: { readOnlyHint: true } }, 'describe')).toBe(
      'tools.demo.searchCustomers(input: { query: string; limit?: number; filter?: { status?: "active" | "churned"; tags?: { k?: string }[] } }): ' +
        'Promise<{ items: { id: string; address?: {...} }[]; total: number }>\n' +
        '// Search customers by name or email. (read-only)',
    );
  });

  it('folds line breaks of any kind in server text, so a comment never ends early', () => {
    const tool: CatalogTool = { name: 'x', ident: 'x', title: 'Title', description: 'Line one\u2028evil(); more', inputSchema: { type: 'object' } };
    const search = renderToolSignature(demo, tool);
    expect(search.split(/[\n\r\u2028\u2029]/)).toHaveLength(1);
    expect(search).toBe('tools.demo.x(input?: { [key: string]: unknown }): Promise<unknown> // Line one evil(); more');
    expect(renderToolSignature(demo, tool, 'describe').split(/[\n\r\u2028\u2029]/)).toHaveLength(2);
  });

  it('makes input optional when nothing is required and says unknown without an outputSchema', () => {
    const tool: CatalogTool = { name: 'ping', ident: 'ping', title: 'Ping */ the server', inputSchema: { type: 'object', properties: {} } };
    expect(renderToolSignature(demo, tool)).toBe('tools.demo.ping(input?: {}): Promise<unknown> // Ping */ the server');
    expect(renderToolSignature(demo, { ...tool, title: undefined })).toBe('tools.demo.ping(input?: {}): Promise<unknown>');
    expect(renderToolSignature(demo, { ...tool, title: undefined }, 'describe')).toBe('tools.demo.ping(input?: {}): Promise<unknown>');
  });
});
