// The run clock stops while approval prompts are open, at most maxPauseMs per run in total.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApprovalPause } from '../../../../src/core/sandbox/host/approvalPause';

describe('ApprovalPause', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pauses once for overlapping prompts and resumes when the last one settles', () => {
    const calls: boolean[] = [];
    const p = new ApprovalPause((x) => calls.push(x), 10_000, () => Date.now());
    p.update('pending');
    p.update('pending');
    vi.advanceTimersByTime(300);
    p.update('settled');
    expect(calls).toEqual([true]);
    p.update('settled');
    expect(calls).toEqual([true, false]);
    expect(p.totalMs).toBe(300);
  });

  it('never pauses longer than the cap in total, even with a prompt still open', () => {
    const calls: boolean[] = [];
    const p = new ApprovalPause((x) => calls.push(x), 1_000, () => Date.now());
    p.update('pending');
    vi.advanceTimersByTime(600);
    p.update('settled');
    p.update('pending');
    vi.advanceTimersByTime(5_000);
    expect(calls).toEqual([true, false, true, false]);
    expect(p.totalMs).toBe(1_000);
    p.update('settled');
    p.update('pending');
    expect(calls).toHaveLength(4); // the budget is spent: no more pausing
  });

  it('does nothing without a pause hook or after close, and never restarts a closed run', () => {
    const none = new ApprovalPause(undefined, 1_000);
    none.update('pending');
    expect(none.totalMs).toBe(0);
    const calls: boolean[] = [];
    const p = new ApprovalPause((x) => calls.push(x), 1_000, () => Date.now());
    p.update('pending');
    p.close();
    vi.advanceTimersByTime(2_000);
    p.update('settled');
    expect(calls).toEqual([true]);
  });
});
