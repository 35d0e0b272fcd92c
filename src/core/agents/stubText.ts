// Stub text for agents: compact one-line signatures (search results) and the full stub of one tool
// (describe). Thin adapter over the stubs renderer; the local fallback keeps agents working until
// src/core/stubs/renderStubs.ts lands — the output there is the source of truth (keep in sync).
import type { Catalog, CatalogServer, CatalogTool, JsonSchema } from '../catalog/types';

const MAX_DEPTH = 4;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function propKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/** A small JSON Schema → TS type printer (fallback only; the stubs' schemaToTs is complete). */
export function miniSchemaToTs(schema: unknown, depth = 0, docs = false, indent = ''): string {
  if (!isObj(schema)) return 'unknown';
  if (depth > MAX_DEPTH) return 'unknown';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ') || 'never';
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) return union.map((s) => miniSchemaToTs(s, depth + 1, docs, indent)).join(' | ') || 'unknown';
  const type = schema.type;
  if (Array.isArray(type)) {
    return type.map((t) => miniSchemaToTs({ ...schema, type: t }, depth, docs, indent)).join(' | ');
  }
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = miniSchemaToTs(schema.items, depth + 1, docs, indent);
      return /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object':
    case undefined: {
      const props = isObj(schema.properties) ? schema.properties : undefined;
      if (!props || Object.keys(props).length === 0) {
        return type === 'object' || isObj(schema.additionalProperties) ? 'Record<string, unknown>' : 'unknown';
      }
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const inner = indent + '  ';
      const parts = Object.entries(props).map(([k, v]) => {
        const t = miniSchemaToTs(v, depth + 1, docs, inner);
        const member = `${propKey(k)}${required.has(k) ? '' : '?'}: ${t};`;
        const desc = isObj(v) && typeof v.description === 'string' ? v.description.trim() : '';
        return docs ? `${desc ? `${inner}/** ${oneLine(desc)} */\n` : ''}${inner}${member}` : member;
      });
      return docs ? `{\n${parts.join('\n')}\n${indent}}` : `{ ${parts.join(' ')} }`;
    }
    default:
      return 'unknown';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\*\//g, '* /');
}

function hasRequired(schema: JsonSchema): boolean {
  return Array.isArray(schema.required) && schema.required.length > 0;
}

/** `tools.<server>.<tool>(args: {...}): Promise<...>` on one line (fallback for renderToolSignature). */
export function fallbackSignature(server: CatalogServer, tool: CatalogTool): string {
  const args = miniSchemaToTs(tool.inputSchema);
  const out = tool.outputSchema ? miniSchemaToTs(tool.outputSchema) : 'unknown';
  const param = args === 'unknown' ? '' : `args${hasRequired(tool.inputSchema) ? '' : '?'}: ${args}`;
  return `tools.${server.ident}.${tool.ident}(${param}): Promise<${out}>`;
}

/** The full stub of one tool: JSDoc (description, annotations, original names) and the typed call. */
export function fallbackToolStub(server: CatalogServer, tool: CatalogTool): string {
  const doc: string[] = [];
  if (tool.title) doc.push(tool.title);
  if (tool.description) doc.push(...tool.description.trim().split('\n').map((l) => l.replace(/\*\//g, '* /')));
  const a = tool.annotations;
  if (a) {
    const hints = Object.entries(a)
      .filter(([k, v]) => k !== 'title' && typeof v === 'boolean')
      .map(([k, v]) => `${k}=${String(v)}`);
    if (hints.length) doc.push(`@annotations ${hints.join(' ')}`);
  }
  doc.push(`@mcp ${server.name} / ${tool.name}`);
  const args = miniSchemaToTs(tool.inputSchema, 0, true);
  const out = tool.outputSchema ? miniSchemaToTs(tool.outputSchema, 0, true) : 'unknown';
  const param = args === 'unknown' ? '' : `args${hasRequired(tool.inputSchema) ? '' : '?'}: ${args}`;
  return [
    '/**',
    ...doc.map((l) => ` * ${l}`.trimEnd()),
    ' */',
    `tools.${server.ident}.${tool.ident}(${param}): Promise<${out}>;`,
    '',
  ].join('\n');
}

/** The compact signature search results show. */
export function toolSignature(server: CatalogServer, tool: CatalogTool): string {
  return fallbackSignature(server, tool);
}

/** The full stub text describe_tool returns. */
export function toolStub(server: CatalogServer, tool: CatalogTool): string {
  return fallbackToolStub(server, tool);
}

/** In-memory declaration files for the type checker (fallback: one `tools.d.ts` with every tool). */
export function stubDeclarations(catalog: Catalog): Array<{ path: string; content: string }> {
  const lines: string[] = ['declare const tools: {'];
  for (const server of catalog.servers) {
    lines.push(`  ${propKey(server.ident)}: {`);
    for (const tool of server.tools) {
      const stub = fallbackToolStub(server, tool).replace(`tools.${server.ident}.${tool.ident}(`, `${propKey(tool.ident)}(`);
      lines.push(...stub.trimEnd().split('\n').map((l) => `    ${l}`));
    }
    lines.push('  };');
  }
  lines.push('};', '');
  return [{ path: 'tools.d.ts', content: lines.join('\n') }];
}
