// scheduledRunCode: a run cancelled while it waits for a slot ends as a factory-made 'cancelled'
// run error without starting; a run that gets a slot runs and gives the slot back.
import { describe, expect, it } from 'vitest';
import type { RunCode } from '../../../src/core/agents/runFeedback';
import { scheduledRunCode } from '../../../src/core/agents/runCode';
import { createFairScheduler } from '../../../src/core/run/fairScheduler';
import { RUN_ERROR_NAMES } from '../../../src/core/sandbox/runErrors';

const stats = { durationMs: 1, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 };

describe('scheduledRunCode', () => {
  it('ends a run cancelled in the queue as cancelled, never starting it', async () => {
    const scheduler = createFairScheduler(1);
    const started: string[] = [];
    let finishFirst!: () => void;
    const inner: RunCode = async (code) => {
      started.push(code);
      if (code === 'first') await new Promise<void>((r) => (finishFirst = r));
      return { result: { ok: true, value: code, logs: [], stats } };
    };
    const first = scheduledRunCode(inner, scheduler, 'a')('first', {});
    const ac = new AbortController();
    const second = scheduledRunCode(inner, scheduler, 'b')('second', { signal: ac.signal });
    ac.abort();
    const out = await second;
    expect(out.result).toMatchObject({ ok: false, error: { code: 'cancelled', name: RUN_ERROR_NAMES.cancelled, message: 'The run was cancelled while it waited for a free sandbox.' }, logs: [] });
    expect(started).toEqual(['first']);
    finishFirst();
    expect((await first).result).toMatchObject({ ok: true, value: 'first' });
    // The slot came back: the next run starts at once.
    expect((await scheduledRunCode(inner, scheduler, 'c')('third', {})).result).toMatchObject({ ok: true, value: 'third' });
  });
});
