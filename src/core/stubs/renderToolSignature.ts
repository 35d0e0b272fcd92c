// A compact TS signature of one tool for search results and tool descriptions shown to a model:
// a one-line description comment and `tools.<server>.<tool>(input: {...}): Promise<...>` with nested
// types inlined to a small depth. Reads like the stubs but is not meant to compile (`{...}`).
import type { CatalogServer, CatalogTool } from '../catalog/types';
import { escapeComment, firstLine } from './jsdoc';
import { schemaToInlineTs } from './jsonSchemaToTs';

/** Objects nested deeper than this print as `{...}`. */
export const SIGNATURE_DEPTH = 2;

/**
 * E.g. `/** Search customers by name. *\/\ntools.demo.searchCustomers(input: { query: string; limit?: number }): Promise<{ items: {...}[]; total: number }>`.
 * Without an outputSchema the result is `Promise<unknown>` (MCP text results are untyped).
 */
export function renderToolSignature(server: CatalogServer, tool: CatalogTool, depth = SIGNATURE_DEPTH): string {
  const input = schemaToInlineTs(tool.inputSchema, depth);
  const output = tool.outputSchema ? schemaToInlineTs(tool.outputSchema, depth).text : 'unknown';
  const signature = `tools.${server.ident}.${tool.ident}(input${input.allOptional ? '?' : ''}: ${input.text}): Promise<${output}>`;
  const summary = firstLine(tool.description) || firstLine(tool.title ?? tool.annotations?.title);
  return summary ? `/** ${escapeComment(summary)} */\n${signature}` : signature;
}
