// The catalog manifest a model is shown instead of every definition (run_code's served description,
// the agent loop's system prompt): signatures, names or server counts sized to the catalog. Pure.
import type { Catalog } from '../catalog/types';
import { neutralize } from '../untrusted/unicode';
import { toolSignature } from './stubText';

/** Up to this many tools the manifest shows full one-line signatures. */
export const MANIFEST_SIGNATURE_LIMIT = 40;
/** Up to this many tools the manifest lists names; beyond, servers with counts only. */
export const MANIFEST_NAME_LIMIT = 300;

/** Server text (descriptions, instructions) on one line, hidden characters made visible. */
function short(text: string | undefined, max = 90): string {
  const t = neutralize(text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A compact listing of the catalog sized to its number of tools. */
export function buildManifest(catalog: Catalog): string {
  const total = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  const lines: string[] = [];
  for (const s of catalog.servers) {
    if (total <= MANIFEST_SIGNATURE_LIMIT) {
      for (const t of s.tools) {
        const call = toolSignature(s, t).split('\n').pop() ?? '';
        lines.push(`- ${call}${t.description ? ` — ${short(t.description)}` : ''}`);
      }
    } else if (total <= MANIFEST_NAME_LIMIT) {
      lines.push(`- tools.${s.ident}: ${s.tools.map((t) => t.ident).join(', ')}`);
    } else {
      lines.push(`- tools.${s.ident}: ${s.tools.length} tools${s.instructions ? ` — ${short(s.instructions)}` : ''}`);
    }
  }
  return `${total} tools on ${catalog.servers.length} servers:\n${lines.join('\n')}`;
}
