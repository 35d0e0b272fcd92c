import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime, track } from './testRuntime';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = <T>(ms: number, value?: T) => new Promise<T | undefined>((r) => setTimeout(() => r(value), ms));

describe('sleep', () => {
  it('waits exactly ms through the runtime', async () => {
    const rt = createTestRuntime();
    const { sleep } = createFlowHelpers(rt);
    const p = track(sleep(250));
    await vi.advanceTimersByTimeAsync(249);
    expect(p.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(p.state).toBe('fulfilled');
    expect(rt.sleeps).toEqual([250]);
  });

  it('rejects with cancelled when the run is cancelled, before or during the wait', async () => {
    const rt = createTestRuntime();
    const { sleep } = createFlowHelpers(rt);
    const during = track(sleep(1000));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(during.error).toMatchObject({ code: 'cancelled' });
    await expect(sleep(5)).rejects.toMatchObject({ name: 'CancelledError', code: 'cancelled' });
    expect(rt.sleeps).toEqual([1000]);
  });

  it('rejects a negative or non-number duration', async () => {
    const { sleep } = createFlowHelpers(createTestRuntime());
    await expect(sleep(-1)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(sleep(Number.NaN)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('timeout', () => {
  it('resolves with the work when it is fast enough and clears its timer', async () => {
    const rt = createTestRuntime();
    const { timeout } = createFlowHelpers(rt);
    const p = track(timeout(() => wait(99, 'done'), 100));
    await vi.advanceTimersByTimeAsync(99);
    expect(p.value).toBe('done');
    expect(rt.pending()).toBe(0);
    expect(rt.roots[0]).toMatchObject({ helper: 'timeout', attrs: { ms: 100 }, ok: true });
  });

  it('rejects with TimeoutError / timeout exactly at ms, for a function or a promise', async () => {
    const rt = createTestRuntime();
    const { timeout } = createFlowHelpers(rt);
    const fn = track(timeout(() => wait(500), 100));
    const promise = track(timeout(wait(500), 200));
    await vi.advanceTimersByTimeAsync(99);
    expect(fn.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(fn.error).toMatchObject({ name: 'TimeoutError', code: 'timeout' });
    expect((fn.error as Error).message).toContain('100 ms');
    expect(promise.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(100);
    expect(promise.error).toMatchObject({ name: 'TimeoutError', code: 'timeout' });
    expect(rt.roots.map((s) => [s.ok, s.error?.code])).toEqual([[false, 'timeout'], [false, 'timeout']]);
  });

  it('passes the work’s own failure through, including a synchronous throw', async () => {
    const { timeout } = createFlowHelpers(createTestRuntime());
    await expect(timeout(() => Promise.reject(Object.assign(new Error('x'), { code: 'tool_failed' })), 100)).rejects.toMatchObject({ code: 'tool_failed' });
    await expect(timeout(() => { throw new Error('sync'); }, 100)).rejects.toThrow('sync');
  });

  it('still works with a runtime that cannot clear timers (the late timer is harmless)', async () => {
    const rt = createTestRuntime({ clearableSleep: false });
    const { timeout } = createFlowHelpers(rt);
    const p = track(timeout(() => 'fast', 100));
    await vi.advanceTimersByTimeAsync(0);
    expect(p.value).toBe('fast');
    expect(rt.pending()).toBe(1);
    await vi.runAllTimersAsync();
    expect(p.value).toBe('fast');
  });

  it('rejects with cancelled when the run is cancelled while waiting, and starts nothing once cancelled', async () => {
    const rt = createTestRuntime();
    const { timeout } = createFlowHelpers(rt);
    const p = track(timeout(() => wait(1000), 500));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(p.error).toMatchObject({ code: 'cancelled' });
    let called = false;
    await expect(timeout(() => (called = true), 10)).rejects.toMatchObject({ code: 'cancelled' });
    expect(called).toBe(false);
  });

  it('nests work started inside under the timeout span; Infinity means no timer', async () => {
    const rt = createTestRuntime();
    const { timeout, map } = createFlowHelpers(rt);
    const p = track(timeout(() => map([1], (x) => x), Infinity));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual([1]);
    expect(rt.sleeps).toEqual([]);
    expect(rt.tree((s) => ({ ok: s.ok }))).toEqual([
      { helper: 'timeout', ok: true, children: [{ helper: 'map', ok: true, children: [{ helper: 'item', ok: true }] }] },
    ]);
  });
});

describe('poll', () => {
  it('calls fn every intervalMs until the condition holds and returns that value', async () => {
    const rt = createTestRuntime();
    const { poll } = createFlowHelpers(rt);
    const t0 = Date.now();
    const calls: Array<[number, number]> = [];
    const statuses = ['queued', 'running', 'done'];
    const p = track(
      poll((attempt) => (calls.push([attempt, Date.now() - t0]), { status: statuses[attempt - 1] }), {
        until: (job) => job.status === 'done',
        intervalMs: 500,
      }),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ status: 'done' });
    expect(calls).toEqual([[1, 0], [2, 500], [3, 1000]]);
    expect(rt.roots[0]).toMatchObject({ helper: 'poll', attrs: { intervalMs: 500, timeoutMs: 30_000 }, ok: true, endAttrs: { attempts: 3 } });
    expect(rt.roots[0]?.children.map((c) => [c.helper, c.attrs.attempt])).toEqual([['attempt', 1], ['attempt', 2], ['attempt', 3]]);
  });

  it('defaults to a truthy value, 1000 ms apart', async () => {
    const rt = createTestRuntime();
    const { poll } = createFlowHelpers(rt);
    const p = track(poll((n) => (n < 3 ? null : 'ready')));
    await vi.runAllTimersAsync();
    expect(p.value).toBe('ready');
    expect(rt.sleeps).toEqual([1000, 1000]);
  });

  it('throws TimeoutError with the last value when the next attempt would start after timeoutMs', async () => {
    const { poll } = createFlowHelpers(createTestRuntime());
    const t0 = Date.now();
    const calls: number[] = [];
    const p = track(poll((n) => (calls.push(Date.now() - t0), { n }), { until: () => false, intervalMs: 1000, timeoutMs: 3500 }));
    await vi.runAllTimersAsync();
    expect(calls).toEqual([0, 1000, 2000, 3000]);
    expect(p.error).toMatchObject({ name: 'TimeoutError', code: 'timeout', lastValue: { n: 4 } });
    expect((p.error as Error).message).toContain('4 attempt(s)');
  });

  it('accepts an async condition and lets fn errors through without retrying', async () => {
    const { poll } = createFlowHelpers(createTestRuntime());
    const ok = track(poll((n) => n, { until: async (n) => n === 2, intervalMs: 10 }));
    let calls = 0;
    const bad = track(poll(() => (calls++, Promise.reject(Object.assign(new Error('down'), { code: 'server_crashed' })))));
    await vi.runAllTimersAsync();
    expect(ok.value).toBe(2);
    expect(calls).toBe(1);
    expect(bad.error).toMatchObject({ code: 'server_crashed' });
  });

  it('stops polling on cancellation', async () => {
    const rt = createTestRuntime();
    const { poll } = createFlowHelpers(rt);
    let calls = 0;
    const p = track(poll(() => (calls++, false), { intervalMs: 100 }));
    await vi.advanceTimersByTimeAsync(150);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(calls).toBe(2);
    expect(p.error).toMatchObject({ code: 'cancelled' });
  });
});
