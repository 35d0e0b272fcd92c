// Trace → OTLP/JSON (ExportTraceServiceRequest) following the OpenTelemetry GenAI conventions: one
// `toolweaver.run` span, `execute_tool <tool>` children, helpers as internal spans. Ids are derived
// from the trace id (same trace → same ids), hex-encoded as OTLP/JSON requires.
import { createHash } from 'node:crypto';
import type { Span, Trace } from './schema';

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events?: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}
export interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

const SPAN_KIND_INTERNAL = 1;
const STATUS_UNSET = 0;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

function hex(input: string, chars: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, chars);
}

function nanos(epochMs: number, relMs = 0): string {
  return (BigInt(Math.round(epochMs)) * 1_000_000n + BigInt(Math.round(relMs * 1e6))).toString();
}

/** OTLP attribute value of any JSON value (objects become JSON text). */
export function anyValue(v: unknown): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) {
    return { arrayValue: { values: v.map(anyValue) } };
  }
  return { stringValue: JSON.stringify(v) ?? String(v) };
}

function attrs(record: Record<string, unknown>): OtlpKeyValue[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: anyValue(v) }));
}

function storedText(v: { value?: unknown; preview?: string } | undefined): string | undefined {
  if (!v) return undefined;
  return v.preview ?? (v.value === undefined ? undefined : JSON.stringify(v.value));
}

function statusOf(s: Span): { code: number; message?: string } {
  if (s.status === 'ok') return { code: STATUS_OK };
  if (s.status === 'running') return { code: STATUS_UNSET };
  return { code: STATUS_ERROR, message: s.error?.message ?? s.status };
}

/** Converts a trace to an OTLP/JSON export request (POST body for `/v1/traces`). */
export function toOtlpJson(trace: Trace, opts: { serviceName?: string; version?: string } = {}): OtlpExport {
  const traceId = hex(`toolweaver:${trace.id}`, 32);
  const runSpanId = hex(`toolweaver:${trace.id}:run`, 16);
  const spanId = (id: string) => hex(`toolweaver:${trace.id}:span:${id}`, 16);
  const known = new Set(trace.spans.map((s) => s.id));
  const endMs = trace.endedAtMs !== undefined ? trace.endedAtMs - trace.startedAtMs : trace.stats.durationMs;
  const t0 = trace.startedAtMs;

  const run: OtlpSpan = {
    traceId,
    spanId: runSpanId,
    name: 'toolweaver.run',
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(t0),
    endTimeUnixNano: nanos(t0, endMs),
    attributes: attrs({
      'toolweaver.trace.id': trace.id,
      'toolweaver.status': trace.status,
      'toolweaver.script.path': trace.script.path,
      'toolweaver.script.sha256': trace.script.sha256,
      'toolweaver.catalog.id': trace.catalogId,
      'toolweaver.tool_calls': trace.stats.toolCalls,
      'toolweaver.redactions': trace.redactions,
      'toolweaver.withheld': trace.withheld?.total,
      'toolweaver.tokens.code_mode': trace.tokens?.codeMode.total,
      'toolweaver.tokens.classic': trace.tokens?.classic.total,
      'toolweaver.tokens.reduction': trace.tokens?.savings?.reduction,
      'toolweaver.cost.reduction': trace.tokens?.savings ? trace.tokens.cost?.reduction : undefined,
      'error.type': trace.error?.code,
    }),
    events: trace.logs.map((l) => ({
      timeUnixNano: nanos(t0, l.t),
      name: 'log',
      attributes: attrs({ 'log.level': l.level, 'log.message': l.text }),
    })),
    status:
      trace.status === 'ok'
        ? { code: STATUS_OK }
        : trace.status === 'running'
          ? { code: STATUS_UNSET }
          : { code: STATUS_ERROR, message: trace.error?.message ?? trace.status },
  };

  const spans = trace.spans.map((s): OtlpSpan => {
    const common = {
      traceId,
      spanId: spanId(s.id),
      parentSpanId: s.parentId !== undefined && known.has(s.parentId) ? spanId(s.parentId) : runSpanId,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(t0, s.startMs),
      endTimeUnixNano: nanos(t0, s.endMs ?? endMs),
      status: statusOf(s),
    };
    if (s.kind === 'tool') {
      return {
        ...common,
        name: `execute_tool ${s.tool}`,
        attributes: attrs({
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': s.tool,
          'gen_ai.tool.call.id': s.id,
          'gen_ai.tool.type': 'extension',
          'gen_ai.tool.call.arguments': storedText(s.args),
          'gen_ai.tool.call.result': storedText(s.result),
          'mcp.method.name': 'tools/call',
          'mcp.server': s.server,
          'toolweaver.span.status': s.status,
          'toolweaver.attempt': s.attempt,
          'toolweaver.cached': s.cached,
          'toolweaver.line': s.line,
          'toolweaver.args.bytes': s.args.bytes,
          'toolweaver.result.bytes': s.result?.bytes,
          'toolweaver.truncated': s.args.truncated || s.result?.truncated === true,
          'error.type': s.error?.code,
        }),
      };
    }
    return {
      ...common,
      name: `toolweaver.${s.helper}`,
      attributes: attrs({
        'toolweaver.helper': s.helper,
        'toolweaver.span.status': s.status,
        'error.type': s.error?.code,
        ...Object.fromEntries(Object.entries(s.attrs).map(([k, v]) => [`toolweaver.attr.${k}`, v])),
      }),
    };
  });

  return {
    resourceSpans: [
      {
        resource: { attributes: attrs({ 'service.name': opts.serviceName ?? 'toolweaver', 'service.version': opts.version }) },
        scopeSpans: [{ scope: { name: 'toolweaver', version: opts.version }, spans: [run, ...spans] }],
      },
    ],
  };
}
