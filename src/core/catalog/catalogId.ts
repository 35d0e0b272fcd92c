// Builds a Catalog from servers' tool lists: assigns identifiers and the content-hash id.
// Invariant: the id depends only on server names and tool definitions (not on status, order of
// servers or tools), so the same tools give the same id across runs and machines.
import { createHash } from 'node:crypto';
import { assignIdentifiers } from './identifiers';
import type { Catalog, CatalogServer } from './types';
import { canonicalJson, type WireTool } from './wire';

/** A server before identifiers are assigned. */
export type ServerDraft = Omit<CatalogServer, 'ident' | 'tools'> & { tools: WireTool[] };

/** Content hash (16 hex chars of SHA-256) of servers' names and tools. */
export function computeCatalogId(servers: readonly Pick<CatalogServer, 'name' | 'tools'>[]): string {
  const content = [...servers]
    .map((s) => ({
      name: s.name,
      tools: [...s.tools]
        .map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16);
}

/** Assigns server and tool identifiers (stable: decided on sorted names) and the catalog id. */
export function buildCatalog(drafts: readonly ServerDraft[]): Catalog {
  const serverIdents = assignIdentifiers(drafts.map((d) => d.name));
  const servers: CatalogServer[] = drafts.map((d) => {
    const toolIdents = assignIdentifiers(d.tools.map((t) => t.name));
    return {
      ...d,
      ident: serverIdents.get(d.name) as string,
      tools: d.tools.map((t) => ({ ...t, ident: toolIdents.get(t.name) as string })),
    };
  });
  return { id: computeCatalogId(servers), servers };
}
