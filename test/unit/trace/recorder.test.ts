import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact/redactor';
import { newTraceId, statusOf } from '../../../src/core/trace/lifecycle';
import { createTraceRecorder } from '../../../src/core/trace/recorder';
import { TRACE_ID_PATTERN, TraceSchema } from '../../../src/core/trace/schema';
import { whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import type { RunEvent } from '../../../src/core/sandbox/types';
import { failResult, okResult, richEvents } from './events';

function fakeClock(start = 1_763_700_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function record(events: RunEvent[], opts: Partial<Parameters<typeof createTraceRecorder>[0]> = {}) {
  const clock = fakeClock();
  const rec = createTraceRecorder({ source: 'const u = await tools.demo.getUser({ id: "u1" });', catalogId: 'cat-1', clock, ...opts });
  for (const e of events) rec.onEvent(e);
  clock.advance(50);
  return rec;
}

describe('trace recorder', () => {
  it('builds a valid trace with tool and helper spans, attempts, truncation and redaction', () => {
    const rec = record(richEvents(), { redactor: createRedactor(), maxValueBytes: 1024 });
    const texts = rec.toolTexts();
    const t = rec.finish(okResult());
    expect(TraceSchema.parse(t)).toEqual(t);
    expect(t.status).toBe('ok');
    expect(TRACE_ID_PATTERN.test(t.id)).toBe(true);
    expect(t.spans.map((s) => s.id)).toEqual(['h1', 'h2', 't1', 'h3', 't2', 't3', 't4']);
    const t1 = t.spans.find((s) => s.id === 't1');
    const t2 = t.spans.find((s) => s.id === 't2');
    expect(t1).toMatchObject({ kind: 'tool', status: 'error', attempt: 1, parentId: 'h2', line: 3, error: { code: 'tool_failed', message: 'busy, mail [REDACTED:email]' } });
    expect(t2).toMatchObject({ kind: 'tool', status: 'ok', attempt: 2, result: { value: { id: 'u1', name: 'Ada', token: '[REDACTED:secret_field]' }, truncated: false } });
    expect(t.spans.find((s) => s.id === 'h1')).toMatchObject({ kind: 'helper', helper: 'retry', attrs: { attempts: 3, attemptsUsed: 2 }, startMs: 1, endMs: 12 });
    const t4 = t.spans.find((s) => s.id === 't4');
    expect(t4?.kind === 'tool' && t4.result).toMatchObject({ truncated: true, bytes: 40_002 });
    expect(t4?.kind === 'tool' && t4.result?.preview?.length).toBe(1024);
    expect(t.truncations).toContainEqual({ path: 'spans[6].result', originalBytes: 40_002, keptBytes: 1024 });
    // the full (untruncated, unredacted) texts are there for the account: 'x'*40000 is one whitespace word
    const words = (id: string) => { const x = texts.get(id); return x && { args: whitespaceTokenizer.count(x.args), result: whitespaceTokenizer.count(x.result) }; };
    expect(words('t4')).toEqual({ args: 2, result: 1 });
    expect(texts.get('t4')?.result.length).toBe(40_000); // the string itself, as a model reads it
    expect(words('t1')).toEqual({ args: 2, result: 4 }); // "Error: busy, mail admin@example.com"
    expect(t.logs).toEqual([{ level: 'log', t: 31, text: 'done with [REDACTED:openai_key]' }]);
    expect(t.redactions).toBe(3);
    expect(t.value).toEqual({ value: { total: 3 }, bytes: 11, truncated: false });
    expect(t.endedAtMs! - t.startedAtMs).toBe(50);
    expect(t.script.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the redaction count exact across snapshots', () => {
    const rec = record(richEvents(), { redactor: createRedactor() });
    expect(rec.snapshot().status).toBe('running');
    rec.snapshot();
    expect(rec.finish(okResult()).redactions).toBe(3);
  });

  it('closes unfinished spans with the terminal status', () => {
    const events: RunEvent[] = [
      { type: 'helper.start', spanId: 'h', t: 0, helper: 'map', attrs: { items: 2 } },
      { type: 'tool.start', spanId: 'a', parentId: 'h', t: 1, server: 'demo', tool: 'get_user', args: {} },
      { type: 'tool.start', spanId: 'b', parentId: 'h', t: 1, server: 'demo', tool: 'get_user', args: {} },
      { type: 'tool.end', spanId: 'a', t: 3, ok: true, result: 1, cached: true },
    ];
    const cases = [
      ['timeout', 'timed_out', 'timed_out'],
      ['cancelled', 'cancelled', 'cancelled'],
      ['sandbox_crashed', 'crashed', 'crashed'],
      ['guest_error', 'failed', 'abandoned'],
    ] as const;
    for (const [code, status, spanStatus] of cases) {
      const t = record(events).finish(failResult(code));
      expect(t.status).toBe(status);
      expect(t.error?.code).toBe(code);
      expect(t.spans.find((s) => s.id === 'a')).toMatchObject({ status: 'ok', cached: true });
      expect(t.spans.find((s) => s.id === 'b')).toMatchObject({ status: spanStatus, endMs: 50 });
      expect(t.spans.find((s) => s.id === 'h')).toMatchObject({ status: spanStatus });
      expect(TraceSchema.safeParse(t).success).toBe(true);
    }
  });

  it('maps result codes to statuses', () => {
    expect(statusOf(okResult())).toBe('ok');
    expect(statusOf(failResult('tool_error'))).toBe('failed');
    expect(statusOf(failResult('timeout'))).toBe('timed_out');
  });

  it('makes sortable, filename-safe ids', () => {
    const a = newTraceId(Date.UTC(2026, 10, 21, 1, 2, 3, 4));
    expect(a).toMatch(/^20261121-010203-004-[0-9a-f]{10}$/);
    expect(newTraceId(Date.UTC(2026, 10, 21, 1, 2, 3, 5)) > a).toBe(true);
  });

  it('counts the run from markStarted, not from its creation', () => {
    const clock = fakeClock();
    const rec = createTraceRecorder({ source: 'x', catalogId: 'c', clock });
    const created = clock.now();
    clock.advance(30);
    rec.markStarted();
    clock.advance(50);
    const t = rec.finish(okResult());
    expect(t.startedAtMs).toBe(created + 30);
    expect(t.endedAtMs! - t.startedAtMs).toBe(50);
  });

  it('stores an undefined final value as empty', () => {
    expect(record([]).finish({ ok: true, value: undefined, logs: [], stats: okResult().stats }).value).toEqual({ bytes: 0, truncated: false });
  });

  // issue 10, item 8: secret literals in the stored script source were kept when no text pattern
  // matched (key-based fields, bare AWS keys, the new providers).
  it('applies configured secrets and every redaction rule to the stored script source', () => {
    const source = [
      "const headers = { Cookie: 'sid=s%3Aabc123', 'x-session-id': 'zz' };",
      'const session_id = "sess-7788aa";',
      "const aws = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';",
      "const gl = 'glpat-Zx3c9vB7nM2qW8eR5tY1';",
      "const hook = 'https://hooks.slack.com/services/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';",
      "const mine = 'my-configured-secret-1';",
      'return await tools.demo.getUser({ id: "u1", credentials: `ada:correct-horse` });',
    ].join('\n');
    const rec = record([], { source, redactor: createRedactor({ secrets: ['my-configured-secret-1'] }) });
    const t = rec.finish(okResult());
    for (const secret of ['sid=s%3Aabc123', 'sess-7788aa', 'wJalrXUtnFEMI', 'glpat-', 'z9Y8x7W6v5U4', 'my-configured-secret-1', 'correct-horse']) {
      expect(t.script.source).not.toContain(secret);
    }
    expect(t.script.source).toContain("Cookie: '[REDACTED:secret_field]'");
    expect(t.script.source).toContain('credentials: `[REDACTED:secret_field]`');
    expect(t.script.source).toContain("const mine = '[REDACTED:configured_secret]';");
    expect(t.script.bytes).toBe(Buffer.byteLength(source)); // the size and hash are of what ran
    expect(t.redactions).toBe(9); // 8 in the source, 1 in the log line of okResult
  });
});
