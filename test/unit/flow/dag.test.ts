import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime, inFlight, track } from './testRuntime';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('dag', () => {
  it('starts each step as soon as its own deps settle, passing exactly the declared deps', async () => {
    const rt = createTestRuntime();
    const { dag } = createFlowHelpers(rt);
    const t0 = Date.now();
    const starts: Record<string, number> = {};
    const got: Record<string, unknown> = {};
    const load = inFlight();
    const step = (name: string, ms: number) => async (deps: Record<string, unknown>) => {
      starts[name] = Date.now() - t0;
      got[name] = deps;
      load.enter();
      await after(ms, null);
      load.leave();
      return `${name}!`;
    };
    const p = track(
      dag({
        a: step('a', 100),
        b: { run: step('b', 300) },
        c: { deps: ['a', 'b'], run: step('c', 50) },
        d: { deps: ['c'], run: step('d', 10) },
        e: { deps: ['a'], run: step('e', 20) },
      }),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ a: 'a!', b: 'b!', c: 'c!', d: 'd!', e: 'e!' });
    // e needs only a (100 ms): it starts then, not when the unrelated b (300 ms) ends.
    expect(starts).toEqual({ a: 0, b: 0, e: 100, c: 300, d: 350 });
    expect(load.peak).toBe(2);
    expect(got).toEqual({ a: {}, b: {}, c: { a: 'a!', b: 'b!' }, d: { c: 'c!' }, e: { a: 'a!' } });
  });

  it('records dag → step spans with each step\'s level and deps', async () => {
    const rt = createTestRuntime();
    const { dag } = createFlowHelpers(rt);
    const p = track(dag({ x: () => 1, y: () => 2, z: { deps: ['x', 'y'], run: ({ x, y }) => (x as number) + (y as number) } }));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ x: 1, y: 2, z: 3 });
    expect(rt.tree((s) => ({ attrs: s.attrs, ok: s.ok }))).toEqual([
      {
        helper: 'dag',
        attrs: { steps: 3 },
        ok: true,
        children: [
          { helper: 'step', attrs: { name: 'x', level: 0, deps: [] }, ok: true },
          { helper: 'step', attrs: { name: 'y', level: 0, deps: [] }, ok: true },
          { helper: 'step', attrs: { name: 'z', level: 1, deps: ['x', 'y'] }, ok: true },
        ],
      },
    ]);
    expect(rt.roots[0]?.endAttrs).toEqual({ levels: 2 });
  });

  it('rejects a cycle with a message naming the path, before running any step', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    let ran = 0;
    const run = () => ran++;
    const p = track(dag({ start: run, a: { deps: ['start', 'c'], run }, b: { deps: ['a'], run }, c: { deps: ['b'], run } }));
    await vi.runAllTimersAsync();
    expect(ran).toBe(0);
    expect(p.error).toMatchObject({ name: 'DagCycleError', code: 'dag_cycle', cycle: ['a', 'c', 'b', 'a'] });
    expect((p.error as Error).message).toBe('dag: dependency cycle a -> c -> b -> a. Remove one of these dependencies.');
  });

  it('names only the cycle, not the path that led into it', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    const run = () => 0;
    await expect(dag({ x: { deps: ['a'], run }, a: { deps: ['b'], run }, b: { deps: ['a'], run } })).rejects.toThrow(
      'dag: dependency cycle a -> b -> a.',
    );
  });

  it('names a self-dependency as a cycle', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    await expect(dag({ a: { deps: ['a'], run: () => 1 } })).rejects.toThrow('dag: dependency cycle a -> a.');
  });

  it('rejects an unknown dependency, naming the step and the missing name', async () => {
    const rt = createTestRuntime();
    const { dag } = createFlowHelpers(rt);
    const p = track(dag({ a: () => 1, b: { deps: ['a', 'nope'], run: () => 2 } }));
    await vi.runAllTimersAsync();
    expect(p.error).toMatchObject({ name: 'DagError', code: 'dag_unknown_dependency' });
    expect((p.error as Error).message).toBe('dag: step "b" depends on "nope", which is not a step (steps: a, b).');
    expect(rt.roots[0]).toMatchObject({ helper: 'dag', ok: false, error: { code: 'dag_unknown_dependency' } });
  });

  it('a failing step rejects with its own error after the steps in flight settle; its dependents never start', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    const finished: string[] = [];
    let laterRan = false;
    const err = Object.assign(new Error('a broke'), { code: 'tool_failed' });
    const p = track(
      dag({
        a: () => after(10, null).then(() => Promise.reject(err)),
        b: () => after(100, null).then(() => finished.push('b')),
        c: { deps: ['a', 'b'], run: () => (laterRan = true) },
      }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(p.state).toBe('pending');
    await vi.runAllTimersAsync();
    expect(finished).toEqual(['b']);
    expect(laterRan).toBe(false);
    expect(p.error).toBe(err);
  });

  it('starts no further step after cancellation', async () => {
    const rt = createTestRuntime();
    const { dag } = createFlowHelpers(rt);
    let laterRan = false;
    const p = track(dag({ a: () => after(100, 1), b: { deps: ['a'], run: () => (laterRan = true) } }));
    await vi.advanceTimersByTimeAsync(10);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(laterRan).toBe(false);
    expect(p.error).toMatchObject({ code: 'cancelled' });
  });

  it('bounds the steps in flight with concurrency', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    const load = inFlight();
    const s = async () => (load.enter(), await after(10, null), load.leave(), 0);
    const p = track(dag({ a: s, b: s, c: s, d: s }, { concurrency: 2 }));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ a: 0, b: 0, c: 0, d: 0 });
    expect(load.peak).toBe(2);
  });

  it('under concurrency, a step whose deps settle waits its turn behind steps that were ready before it', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    const t0 = Date.now();
    const starts: Record<string, number> = {};
    const s = (name: string, ms: number) => async () => ((starts[name] = Date.now() - t0), await after(ms, name));
    const p = track(dag({ fast: s('fast', 10), slow: s('slow', 300), queued: s('queued', 50), next: { deps: ['fast'], run: s('next', 10) } }, { concurrency: 2 }));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ fast: 'fast', slow: 'slow', queued: 'queued', next: 'next' });
    expect(starts).toEqual({ fast: 0, slow: 0, queued: 10, next: 60 });
  });

  it('a diamond with a repeated dep runs the join once, after both sides', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    const runs: string[] = [];
    const p = track(dag({
      root: () => (runs.push('root'), 1),
      l: { deps: ['root'], run: async ({ root }) => (runs.push('l'), await after(20, (root as number) + 1)) },
      r: { deps: ['root', 'root'], run: async ({ root }) => (runs.push('r'), await after(5, (root as number) + 2)) },
      join: { deps: ['l', 'r'], run: ({ l, r }) => (runs.push('join'), (l as number) * (r as number)) },
    }));
    await vi.runAllTimersAsync();
    expect(p.value).toEqual({ root: 1, l: 2, r: 3, join: 6 });
    expect(runs).toEqual(['root', 'l', 'r', 'join']);
  });

  it('rejects malformed nodes with invalid_argument', async () => {
    const { dag } = createFlowHelpers(createTestRuntime());
    await expect(dag({ a: { deps: ['b'] } as never })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(dag({ a: 5 as never })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(dag({ a: { deps: 'b' as never, run: () => 1 } })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(dag({})).resolves.toEqual({});
  });
});
