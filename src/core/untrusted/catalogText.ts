// Scans what servers say about themselves — server `instructions`, tool titles, descriptions and
// schemas (parameter descriptions are a poisoning vector too) — at catalog load time. Invariant:
// takes a structural shape (CatalogServer fits it), so this floor imports nothing from catalog/.
import { scanForInjection, scanValue, type ValueFinding } from './scan';
import type { InjectionFinding, ScanOptions } from './types';

/** The parts of a catalog server this scan reads; `CatalogServer` from catalog/types.ts fits. */
export interface ScannableServer {
  name: string;
  instructions?: string;
  tools: readonly {
    name: string;
    title?: string;
    description?: string;
    inputSchema?: unknown;
    outputSchema?: unknown;
  }[];
}

export type CatalogTextField = 'instructions' | 'name' | 'title' | 'description' | 'inputSchema' | 'outputSchema';

/** Findings in one field of one server or tool. */
export interface CatalogTextFindings {
  server: string;
  /** Absent for server-level fields (`instructions`). */
  tool?: string;
  field: CatalogTextField;
  findings: (InjectionFinding & { path?: string })[];
}

/**
 * Every server and tool text field with findings (fields without findings are left out). Costs one
 * scanForInjection per field; descriptions are small, so a 1,000-tool catalog scans in
 * milliseconds. Key the result by `server/tool` to badge tools in the Tools view, in `toolweaver
 * catalog` output and in search results.
 */
export function scanCatalogText(servers: readonly ScannableServer[], opts: ScanOptions = {}): CatalogTextFindings[] {
  const out: CatalogTextFindings[] = [];
  const text = (server: string, tool: string | undefined, field: CatalogTextField, s: string | undefined) => {
    if (!s) return;
    const { findings } = scanForInjection(s, opts);
    if (findings.length > 0) out.push({ server, ...(tool !== undefined ? { tool } : {}), field, findings });
  };
  const schema = (server: string, tool: string, field: CatalogTextField, v: unknown) => {
    if (v === undefined) return;
    const { findings } = scanValue(v, opts);
    if (findings.length > 0) out.push({ server, tool, field, findings: findings.map((f: ValueFinding) => f) });
  };
  for (const s of servers) {
    text(s.name, undefined, 'instructions', s.instructions);
    for (const t of s.tools) {
      text(s.name, t.name, 'name', t.name);
      text(s.name, t.name, 'title', t.title);
      text(s.name, t.name, 'description', t.description);
      schema(s.name, t.name, 'inputSchema', t.inputSchema);
      schema(s.name, t.name, 'outputSchema', t.outputSchema);
    }
  }
  return out;
}
