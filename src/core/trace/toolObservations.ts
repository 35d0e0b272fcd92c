// The last observed call of each tool (latency, result size, status), taken from finished runs'
// traces: what a hover can say that neither the schema nor TypeScript knows. Cached calls are
// skipped (their latency is the cache's, not the tool's).
import type { Trace } from './schema';

/** One tool's last real call. */
export interface ToolObservation {
  durationMs: number;
  /** UTF-8 bytes of the result's JSON text (before truncation); undefined when there was none. */
  resultBytes?: number;
  status: string;
  /** Epoch ms of the run that made the call. */
  at: number;
}

const key = (server: string, tool: string) => `${server}\u0000${tool}`;

export interface ToolObservations {
  /** Remembers the last finished, uncached call of every tool in `trace`. */
  record(trace: Trace): void;
  /** By original server and tool name. */
  get(server: string, tool: string): ToolObservation | undefined;
}

export function createToolObservations(): ToolObservations {
  const last = new Map<string, ToolObservation>();
  return {
    record(trace) {
      const at = trace.startedAtMs;
      for (const s of trace.spans) {
        if (s.kind !== 'tool' || s.cached || s.endMs === undefined) continue;
        const prev = last.get(key(s.server, s.tool));
        const obs: ToolObservation = { durationMs: s.endMs - s.startMs, resultBytes: s.result?.bytes, status: s.status, at: (Number.isFinite(at) ? at : Date.now()) + s.startMs };
        if (!prev || prev.at <= obs.at) last.set(key(s.server, s.tool), obs);
      }
    },
    get: (server, tool) => last.get(key(server, tool)),
  };
}

/** "Last call 42 ms · 1.2 KiB result · 3 min ago", plus the status when it was not ok. */
export function describeObservation(o: ToolObservation, now = Date.now()): string {
  const ms = o.durationMs < 1000 ? `${Math.round(o.durationMs)} ms` : `${(o.durationMs / 1000).toFixed(1)} s`;
  const size = o.resultBytes === undefined ? '' : ` · ${o.resultBytes < 1024 ? `${o.resultBytes} B` : `${(o.resultBytes / 1024).toFixed(1)} KiB`} result`;
  const ago = Math.max(0, Math.floor((now - o.at) / 60_000));
  const when = ago < 1 ? 'just now' : ago < 60 ? `${ago} min ago` : `${Math.round(ago / 60)} h ago`;
  const status = o.status === 'ok' ? '' : ` (${o.status.replace(/_/g, ' ')})`;
  return `Last call ${ms}${size}${status} · ${when}`;
}
