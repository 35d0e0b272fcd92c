import { describe, expect, it } from 'vitest';
import type { CatalogServer, CatalogTool } from '../../../src/core/catalog/types';
import { requiredArguments, toolCallSnippet, toolCallText } from '../../../src/core/editing/callSnippet';

const tool: CatalogTool = {
  name: 'search-customers',
  ident: 'search_customers',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string' },
      limit: { type: 'integer', default: 20 },
      status: { enum: ['open', 'closed'] },
      'odd key': { type: 'boolean' },
      cost: { type: 'string', default: '$5}' },
    },
    required: ['query', 'status', 'odd key', 'cost'],
  },
};
const server: CatalogServer = { name: 'my-crm', ident: 'my_crm', source: 'mcp', status: { state: 'connected' }, tools: [tool] };

describe('toolCallSnippet', () => {
  it('has one placeholder per required argument, escaped for snippets', () => {
    expect(requiredArguments(tool)).toEqual(['query', 'status', 'odd key', 'cost']);
    expect(toolCallSnippet(server, tool)).toBe(
      'tools.my_crm.search_customers({ query: ${1:\'\'}, status: ${2:"open"}, "odd key": ${3:false}, cost: ${4:"\\$5\\}"} })$0',
    );
  });
  it('omits the prefix after the dot', () => {
    expect(toolCallSnippet(server, { ...tool, inputSchema: { type: 'object' } }, { withPrefix: false })).toBe('search_customers({$1})$0');
  });
  it('renders a plain call for the clipboard', () => {
    expect(toolCallText(server, tool)).toBe('await tools.my_crm.search_customers({ query: \'\', status: "open", "odd key": false, cost: "$5}" })');
  });
});
