// The fair scheduler: never more than `concurrency` slots out, a freed slot goes to the session with
// the fewest runs in progress, then the one served least recently, and an aborted waiter never gets one.
import { describe, expect, it } from 'vitest';
import { createFairScheduler, type ReleaseSlot } from '../../../src/core/run/fairScheduler';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createFairScheduler', () => {
  it('grants at once while slots are free, then queues', async () => {
    const s = createFairScheduler(2);
    const a = await s.acquire('a');
    const b = await s.acquire('b');
    expect(s.running).toBe(2);
    let third: ReleaseSlot | undefined;
    void s.acquire('c').then((r) => (third = r));
    await tick();
    expect(third).toBeUndefined();
    expect(s.queued).toBe(1);
    a?.();
    await tick();
    expect(third).toBeTypeOf('function');
    expect(s.running).toBe(2);
    a?.(); // releasing twice gives back one slot only
    expect(s.running).toBe(2);
    b?.();
    third?.();
    expect(s.running).toBe(0);
  });

  it('a session with many queued runs does not starve another (round robin at one slot)', async () => {
    const s = createFairScheduler(1);
    const order: string[] = [];
    const first = await s.acquire('busy');
    const waits = [
      ...['busy-1', 'busy-2', 'busy-3'].map((name) => s.acquire('busy').then((r) => ({ name, r }))),
    ];
    await tick();
    const other = s.acquire('other').then((r) => ({ name: 'other', r }));
    await tick();
    // Hand the slot on, one run at a time, and record who got it.
    let current = first;
    for (let i = 0; i < 4; i++) {
      const next = Promise.race([...waits, other].map((p) => p.then((x) => (order.includes(x.name) ? new Promise<never>(() => undefined) : x))));
      current?.();
      const got = await next;
      order.push(got.name);
      current = got.r;
    }
    current?.();
    // FIFO would serve 'other' last; fair serves it next: 'busy' was served more recently.
    expect(order).toEqual(['other', 'busy-1', 'busy-2', 'busy-3']);
  });

  it('a session holding fewer slots goes first, even when another waited longer', async () => {
    const s = createFairScheduler(2);
    const a = await s.acquire('a');
    const b = await s.acquire('b');
    const got: string[] = [];
    void s.acquire('b').then((r) => { got.push('b2'); r?.(); });
    void s.acquire('a').then((r) => { got.push('a2'); r?.(); });
    await tick();
    a?.(); // 'a' now holds 0, 'b' holds 1: a2 goes first though b2 waited longer
    await tick();
    expect(got[0]).toBe('a2');
    b?.();
    await tick();
    expect(got).toEqual(['a2', 'b2']);
  });

  it('an aborted waiter leaves the queue and never holds a slot', async () => {
    const s = createFairScheduler(1);
    const held = await s.acquire('a');
    const ctl = new AbortController();
    const waiting = s.acquire('b', ctl.signal);
    ctl.abort();
    expect(await waiting).toBeUndefined();
    expect(s.queued).toBe(0);
    held?.();
    expect(s.running).toBe(0);
    const pre = new AbortController();
    pre.abort();
    expect(await s.acquire('c', pre.signal)).toBeUndefined();
    expect(s.running).toBe(0);
  });

  it('treats a concurrency below 1 as 1', async () => {
    const s = createFairScheduler(0);
    expect(s.concurrency).toBe(1);
    const r = await s.acquire('a');
    let second = false;
    void s.acquire('a').then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    r?.();
    await tick();
    expect(second).toBe(true);
  });
});

describe('createFairScheduler round robin', () => {
  it('alternates between two sessions that both keep a queue', async () => {
    const s = createFairScheduler(1);
    const order: string[] = [];
    let release = await s.acquire('a');
    const all: Array<Promise<void>> = [];
    for (const key of ['a', 'a', 'a', 'b', 'b', 'b']) {
      all.push(
        s.acquire(key).then((r) => {
          order.push(key);
          release = r;
        }),
      );
    }
    for (let i = 0; i < 6; i++) {
      release?.();
      await tick();
    }
    release?.();
    await Promise.all(all);
    expect(order).toEqual(['b', 'a', 'b', 'a', 'b', 'a']);
    expect(s.running).toBe(0);
  });
});
