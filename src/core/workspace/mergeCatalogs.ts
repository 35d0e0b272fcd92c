// Merges several catalog sources (mcp.json files, settings, VS Code language-model tools…) into one
// catalog with one invoker that routes by server name. Invariant: on a server-name clash the
// earlier source wins and the clash is reported, never silently dropped; every server keeps the id
// and label of the source it came from.
import { buildCatalog } from '../catalog/catalogId';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import { ToolError } from '../errors';
import type { ToolInvoker } from '../ports';

/** Where a part's servers are configured (the order of VS Code's precedence is the caller's). */
export type CatalogSourceKind = 'folder' | 'workspace-file' | 'user' | 'settings' | 'catalog-file' | 'language-model-tools' | 'demo';

/** The identity of a catalog source: `id` is stable and unique among the parts, `label` is for people. */
export interface CatalogSource {
  /** e.g. `folder:file:///repo/a`, `workspace-file`, `user`, `settings`, `lm:ms-python.python`, `demo`. */
  id: string;
  kind: CatalogSourceKind;
  /** Human label for messages and the Tools view, e.g. "a/.vscode/mcp.json" or "settings". */
  label: string;
}

/** One source of servers and the invoker that can call them. */
export interface CatalogPart extends CatalogSource {
  catalog: Catalog;
  invoker: ToolInvoker;
  secrets?: ConfigSecrets;
  close?: () => Promise<void>;
}

export interface MergedCatalog {
  catalog: Catalog;
  invoker: ToolInvoker;
  secrets: ConfigSecrets;
  /** Servers left out because an earlier source has a server with the same name. */
  shadowed: Array<{ server: string; keptFrom: string; droppedFrom: string }>;
  /** Server name → the source it came from (the one that won a clash). */
  origins: ReadonlyMap<string, CatalogSource>;
  close(): Promise<void>;
}

export function mergeCatalogs(parts: readonly CatalogPart[]): MergedCatalog {
  const ids = new Set<string>();
  for (const p of parts) {
    if (ids.has(p.id)) throw new Error(`mergeCatalogs: two catalog parts have the id "${p.id}"`);
    ids.add(p.id);
  }
  const owner = new Map<string, CatalogPart>();
  const shadowed: MergedCatalog['shadowed'] = [];
  const drafts = [];
  for (const part of parts) {
    for (const server of part.catalog.servers) {
      const prev = owner.get(server.name);
      if (prev) {
        shadowed.push({ server: server.name, keptFrom: prev.label, droppedFrom: part.label });
        continue;
      }
      owner.set(server.name, part);
      // Identifiers are reassigned over the merged set so they stay unique across sources.
      drafts.push({ ...server, tools: server.tools.map(({ ident: _ident, ...tool }) => tool) });
    }
  }
  const catalog = buildCatalog(drafts);
  const origins = new Map<string, CatalogSource>([...owner].map(([name, p]) => [name, { id: p.id, kind: p.kind, label: p.label }]));
  const invoker: ToolInvoker = {
    callTool(req, opts) {
      const part = owner.get(req.server);
      if (!part) {
        return Promise.reject(
          new ToolError('unknown_tool', `There is no server named "${req.server}" in the catalog. Refresh the catalog or check the name.`, { server: req.server, tool: req.tool }),
        );
      }
      return part.invoker.callTool(req, opts);
    },
  };
  let closed: Promise<void> | undefined;
  return {
    catalog,
    invoker,
    secrets: { values: [...new Set(parts.flatMap((p) => p.secrets?.values ?? []))], named: parts.flatMap((p) => p.secrets?.named ?? []) },
    shadowed,
    origins,
    close() {
      closed ??= Promise.allSettled(parts.map((p) => p.close?.())).then(() => undefined);
      return closed;
    },
  };
}
