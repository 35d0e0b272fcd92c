// The matching and divergence rules of a replay's tape: per tool and arguments in order, arguments
// compared after redaction (or raw, with the raw tape), cached and refused calls off the tape,
// redacted/cut results never played back unless the raw tape holds the real one.
import { describe, expect, it } from 'vitest';
import { createTape } from '../../../src/core/replay/tape';
import { replayCatalog } from '../../../src/core/replay/replayCatalog';
import type { ToolSpan, Trace } from '../../../src/core/trace/schema';

let n = 0;
function span(tool: string, args: unknown, result: unknown, extra: Partial<ToolSpan> = {}): ToolSpan {
  n++;
  const text = JSON.stringify(result) ?? '';
  return {
    kind: 'tool', id: `t${n}`, startMs: n, endMs: n + 1, status: 'ok', server: 'crm', tool, attempt: 1, cached: false,
    args: { value: args, bytes: JSON.stringify(args).length, truncated: false },
    result: { value: result, bytes: text.length, truncated: false },
    ...extra,
  };
}

function trace(spans: ToolSpan[]): Trace {
  return {
    version: 1, id: '20260101-000000-000-0123456789', script: { sha256: 'x', bytes: 0, language: 'ts' }, catalogId: 'c',
    limits: { timeoutMs: 1, memoryMb: 64, stackKb: 1, maxToolCalls: 1, maxConcurrency: 1, toolCallTimeoutMs: 1, maxSourceBytes: 1, maxResultBytes: 1, maxLogBytes: 1 },
    startedAt: '', startedAtMs: 0, status: 'ok', logs: [], spans, truncations: [], redactions: 0,
    stats: { durationMs: 0, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 },
  };
}

describe('the replay tape', () => {
  it('answers calls per tool in recorded order, whatever the order across tools', () => {
    const tape = createTape(trace([span('get', { id: 1 }, 'one'), span('list', {}, ['a']), span('get', { id: 2 }, 'two')]));
    expect(tape.play({ server: 'crm', tool: 'list', args: {} })).toMatchObject({ kind: 'value', value: ['a'] });
    expect(tape.play({ server: 'crm', tool: 'get', args: { id: 1 } })).toMatchObject({ kind: 'value', value: 'one' });
    expect(tape.play({ server: 'crm', tool: 'get', args: { id: 2 } })).toMatchObject({ kind: 'value', value: 'two' });
    expect(tape.remaining()).toBe(0);
    expect(tape.play({ server: 'crm', tool: 'get', args: { id: 3 } })).toMatchObject({ kind: 'diverged', divergence: { reason: 'no_recorded_call' } });
  });

  it('compares arguments whatever their key order, and names both calls when they differ', () => {
    const tape = createTape(trace([span('get', { id: 1, full: true }, 'one', { line: 7 })]));
    const d = tape.play({ server: 'crm', tool: 'get', args: { id: 2, full: true }, line: 9 });
    expect(d).toMatchObject({ kind: 'diverged', divergence: { reason: 'arguments_differ', line: 9, recorded: { spanId: expect.any(String), line: 7 } } });
    if (d.kind !== 'diverged') return;
    expect(d.divergence.message).toBe('line 9: crm.get({"id":2,"full":true}) diverges from the recorded calls of crm.get: none left has these arguments; the next one is call 1 at line 7: crm.get({"id":1,"full":true}). Change the script back, or pass --live-on-divergence to send diverging calls to the live server.');
    // A divergent call is not consumed: the right one still plays.
    expect(tape.play({ server: 'crm', tool: 'get', args: { full: true, id: 1 } })).toMatchObject({ kind: 'value', value: 'one' });
  });

  it('a call of a tool the run never called is a divergence that says so', () => {
    const d = createTape(trace([])).play({ server: 'crm', tool: 'delete', args: {} });
    expect(d.kind === 'diverged' && d.divergence.message).toMatch(/the original run never called crm\.delete/);
  });

  it('replays recorded failures as failures with their code', () => {
    const tape = createTape(trace([span('get', {}, undefined, { status: 'error', result: undefined, error: { code: 'tool_failed', message: 'The CRM said no.' } })]));
    expect(tape.play({ server: 'crm', tool: 'get', args: {} })).toMatchObject({ kind: 'error', code: 'tool_failed', message: 'The CRM said no.' });
  });

  it('leaves cached calls and calls the bridge refused off the tape', () => {
    const tape = createTape(trace([span('get', {}, 'a'), span('get', {}, 'a', { cached: true }), span('get', { bad: 1 }, undefined, { status: 'error', result: undefined, error: { code: 'invalid_arguments', message: 'no' } })]));
    expect(tape.remaining()).toBe(1);
  });

  it('matches arguments that were redacted in the trace (the new ones are redacted the same way)', () => {
    const tape = createTape(trace([span('send', { to: '[REDACTED:email]' }, 'sent')]));
    expect(tape.play({ server: 'crm', tool: 'send', args: { to: 'ada@example.com' } })).toMatchObject({ kind: 'value', value: 'sent' });
  });

  it('never plays back a redacted, cut or unfinished result', () => {
    const redacted = createTape(trace([span('get', {}, { email: '[REDACTED:email]' })])).play({ server: 'crm', tool: 'get', args: {} });
    expect(redacted).toMatchObject({ kind: 'diverged', divergence: { reason: 'not_replayable' } });
    expect(redacted.kind === 'diverged' && redacted.divergence.message).toMatch(/redacted/);
    const cut = createTape(trace([span('get', {}, 'x', { result: { preview: '"xx', bytes: 99999, truncated: true } })])).play({ server: 'crm', tool: 'get', args: {} });
    expect(cut.kind === 'diverged' && cut.divergence.message).toMatch(/cut to 3 of 99999 bytes/);
    const open = createTape(trace([span('get', {}, 'x', { status: 'abandoned', result: undefined })])).play({ server: 'crm', tool: 'get', args: {} });
    expect(open.kind === 'diverged' && open.divergence.message).toMatch(/did not finish \(it was abandoned\)/);
  });
});

