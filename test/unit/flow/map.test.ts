import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime, inFlight, track } from './testRuntime';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('map', () => {
  it('keeps input order, never exceeds the concurrency and uses it fully', async () => {
    const { map } = createFlowHelpers(createTestRuntime());
    const load = inFlight();
    const durations = [50, 10, 40, 5, 30, 20, 1, 45, 15, 25];
    const p = track(
      map(durations, async (ms, i) => {
        load.enter();
        await wait(ms);
        load.leave();
        return `${i}:${ms}`;
      }, { concurrency: 3 }),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toEqual(durations.map((ms, i) => `${i}:${ms}`));
    expect(load.peak).toBe(3);
  });

  it('defaults to 8 in flight and accepts any iterable', async () => {
    const { map } = createFlowHelpers(createTestRuntime());
    const load = inFlight();
    const p = track(map(new Set(Array.from({ length: 20 }, (_, i) => i)), async (n) => (load.enter(), await wait(10), load.leave(), n * 2)));
    await vi.runAllTimersAsync();
    expect(load.peak).toBe(8);
    expect(p.value).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('fail-fast: starts nothing after the first failure and rejects once in-flight items settled', async () => {
    const { map } = createFlowHelpers(createTestRuntime());
    const started: number[] = [];
    const finished: number[] = [];
    const p = track(
      map([0, 1, 2, 3, 4, 5], async (i) => {
        started.push(i);
        await wait(i === 1 ? 10 : 100);
        if (i === 1) throw Object.assign(new Error('item 1 broke'), { code: 'tool_failed' });
        finished.push(i);
        return i;
      }, { concurrency: 3 }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(started).toEqual([0, 1, 2]);
    expect(p.state).toBe('pending'); // items 0 and 2 are still in flight
    await vi.runAllTimersAsync();
    expect(finished).toEqual([0, 2]);
    expect(started).toEqual([0, 1, 2]);
    expect(p.error).toMatchObject({ message: 'item 1 broke', code: 'tool_failed' });
  });

  it('settle: true returns { ok, value | error } per item and never rejects for an item', async () => {
    const rt = createTestRuntime();
    const { map } = createFlowHelpers(rt);
    const boom = new Error('odd');
    const p = track(map([1, 2, 3], (n) => (n % 2 ? Promise.reject(boom) : n * 10), { settle: true }));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual([{ ok: false, error: boom }, { ok: true, value: 20 }, { ok: false, error: boom }]);
    expect(rt.roots[0]).toMatchObject({ ok: true, endAttrs: { failed: 2 } });
  });

  it('starts no new item after cancellation and rejects with cancelled', async () => {
    const rt = createTestRuntime();
    const { map } = createFlowHelpers(rt);
    const started: number[] = [];
    const p = track(map([0, 1, 2, 3, 4], async (i) => (started.push(i), await wait(100), i), { concurrency: 2, settle: true }));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(started).toEqual([0, 1]);
    expect(p.error).toMatchObject({ name: 'CancelledError', code: 'cancelled' });
  });

  it('records a map span with one item child per item, failed items marked', async () => {
    const rt = createTestRuntime();
    const { map } = createFlowHelpers(rt);
    const p = track(map(['a', 'b'], (s) => (s === 'b' ? Promise.reject(Object.assign(new Error('no b'), { code: 'denied' })) : s), { concurrency: 2 }));
    await vi.runAllTimersAsync();
    expect(p.state).toBe('rejected');
    expect(rt.tree((s) => ({ attrs: s.attrs, ok: s.ok }))).toEqual([
      {
        helper: 'map',
        attrs: { items: 2, concurrency: 2 },
        ok: false,
        children: [
          { helper: 'item', attrs: { index: 0 }, ok: true },
          { helper: 'item', attrs: { index: 1 }, ok: false },
        ],
      },
    ]);
    expect(rt.roots[0]?.error).toEqual({ code: 'denied', message: 'no b' });
  });

  it('rejects bad input with invalid_argument', async () => {
    const { map } = createFlowHelpers(createTestRuntime());
    await expect(map(null as unknown as number[], (x) => x)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(map([1], (x) => x, { concurrency: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(map([1], (x) => x, { concurrency: 1.5 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('parallel', () => {
  it('starts every function at once by default and keeps result order', async () => {
    const { parallel } = createFlowHelpers(createTestRuntime());
    const load = inFlight();
    const fns = [30, 10, 20, 5, 1].map((ms) => async () => (load.enter(), await wait(ms), load.leave(), ms));
    const p = track(parallel(fns));
    await vi.runAllTimersAsync();
    expect(load.peak).toBe(5);
    expect(p.value).toEqual([30, 10, 20, 5, 1]);
  });

  it('honours concurrency and settle, with attempt spans per function', async () => {
    const rt = createTestRuntime();
    const { parallel } = createFlowHelpers(rt);
    const load = inFlight();
    const fns = [1, 2, 3, 4].map((n) => async () => {
      load.enter();
      await wait(10);
      load.leave();
      if (n === 3) throw new Error('three');
      return n;
    });
    const p = track(parallel(fns, { concurrency: 2, settle: true }));
    await vi.runAllTimersAsync();
    expect(load.peak).toBe(2);
    expect(p.value).toEqual([{ ok: true, value: 1 }, { ok: true, value: 2 }, { ok: false, error: new Error('three') }, { ok: true, value: 4 }]);
    expect(rt.roots[0]).toMatchObject({ helper: 'parallel', attrs: { count: 4, concurrency: 2 }, ok: true });
    expect(rt.roots[0]?.children.map((c) => [c.helper, c.attrs.index, c.ok])).toEqual([
      ['attempt', 0, true],
      ['attempt', 1, true],
      ['attempt', 2, false],
      ['attempt', 3, true],
    ]);
  });

  it('starts nothing more once a function cancels the run, even with everything starting at once', async () => {
    const rt = createTestRuntime();
    const { parallel } = createFlowHelpers(rt);
    const called: number[] = [];
    const p = track(parallel([() => called.push(0), () => (called.push(1), rt.cancel()), () => called.push(2)]));
    await vi.runAllTimersAsync();
    expect(called).toEqual([0, 1]);
    expect(p.error).toMatchObject({ code: 'cancelled' });
    expect(rt.spans.every((s) => s.end !== undefined)).toBe(true);
  });

  it('rejects a non-function entry', async () => {
    const { parallel } = createFlowHelpers(createTestRuntime());
    await expect(parallel([() => 1, 2 as unknown as () => number])).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('batch', () => {
  it('passes chunks of the given size, one at a time by default, results per chunk in order', async () => {
    const rt = createTestRuntime();
    const { batch } = createFlowHelpers(rt);
    const load = inFlight();
    const seen: Array<[number[], number]> = [];
    const p = track(
      batch([1, 2, 3, 4, 5], 2, async (chunk, index) => {
        load.enter();
        seen.push([chunk, index]);
        await wait(10);
        load.leave();
        return chunk.reduce((a, b) => a + b, 0);
      }),
    );
    await vi.runAllTimersAsync();
    expect(seen).toEqual([[[1, 2], 0], [[3, 4], 1], [[5], 2]]);
    expect(p.value).toEqual([3, 7, 5]);
    expect(load.peak).toBe(1);
    expect(rt.roots[0]).toMatchObject({ helper: 'batch', attrs: { items: 5, size: 2, concurrency: 1 }, endAttrs: { batches: 3 } });
    expect(rt.roots[0]?.children.map((c) => c.attrs)).toEqual([{ index: 0, size: 2 }, { index: 1, size: 2 }, { index: 2, size: 1 }]);
  });

  it('runs chunks concurrently when asked, and handles an exact multiple and an empty list', async () => {
    const { batch } = createFlowHelpers(createTestRuntime());
    const load = inFlight();
    const p = track(batch(Array.from({ length: 12 }, (_, i) => i), 3, async (c) => (load.enter(), await wait(5), load.leave(), c.length), { concurrency: 2 }));
    const empty = track(batch([], 3, (c) => c.length));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual([3, 3, 3, 3]);
    expect(load.peak).toBe(2);
    expect(empty.value).toEqual([]);
  });

  it('rejects a bad size', async () => {
    const { batch } = createFlowHelpers(createTestRuntime());
    await expect(batch([1], 0, (c) => c)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(batch([1], 1.5, (c) => c)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
