// A dispatched call's timeout: stops while a person decides, restarts on progress, never fires
// after the call settled or the run closed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApprovalPause } from '../../../../src/core/sandbox/host/approvalPause';
import { CallClock } from '../../../../src/core/sandbox/host/callClock';
import { Deadlines } from '../../../../src/core/sandbox/host/deadlines';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(closed = () => false) {
  const pauses: boolean[] = [];
  const onTimeout = vi.fn();
  const clock = new CallClock(new Deadlines(100), onTimeout, new ApprovalPause((p) => pauses.push(p), 10_000, () => Date.now()), closed);
  return { clock, onTimeout, pauses };
}

describe('CallClock', () => {
  it('times out after the per-call timeout', () => {
    const { onTimeout } = setup();
    vi.advanceTimersByTime(99);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('stops while an approval is pending and starts afresh once it settles', () => {
    const { clock, onTimeout, pauses } = setup();
    vi.advanceTimersByTime(80);
    clock.onApproval('pending');
    clock.onApproval('pending'); // repeated: no second pause
    vi.advanceTimersByTime(5_000);
    expect(onTimeout).not.toHaveBeenCalled();
    clock.onApproval('settled');
    expect(pauses).toEqual([true, false]);
    vi.advanceTimersByTime(99);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('restarts on progress, and never fires once stopped', () => {
    const { clock, onTimeout } = setup();
    vi.advanceTimersByTime(90);
    clock.onProgress();
    vi.advanceTimersByTime(90);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(clock.stop()).toBe(true);
    expect(clock.stop()).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});
