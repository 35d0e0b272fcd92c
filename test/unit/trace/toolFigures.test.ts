import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTraceId } from '../../../src/core/trace/lifecycle';
import { createTraceRecorder } from '../../../src/core/trace/recorder';
import type { Trace } from '../../../src/core/trace/schema';
import { createTraceStore } from '../../../src/core/trace/store';
import { computeToolFigures, createStoreFigures } from '../../../src/core/trace/toolFigures';
import { okResult, richEvents } from './events';

function trace(id: string, spans: Array<Record<string, unknown>>): Trace {
  return { id, startedAtMs: 0, spans } as unknown as Trace;
}
const span = (over: Record<string, unknown>) => ({ kind: 'tool', id: 's', server: 'demo', tool: 'get', startMs: 0, endMs: 10, status: 'ok', cached: false, attempt: 1, args: { bytes: 2 }, result: { bytes: 1000 }, tokens: { args: 1, result: 300 }, ...over });

describe('computeToolFigures', () => {
  it('counts calls, failures, percentiles, mean result size and tokens, cache hits and runs per tool', () => {
    const latencies = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
    const f = computeToolFigures([
      trace('r1', latencies.slice(0, 5).map((ms) => span({ endMs: ms }))),
      trace('r2', [
        ...latencies.slice(5).map((ms, i) => span(i === 4 ? { endMs: ms, status: 'timed_out', result: undefined, tokens: undefined } : { endMs: ms, tokens: { args: 1, result: 100 }, result: { bytes: 200 } })),
        span({ cached: true, endMs: 0 }),
        span({ cached: true, endMs: 0 }),
        // Say nothing about the tool: still open, a race's loser, never awaited.
        span({ endMs: undefined, status: 'running' }),
        span({ status: 'cancelled' }),
        span({ status: 'abandoned' }),
        span({ tool: 'other', status: 'error', result: undefined, tokens: undefined }),
      ]),
    ]);
    expect(f.get('demo', 'get')).toEqual({
      calls: 12,
      uncached: 10,
      failed: 1,
      p50Ms: 50,
      p95Ms: 1000,
      resultTokens: (5 * 300 + 4 * 100) / 9,
      resultBytes: (5 * 1000 + 4 * 200) / 9,
      cacheHitRate: 2 / 12,
      runs: 2,
    });
    expect(f.get('demo', 'other')).toEqual({ calls: 1, uncached: 1, failed: 1, p50Ms: 10, p95Ms: 10, cacheHitRate: 0, runs: 1 });
    expect(f.get('demo', 'missing')).toBeUndefined();
    expect(f.size).toBe(2);
  });
});

describe('createStoreFigures', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tw-figures-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function finished(startMs: number): Trace {
    const rec = createTraceRecorder({ id: newTraceId(startMs), source: 'return 1', catalogId: 'c', clock: { now: () => startMs } });
    for (const e of richEvents()) rec.onEvent(e);
    return rec.finish(okResult());
  }

  it('never creates the trace folder, reads new traces as they come and keeps only the newest', async () => {
    const traces = path.join(dir, 'traces');
    const store = createTraceStore({ dir: traces });
    const figures = createStoreFigures(store, { maxTraces: 2 });
    expect((await figures.current()).get('demo', 'get_user')).toBeUndefined();
    expect(existsSync(traces)).toBe(false);
    await store.write(finished(1_000));
    // richEvents: get_user fails once then succeeds; list_orders twice.
    expect((await figures.current()).get('demo', 'get_user')).toMatchObject({ calls: 2, failed: 1, runs: 1 });
    await store.write(finished(2_000));
    await store.write(finished(3_000));
    expect((await figures.current()).get('demo', 'list_orders')).toMatchObject({ calls: 4, uncached: 4, failed: 0, runs: 2 });
  });
});
