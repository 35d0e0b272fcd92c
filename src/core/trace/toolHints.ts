// The behaviour hints of each called tool (read-only, idempotent, destructive), copied from the
// catalog onto its spans when a run finishes: what retry() and the run's cache decided by, kept with
// the trace so a replay — which has no catalog of its own — decides the same way.
import type { Catalog } from '../catalog/types';
import type { Trace } from './schema';

/** Sets `hints` on every tool span whose tool declares any; returns how many spans got them. */
export function recordToolHints(trace: Trace, catalog: Catalog): number {
  const hints = new Map<string, { readOnlyHint?: boolean; idempotentHint?: boolean; destructiveHint?: boolean }>();
  for (const s of catalog.servers) {
    for (const t of s.tools) {
      const a = t.annotations;
      if (!a) continue;
      const h: { readOnlyHint?: boolean; idempotentHint?: boolean; destructiveHint?: boolean } = {};
      if (typeof a.readOnlyHint === 'boolean') h.readOnlyHint = a.readOnlyHint;
      if (typeof a.idempotentHint === 'boolean') h.idempotentHint = a.idempotentHint;
      if (typeof a.destructiveHint === 'boolean') h.destructiveHint = a.destructiveHint;
      if (Object.keys(h).length) hints.set(`${s.name}\u0000${t.name}`, h);
    }
  }
  let n = 0;
  for (const span of trace.spans) {
    if (span.kind !== 'tool') continue;
    const h = hints.get(`${span.server}\u0000${span.tool}`);
    if (!h) continue;
    span.hints = { ...h };
    n++;
  }
  return n;
}