describe('the replay tape with the raw tape beside the trace', () => {
  it('answers calls in a different order across arguments (concurrent retries), equal arguments in recorded order', () => {
    const tape = createTape(trace([span('lookup', { key: 'a' }, 'a1'), span('lookup', { key: 'b' }, 'b1'), span('lookup', { key: 'a' }, 'a2')]));
    expect(tape.play({ server: 'crm', tool: 'lookup', args: { key: 'b' } })).toMatchObject({ kind: 'value', value: 'b1' });
    expect(tape.play({ server: 'crm', tool: 'lookup', args: { key: 'a' } })).toMatchObject({ kind: 'value', value: 'a1' });
    expect(tape.play({ server: 'crm', tool: 'lookup', args: { key: 'a' } })).toMatchObject({ kind: 'value', value: 'a2' });
    expect(tape.play({ server: 'crm', tool: 'lookup', args: { key: 'a' } })).toMatchObject({ kind: 'diverged', divergence: { reason: 'no_recorded_call' } });
  });

  it('plays the raw result of a call whose stored result was redacted or cut', () => {
    const t = trace([span('get', { id: 1 }, { email: '[REDACTED:email]' }), span('get', { id: 2 }, 'x', { result: { preview: '"xx', bytes: 99999, truncated: true } })]);
    const [a, b] = t.spans as ToolSpan[];
    const raw = { version: 1 as const, traceId: t.id, results: { [a!.id]: { email: 'ada@example.com' }, [b!.id]: 'x'.repeat(99997) }, args: { [a!.id]: { id: 1 }, [b!.id]: { id: 2 } } };
    const tape = createTape(t, { raw });
    expect(tape.play({ server: 'crm', tool: 'get', args: { id: 1 } })).toMatchObject({ kind: 'value', value: { email: 'ada@example.com' } });
    const cut = tape.play({ server: 'crm', tool: 'get', args: { id: 2 } });
    expect(cut.kind === 'value' && (cut.value as string).length).toBe(99997);
  });

  it('compares raw arguments: two different emails are not the same call although both are redacted', () => {
    const t = trace([span('send', { to: '[REDACTED:email]' }, 'sent')]);
    const raw = { version: 1 as const, traceId: t.id, results: { [t.spans[0]!.id]: 'sent' }, args: { [t.spans[0]!.id]: { to: 'ada@example.com' } } };
    expect(createTape(t, { raw }).play({ server: 'crm', tool: 'send', args: { to: 'bob@example.com' } })).toMatchObject({ kind: 'diverged', divergence: { reason: 'arguments_differ' } });
    expect(createTape(t, { raw }).play({ server: 'crm', tool: 'send', args: { to: 'ada@example.com' } })).toMatchObject({ kind: 'value', value: 'sent' });
  });

  it('does not play a raw result that had a secret redacted (the raw tape never holds secrets)', () => {
    const t = trace([span('env', {}, { token: '[REDACTED:secret]' })]);
    const raw = { version: 1 as const, traceId: t.id, results: { [t.spans[0]!.id]: { token: '[REDACTED:secret]' } }, args: { [t.spans[0]!.id]: {} } };
    expect(createTape(t, { raw }).play({ server: 'crm', tool: 'env', args: {} })).toMatchObject({ kind: 'diverged', divergence: { reason: 'not_replayable' } });
  });

  it('ignores a raw tape of another trace', () => {
    const t = trace([span('get', {}, { email: '[REDACTED:email]' })]);
    const raw = { version: 1 as const, traceId: '20260101-000000-000-ffffffffff', results: { [t.spans[0]!.id]: { email: 'ada@example.com' } }, args: { [t.spans[0]!.id]: {} } };
    expect(createTape(t, { raw }).play({ server: 'crm', tool: 'get', args: {} })).toMatchObject({ kind: 'diverged', divergence: { reason: 'not_replayable' } });
  });
});

describe('the replay catalog', () => {
  it('holds the recorded servers and tools, cached tools cacheable', () => {
    const c = replayCatalog(trace([span('get', {}, 'a'), span('list', {}, 'a', { cached: true })]));
    expect(c.servers.map((s) => [s.name, s.tools.map((t) => [t.name, t.annotations?.readOnlyHint === true])])).toEqual([['crm', [['get', false], ['list', true]]]]);
  });

  // The demo's main job retries flaky_lookup (read-only): without the recorded hints the stand-in tool
  // had none, retry() refused to repeat it, and the replay failed where the original succeeded.
  it('gives each stand-in tool the hints it was called with, so retry() and the cache decide as in the original', () => {
    const c = replayCatalog(trace([span('lookup', {}, 'a', { hints: { readOnlyHint: true } }), span('add', {}, 'b', { hints: { destructiveHint: true } }), span('old', {}, 'c')]));
    const hints = Object.fromEntries((c.servers[0]?.tools ?? []).map((t) => [t.name, t.annotations ?? {}]));
    expect(hints).toEqual({ lookup: { readOnlyHint: true }, add: { destructiveHint: true }, old: {} });
  });
});
