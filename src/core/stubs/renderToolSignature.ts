// The compact text of one tool a model reads (search results, describe_tool's default, listings):
// the `search` and `describe` modes of the one tool renderer (renderToolFile.ts), which also prints
// the editor's stub file. Reads like the stubs but is not meant to compile (`{...}`).
import type { CatalogServer, CatalogTool } from '../catalog/types';
import { renderTool } from './renderToolFile';

/**
 * `search` (default): one line, e.g. `tools.demo.searchCustomers(input: { query: string; limit?: number }): Promise<{ items: {...}[]; total: number }> // Search customers by name.`
 * `describe`: the signature with the whole input type, then `// <description> (<hints>)`.
 * Without an outputSchema the result is `Promise<unknown>` (MCP text results are untyped).
 */
export function renderToolSignature(server: CatalogServer, tool: CatalogTool, mode: 'search' | 'describe' = 'search'): string {
  return renderTool(server, tool, { kind: mode }).content;
}
