import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime, track } from './testRuntime';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));
const failAfter = (ms: number, message: string, code = 'tool_failed') =>
  new Promise<never>((_, j) => setTimeout(() => j(Object.assign(new Error(message), { code })), ms));

describe('fallback', () => {
  it('tries alternatives in order, one at a time, and returns the first success', async () => {
    const rt = createTestRuntime();
    const { fallback } = createFlowHelpers(rt);
    const t0 = Date.now();
    const started: Array<[string, number]> = [];
    const p = track(
      fallback(
        () => (started.push(['a', Date.now() - t0]), failAfter(100, 'a down')),
        () => (started.push(['b', Date.now() - t0]), after(50, 'from b')),
        () => (started.push(['c', Date.now() - t0]), 'from c'),
      ),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toBe('from b');
    expect(started).toEqual([['a', 0], ['b', 100]]);
    expect(rt.roots[0]).toMatchObject({ helper: 'fallback', attrs: { count: 3 }, ok: true, endAttrs: { winner: 1 } });
    expect(rt.roots[0]?.children.map((c) => [c.helper, c.attrs.index, c.ok])).toEqual([['attempt', 0, false], ['attempt', 1, true]]);
  });

  it('throws an AggregateError (all_failed) holding every error in order when all fail', async () => {
    const { fallback } = createFlowHelpers(createTestRuntime());
    const e2 = new Error('second');
    const p = track(fallback(() => failAfter(5, 'first'), () => { throw e2; }, () => Promise.reject('third as string')));
    await vi.runAllTimersAsync();
    const err = p.error as AggregateError & { code: string };
    expect(err).toBeInstanceOf(AggregateError);
    expect(err).toMatchObject({ name: 'AggregateError', code: 'all_failed' });
    expect(err.errors).toHaveLength(3);
    expect(err.errors[1]).toBe(e2);
    expect(err.errors[2]).toBe('third as string');
    expect(err.message).toBe('fallback: all 3 alternatives failed (#1: first; #2: second; #3: third as string).');
  });

  it('starts no further alternative after cancellation', async () => {
    const rt = createTestRuntime();
    const { fallback } = createFlowHelpers(rt);
    let secondCalled = false;
    const p = track(fallback(() => failAfter(100, 'a'), () => ((secondCalled = true), 'b')));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(secondCalled).toBe(false);
    expect(p.error).toMatchObject({ code: 'cancelled' });
  });

  it('needs at least one function', async () => {
    const { fallback } = createFlowHelpers(createTestRuntime());
    await expect(fallback()).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('race', () => {
  it('settles like the first to settle (success), with every contender started at once', async () => {
    const rt = createTestRuntime();
    const { race } = createFlowHelpers(rt);
    const started: number[] = [];
    const p = track(race(() => (started.push(0), after(30, 'slow')), () => (started.push(1), after(10, 'fast')), after(20, 'promise')));
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(10);
    expect(p.value).toBe('fast');
    expect(rt.roots[0]).toMatchObject({ helper: 'race', attrs: { count: 3 }, ok: true, endAttrs: { winner: 1 } });
    await vi.runAllTimersAsync();
    expect(rt.spans.every((s) => s.end !== undefined)).toBe(true);
  });

  it('rejects when the first to settle fails (Promise.race semantics)', async () => {
    const { race } = createFlowHelpers(createTestRuntime());
    const p = track(race(() => after(30, 'ok'), () => failAfter(10, 'lost', 'timeout')));
    await vi.runAllTimersAsync();
    expect(p.error).toMatchObject({ message: 'lost', code: 'timeout' });
  });

  it('needs at least one contender and starts none after cancellation', async () => {
    const rt = createTestRuntime();
    const { race } = createFlowHelpers(rt);
    await expect(race()).rejects.toMatchObject({ code: 'invalid_argument' });
    rt.cancel();
    let called = false;
    await expect(race(() => (called = true))).rejects.toMatchObject({ code: 'cancelled' });
    expect(called).toBe(false);
  });
});
