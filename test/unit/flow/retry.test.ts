import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime, seeded, sequence, track } from './testRuntime';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const coded = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...extra });

/** Runs retry over an always-failing fn; returns the call times (ms since start) and the delays. */
async function failingRun(options: Parameters<ReturnType<typeof createFlowHelpers>['retry']>[1], random?: () => number) {
  const rt = createTestRuntime({ random });
  const { retry } = createFlowHelpers(rt);
  const t0 = Date.now();
  const calls: number[] = [];
  const result = track(
    retry(() => {
      calls.push(Date.now() - t0);
      throw coded('tool_failed');
    }, options),
  );
  await vi.runAllTimersAsync();
  return { calls, sleeps: rt.sleeps, result, rt };
}

describe('retry', () => {
  it('uses exact exponential delays without jitter, then rethrows the last error', async () => {
    const { calls, sleeps, result } = await failingRun({ attempts: 5, baseMs: 100, maxMs: 1000, jitter: false });
    expect(sleeps).toEqual([100, 200, 400, 800]);
    expect(calls).toEqual([0, 100, 300, 700, 1500]);
    expect(result.state).toBe('rejected');
    expect(result.error).toMatchObject({ code: 'tool_failed' });
  });

  it('uses linear and fixed backoff and caps delays at maxMs', async () => {
    expect((await failingRun({ attempts: 4, backoff: 'linear', baseMs: 100, jitter: false })).sleeps).toEqual([100, 200, 300]);
    expect((await failingRun({ attempts: 3, backoff: 'fixed', baseMs: 70, jitter: false })).sleeps).toEqual([70, 70]);
    expect((await failingRun({ attempts: 5, baseMs: 1000, maxMs: 2500, jitter: false })).sleeps).toEqual([1000, 2000, 2500, 2500]);
  });

  it('defaults to 3 attempts, 200 ms exponential base and jitter that only shortens delays', async () => {
    const { sleeps, calls } = await failingRun({}, sequence(0, 1 - 1e-9));
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([200, 200]); // 200·(1 − 0.5·0), 400·(1 − 0.5·~1)
  });

  it('applies a numeric jitter fraction exactly with a given random sequence', async () => {
    const { sleeps } = await failingRun({ attempts: 4, baseMs: 100, jitter: 0.2 }, sequence(0.5, 0, 0.25));
    expect(sleeps).toEqual([90, 200, 380]);
  });

  it('is deterministic with a seeded random and stays within the jitter band', async () => {
    const a = await failingRun({ attempts: 6, baseMs: 100, maxMs: 10_000, jitter: true }, seeded(7));
    const b = await failingRun({ attempts: 6, baseMs: 100, maxMs: 10_000, jitter: true }, seeded(7));
    expect(a.sleeps).toEqual(b.sleeps);
    a.sleeps.forEach((d, i) => {
      const full = 100 * 2 ** i;
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    });
    expect(new Set(a.sleeps.map((d, i) => d / (100 * 2 ** i))).size).toBeGreaterThan(1);
  });

  it('passes the 1-based attempt number and returns the first success', async () => {
    const { retry } = createFlowHelpers(createTestRuntime());
    const seen: number[] = [];
    const p = track(
      retry(async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw coded('timeout');
        return `ok on ${attempt}`;
      }, { jitter: false }),
    );
    await vi.runAllTimersAsync();
    expect(p).toMatchObject({ state: 'fulfilled', value: 'ok on 3' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('asks retryOn with the error and attempt, and stops when it says no', async () => {
    const { retry } = createFlowHelpers(createTestRuntime());
    const asked: Array<[string, number]> = [];
    const p = track(
      retry(
        (attempt) => {
          throw coded(attempt === 1 ? 'flaky' : 'fatal');
        },
        { attempts: 10, jitter: false, retryOn: (err, attempt) => (asked.push([(err as Error).message, attempt]), (err as { code: string }).code === 'flaky') },
      ),
    );
    await vi.runAllTimersAsync();
    expect(asked).toEqual([['flaky', 1], ['fatal', 2]]);
    expect(p.error).toMatchObject({ code: 'fatal' });
  });

  it.each(['invalid_arguments', 'denied', 'cancelled', 'quota_exceeded'])('does not retry %s by default', async (code) => {
    const { calls, result } = await failingRunWith(coded(code));
    expect(calls).toBe(1);
    expect(result.error).toMatchObject({ code });
  });

  it('honours the retryable flag over the code', async () => {
    expect((await failingRunWith(coded('tool_failed', { retryable: false }))).calls).toBe(1);
    expect((await failingRunWith(coded('denied', { retryable: true }))).calls).toBe(3);
    expect((await failingRunWith('a thrown string')).calls).toBe(3);
  });

  it('never retries after cancellation: a cancel during the backoff rejects with cancelled', async () => {
    const rt = createTestRuntime();
    const { retry } = createFlowHelpers(rt);
    let calls = 0;
    const p = track(retry(() => (calls++, Promise.reject(coded('tool_failed'))), { attempts: 5, jitter: false }));
    await vi.advanceTimersByTimeAsync(50);
    rt.cancel();
    await vi.runAllTimersAsync();
    expect(calls).toBe(1);
    expect(p.error).toMatchObject({ name: 'CancelledError', code: 'cancelled' });
    expect(rt.spans.every((s) => s.end !== undefined)).toBe(true);
  });

  it('does not retry a failure that happens after the run was cancelled, even if retryOn says yes', async () => {
    const rt = createTestRuntime();
    const { retry } = createFlowHelpers(rt);
    let calls = 0;
    const p = track(
      retry(
        () => {
          calls++;
          rt.cancel();
          throw coded('tool_failed');
        },
        { retryOn: () => true },
      ),
    );
    await vi.runAllTimersAsync();
    expect(calls).toBe(1);
    expect(rt.sleeps).toEqual([]);
    expect(p.error).toMatchObject({ code: 'cancelled', cause: { code: 'tool_failed' } });
  });

  it('records a retry span with one attempt child per try, nesting work started inside', async () => {
    const rt = createTestRuntime();
    const { retry, map } = createFlowHelpers(rt);
    const p = track(
      retry(async (attempt) => {
        await map([1], (x) => x);
        if (attempt < 2) throw coded('tool_failed');
        return attempt;
      }, { jitter: false, baseMs: 10 }),
    );
    await vi.runAllTimersAsync();
    expect(p.value).toBe(2);
    expect(rt.tree((s) => ({ attrs: s.attrs, ok: s.ok }))).toEqual([
      {
        helper: 'retry',
        attrs: { attempts: 3, backoff: 'exponential' },
        ok: true,
        children: [
          { helper: 'attempt', attrs: { attempt: 1 }, ok: false, children: [{ helper: 'map', attrs: { items: 1, concurrency: 8 }, ok: true, children: [{ helper: 'item', attrs: { index: 0 }, ok: true }] }] },
          { helper: 'attempt', attrs: { attempt: 2 }, ok: true, children: [{ helper: 'map', attrs: { items: 1, concurrency: 8 }, ok: true, children: [{ helper: 'item', attrs: { index: 0 }, ok: true }] }] },
        ],
      },
    ]);
    expect(rt.roots[0]?.endAttrs).toEqual({ attempts: 2, delaysMs: [10] });
    expect(rt.roots[0]?.children[0]?.error).toEqual({ code: 'tool_failed', message: 'tool_failed' });
  });

  it('rejects bad options with invalid_argument', async () => {
    const { retry } = createFlowHelpers(createTestRuntime());
    await expect(retry(() => 1, { attempts: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(retry(() => 1, { jitter: 2 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(retry(() => 1, { backoff: 'random' as 'fixed' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(retry(42 as unknown as () => number)).rejects.toMatchObject({ name: 'TypeError', code: 'invalid_argument' });
  });
});

async function failingRunWith(thrown: unknown) {
  const { retry } = createFlowHelpers(createTestRuntime());
  let calls = 0;
  const result = track(
    retry(() => {
      calls++;
      throw thrown;
    }, { jitter: false }),
  );
  await vi.runAllTimersAsync();
  return { calls, result };
}
