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

  it('cannot block the worker with Atomics.wait', async () => {
    const t0 = performance.now();
    const r = await sandbox.run('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);', { catalog: testCatalog, invoker: createTestInvoker(), limits: { timeoutMs: 500 } });
    expect(r.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await sandbox.run('return 1', { catalog: testCatalog, invoker: createTestInvoker() })).toMatchObject({ ok: true, value: 1 });
  });
});
