// The replay timeline's pairing: each replay call beside the original call it was answered with,
// live and diverged calls marked, original calls the replay never made kept as 'missing'.
import { describe, expect, it } from 'vitest';
import { pairReplay } from '../../../src/webview/replayModel';
import type { ToolSpan, Trace } from '../../../src/core/trace/schema';

function span(id: string, tool: string, args: unknown, startMs: number, extra: Partial<ToolSpan> = {}): ToolSpan {
  return {
    kind: 'tool', id, startMs, endMs: startMs + 5, status: 'ok', server: 'crm', tool, attempt: 1, cached: false,
    args: { value: args, bytes: JSON.stringify(args).length, truncated: false }, ...extra,
  };
}

function trace(id: string, spans: ToolSpan[], extra: Partial<Trace> = {}): Trace {
  return {
    version: 1, id, script: { sha256: 'x', bytes: 0, language: 'ts' }, catalogId: 'c',
    limits: { timeoutMs: 1, memoryMb: 64, stackKb: 1, maxToolCalls: 1, maxConcurrency: 1, toolCallTimeoutMs: 1, maxSourceBytes: 1, maxResultBytes: 1, maxLogBytes: 1 },
    startedAt: '', startedAtMs: 0, status: 'ok', logs: [], spans, truncations: [], redactions: 0,
    stats: { durationMs: 40, toolCalls: spans.length, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 }, ...extra,
  };
}

describe('pairReplay', () => {
  it('pairs calls by tool and arguments whatever their order, on one axis from each run\'s first call', () => {
    const original = trace('o', [span('o1', 'get', { id: 1 }, 10), span('o2', 'get', { id: 2 }, 12)]);
    const replay = trace('r', [span('r1', 'get', { id: 2 }, 3, { replay: 'replayed' }), span('r2', 'get', { id: 1 }, 4, { replay: 'replayed' })], {
      stats: { durationMs: 90, toolCalls: 2, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 },
      replayOf: { traceId: 'o', replayed: 2, live: 0, divergences: [] },
    });
    const t = pairReplay(original, replay);
    // Original calls 10–17 ms, replay calls 3–9 ms: both from their first call, the longer is 7 ms.
    expect(t.offsetMs).toEqual({ original: 10, replay: 3 });
    expect(t.durationMs).toBe(7);
    expect(t.rows.map((r) => [r.replay?.id, r.original?.id, r.mode])).toEqual([['r1', 'o2', 'replayed'], ['r2', 'o1', 'replayed']]);
  });

  it('marks a divergence (highlighted, unpaired), a live call, and original calls the replay never made', () => {
    const original = trace('o', [span('o1', 'get', { id: 1 }, 10), span('o2', 'send', { to: 'a' }, 20), span('o3', 'list', {}, 30)]);
    const replay = trace('r', [span('r1', 'get', { id: 1 }, 5, { replay: 'replayed' }), span('r2', 'send', { to: 'b' }, 8, { replay: 'live', line: 4 })], {
      replayOf: { traceId: 'o', replayed: 1, live: 1, divergences: [{ server: 'crm', tool: 'send', line: 4, reason: 'arguments_differ', message: 'm', args: { value: { to: 'b' }, bytes: 10, truncated: false } }] },
    });
    const rows = pairReplay(original, replay).rows;
    expect(rows.map((r) => [r.replay?.id, r.original?.id, r.mode, r.diverged])).toEqual([
      ['r1', 'o1', 'replayed', false],
      ['r2', undefined, 'live', true],
      [undefined, 'o2', 'missing', false],
      [undefined, 'o3', 'missing', false],
    ]);
  });
});
