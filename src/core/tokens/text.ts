// How each thing a model sees is rendered as text before counting: function definitions as an
// OpenAI-style `tools` array, calls as name + JSON arguments, results as their JSON/text content.
// The trace recorder (trace/recorder.ts) counts spans with these same functions.
import type { Catalog } from '../catalog/types';
import type { ToolDefinition } from '../codeMode/tools';

/** The function name a classic client would give a catalog tool (VS Code style). */
export function classicToolName(server: string, tool: string): string {
  return `mcp_${server}_${tool}`;
}

/** Definitions as sent in a request's `tools` array. */
export function definitionsText(defs: readonly ToolDefinition[]): string {
  return JSON.stringify(
    defs.map((d) => ({ type: 'function', function: { name: d.name, description: d.description, parameters: d.inputSchema } })),
  );
}

/** Every catalog tool as a classic definition. */
export function catalogDefinitions(catalog: Catalog): ToolDefinition[] {
  return catalog.servers.flatMap((s) =>
    s.tools.map((t) => ({
      name: classicToolName(s.name, t.name),
      description: t.description ?? t.title ?? '',
      inputSchema: t.inputSchema,
    })),
  );
}

/** JSON text of a value; strings stay as they are (a tool's text content). */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** A tool call as the model writes it. */
export function toolCallText(server: string, tool: string, args: unknown): string {
  return `${classicToolName(server, tool)} ${valueText(args ?? {})}`;
}

/** A tool result (or error) as the model reads it. */
export function toolResultText(result: unknown, error?: { message: string }): string {
  return error ? `Error: ${error.message}` : valueText(result);
}
