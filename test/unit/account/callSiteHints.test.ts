import { describe, expect, it } from 'vitest';
import { callSiteHints } from '../../../src/core/account/callSiteHints';
import type { Trace } from '../../../src/core/trace/schema';

const span = (id: string, line: number, startMs: number, endMs: number, args: unknown, result: unknown) => ({
  kind: 'tool', id, server: 'crm', tool: `get_${id}`, line, startMs, endMs, status: 'ok', cached: false, attempt: 1,
  args: { value: args, bytes: 10, truncated: false }, result: { value: result, bytes: 10, truncated: false },
});
const trace = (spans: unknown[]): Trace => ({ id: 't1', startedAtMs: 0, spans } as unknown as Trace);

describe('callSiteHints: sequential independent calls', () => {
  it('names the lines and the estimated speed-up from the recorded latencies', () => {
    // a (100 ms) then b (300 ms) then c (50 ms), none using another's result; d uses c's id.
    const t = trace([
      span('a', 1, 0, 100, { id: 'u1' }, { name: 'Ada' }),
      span('b', 2, 100, 400, { id: 'o7' }, { total: 3 }),
      span('c', 3, 400, 450, { q: 'x' }, { ref: 'ref-98765' }),
      span('d', 4, 450, 460, { ref: 'ref-98765' }, { ok: true }),
    ]);
    const hints = callSiteHints([t], "const a = await get_a({ id: 'u1' }); …");
    expect(hints.find((h) => h.line === 1)?.suggestions).toEqual([
      '3 calls at lines 1, 2, 3 do not depend on each other but ran one after another: Promise.all or map() would take ~300 ms instead of 450 ms (×1.5).',
    ]);
    expect(hints.find((h) => h.line === 4)?.suggestions).toEqual([]);
  });

  it('says nothing for calls that already overlapped, or when the saving is tiny', () => {
    const overlapped = trace([span('a', 1, 0, 100, { id: 'u1' }, {}), span('b', 2, 5, 300, { id: 'u2' }, {})]);
    expect(callSiteHints([overlapped], '').flatMap((h) => h.suggestions)).toEqual([]);
    const tiny = trace([span('a', 1, 0, 5, { id: 'u1' }, {}), span('b', 2, 5, 10, { id: 'u2' }, {})]);
    expect(callSiteHints([tiny], '').flatMap((h) => h.suggestions)).toEqual([]);
  });

  it('a loop of independent calls on one line', () => {
    const t = trace([0, 1, 2, 3].map((i) => ({ ...span(`x${i}`, 5, i * 40, i * 40 + 40, { id: `k${i}` }, {}), tool: 'get_x' })));
    expect(callSiteHints([t], '')[0]?.suggestions[0]).toBe('4 calls at line 5 (in a loop) do not depend on each other but ran one after another: Promise.all or map() would take ~40 ms instead of 160 ms (×4.0).');
  });
});
