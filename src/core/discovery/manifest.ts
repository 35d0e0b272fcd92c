// The catalog manifest a model is shown instead of every definition (run_code's served description,
// the agent loop's system prompt): tool names by server, or server counts on a large catalog. Pure.
import type { Catalog } from '../catalog/types';
import { neutralize } from '../untrusted/unicode';

/** Up to this many tools the manifest lists names; beyond, servers with counts only. */
export const MANIFEST_NAME_LIMIT = 300;

/** Server text (descriptions, instructions) on one line, hidden characters made visible. */
function short(text: string | undefined, max = 90): string {
  const t = neutralize(text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A compact listing of the catalog sized to its number of tools: tool names grouped by server (the
 * names are what a model chooses by; search_tools and describe_tool give signatures and types on
 * demand, so the listing sent with every request carries no descriptions and no types); beyond
 * MANIFEST_NAME_LIMIT tools, servers with counts only.
 */
export function buildManifest(catalog: Catalog): string {
  const total = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  const lines: string[] = [];
  for (const s of catalog.servers) {
    if (total <= MANIFEST_NAME_LIMIT) {
      lines.push(`- tools.${s.ident}: ${s.tools.map((t) => t.ident).join(', ')}`);
    } else {
      lines.push(`- tools.${s.ident}: ${s.tools.length} tools${s.instructions ? ` — ${short(s.instructions)}` : ''}`);
    }
  }
  return `${total} tools on ${catalog.servers.length} servers:\n${lines.join('\n')}`;
}
