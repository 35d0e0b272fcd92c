// Pure model of the panel's DAG inspector: each dag() span's step spans (attrs name/deps/level, written
// by src/core/flow/dag.ts) laid out left→right by level, with the critical path (the longest chain by
// recorded duration). Invariant: only steps that have a span appear; a dep on a step without one is dropped.
import type { HelperSpan, Span } from '../core/trace/schema';

/** Pixel geometry of the layout (dagView.ts draws with these; keep the CSS in media/panel.css in step). */
export const DAG_NODE_W = 160;
export const DAG_NODE_H = 40;
export const DAG_COL_GAP = 48;
export const DAG_ROW_GAP = 12;
export const DAG_PAD = 8;

export interface DagNodeBox {
  span: HelperSpan;
  name: string;
  deps: string[];
  level: number;
  /** Index within its level's column (top to bottom, by start time). */
  row: number;
  durationMs: number;
  x: number;
  y: number;
  critical: boolean;
}

export interface DagEdge {
  from: string;
  to: string;
  critical: boolean;
}

export interface DagLayout {
  /** The dag() span itself. */
  span: HelperSpan;
  nodes: DagNodeBox[];
  edges: DagEdge[];
  /** Step names of the critical path, first to last. */
  criticalPath: string[];
  /** Sum of the recorded durations along the critical path. */
  criticalMs: number;
  width: number;
  height: number;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string') : [];
}

/** Layouts of every dag() span of a trace that has step spans, in start order. `endMs` closes still-open spans. */
export function dagLayouts(spans: readonly Span[], endMs: number): DagLayout[] {
  const steps = new Map<string, HelperSpan[]>();
  const dags: HelperSpan[] = [];
  for (const s of spans) {
    if (s.kind !== 'helper') continue;
    if (s.helper === 'dag') dags.push(s);
    else if (s.helper === 'step' && s.parentId !== undefined && typeof s.attrs.name === 'string') {
      const list = steps.get(s.parentId);
      if (list) list.push(s);
      else steps.set(s.parentId, [s]);
    }
  }
  dags.sort((a, b) => a.startMs - b.startMs);
  const out: DagLayout[] = [];
  for (const d of dags) {
    const list = steps.get(d.id);
    if (list?.length) out.push(layoutDag(d, list, endMs));
  }
  return out;
}

/** One dag's layout: columns by level (recorded, else the longest dep chain), critical path by duration. */
export function layoutDag(dag: HelperSpan, stepSpans: readonly HelperSpan[], endMs: number): DagLayout {
  const byName = new Map<string, HelperSpan>();
  for (const s of stepSpans) if (!byName.has(s.attrs.name as string)) byName.set(s.attrs.name as string, s);
  const depsOf = new Map<string, string[]>();
  for (const [name, s] of byName) depsOf.set(name, [...new Set(stringList(s.attrs.deps))].filter((x) => x !== name && byName.has(x)));

  // Level: the recorded one when it is a number, else computed; iterative (a 10,000-step chain must not overflow).
  const level = new Map<string, number>();
  const computeLevel = (start: string): number => {
    const stack: Array<{ name: string; i: number }> = [{ name: start, i: 0 }];
    const onStack = new Set([start]);
    while (stack.length) {
      const top = stack[stack.length - 1] as { name: string; i: number };
      const deps = depsOf.get(top.name) ?? [];
      const next = deps[top.i];
      if (next !== undefined) {
        top.i++;
        if (!level.has(next) && !onStack.has(next)) {
          onStack.add(next);
          stack.push({ name: next, i: 0 });
        }
        continue;
      }
      let l = 0;
      for (const dep of deps) l = Math.max(l, (level.get(dep) ?? 0) + 1);
      level.set(top.name, l);
      onStack.delete(top.name);
      stack.pop();
    }
    return level.get(start) as number;
  };
  for (const [name, s] of byName) {
    const recorded = s.attrs.level;
    if (typeof recorded === 'number' && Number.isInteger(recorded) && recorded >= 0) level.set(name, recorded);
  }
  for (const name of byName.keys()) if (!level.has(name)) computeLevel(name);

  const duration = (s: HelperSpan): number => Math.max(0, (s.endMs ?? endMs) - s.startMs);
  const names = [...byName.keys()].sort((a, b) => (level.get(a) as number) - (level.get(b) as number) || (byName.get(a) as HelperSpan).startMs - (byName.get(b) as HelperSpan).startMs || a.localeCompare(b));

  // Critical path: longest chain by summed duration, in dependency order (levels order deps before dependents).
  const best = new Map<string, { ms: number; prev?: string }>();
  for (const name of names) {
    let prev: string | undefined;
    let ms = 0;
    for (const dep of depsOf.get(name) ?? []) {
      const b = best.get(dep);
      if (b && (prev === undefined || b.ms > ms)) {
        ms = b.ms;
        prev = dep;
      }
    }
    best.set(name, { ms: ms + duration(byName.get(name) as HelperSpan), prev });
  }
  let last: string | undefined;
  for (const name of names) if (last === undefined || (best.get(name) as { ms: number }).ms > (best.get(last) as { ms: number }).ms) last = name;
  const criticalPath: string[] = [];
  for (let n = last; n !== undefined; n = best.get(n)?.prev) criticalPath.unshift(n);
  const onPath = new Set(criticalPath);
  const criticalEdges = new Set(criticalPath.slice(1).map((to, i) => `${criticalPath[i] as string}\u0000${to}`));

  const rowsPerLevel = new Map<number, number>();
  const nodes: DagNodeBox[] = names.map((name) => {
    const l = level.get(name) as number;
    const row = rowsPerLevel.get(l) ?? 0;
    rowsPerLevel.set(l, row + 1);
    const span = byName.get(name) as HelperSpan;
    return {
      span, name, deps: depsOf.get(name) ?? [], level: l, row, durationMs: duration(span),
      x: DAG_PAD + l * (DAG_NODE_W + DAG_COL_GAP), y: DAG_PAD + row * (DAG_NODE_H + DAG_ROW_GAP), critical: onPath.has(name),
    };
  });
  const edges: DagEdge[] = nodes.flatMap((n) => n.deps.map((from) => ({ from, to: n.name, critical: criticalEdges.has(`${from}\u0000${n.name}`) })));
  const levels = Math.max(0, ...nodes.map((n) => n.level)) + 1;
  const rows = Math.max(0, ...rowsPerLevel.values());
  return {
    span: dag, nodes, edges, criticalPath,
    criticalMs: last === undefined ? 0 : (best.get(last) as { ms: number }).ms,
    width: DAG_PAD * 2 + levels * DAG_NODE_W + (levels - 1) * DAG_COL_GAP,
    height: DAG_PAD * 2 + rows * DAG_NODE_H + Math.max(0, rows - 1) * DAG_ROW_GAP,
  };
}
