import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunClock } from '../../../../src/core/sandbox/worker/runClock';

describe('RunClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires at its deadline, never while paused, and a pause moves the deadline later', () => {
    const onExpire = vi.fn();
    const clock = new RunClock(performance.now() + 100, onExpire);
    clock.arm();
    vi.advanceTimersByTime(60);
    clock.pause(true);
    clock.pause(true); // a second pause is a no-op: the pause starts at the first
    expect(clock.paused).toBe(true);
    vi.advanceTimersByTime(500);
    expect(clock.expired()).toBe(false);
    expect(onExpire).not.toHaveBeenCalled();
    clock.pause(false);
    vi.advanceTimersByTime(39);
    expect(onExpire).not.toHaveBeenCalled();
    expect(clock.expired()).toBe(false);
    vi.advanceTimersByTime(2);
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(clock.expired()).toBe(true);
  });

  it('fires nothing after clear', () => {
    const onExpire = vi.fn();
    const clock = new RunClock(performance.now() + 10, onExpire);
    clock.arm();
    clock.clear();
    vi.advanceTimersByTime(100);
    expect(onExpire).not.toHaveBeenCalled();
  });
});
