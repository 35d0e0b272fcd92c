// The recorded tool calls of a trace as a tape a replay plays back: per tool, the calls that reached
// the invoker, in the order they were made. Invariant: a call gets a recorded answer only when its
// server, tool and (redacted) arguments match an unplayed recorded call of the tool (the first such, so
// calls with equal arguments replay in recorded order), and the answer is
// the recorded value itself — never a redacted, truncated or missing one. With the run's raw tape
// (trace/rawTape.ts) the recorded value is the raw one, and arguments are compared unredacted.
import { canonicalJson } from '../catalog/wire';
import { createRedactor, type Redactor } from '../redact/redactor';
import type { RawTape } from '../trace/rawTape';
import type { Divergence, StoredValue, ToolSpan, Trace } from '../trace/schema';
import { DEFAULT_MAX_VALUE_BYTES, jsonText, storeValue } from '../trace/values';

/** Error codes of spans that never reached the invoker (the bridge refused them): not on the tape. */
const NOT_INVOKED = new Set(['invalid_arguments', 'quota_exceeded', 'unknown_tool']);

/** The marker the redactor leaves in place of a secret (src/core/redact/redactor.ts). */
const REDACTION_MARK = '[REDACTED';

/** What the tape answers for one call. */
export type TapeAnswer =
  | { kind: 'value'; value: unknown; spanId: string }
  | { kind: 'error'; code: string; message: string; spanId: string }
  | { kind: 'diverged'; divergence: Divergence };

export interface TapeCall {
  server: string;
  tool: string;
  args: unknown;
  line?: number;
}

export interface Tape {
  /** Plays the next call; a matched call is consumed, a divergent one is not. */
  play(call: TapeCall): TapeAnswer;
  /** Recorded calls not played yet. */
  remaining(): number;
}

export interface TapeOptions {
  /** How the new arguments are redacted before they are compared with the recorded (redacted) ones;
   *  default: the trace's default rules. */
  redactor?: Redactor;
  /** Per-value budget the trace was recorded with (default 16 KiB). */
  maxValueBytes?: number;
  /** The run's raw tape: calls it holds are answered with their raw result (even where the trace's
   *  was redacted or cut) and matched on their raw arguments. */
  raw?: RawTape;
}

/** Spans of the trace that reached the invoker, per `server\0tool`, in start order. */
function recordedCalls(trace: Trace): Map<string, ToolSpan[]> {
  const byTool = new Map<string, ToolSpan[]>();
  const spans = trace.spans
    .filter((s): s is ToolSpan => s.kind === 'tool' && !s.cached && !(s.error && NOT_INVOKED.has(s.error.code)))
    .sort((a, b) => a.startMs - b.startMs);
  for (const s of spans) {
    const key = `${s.server}\u0000${s.tool}`;
    byTool.set(key, [...(byTool.get(key) ?? []), s]);
  }
  return byTool;
}

/** Comparable text of a stored value (its value, or its preview when it was cut). */
function storedKey(v: StoredValue): string {
  return v.value !== undefined ? `v${canonicalJson(v.value)}` : `p${v.bytes}:${v.preview ?? ''}`;
}

