// The flow helpers inside the real sandbox: their timers go through the worker's sleep (and are
// cleared when the work wins), spans reach onEvent, and nothing waits longer than it must.
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import type { RunEvent } from '../../../src/core/sandbox/types';
import { createTestInvoker, testCatalog } from './fixtures';

const sandbox = createSandbox({ poolSize: 1 });
afterAll(() => sandbox.dispose());

describe('flow helpers in the sandbox', () => {
  it('clears the timer of timeout() when the work wins', async () => {
    const t0 = performance.now();
    const r = await sandbox.run('return await timeout(() => tools.test.slow({ ms: 20, value: "fast" }), 10_000);', { catalog: testCatalog, invoker: createTestInvoker() });
    expect(r).toMatchObject({ ok: true, value: 'fast' });
    // Far below the 10 s timer it must not wait for; roomy, as the machine is shared.
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('rejects with TimeoutError when the work loses', async () => {
    const r = await sandbox.run('try { await timeout(new Promise(() => {}), 50); } catch (e) { return [e.name, e.code]; }', { catalog: testCatalog, invoker: createTestInvoker() });
    expect(r).toMatchObject({ ok: true, value: ['TimeoutError', 'timeout'] });
  });

  it('retries a failing tool and records the attempts as spans', async () => {
    const events: RunEvent[] = [];
    const invoker = createTestInvoker();
    const r = await sandbox.run(
      // test.fail has no annotations: without retryOn, retry() would not repeat it (retryDefaults.test.ts).
      'try { await retry(() => tools.test.fail({}), { attempts: 3, baseMs: 5, retryOn: () => true }); } catch (e) { return e.code; }',
      { catalog: testCatalog, invoker, onEvent: (e) => events.push(e) },
    );
    expect(r).toMatchObject({ ok: true, value: 'tool_failed' });
    expect(invoker.calls).toHaveLength(3);
    const attempts = events.filter((e) => e.type === 'helper.start' && e.helper === 'attempt');
    expect(attempts).toHaveLength(3);
    const toolStarts = events.filter((e): e is Extract<RunEvent, { type: 'tool.start' }> => e.type === 'tool.start');
    expect(toolStarts.map((s) => s.parentId)).toEqual(attempts.map((a) => (a as { spanId: string }).spanId));
  });

  it('dag() in the guest starts a step when its own dep settles and records deps on step spans', async () => {
    const events: RunEvent[] = [];
    const r = await sandbox.run(
      `const r = await dag({
        slow: () => tools.test.slow({ ms: 400, value: 'slow' }),
        fast: () => tools.test.slow({ ms: 10, value: 'fast' }),
        after: { deps: ['fast'], run: ({ fast }) => tools.test.slow({ ms: 10, value: fast + '+after' }) },
      });
      return r;`,
      { catalog: testCatalog, invoker: createTestInvoker(), onEvent: (e) => events.push(e) },
    );
    expect(r).toMatchObject({ ok: true, value: { slow: 'slow', fast: 'fast', after: 'fast+after' } });
    const steps = events.filter((e): e is Extract<RunEvent, { type: 'helper.start' }> => e.type === 'helper.start' && e.helper === 'step');
    expect(steps.map((s) => s.attrs)).toEqual([
      { name: 'slow', level: 0, deps: [] },
      { name: 'fast', level: 0, deps: [] },
      { name: 'after', level: 1, deps: ['fast'] },
    ]);
    const toolEnds = events.filter((e): e is Extract<RunEvent, { type: 'tool.end' }> => e.type === 'tool.end');
    const afterStart = steps[2]?.t ?? Infinity;
    const slowEnd = toolEnds.find((e) => e.ok && e.result === 'slow')?.t ?? -Infinity;
    // The step that needs only the 10 ms step starts long before the unrelated 400 ms one ends.
    expect(afterStart).toBeLessThan(slowEnd);
  });

  it('cannot block the worker with Atomics.wait', async () => {
    const t0 = performance.now();
    const r = await sandbox.run('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);', { catalog: testCatalog, invoker: createTestInvoker(), limits: { timeoutMs: 500 } });
    expect(r.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await sandbox.run('return 1', { catalog: testCatalog, invoker: createTestInvoker() })).toMatchObject({ ok: true, value: 1 });
  });
});
