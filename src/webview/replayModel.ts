// The pairing behind the replay timeline: each replay tool call beside the original call the tape
// answered it with (same server, tool and stored arguments, equal ones in order — the tape's rule,
// src/core/replay/tape.ts), on one time axis. Pure: no DOM, tested in test/unit/webview/.
import type { StoredValue, ToolSpan, Trace } from '../core/trace/schema';

/** How the replay call of a row was answered. */
export type ReplayRowMode = 'replayed' | 'live' | 'diverged' | 'cached' | 'missing' | 'unplayed';

/** One row of the replay timeline: an original call and/or the replay call paired with it. */
export interface ReplayRow {
  original?: ToolSpan;
  replay?: ToolSpan;
  /** replayed/live/diverged/cached: how the replay call went; missing: the replay made no such call
   *  (it stopped before, or the edited script dropped it); unplayed: a replay call the original never made. */
  mode: ReplayRowMode;
  /** The row is a divergence (highlighted). */
  diverged: boolean;
}

export interface ReplayTimeline {
  rows: ReplayRow[];
  /** The shared axis, in ms from each run's first tool call (a run's start-up — compile, a cold
   *  sandbox — would otherwise shift one run's calls against the other's): the longer of the two spans. */
  durationMs: number;
  /** Subtract from a span's startMs/endMs to place it on the axis. */
  offsetMs: { original: number; replay: number };
}

function toolSpans(trace: Trace): ToolSpan[] {
  return trace.spans.filter((s): s is ToolSpan => s.kind === 'tool').sort((a, b) => a.startMs - b.startMs);
}

function argsKey(v: StoredValue | undefined): string {
  if (!v) return '';
  return v.value !== undefined ? `v${JSON.stringify(v.value)}` : `p${v.bytes}:${v.preview ?? ''}`;
}

function firstCall(spans: readonly ToolSpan[]): number {
  return spans.length ? Math.min(...spans.map((s) => s.startMs)) : 0;
}

function lastEnd(spans: readonly ToolSpan[]): number {
  return Math.max(0, ...spans.map((s) => s.endMs ?? s.startMs));
}

/** Pairs the replay's calls with the original's; rows ordered by the earlier start of the pair. */
export function pairReplay(original: Trace, replay: Trace): ReplayTimeline {
  const left = toolSpans(original);
  const right = toolSpans(replay);
  const offsetMs = { original: firstCall(left), replay: firstCall(right) };
  const used = new Set<number>();
  const diverged = new Set((replay.replayOf?.divergences ?? []).map((d) => `${d.server}\u0000${d.tool}\u0000${d.line ?? ''}`));
  const rows: ReplayRow[] = [];
  for (const r of right) {
    const key = `${r.server}\u0000${r.tool}`;
    const isDivergence = r.replay !== 'replayed' && !r.cached && diverged.has(`${key}\u0000${r.line ?? ''}`);
    let match = -1;
    if (!isDivergence || r.replay === 'live') {
      match = left.findIndex((o, i) => !used.has(i) && `${o.server}\u0000${o.tool}` === key && o.cached === r.cached && argsKey(o.args) === argsKey(r.args));
    }
    if (match >= 0) used.add(match);
    const mode: ReplayRowMode = r.replay === 'replayed' ? 'replayed' : r.replay === 'live' ? 'live' : r.cached ? 'cached' : isDivergence ? 'diverged' : match >= 0 ? 'replayed' : 'unplayed';
    rows.push({ ...(match >= 0 ? { original: left[match] } : {}), replay: r, mode, diverged: isDivergence });
  }
  left.forEach((o, i) => {
    if (!used.has(i)) rows.push({ original: o, mode: 'missing', diverged: false });
  });
  const start = (row: ReplayRow): number => Math.min((row.original?.startMs ?? Infinity) - offsetMs.original, (row.replay?.startMs ?? Infinity) - offsetMs.replay);
  rows.sort((a, b) => start(a) - start(b));
  return { rows, durationMs: Math.max(lastEnd(left) - offsetMs.original, lastEnd(right) - offsetMs.replay, 1), offsetMs };
}
