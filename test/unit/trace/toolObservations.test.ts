import { describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/core/trace/schema';
import { createToolObservations, describeObservation } from '../../../src/core/trace/toolObservations';

function trace(startedAtMs: number, spans: Array<Record<string, unknown>>): Trace {
  return { startedAtMs, spans } as unknown as Trace;
}
const span = (over: Record<string, unknown>) => ({ kind: 'tool', id: 's', server: 'demo', tool: 'get_customer', startMs: 10, endMs: 52, status: 'ok', cached: false, attempt: 1, args: { bytes: 2 }, result: { bytes: 2300 }, ...over });

describe('tool observations', () => {
  it('keeps the last real call per tool: cached and unfinished calls do not count', () => {
    const obs = createToolObservations();
    obs.record(trace(1_000, [span({}), span({ startMs: 60, endMs: 61, cached: true }), span({ tool: 'open', endMs: undefined })]));
    expect(obs.get('demo', 'get_customer')).toEqual({ durationMs: 42, resultBytes: 2300, status: 'ok', at: 1_010 });
    expect(obs.get('demo', 'open')).toBeUndefined();
    obs.record(trace(5_000, [span({ startMs: 0, endMs: 1500, status: 'error', result: undefined })]));
    expect(obs.get('demo', 'get_customer')).toMatchObject({ durationMs: 1500, status: 'error', resultBytes: undefined });
    // An older trace read later does not replace a newer observation.
    obs.record(trace(2_000, [span({ endMs: 20 })]));
    expect(obs.get('demo', 'get_customer')?.durationMs).toBe(1500);
  });

  it('says it in one line', () => {
    expect(describeObservation({ durationMs: 42.4, resultBytes: 2300, status: 'ok', at: 0 }, 30_000)).toBe('Last call 42 ms · 2.2 KiB result · just now');
    expect(describeObservation({ durationMs: 1500, status: 'timed_out', at: 0 }, 5 * 60_000)).toBe('Last call 1.5 s (timed out) · 5 min ago');
  });
});
