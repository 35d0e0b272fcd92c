// Call-site hints for a script from the traces of its last runs: per line that called a tool, the
// observed figures there, and suggestions where the traces show them (independent calls that ran one
// after another, a tool that failed > 5 % outside retry(), a large result whose fields go unread).
// Invariant: pure; a hint only says what the given traces show, and names its evidence.
import { observedLine, type ObservedTool } from '../discovery/observed';
import type { HelperSpan, Span, ToolSpan, Trace } from '../trace/schema';
import { computeToolFigures } from '../trace/toolFigures';
import { dependencyLevels, type WaveCall } from './waves';

/** Failure rate above which a call outside retry() gets a suggestion. */
export const RETRY_SUGGESTION_RATE = 0.05;
/** A result at least this many tokens (or 4× as many bytes, when tokens were not counted) is large. */
export const LARGE_RESULT_TOKENS = 2_000;
/** Sequential independent calls must waste at least this much for a suggestion. */
export const MIN_PARALLEL_SAVING_MS = 20;

export interface CallSiteHint {
  /** 1-based line of the script (as the traces recorded it). */
  line: number;
  server: string;
  tool: string;
  /** "observed: 6 calls, p50 40 ms, …" over the traces given. */
  figures: string;
  suggestions: string[];
}

function fmtMs(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

function insideRetry(span: ToolSpan, byId: Map<string, Span>): boolean {
  for (let p = span.parentId; p !== undefined; ) {
    const s = byId.get(p);
    if (!s) return false;
    if (s.kind === 'helper' && (s as HelperSpan).helper === 'retry') return true;
    p = s.parentId;
  }
  return false;
}

function resultText(s: ToolSpan): string {
  if (s.status !== 'ok') return `Error: ${s.error?.message ?? s.status}`;
  if (s.result?.value !== undefined) return JSON.stringify(s.result.value);
  return s.result?.preview ?? '';
}

/** Top-level keys of a recorded result (of the record, or of the records of its largest array field). */
function resultFields(value: unknown): string[] {
  if (Array.isArray(value)) return resultFields(value[0]);
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const arrays = keys.filter((k) => Array.isArray((value as Record<string, unknown>)[k]));
  const inner = arrays.flatMap((k) => resultFields((value as Record<string, unknown>)[k]));
  return [...keys.filter((k) => !arrays.includes(k)), ...inner];
}

/** Field names of a stored result: from its value, or (a value too large to keep) the keys its preview shows. */
function fieldsOf(stored: NonNullable<ToolSpan['result']>): string[] {
  if (stored.value !== undefined) return resultFields(stored.value);
  return [...(stored.preview ?? '').matchAll(/"([A-Za-z_$][\w$]*)":/g)].map((m) => m[1] as string);
}

/** Sequential runs of independent calls in the newest trace: a suggestion per first line. */
function parallelSuggestions(trace: Trace, source: string): Map<number, string> {
  const calls = trace.spans.filter((s): s is ToolSpan => s.kind === 'tool' && s.endMs !== undefined && !s.cached && s.line !== undefined);
  const waves: WaveCall[] = calls.map((s) => ({ name: `${s.server}/${s.tool}`, startMs: s.startMs, endMs: s.endMs, failed: s.status !== 'ok', args: s.args.value, resultText: resultText(s) }));
  const levels = dependencyLevels(waves, source);
  const out = new Map<number, string>();
  const byLevel = new Map<number, ToolSpan[]>();
  calls.forEach((c, i) => byLevel.get(levels[i] ?? 0)?.push(c) ?? byLevel.set(levels[i] ?? 0, [c]));
  for (const group of byLevel.values()) {
    const sorted = [...group].sort((a, b) => a.startMs - b.startMs);
    // A chain: each call started after the one before it had ended (one after another).
    let chain: ToolSpan[] = [];
    const flush = (): void => {
      if (chain.length >= 2) {
        const durations = chain.map((c) => (c.endMs as number) - c.startMs);
        const serial = durations.reduce((a, b) => a + b, 0);
        const parallel = Math.max(...durations);
        if (serial - parallel >= MIN_PARALLEL_SAVING_MS) {
          const lines = [...new Set(chain.map((c) => c.line as number))];
          const first = lines[0] as number;
          const where = lines.length === 1 ? `line ${first} (in a loop)` : `lines ${lines.join(', ')}`;
          out.set(first, `${chain.length} calls at ${where} do not depend on each other but ran one after another: Promise.all or map() would take ~${fmtMs(parallel)} instead of ${fmtMs(serial)} (×${(serial / parallel).toFixed(1)}).`);
        }
      }
      chain = [];
    };
    for (const c of sorted) {
      const prev = chain.at(-1);
      if (prev && c.startMs < (prev.endMs as number)) flush();
      chain.push(c);
    }
    flush();
  }
  return out;
}

/**
 * Hints for `source` from `traces` (the script's last runs, newest first). Lines come from the
 * traces; a caller showing them in an edited file checks that the line still calls the tool.
 */
export function callSiteHints(traces: readonly Trace[], source: string): CallSiteHint[] {
  if (traces.length === 0) return [];
  const bySite = new Map<string, { line: number; server: string; tool: string; spans: Array<{ span: ToolSpan; trace: Trace }> }>();
  for (const trace of traces) {
    for (const s of trace.spans) {
      if (s.kind !== 'tool' || s.line === undefined) continue;
      const k = `${s.line}\u0000${s.server}\u0000${s.tool}`;
      const site = bySite.get(k) ?? { line: s.line, server: s.server, tool: s.tool, spans: [] };
      site.spans.push({ span: s, trace });
      bySite.set(k, site);
    }
  }
  const parallel = parallelSuggestions(traces[0] as Trace, source);
  const maps = new Map<string, Map<string, Span>>();
  const spansOf = (t: Trace): Map<string, Span> => {
    let m = maps.get(t.id);
    if (!m) maps.set(t.id, (m = new Map(t.spans.map((x) => [x.id, x]))));
    return m;
  };
  const hints: CallSiteHint[] = [];
  for (const site of bySite.values()) {
    // Figures of this line only: the same tool elsewhere in the script is another call site.
    const figures = computeToolFigures(site.spans.map(({ span, trace }) => ({ ...trace, spans: [span] })));
    const o = figures.get(site.server, site.tool) as ObservedTool | undefined;
    if (!o) continue;
    const suggestions: string[] = [];
    const p = parallel.get(site.line);
    if (p) suggestions.push(p);
    const rate = o.uncached ? o.failed / o.uncached : 0;
    const retried = site.spans.some(({ span, trace }) => insideRetry(span, spansOf(trace)));
    if (rate > RETRY_SUGGESTION_RATE && !retried) {
      suggestions.push(`${Math.round(rate * 100)} % of ${o.uncached} calls here failed and the call is not inside retry(): wrap it (retry(() => …)) if the failures are transient.`);
    }
    const large = (o.resultTokens ?? (o.resultBytes ?? 0) / 4) >= LARGE_RESULT_TOKENS;
    if (large) {
      const last = site.spans.find(({ span }) => span.status === 'ok' && span.result !== undefined)?.span;
      const fields = [...new Set(last?.result ? fieldsOf(last.result) : [])];
      const unread = fields.filter((f) => !new RegExp(`\\b${f.replace(/[^A-Za-z0-9_$]/g, '\\$&')}\\b`).test(source));
      if (fields.length && unread.length) {
        const size = o.resultTokens !== undefined ? `~${Math.round(o.resultTokens).toLocaleString('en-US')} tokens` : `~${Math.round((o.resultBytes ?? 0) / 1024)} KiB`;
        suggestions.push(`The result is large (${size}) and the script never reads ${unread.length} of its ${fields.length} fields (${unread.slice(0, 6).join(', ')}${unread.length > 6 ? ', …' : ''}): ask the tool for less if it can (a fields/limit argument), or pick what you need before returning it.`);
      }
    }
    hints.push({ line: site.line, server: site.server, tool: site.tool, figures: observedLine(o), suggestions });
  }
  return hints.sort((a, b) => a.line - b.line || a.tool.localeCompare(b.tool));
}
