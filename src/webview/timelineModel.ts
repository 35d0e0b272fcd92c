// Pure model of the panel's timeline: spans ordered as a tree (parent, then its children by start
// time) with depths, so a 10,000-span trace becomes a flat row list the virtual list can window.
import type { Span } from '../core/trace/schema';

export interface TimelineRow {
  span: Span;
  depth: number;
  /** Label shown in the name column. */
  label: string;
}

export function spanLabel(span: Span): string {
  if (span.kind === 'tool') {
    const extra = [span.attempt > 1 ? `attempt ${span.attempt}` : '', span.cached ? 'cached' : ''].filter(Boolean).join(', ');
    return `${span.server}.${span.tool}${extra ? ` (${extra})` : ''}`;
  }
  const a = span.attrs;
  const bits: string[] = [];
  // The attribute named like the helper is its number ("attempt 2"), not a second word ("attempt · attempt 2").
  const own = a[span.helper];
  const head = typeof own === 'string' || typeof own === 'number' ? `${span.helper} ${own}` : span.helper;
  for (const key of ['name', 'step', 'level', 'index', 'attempt', 'items', 'concurrency', 'attempts']) {
    const v = a[key];
    if (key !== span.helper && (typeof v === 'string' || typeof v === 'number')) bits.push(`${key} ${v}`);
  }
  return `${head}${bits.length ? ` · ${bits.join(' · ')}` : ''}`;
}

/** Rows in display order. Spans whose parent is unknown are shown at the top level. */
export function buildTimeline(spans: readonly Span[]): TimelineRow[] {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string | undefined, Span[]>();
  for (const s of spans) {
    const parent = s.parentId !== undefined && ids.has(s.parentId) ? s.parentId : undefined;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  const rows: TimelineRow[] = [];
  // Iterative depth-first walk: deep retry/dag nesting must not overflow the stack.
  const stack: Array<{ span: Span; depth: number }> = [];
  const roots = children.get(undefined) ?? [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ span: roots[i] as Span, depth: 0 });
  while (stack.length) {
    const { span, depth } = stack.pop() as { span: Span; depth: number };
    rows.push({ span, depth, label: spanLabel(span) });
    const kids = children.get(span.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i] as Span, depth: depth + 1 });
  }
  return rows;
}

/** Highest number of tool spans open at the same moment (what the timeline shows as parallelism). */
export function peakParallelism(spans: readonly Span[]): number {
  const edges: Array<[number, number]> = [];
  for (const s of spans) {
    if (s.kind !== 'tool') continue;
    edges.push([s.startMs, 1], [s.endMs ?? s.startMs, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of edges) {
    open += d;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** Left offset and width of a span's bar, in percent of the run's duration. */
export function barGeometry(span: Span, durationMs: number): { left: number; width: number } {
  const total = Math.max(durationMs, 1);
  const start = Math.min(span.startMs, total);
  const end = Math.min(Math.max(span.endMs ?? total, start), total);
  return { left: (start / total) * 100, width: Math.max(((end - start) / total) * 100, 0.3) };
}
