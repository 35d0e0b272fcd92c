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

describe('pipe', () => {
  it('passes the awaited input through each step in order and returns the last result', async () => {
    const rt = createTestRuntime();
    const { pipe } = createFlowHelpers(rt);
    const seen: unknown[] = [];
    const p = track(
      pipe(
        after(10, 2),
        function double(x) {
          seen.push(x);
          return after(10, (x as number) * 2);
        },
        (x) => (seen.push(x), [x]),
      ),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toEqual([4]);
    expect(seen).toEqual([2, 4]);
    expect(rt.tree((s) => ({ attrs: s.attrs, ok: s.ok }))).toEqual([
      {
        helper: 'pipe',
        attrs: { steps: 2 },
        ok: true,
        children: [
          { helper: 'step', attrs: { index: 0, name: 'double' }, ok: true },
          { helper: 'step', attrs: { index: 1, name: undefined }, ok: true },
        ],
      },
    ]);
  });

  it('returns the input with no steps', async () => {
    const { pipe } = createFlowHelpers(createTestRuntime());
    await expect(pipe('x')).resolves.toBe('x');
  });

  it('stops at the first failing step and rejects with its error', async () => {
    const rt = createTestRuntime();
    const { pipe } = createFlowHelpers(rt);
    let thirdRan = false;
    const err = Object.assign(new Error('bad'), { code: 'tool_failed' });
    await expect(pipe(1, (x) => x, () => Promise.reject(err), () => (thirdRan = true))).rejects.toBe(err);
    expect(thirdRan).toBe(false);
    expect(rt.roots[0]?.children.map((c) => c.ok)).toEqual([true, false]);
  });

  it('starts no step after cancellation', async () => {
    const rt = createTestRuntime();
    const { pipe } = createFlowHelpers(rt);
    let secondRan = false;
    const p = track(pipe(0, () => after(50, 1), () => (secondRan = true)));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(secondRan).toBe(false);
    expect(p.error).toMatchObject({ code: 'cancelled' });
  });

  it('reports a step failure that happens after cancellation as cancelled, with the failure as cause', async () => {
    const rt = createTestRuntime();
    const { pipe } = createFlowHelpers(rt);
    const err = Object.assign(new Error('connection closed'), { code: 'server_crashed' });
    const p = track(pipe(0, () => (rt.cancel(), Promise.reject(err))));
    await vi.runAllTimersAsync();
    expect(p.error).toMatchObject({ name: 'CancelledError', code: 'cancelled', cause: err });
    expect(rt.roots[0]?.error?.code).toBe('cancelled');
  });

  it('rejects a non-function step before running anything', async () => {
    const { pipe } = createFlowHelpers(createTestRuntime());
    let ran = false;
    await expect(pipe(1, () => (ran = true), 'nope' as unknown as () => void)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(ran).toBe(false);
  });
});
