import { describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/trace/schema';
import { barGeometry, buildTimeline, peakParallelism } from '../../../src/webview/timelineModel';

const tool = (id: string, startMs: number, endMs: number, parentId?: string): Span => ({
  kind: 'tool', id, parentId, startMs, endMs, status: 'ok', server: 's', tool: id, args: { bytes: 2, truncated: false, value: {} }, attempt: 1, cached: false,
});
const helper = (id: string, startMs: number, endMs: number, parentId?: string): Span => ({
  kind: 'helper', id, parentId, startMs, endMs, status: 'ok', helper: 'map', attrs: { items: 2 },
});

describe('buildTimeline', () => {
  it('orders spans as a tree with depths, children by start time', () => {
    const rows = buildTimeline([tool('c', 5, 9, 'm'), helper('m', 1, 10), tool('b', 2, 4, 'm'), tool('a', 0, 1)]);
    expect(rows.map((r) => [r.span.id, r.depth])).toEqual([['a', 0], ['m', 0], ['b', 1], ['c', 1]]);
    expect(rows[1]!.label).toBe('map · items 2');
  });
  it('shows orphans at the top level and handles deep nesting without recursion', () => {
    const deep: Span[] = [];
    for (let i = 0; i < 20000; i++) deep.push(helper(`h${i}`, i, i + 1, i ? `h${i - 1}` : undefined));
    deep.push(tool('orphan', 0, 1, 'missing'));
    const rows = buildTimeline(deep);
    expect(rows).toHaveLength(20001);
    expect(rows.find((r) => r.span.id === 'h19999')!.depth).toBe(19999);
    expect(rows.find((r) => r.span.id === 'orphan')!.depth).toBe(0);
  });
});

describe('peakParallelism and bars', () => {
  it('counts overlapping tool spans only', () => {
    expect(peakParallelism([tool('a', 0, 10), tool('b', 2, 8), tool('c', 10, 12), helper('h', 0, 20)])).toBe(2);
  });
  it('places bars in percent of the run', () => {
    expect(barGeometry(tool('a', 25, 75), 100)).toEqual({ left: 25, width: 50 });
    expect(barGeometry(tool('a', 50, 50), 100).width).toBeGreaterThan(0);
  });
});