/** Short text of a stored value for messages. */
export function showStored(v: StoredValue, max = 200): string {
  const text = v.value !== undefined ? (jsonText(v.value) ?? '') : `${v.preview ?? ''}…`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Why a recorded answer cannot be played back faithfully, or undefined when it can. */
function unfaithful(span: ToolSpan): string | undefined {
  if (span.status === 'error' || span.status === 'timed_out') return undefined;
  if (span.status !== 'ok') return `the recorded call did not finish (it was ${span.status})`;
  const r = span.result;
  if (!r || r.bytes === 0) return undefined;
  if (r.truncated || r.value === undefined) return `its recorded result was cut to ${r.preview?.length ?? 0} of ${r.bytes} bytes, and no raw tape was kept beside the trace`;
  if ((jsonText(r.value) ?? '').includes(REDACTION_MARK)) return 'its recorded result was redacted (a secret or personal data was replaced), so the real value is not in the trace, and no raw tape was kept beside it (toolweaver.traces.keepRawTape, --no-raw-tape)';
  return undefined;
}

function callName(server: string, tool: string): string {
  return `${server}.${tool}`;
}

/** A tape over `trace`'s recorded calls. */
export function createTape(trace: Trace, opts: TapeOptions = {}): Tape {
  const byTool = recordedCalls(trace);
  const playedAt = new Map<string, boolean[]>();
  const redactor = opts.redactor ?? createRedactor();
  const maxBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  const raw = opts.raw?.traceId === trace.id ? opts.raw : undefined;
  let total = 0;
  for (const list of byTool.values()) total += list.length;
  let played = 0;
  return {
    remaining: () => total - played,
    play(call) {
      const key = `${call.server}\u0000${call.tool}`;
      const list = byTool.get(key) ?? [];
      const done = playedAt.get(key) ?? [];
      playedAt.set(key, done);
      const args = storeValue(call.args, maxBytes, redactor);
      const newKey = storedKey(args);
      const newRaw = raw ? canonicalJson(call.args) : '';
      const at = call.line !== undefined ? `line ${call.line}: ` : '';
      const name = callName(call.server, call.tool);
      const diverge = (d: Omit<Divergence, 'server' | 'tool' | 'args' | 'line'>): TapeAnswer => ({
        kind: 'diverged',
        divergence: { ...d, server: call.server, tool: call.tool, args, ...(call.line !== undefined ? { line: call.line } : {}) },
      });
      // Raw arguments when the raw tape has them (two redaction marks are not the same value).
      const rawArgs = (s: ToolSpan): string | undefined => {
        if (!raw || !Object.hasOwn(raw.args, s.id)) return undefined;
        const text = canonicalJson(raw.args[s.id]);
        return text.includes(REDACTION_MARK) ? undefined : text; // a secret was redacted there too: compare redacted
      };
      const sameArgs = (s: ToolSpan): boolean => {
        const r = rawArgs(s);
        return r !== undefined ? r === newRaw : storedKey(s.args) === newKey;
      };
      // The first unplayed recorded call of the tool with these arguments: calls with the same arguments
      // replay in recorded order, and concurrent calls (whose order across arguments depends on timing,
      // e.g. retries in a map) still find theirs.
      let index = -1;
      let firstUnplayed = -1;
      for (let i = 0; i < list.length; i++) {
        if (done[i]) continue;
        if (firstUnplayed < 0) firstUnplayed = i;
        if (sameArgs(list[i] as ToolSpan)) {
          index = i;
          break;
        }
      }
      if (firstUnplayed < 0) {
        const message =
          list.length === 0
            ? `${at}${name}(${showStored(args)}) is not in the recorded trace ${trace.id}: the original run never called ${name}.`
            : `${at}${name}(${showStored(args)}) is call ${list.length + 1} of ${name}, but the recorded trace ${trace.id} has only ${list.length}.`;
        return diverge({ reason: 'no_recorded_call', message: `${message} Pass --live-on-divergence to send such calls to the live server.` });
      }
      if (index < 0) {
        const recorded = list[firstUnplayed] as ToolSpan;
        const was = recorded.line !== undefined ? ` at line ${recorded.line}` : '';
        return diverge({
          reason: 'arguments_differ',
          recorded: { spanId: recorded.id, args: recorded.args, ...(recorded.line !== undefined ? { line: recorded.line } : {}) },
          message: `${at}${name}(${showStored(args)}) diverges from the recorded calls of ${name}: none left has these arguments; the next one is call ${firstUnplayed + 1}${was}: ${name}(${showStored(recorded.args)}). Change the script back, or pass --live-on-divergence to send diverging calls to the live server.`,
        });
      }
      const recorded = list[index] as ToolSpan;
      // A raw result with a secret redacted in it is no more faithful than the trace's.
      const rawResult = raw && Object.hasOwn(raw.results, recorded.id) && !(jsonText(raw.results[recorded.id]) ?? '').includes(REDACTION_MARK) ? { value: raw.results[recorded.id] } : undefined;
      const why = rawResult ? undefined : unfaithful(recorded);
      if (why) {
        return diverge({
          reason: 'not_replayable',
          recorded: { spanId: recorded.id, args: recorded.args, ...(recorded.line !== undefined ? { line: recorded.line } : {}) },
          message: `${at}${name} matches recorded call ${index + 1}, but it cannot be replayed faithfully: ${why}. Pass --live-on-divergence to call the live server instead.`,
        });
      }
      done[index] = true;
      played++;
      if (recorded.status !== 'ok') {
        return { kind: 'error', code: recorded.error?.code ?? (recorded.status === 'timed_out' ? 'timeout' : 'tool_failed'), message: recorded.error?.message ?? `The recorded call ${name} failed.`, spanId: recorded.id };
      }
      return { kind: 'value', value: rawResult ? rawResult.value : recorded.result?.value, spanId: recorded.id };
    },
  };
}
