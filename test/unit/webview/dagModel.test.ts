import { describe, expect, it } from 'vitest';
import type { HelperSpan, Span } from '../../../src/core/trace/schema';
import { DAG_COL_GAP, DAG_NODE_H, DAG_NODE_W, DAG_PAD, DAG_ROW_GAP, dagLayouts } from '../../../src/webview/dagModel';

const dag = (id: string, startMs = 0): HelperSpan => ({ kind: 'helper', id, startMs, endMs: 1000, status: 'ok', helper: 'dag', attrs: { steps: 0 } });
const step = (id: string, parentId: string, name: string, startMs: number, endMs: number | undefined, deps: string[], level?: number): HelperSpan => ({
  kind: 'helper', id, parentId, startMs, endMs, status: 'ok', helper: 'step', attrs: level === undefined ? { name, deps } : { name, deps, level },
});

describe('dagLayouts', () => {
  // a(10) ─┬─> c(5) ─> e(1)      the longest chain by duration is b → d → e (300 + 50 + 1),
  // b(300) ┴─> d(50) ─┘          not the one with most steps through c.
  const spans: Span[] = [
    dag('D'),
    step('sa', 'D', 'a', 0, 10, [], 0),
    step('sb', 'D', 'b', 0, 300, [], 0),
    step('sc', 'D', 'c', 10, 15, ['a', 'b'], 1),
    step('sd', 'D', 'd', 300, 350, ['b'], 1),
    step('se', 'D', 'e', 350, 351, ['c', 'd'], 2),
  ];

  it('lays steps out by level, left to right, rows by start time', () => {
    const [layout] = dagLayouts(spans, 1000);
    expect(layout).toBeDefined();
    const at = Object.fromEntries(layout!.nodes.map((n) => [n.name, [n.level, n.row, n.x, n.y]]));
    const col = (l: number) => DAG_PAD + l * (DAG_NODE_W + DAG_COL_GAP);
    const row = (r: number) => DAG_PAD + r * (DAG_NODE_H + DAG_ROW_GAP);
    expect(at).toEqual({ a: [0, 0, col(0), row(0)], b: [0, 1, col(0), row(1)], c: [1, 0, col(1), row(0)], d: [1, 1, col(1), row(1)], e: [2, 0, col(2), row(0)] });
    expect(layout!.width).toBe(DAG_PAD * 2 + 3 * DAG_NODE_W + 2 * DAG_COL_GAP);
    expect(layout!.height).toBe(DAG_PAD * 2 + 2 * DAG_NODE_H + DAG_ROW_GAP);
    expect(layout!.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['a>c', 'b>c', 'b>d', 'c>e', 'd>e']);
  });

  it('finds the critical path by recorded duration and marks its nodes and edges', () => {
    const [layout] = dagLayouts(spans, 1000);
    expect(layout!.criticalPath).toEqual(['b', 'd', 'e']);
    expect(layout!.criticalMs).toBe(351);
    expect(layout!.nodes.filter((n) => n.critical).map((n) => n.name).sort()).toEqual(['b', 'd', 'e']);
    expect(layout!.edges.filter((e) => e.critical).map((e) => `${e.from}>${e.to}`).sort()).toEqual(['b>d', 'd>e']);
  });

  it('computes levels when not recorded, closes open spans at endMs, drops deps on steps without a span', () => {
    const [layout] = dagLayouts([
      dag('D'),
      step('s1', 'D', 'fetch', 0, 20, []),
      step('s2', 'D', 'parse', 20, undefined, ['fetch', 'never-started']),
    ], 100);
    expect(layout!.nodes.map((n) => [n.name, n.level, n.durationMs, n.deps])).toEqual([['fetch', 0, 20, []], ['parse', 1, 80, ['fetch']]]);
    expect(layout!.criticalPath).toEqual(['fetch', 'parse']);
  });

  it('gives each dag() its own layout and skips a dag without step spans or traces without dags', () => {
    const two = dagLayouts([dag('A', 5), dag('B', 1), dag('Empty', 0), step('x', 'A', 'x', 5, 6, []), step('y', 'B', 'y', 1, 2, [])], 10);
    expect(two.map((l) => l.span.id)).toEqual(['B', 'A']);
    expect(dagLayouts([{ kind: 'helper', id: 'm', startMs: 0, endMs: 1, status: 'ok', helper: 'map', attrs: {} }], 1)).toEqual([]);
  });

  it('handles a 5,000-step chain without recursion', () => {
    const long: Span[] = [dag('D')];
    for (let i = 0; i < 5000; i++) long.push(step(`s${i}`, 'D', `n${i}`, i, i + 1, i ? [`n${i - 1}`] : []));
    const [layout] = dagLayouts(long, 5000);
    expect(layout!.nodes.at(-1)!.level).toBe(4999);
    expect(layout!.criticalPath).toHaveLength(5000);
    expect(layout!.criticalMs).toBe(5000);
  });
});
