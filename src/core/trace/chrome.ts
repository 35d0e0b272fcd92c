// Trace → Chrome trace-event JSON (`{ traceEvents }`, opens in Perfetto and chrome://tracing).
// Complete ('X') events in µs from the run start; overlapping spans go to separate thread lanes so
// parallel tool calls show side by side (events on one lane never overlap).
import type { Span, Trace } from './schema';

export interface ChromeTraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'M' | 'i';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  otherData?: Record<string, unknown>;
}

const PID = 1;
const RUN_TID = 0;
const TOOL_TID_BASE = 1;
const HELPER_TID_BASE = 1001;

const us = (ms: number) => Math.round(ms * 1000);

/** Greedy interval packing: lane index per span, so spans on one lane never overlap. */
function lanes(spans: readonly Span[], endOf: (s: Span) => number): Map<string, number> {
  const laneEnds: number[] = [];
  const out = new Map<string, number>();
  for (const s of [...spans].sort((a, b) => a.startMs - b.startMs || endOf(b) - endOf(a))) {
    let lane = laneEnds.findIndex((end) => end <= s.startMs);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[lane] = endOf(s);
    out.set(s.id, lane);
  }
  return out;
}

function preview(v: { value?: unknown; preview?: string } | undefined): string | undefined {
  if (!v) return undefined;
  const text = v.preview ?? (v.value === undefined ? undefined : JSON.stringify(v.value));
  return text !== undefined && text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** Converts a trace to Chrome trace-event JSON. */
export function toChromeTrace(trace: Trace): ChromeTrace {
  const runEnd = trace.endedAtMs !== undefined ? trace.endedAtMs - trace.startedAtMs : trace.stats.durationMs;
  const endOf = (s: Span) => Math.max(s.endMs ?? runEnd, s.startMs);
  const tools = trace.spans.filter((s) => s.kind === 'tool');
  const helpers = trace.spans.filter((s) => s.kind === 'helper');
  const toolLanes = lanes(tools, endOf);
  const helperLanes = lanes(helpers, endOf);
  const events: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: RUN_TID, args: { name: `toolweaver run ${trace.id}` } },
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: RUN_TID, args: { name: 'run' } },
    { name: 'thread_sort_index', ph: 'M', ts: 0, pid: PID, tid: RUN_TID, args: { sort_index: 0 } },
  ];
  const laneCount = (m: Map<string, number>) => (m.size === 0 ? 0 : Math.max(...m.values()) + 1);
  for (let i = 0; i < laneCount(helperLanes); i++) {
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: HELPER_TID_BASE + i, args: { name: `helpers ${i + 1}` } });
    events.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: PID, tid: HELPER_TID_BASE + i, args: { sort_index: 1 + i } });
  }
  for (let i = 0; i < laneCount(toolLanes); i++) {
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: TOOL_TID_BASE + i, args: { name: `tool calls ${i + 1}` } });
    events.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: PID, tid: TOOL_TID_BASE + i, args: { sort_index: 1000 + i } });
  }
  events.push({
    name: `run (${trace.status})`,
    cat: 'run',
    ph: 'X',
    ts: 0,
    dur: us(runEnd),
    pid: PID,
    tid: RUN_TID,
    args: { id: trace.id, status: trace.status, error: trace.error?.message, script: trace.script.path, toolCalls: trace.stats.toolCalls },
  });
  for (const l of trace.logs) {
    events.push({ name: `${l.level}: ${l.text.slice(0, 80)}`, cat: 'log', ph: 'i', s: 't', ts: us(l.t), pid: PID, tid: RUN_TID, args: { text: l.text } });
  }
  for (const s of trace.spans) {
    const common = { ph: 'X' as const, ts: us(s.startMs), dur: us(endOf(s) - s.startMs), pid: PID };
    if (s.kind === 'tool') {
      events.push({
        ...common,
        name: `${s.server}.${s.tool}`,
        cat: s.cached ? 'tool,cached' : 'tool',
        tid: TOOL_TID_BASE + (toolLanes.get(s.id) ?? 0),
        args: {
          id: s.id,
          parentId: s.parentId,
          status: s.status,
          attempt: s.attempt,
          cached: s.cached,
          line: s.line,
          args: preview(s.args),
          result: preview(s.result),
          error: s.error?.message,
        },
      });
    } else {
      events.push({
        ...common,
        name: s.helper,
        cat: 'helper',
        tid: HELPER_TID_BASE + (helperLanes.get(s.id) ?? 0),
        args: { id: s.id, parentId: s.parentId, status: s.status, ...s.attrs, error: s.error?.message },
      });
    }
  }
  return { traceEvents: events, displayTimeUnit: 'ms', otherData: { toolweaverTraceId: trace.id, version: trace.version } };
}
