// The catalog a replay runs against: the servers and tools the recorded trace called, so `tools.x.y`
// exists with no server, config or catalog file at hand. Invariant: a tool whose recorded calls were
// answered from the run's cache is cacheable here too (read-only + idempotent), so the replay asks
// the tape exactly the calls the original run asked its servers.
import { buildCatalog, type ServerDraft } from '../catalog/catalogId';
import type { Catalog } from '../catalog/types';
import type { WireTool } from '../catalog/wire';
import type { ToolSpan, Trace } from '../trace/schema';

/** The trace's servers and tools as a catalog, with the servers of `base` (a live catalog) first;
 *  tools `base` lacks are added to it as they were recorded. */
export function replayCatalog(trace: Trace, base?: Catalog): Catalog {
  const drafts = new Map<string, ServerDraft>();
  for (const s of base?.servers ?? []) {
    drafts.set(s.name, { ...s, tools: s.tools.map(({ ident: _ident, ...t }) => t as WireTool) });
  }
  const tools = new Map<string, Map<string, WireTool>>();
  for (const span of trace.spans) {
    if (span.kind !== 'tool' || !span.server || !span.tool) continue;
    const s: ToolSpan = span;
    let draft = drafts.get(s.server);
    if (!draft) {
      draft = { name: s.server, source: 'catalog-file', status: { state: 'offline' }, tools: [] };
      drafts.set(s.server, draft);
    }
    if (!tools.has(s.server)) tools.set(s.server, new Map(draft.tools.map((t) => [t.name, t])));
    const known = tools.get(s.server) as Map<string, WireTool>;
    if (!known.has(s.tool)) {
      const tool: WireTool = { name: s.tool, inputSchema: { type: 'object' } };
      known.set(s.tool, tool);
      draft.tools.push(tool);
    }
    if (s.hints && !base?.servers.some((b) => b.name === s.server && b.tools.some((t) => t.name === s.tool))) {
      // The hints the original run decided retry() and caching by (older traces lack them).
      const tool = known.get(s.tool) as WireTool;
      tool.annotations = { ...tool.annotations, ...s.hints };
    }
    if (s.cached) {
      const tool = known.get(s.tool) as WireTool;
      tool.annotations = { ...tool.annotations, readOnlyHint: true, idempotentHint: true };
    }
  }
  return buildCatalog([...drafts.values()]);
}
