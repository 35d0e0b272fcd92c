// The host's view of a catalog for runs: the layout the guest sees (identifiers and indexes only)
// and, per index, the original names, annotations and a lazily compiled argument check. Cached
// per catalog id, so validators compile once per tool per catalog snapshot.

import type { Catalog, CatalogServer, CatalogTool } from '../../catalog/types';
import { truncateBytes } from '../limits';
import type { ServerLayoutInfo, ToolLayout } from '../protocol';
import { compileArgsCheck, type ArgsCheck } from './validation';

export interface ToolEntry {
  server: CatalogServer;
  tool: CatalogTool;
  /** readOnlyHint AND idempotentHint: identical calls may be answered from the run's cache. */
  cacheable: boolean;
  /** readOnlyHint OR idempotentHint: a failed call may be repeated by retry() without an explicit retryOn. */
  retrySafe: boolean;
  check(args: unknown): { field: string; message: string } | undefined;
}

export interface ToolTable {
  catalogId: string;
  layout: ToolLayout;
  entries: ToolEntry[];
}

const MAX_CACHED_TABLES = 8;
/** A down server's error as the guest sees it in a ToolError. */
const MAX_DOWN_MESSAGE_BYTES = 1024;
const tables = new Map<string, ToolTable>();

/** The table of `catalog`, built once per catalog id (most recently used kept). */
export function toolTableOf(catalog: Catalog, onCompileError?: (message: string) => void): ToolTable {
  const hit = tables.get(catalog.id);
  if (hit) {
    tables.delete(catalog.id);
    tables.set(catalog.id, hit);
    return hit;
  }
  const table = buildTable(catalog, onCompileError);
  tables.set(catalog.id, table);
  if (tables.size > MAX_CACHED_TABLES) tables.delete(tables.keys().next().value as string);
  return table;
}

function buildTable(catalog: Catalog, onCompileError?: (message: string) => void): ToolTable {
  const layout: ToolLayout = [];
  const entries: ToolEntry[] = [];
  for (const server of catalog.servers) {
    const list: Array<[string, number]> = [];
    for (const tool of server.tools) {
      list.push([tool.ident, entries.length]);
      let compiled: ArgsCheck | undefined;
      entries.push({
        server,
        tool,
        cacheable: tool.annotations?.readOnlyHint === true && tool.annotations?.idempotentHint === true,
        retrySafe: tool.annotations?.readOnlyHint === true || tool.annotations?.idempotentHint === true,
        check(args) {
          compiled ??= compileArgsCheck(tool.inputSchema, (m) =>
            onCompileError?.(`The input schema of ${server.name}.${tool.name} does not compile (${m}); its arguments are not validated.`),
          );
          return compiled(args);
        },
      });
    }
    const info: ServerLayoutInfo = { name: server.name };
    if (server.status.state === 'error') info.down = truncateBytes(`${server.status.message} (${server.status.code})`, MAX_DOWN_MESSAGE_BYTES);
    layout.push([server.ident, list, info]);
  }
  return { catalogId: catalog.id, layout, entries };
}
