import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerLimiter } from '../../../../src/core/sandbox/host/rateLimit';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ServerLimiter', () => {
  it('takes the fast path when a server has no limits', () => {
    const l = new ServerLimiter();
    expect(l.acquire('s', undefined, new AbortController().signal)).toBeUndefined();
    expect(l.acquire('s', {}, new AbortController().signal)).toBeUndefined();
  });

  it('lets a burst through, then one call per 1/rps seconds', async () => {
    const l = new ServerLimiter();
    const started: number[] = [];
    const signal = new AbortController().signal;
    for (let i = 0; i < 4; i++) void l.acquire('s', { rps: 10, burst: 2 }, signal)?.then((release) => (started.push(i), release()));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([0, 1, 2, 3]);
    l.dispose();
  });

  it('caps concurrency until a slot is released', async () => {
    const l = new ServerLimiter();
    const signal = new AbortController().signal;
    const first = await l.acquire('s', { maxConcurrency: 1 }, signal);
    let second = false;
    void l.acquire('s', { maxConcurrency: 1 }, signal)?.then(() => (second = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(second).toBe(false);
    first?.();
    first?.(); // releasing twice gives back one slot
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBe(true);
  });

  it('removes an aborted waiter and rejects it with the reason', async () => {
    const l = new ServerLimiter();
    const hold = await l.acquire('s', { maxConcurrency: 1 }, new AbortController().signal);
    const ac = new AbortController();
    const waiting = l.acquire('s', { maxConcurrency: 1 }, ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    let third = false;
    void l.acquire('s', { maxConcurrency: 1 }, new AbortController().signal)?.then(() => (third = true));
    hold?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(true);
  });
});
