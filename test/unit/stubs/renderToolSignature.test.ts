// Compact signatures for tool search: exact text for a typed tool, an untyped one and a tool whose
// description would close a comment.
import { describe, expect, it } from 'vitest';
import type { CatalogServer, CatalogTool } from '../../../src/core/catalog/types';
import { renderToolSignature } from '../../../src/core/stubs/renderToolSignature';

const demo: CatalogServer = { name: 'demo', ident: 'demo', source: 'demo', status: { state: 'connected' }, tools: [] };

describe('renderToolSignature', () => {
  it('inlines input and output types to a small depth under a one-line description', () => {
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
      '/** Search customers by name or email. */\n' +
        'tools.demo.searchCustomers(input: { query: string; limit?: number; filter?: { status?: "active" | "churned"; tags?: {...}[] } }): ' +
        'Promise<{ items: { id: string; address?: {...} }[]; total: number }>',
    );
  });

  it('makes input optional when nothing is required and says unknown without an outputSchema', () => {
    const tool: CatalogTool = { name: 'ping', ident: 'ping', title: 'Ping */ the server', inputSchema: { type: 'object', properties: {} } };
    expect(renderToolSignature(demo, tool)).toBe('/** Ping *\\/ the server */\ntools.demo.ping(input?: {}): Promise<unknown>');
    expect(renderToolSignature(demo, { ...tool, title: undefined })).toBe('tools.demo.ping(input?: {}): Promise<unknown>');
  });
});
