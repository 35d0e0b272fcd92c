// The checkpoint scheduler of a trace in progress (fake timers drive it; writes are controllable).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/core/ports';
import { createCheckpoints } from '../../../src/core/trace/checkpoints';

/** A write that records when it started and settles when the test says so. */
function controlledWrites() {
  const started: number[] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  return {
    started,
    write: () =>
      new Promise<void>((resolve, reject) => {
        started.push(Date.now());
        pending.push({ resolve, reject });
      }),
    settle: (err?: Error) => {
      const p = pending.shift()!;
      if (err) p.reject(err);
      else p.resolve();
    },
  };
}

const warnings: string[] = [];
const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  warnings.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createCheckpoints', () => {
  it('writes at most once per interval, and a trailing write after the last change', async () => {
    const w = controlledWrites();
    const cp = createCheckpoints({ write: w.write, intervalMs: 1000, logger, traceId: 't1' });
    cp.touch();
    cp.touch();
    await vi.advanceTimersByTimeAsync(999);
    expect(w.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.started).toEqual([1000]);
    w.settle();
    await vi.advanceTimersByTimeAsync(0);
    cp.touch(); // a change right after the write: it waits for the interval
    await vi.advanceTimersByTimeAsync(999);
    expect(w.started).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.started).toEqual([1000, 2000]);
    w.settle();
    await cp.stop();
  });

  it('never has two writes in flight: changes during a slow write lead to one write after it', async () => {
    const w = controlledWrites();
    const cp = createCheckpoints({ write: w.write, intervalMs: 100, logger, traceId: 't2' });
    cp.touch();
    await vi.advanceTimersByTimeAsync(100);
    expect(w.started).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      cp.touch();
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(w.started).toHaveLength(1);
    w.settle(); // settles at t = 2600; the next write waits one interval from then
    await vi.advanceTimersByTimeAsync(99);
    expect(w.started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.started).toEqual([100, 2700]);
    w.settle();
    await cp.stop();
  });

  it('stop() waits for the write in flight and no write starts after it', async () => {
    const w = controlledWrites();
    const cp = createCheckpoints({ write: w.write, intervalMs: 10, logger, traceId: 't3' });
    cp.touch();
    await vi.advanceTimersByTimeAsync(10);
    cp.touch();
    let stopped = false;
    const stopping = cp.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(stopped).toBe(false);
    w.settle();
    await stopping;
    cp.touch();
    await vi.advanceTimersByTimeAsync(100);
    expect(w.started).toEqual([10]);
  });

  it('a failed write is a warning naming the trace, and the next change is written', async () => {
    const w = controlledWrites();
    const cp = createCheckpoints({ write: w.write, intervalMs: 10, logger, traceId: 't4' });
    cp.touch();
    await vi.advanceTimersByTimeAsync(10);
    w.settle(new Error('disk full'));
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings).toEqual(['Could not checkpoint trace t4: disk full']);
    cp.touch();
    await vi.advanceTimersByTimeAsync(10);
    expect(w.started).toHaveLength(2);
    w.settle();
    await cp.stop();
  });

  it('interval 0 never writes', async () => {
    const w = controlledWrites();
    const cp = createCheckpoints({ write: w.write, intervalMs: 0, logger, traceId: 't5' });
    cp.touch();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.started).toEqual([]);
    await cp.stop();
  });
});
