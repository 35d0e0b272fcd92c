// Per-tool observed figures (calls, failure rate, p50/p95 latency, result size and tokens, cache
// hits) computed from finished traces, and a reader that keeps them current from a trace store.
// Invariant: a trace that cannot be read is skipped, never fatal; figures come from tool spans only.
import { existsSync } from 'node:fs';
import type { ObservedTool, ToolFigures } from '../discovery/observed';
import type { Trace } from './schema';
import type { TraceStore } from './store';

/** Traces read by default: the newest this many runs. */
export const DEFAULT_FIGURES_TRACES = 100;

/** Span statuses that say nothing about the tool: still open, or stopped by the run (a race's loser). */
const NOT_AN_OUTCOME = new Set(['running', 'abandoned', 'cancelled', 'interrupted']);

const key = (server: string, tool: string) => `${server}\u0000${tool}`;

interface Acc {
  calls: number;
  cached: number;
  failed: number;
  latencies: number[];
  tokens: number[];
  bytes: number[];
  runs: Set<string>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

const mean = (xs: readonly number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

/** The figures of every tool called in `traces` (finished spans only; still-open calls are skipped). */
export function computeToolFigures(traces: Iterable<Trace>): ToolFigures & { size: number; entries(): Array<[string, string, ObservedTool]> } {
  const acc = new Map<string, Acc & { server: string; tool: string }>();
  for (const trace of traces) {
    for (const s of trace.spans) {
      if (s.kind !== 'tool' || s.endMs === undefined || NOT_AN_OUTCOME.has(s.status)) continue;
      const k = key(s.server, s.tool);
      let a = acc.get(k);
      if (!a) acc.set(k, (a = { server: s.server, tool: s.tool, calls: 0, cached: 0, failed: 0, latencies: [], tokens: [], bytes: [], runs: new Set() }));
      a.calls++;
      a.runs.add(trace.id);
      if (s.cached) {
        a.cached++;
        continue;
      }
      a.latencies.push(s.endMs - s.startMs);
      if (s.status !== 'ok') a.failed++;
      else {
        if (s.tokens) a.tokens.push(s.tokens.result);
        if (s.result) a.bytes.push(s.result.bytes);
      }
    }
  }
  const figures = new Map<string, ObservedTool>();
  for (const [k, a] of acc) {
    const sorted = [...a.latencies].sort((x, y) => x - y);
    const o: ObservedTool = {
      calls: a.calls,
      uncached: a.calls - a.cached,
      failed: a.failed,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      cacheHitRate: a.calls ? a.cached / a.calls : 0,
      runs: a.runs.size,
    };
    const t = mean(a.tokens);
    const b = mean(a.bytes);
    if (t !== undefined) o.resultTokens = t;
    if (b !== undefined) o.resultBytes = b;
    figures.set(k, o);
  }
  return {
    get: (server, tool) => figures.get(key(server, tool)),
    size: figures.size,
    entries: () => [...acc.values()].map((a) => [a.server, a.tool, figures.get(key(a.server, a.tool)) as ObservedTool]),
  };
}

export interface StoreFigures {
  /** The figures of the newest `maxTraces` finished traces; re-reads only traces not seen before. */
  current(): Promise<ToolFigures>;
}

/** Figures kept current from `store` (lazily: each call lists the store and reads new traces). */
export function createStoreFigures(store: TraceStore, opts: { maxTraces?: number } = {}): StoreFigures {
  const max = opts.maxTraces ?? DEFAULT_FIGURES_TRACES;
  const read = new Map<string, Trace | null>();
  return {
    async current() {
      // Reading figures never creates the trace folder (a store's list() would).
      if (!existsSync(store.dir)) return computeToolFigures([]);
      const { traces } = await store.list({ limit: max }).catch(() => ({ traces: [] }));
      const finished = traces.filter((t) => t.status !== 'running');
      const out: Trace[] = [];
      for (const t of finished) {
        if (!read.has(t.id)) read.set(t.id, await store.read(t.id).catch(() => null));
        const trace = read.get(t.id);
        if (trace) out.push(trace);
      }
      const keep = new Set(finished.map((t) => t.id));
      for (const id of read.keys()) if (!keep.has(id)) read.delete(id);
      return computeToolFigures(out);
    },
  };
}
