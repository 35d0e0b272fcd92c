import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../../../src/core/sandbox/host/deadlines';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadlines', () => {
  it('fires each deadline once, in order, after the timeout', () => {
    const d = new Deadlines(100);
    const fired: string[] = [];
    d.add(() => fired.push('a'));
    vi.advanceTimersByTime(50);
    d.add(() => fired.push('b'));
    vi.advanceTimersByTime(50);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(50);
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(500);
    expect(fired).toEqual(['a', 'b']);
  });

  it('skips deadlines marked done and fires none after clear', () => {
    const d = new Deadlines(100);
    const fired: string[] = [];
    const a = d.add(() => fired.push('a'));
    d.add(() => fired.push('b'));
    a.done = true;
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['b']);
    d.add(() => fired.push('c'));
    d.clear();
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['b']);
  });

  it('survives thousands of entries', () => {
    const d = new Deadlines(10);
    let n = 0;
    for (let i = 0; i < 5000; i++) {
      const e = d.add(() => n++);
      if (i % 2) e.done = true;
    }
    vi.advanceTimersByTime(10);
    expect(n).toBe(2500);
  });
});
