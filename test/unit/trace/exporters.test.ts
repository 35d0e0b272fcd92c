import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTraceRecorder } from '../../../src/core/trace/recorder';
import { toChromeTrace, type ChromeTraceEvent } from '../../../src/core/trace/chrome';
import { toOtlpJson } from '../../../src/core/trace/otlp';
import { failResult, okResult, richEvents } from './events';

// The OTLP/JSON shape of ExportTraceServiceRequest (opentelemetry-proto, JSON mapping: lowerCamelCase
// fields, hex ids, 64-bit integers as decimal strings, enums as numbers).
const AnyValue: z.ZodType = z.lazy(() =>
  z.union([
    z.strictObject({ stringValue: z.string() }),
    z.strictObject({ boolValue: z.boolean() }),
    z.strictObject({ intValue: z.string().regex(/^-?\d+$/) }),
    z.strictObject({ doubleValue: z.number() }),
    z.strictObject({ arrayValue: z.strictObject({ values: z.array(AnyValue) }) }),
  ]),
);
const KeyValue = z.strictObject({ key: z.string().min(1), value: AnyValue });
const Nanos = z.string().regex(/^\d{19}$/);
const OtlpSpan = z.strictObject({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  parentSpanId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  name: z.string().min(1),
  kind: z.number().int().min(0).max(5),
  startTimeUnixNano: Nanos,
  endTimeUnixNano: Nanos,
  attributes: z.array(KeyValue),
  events: z.array(z.strictObject({ timeUnixNano: Nanos, name: z.string(), attributes: z.array(KeyValue) })).optional(),
  status: z.strictObject({ code: z.union([z.literal(0), z.literal(1), z.literal(2)]), message: z.string().optional() }),
});
const OtlpExport = z.strictObject({
  resourceSpans: z.array(
    z.strictObject({
      resource: z.strictObject({ attributes: z.array(KeyValue) }),
      scopeSpans: z.array(z.strictObject({ scope: z.strictObject({ name: z.string(), version: z.string().optional() }), spans: z.array(OtlpSpan) })),
    }),
  ),
});

const START = Date.UTC(2026, 10, 21, 1, 0, 0);
function trace(result = okResult()) {
  const rec = createTraceRecorder({ source: 'x', catalogId: 'c', clock: { now: () => START } });
  for (const e of richEvents()) rec.onEvent(e);
  return rec.finish(result);
}

function attr(span: z.infer<typeof OtlpSpan>, key: string): unknown {
  const kv = span.attributes.find((a) => a.key === key);
  return kv ? Object.values(kv.value as object)[0] : undefined;
}

describe('OTLP export', () => {
  it('matches the OTLP/JSON structure and the GenAI execute_tool conventions', () => {
    const t = trace();
    const out = OtlpExport.parse(JSON.parse(JSON.stringify(toOtlpJson(t, { version: '0.1.0' }))));
    const spans = out.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(1 + t.spans.length);
    const run = spans[0]!;
    expect(run.name).toBe('toolweaver.run');
    expect(run.parentSpanId).toBeUndefined();
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    expect(run.startTimeUnixNano).toBe(`${START}000000`);
    const tools = spans.filter((s) => s.name.startsWith('execute_tool '));
    expect(tools).toHaveLength(4);
    for (const s of tools) {
      expect(attr(s, 'gen_ai.operation.name')).toBe('execute_tool');
      expect(attr(s, 'gen_ai.tool.name')).toBe(s.name.slice('execute_tool '.length));
      expect(attr(s, 'gen_ai.tool.type')).toBe('extension');
      expect(attr(s, 'mcp.server')).toBe('demo');
      expect(typeof attr(s, 'gen_ai.tool.call.id')).toBe('string');
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    const failed = tools.find((s) => s.status.code === 2)!;
    expect(attr(failed, 'error.type')).toBe('tool_failed');
    expect(attr(failed, 'toolweaver.attempt')).toBe('1');
    // t1 sits inside attempt h2 inside retry h1
    const byCallId = (id: string) => spans.find((s) => attr(s, 'gen_ai.tool.call.id') === id)!;
    const attempt = spans.find((s) => s.spanId === byCallId('t1').parentSpanId)!;
    expect(attempt.name).toBe('toolweaver.attempt');
    expect(spans.find((s) => s.spanId === attempt.parentSpanId)!.name).toBe('toolweaver.retry');
    expect(byCallId('t3').parentSpanId).toBe(run.spanId);
    // t3 starts 20 ms into the run
    expect(BigInt(byCallId('t3').startTimeUnixNano) - BigInt(run.startTimeUnixNano)).toBe(20_000_000n);
    expect(run.events?.[0]?.name).toBe('log');
  });

  it('marks failed runs with an error status', () => {
    const out = toOtlpJson(trace(failResult('timeout', 'Run timed out')));
    const run = out.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(run.status).toEqual({ code: 2, message: 'Run timed out' });
  });
});

describe('Chrome trace-event export', () => {
  const EventSchema = z.object({
    name: z.string(),
    ph: z.enum(['X', 'M', 'i']),
    ts: z.number().int().nonnegative(),
    dur: z.number().int().nonnegative().optional(),
    pid: z.number().int(),
    tid: z.number().int(),
    args: z.record(z.string(), z.unknown()).optional(),
  });

  it('emits complete events in µs with lanes that show parallel calls', () => {
    const t = trace();
    const out = JSON.parse(JSON.stringify(toChromeTrace(t))) as { traceEvents: ChromeTraceEvent[]; displayTimeUnit: string };
    expect(out.displayTimeUnit).toBe('ms');
    for (const e of out.traceEvents) EventSchema.parse(e);
    const complete = out.traceEvents.filter((e) => e.ph === 'X');
    for (const e of complete) expect(e.dur).toBeDefined();
    const t3 = complete.find((e) => e.args?.['id'] === 't3')!;
    const t4 = complete.find((e) => e.args?.['id'] === 't4')!;
    expect(t3).toMatchObject({ ts: 20_000, dur: 10_000, name: 'demo.list_orders' });
    expect(t3.tid).not.toBe(t4.tid); // concurrent calls on separate lanes
    // no two complete events on one lane overlap
    const byLane = new Map<number, ChromeTraceEvent[]>();
    for (const e of complete) byLane.set(e.tid, [...(byLane.get(e.tid) ?? []), e]);
    for (const [tid, evs] of byLane) {
      if (tid === 0) continue;
      const sorted = evs.sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.ts).toBeGreaterThanOrEqual(sorted[i - 1]!.ts + sorted[i - 1]!.dur!);
    }
    const names = out.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.['name']);
    expect(names).toContain('tool calls 2');
    expect(complete.find((e) => e.tid === 0)?.name).toBe('run (ok)');
  });
});
