// Builds the text inserted for a tool call: a VS Code snippet with placeholders for the required
// arguments (completion, Insert Tool Call), or plain text (copy). Pure: works on the tool's schema.
import type { CatalogServer, CatalogTool, JsonSchema } from '../catalog/types';

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function placeholderFor(schema: unknown): string {
  const s = (schema ?? {}) as JsonSchema;
  if (Array.isArray(s.enum) && s.enum.length > 0) return JSON.stringify(s.enum[0]);
  if ('const' in s) return JSON.stringify(s.const);
  if ('default' in s && s.default !== undefined) return JSON.stringify(s.default);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return "''";
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    default:
      return 'undefined';
  }
}

/** The required argument names of a tool, in schema order. */
export function requiredArguments(tool: CatalogTool): string[] {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(tool.inputSchema.required) ? (tool.inputSchema.required as unknown[]) : [];
  return Object.keys(props).filter((k) => required.includes(k));
}

/**
 * `tools.<server>.<tool>({ a: ${1:''}, b: ${2:0} })` with one tab stop per required argument and a
 * final `$0`; `withPrefix: false` omits `tools.<server>.` (completion after the dot).
 */
export function toolCallSnippet(server: CatalogServer, tool: CatalogTool, opts: { withPrefix?: boolean; await?: boolean } = {}): string {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  const args = requiredArguments(tool).map(
    (name, i) => `${propertyKey(name)}: \${${i + 1}:${escapeSnippet(placeholderFor(props[name]))}}`,
  );
  const head = (opts.await ? 'await ' : '') + (opts.withPrefix === false ? '' : `tools.${server.ident}.`);
  const body = args.length ? `{ ${args.join(', ')} }` : '{$1}';
  return `${head}${tool.ident}(${body})$0`;
}

/** The same call as plain text with typed placeholders, for the clipboard. */
export function toolCallText(server: CatalogServer, tool: CatalogTool): string {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  const args = requiredArguments(tool).map((name) => `${propertyKey(name)}: ${placeholderFor(props[name])}`);
  return `await tools.${server.ident}.${tool.ident}(${args.length ? `{ ${args.join(', ')} }` : '{}'})`;
}
