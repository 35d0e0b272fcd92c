// What the heuristic injection check found in what servers say about themselves (instructions, tool
// names, titles, descriptions, schemas), keyed `server/tool` (`server` for server-level text).
// Invariant: derived from the catalog, cached per catalog object, never part of its hashed content.
import { scanCatalogText, type CatalogTextFindings } from '../untrusted/catalogText';
import type { Catalog } from './types';

/** Findings by `server/tool` (raw MCP names), or by `server` for its instructions. */
export type CatalogFindings = ReadonlyMap<string, readonly CatalogTextFindings[]>;

const cache = new WeakMap<Catalog, CatalogFindings>();

/** The key of a tool (or, without `tool`, of a server's own text). */
export function findingsKey(server: string, tool?: string): string {
  return tool === undefined ? server : `${server}/${tool}`;
}

/** Scans the catalog once (cached for this catalog object; a reload is a new object). */
export function catalogFindings(catalog: Catalog): CatalogFindings {
  let found = cache.get(catalog);
  if (!found) {
    const map = new Map<string, CatalogTextFindings[]>();
    for (const f of scanCatalogText(catalog.servers)) {
      const key = findingsKey(f.server, f.tool);
      map.set(key, [...(map.get(key) ?? []), f]);
    }
    found = map;
    cache.set(catalog, found);
  }
  return found;
}

/** The findings of one tool, with its server's instructions' (they reach the model with the tool). */
export function toolFindings(catalog: Catalog, server: string, tool: string): readonly CatalogTextFindings[] {
  const found = catalogFindings(catalog);
  return [...(found.get(findingsKey(server)) ?? []), ...(found.get(findingsKey(server, tool)) ?? [])];
}

/** A short human summary of fields' findings, e.g. "an override in description; role_markup in inputSchema". */
export function describeFindings(fields: readonly CatalogTextFindings[]): string {
  return fields
    .map((f) => {
      const kinds = [...new Set(f.findings.map((x) => x.kind))].join(', ');
      return `${kinds} in ${f.tool === undefined ? 'server instructions' : f.field}`;
    })
    .join('; ');
}
