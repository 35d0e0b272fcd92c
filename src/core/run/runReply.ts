// What a model gets back from a run: the model-facing view (value neutralized and previewed as valid
// JSON, logs and error text neutralized, all of it scanned for injection) and the reply built from it
// (MCP content blocks, or one text). Invariant: the value block is exactly the preview's JSON; every
// piece of tool data sits inside an untrusted-data frame; the warning quotes nothing it flags.
import { DEFAULT_READ_TOOL } from '../preview/markers';
import { DEFAULT_PREVIEW_CHARS, previewValue } from '../preview/previewValue';
import { previewNote } from '../preview/replyText';
import { makeFrame, UNTRUSTED_DATA_NOTE, type FrameOptions } from '../untrusted/frame';
import { formatInjectionWarning, neutralizeValue } from '../untrusted/report';
import { scanForInjection, scanValue, type ValueFinding } from '../untrusted/scan';
import { neutralize } from '../untrusted/unicode';
import type { LogEntry, RunError, RunResult } from '../sandbox/types';
import type { ReplyFinding, RunCodeOutcome, RunView, RunViewOptions } from './runView';
import { withheldNote } from '../firewall/runOutcome';

/** Most characters of logs a reply carries (formatLogs cuts the rest with a note). */
export const MAX_LOG_CHARS = 4_000;

/** The logs as one text, cut at `max` characters with a note saying how much was cut. */
export function formatLogs(logs: readonly LogEntry[], max = MAX_LOG_CHARS): string {
  const text = logs.map((l) => (l.level === 'log' || l.level === 'info' ? l.text : `[${l.level}] ${l.text}`)).join('\n');
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters of logs cut)` : text;
}

/** One paragraph a model can act on: what failed, where, and the cause. */
export function formatRunError(e: RunError): string {
  const where = e.line ? ` at line ${e.line}${e.column ? `, col ${e.column}` : ''}` : '';
  switch (e.code) {
    case 'tool_error':
      return `Tool error${where}: ${e.server ?? '?'}/${e.tool ?? '?'} failed${e.cause ? ` (${e.cause})` : ''}: ${e.message}`;
    case 'syntax_error':
      return `Syntax error${where}: ${e.message}`;
    case 'guest_error':
      return `${e.name}${where}: ${e.message}`;
    default:
      return `The run stopped (${e.code})${where}: ${e.message}`;
  }
}

/** A finding in a reply: `path` is a JSON path in the value, or `logs` / `error`. */
/**
 * The model-facing view of a run's result. Pass the result as the model may see it (the privacy
 * firewall's output, when there is one). The value is previewed, then what the preview holds is
 * neutralized (hidden characters made visible) — work bounded by the preview, not the value; the
 * scan reads what is sent, before neutralization (so hidden tag characters are still found), after
 * the cut (so a finding's path exists in the reply). Neutralizing can lengthen a preview that holds
 * invisible or bidi characters beyond maxChars (by the visible notes that replace them).
 */
export function viewRun(result: RunResult, opts: RunViewOptions = {}): RunView {
  const maxChars = opts.maxChars ?? DEFAULT_PREVIEW_CHARS;
  const readTool = opts.readTool ?? DEFAULT_READ_TOOL;
  const findings: ReplyFinding[] = [];
  let scanTruncated = false;
  const view: RunView = { maxChars, readTool, runId: opts.runId, hasValue: false, value: undefined, findings, scanTruncated };

  if (result.ok && result.value !== undefined) {
    const raw = result.value;
    const cut = previewValue(raw, { maxChars, readTool });
    const shown = JSON.parse(cut.text) as unknown;
    const scan = scanValue(shown);
    findings.push(...scan.findings.map((f: ValueFinding) => f));
    scanTruncated ||= scan.truncated || scan.findingsCut;
    const sent = neutralizeValue(shown);
    view.hasValue = true;
    view.value = raw;
    view.preview = sent === shown ? cut : { ...cut, text: JSON.stringify(sent) };
    view.note = previewNote(cut, { maxChars, runId: opts.runId, readTool });
  }
  const scanText = (text: string, path: string): string => {
    const scan = scanForInjection(text);
    findings.push(...scan.findings.map((f) => ({ ...f, path })));
    scanTruncated ||= scan.truncated || scan.findingsCut;
    return neutralize(text);
  };
  if (!result.ok) view.error = scanText(formatRunError(result.error), 'error');
  if (result.logs.length) view.logs = scanText(formatLogs(result.logs), 'logs');
  view.scanTruncated = scanTruncated;
  return view;
}

/** The view of an outcome for a surface: the one carried on it when its options match, else a new one. */
export function viewOf(outcome: RunCodeOutcome, opts: RunViewOptions = {}): RunView {
  const v = outcome.view;
  const readTool = opts.readTool ?? DEFAULT_READ_TOOL;
  const maxChars = opts.maxChars ?? DEFAULT_PREVIEW_CHARS;
  if (v && v.readTool === readTool && v.maxChars === maxChars) return v;
  // firewall: outcome.result here is what runCode returned; with the privacy firewall it is the
  // model-facing result (placeholders), which is what the view must be made of.
  return viewRun(outcome.result, { maxChars, readTool, runId: opts.runId ?? v?.runId ?? outcome.traceId });
}

/** A run's reply: MCP content blocks in order, and the same as one text for text-only surfaces. */
export interface RunReply {
  /** Text blocks: the untrusted-data note, the value frame's open line, the value JSON (alone), the
   *  close line, the preview note, the framed logs / error, the warning, the token line, the trace id. */
  blocks: string[];
  /** Index in `blocks` of the block holding only the value's JSON (absent when there is no value). */
  valueBlock?: number;
  /** One text (LM tool, chat, agent loop): the same pieces, a blank line between them. */
  text: string;
  /** For MCP structuredContent: the (previewed, neutralized) value when it is an object, else
   *  `{ value }`; absent when there is no value. */
  structured?: Record<string, unknown>;
  /** The warning paragraph, when the scan found something. */
  warning?: string;
}

const VALUE_LABEL = 'run_code value';
const LOGS_LABEL = 'run_code logs';
const ERROR_LABEL = 'run_code error';

/** The stats and token line, e.g. "tokens: 1,240 with code mode vs … (3 tool calls, 41 ms)". */
export function tokenLine(outcome: Pick<RunCodeOutcome, 'result' | 'tokenSummary'>): string {
  const s = outcome.result.stats;
  const stats = `${s.toolCalls} tool call${s.toolCalls === 1 ? '' : 's'}, ${Math.round(s.durationMs)} ms`;
  return outcome.tokenSummary ? `${outcome.tokenSummary} (${stats})` : `(${stats})`;
}

/** structuredContent must be an object: an object value as it is, anything else as `{ value }`. */
export function structuredValue(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

/** Builds the reply of a run from its view. `frame` fixes the frames' nonces (tests). */
export function formatRunReply(outcome: Pick<RunCodeOutcome, 'result' | 'tokenSummary' | 'traceId' | 'withheld'>, view: RunView, opts: { frame?: FrameOptions } = {}): RunReply {
  const blocks: string[] = [];
  const paragraphs: string[] = [];
  let valueBlock: number | undefined;
  let structured: Record<string, unknown> | undefined;
  const framed = view.hasValue || view.error !== undefined || view.logs !== undefined;
  const frame = (label: string, body: string) => makeFrame(label, [body], opts.frame);
  if (framed) {
    blocks.push(UNTRUSTED_DATA_NOTE);
    paragraphs.push(UNTRUSTED_DATA_NOTE);
  }
  if (view.hasValue && view.preview) {
    const json = view.preview.text;
    const f = frame(VALUE_LABEL, json);
    blocks.push(f.open);
    valueBlock = blocks.push(json) - 1;
    blocks.push(f.close);
    paragraphs.push(`Result:\n${f.open}\n${json}\n${f.close}`);
    structured = structuredValue(JSON.parse(json) as unknown);
    if (view.note) {
      blocks.push(view.note);
      paragraphs.push(view.note);
    }
  } else if (outcome.result.ok) {
    const none = 'Result: no value (the script returned undefined).';
    blocks.push(none);
    paragraphs.push(none);
  }
  for (const [header, label, body] of [
    ['Error:', ERROR_LABEL, view.error],
    ['Logs:', LOGS_LABEL, view.logs],
  ] as const) {
    if (body === undefined) continue;
    const f = frame(label, body);
    const block = `${header}\n${f.open}\n${body}\n${f.close}`;
    blocks.push(block);
    paragraphs.push(block);
  }
  const warning = formatInjectionWarning(view.findings);
  if (warning) {
    blocks.push(warning);
    paragraphs.push(warning);
  }
  // Outside the frames: our own words about what the privacy firewall withheld.
  const privacy = withheldNote(outcome.withheld);
  if (privacy) {
    blocks.push(privacy);
    paragraphs.push(privacy);
  }
  const line = tokenLine(outcome);
  blocks.push(line);
  paragraphs.push(line);
  if (outcome.traceId) {
    blocks.push(`Trace: ${outcome.traceId}`);
    paragraphs.push(`Trace: ${outcome.traceId}`);
  }
  return { blocks, valueBlock, text: paragraphs.join('\n\n'), structured, warning };
}

/** The full text of a run for a text-only surface (LM tool, chat, agent loop). */
export function formatRunOutcome(outcome: RunCodeOutcome, opts: RunViewOptions & { frame?: FrameOptions } = {}): string {
  return formatRunReply(outcome, viewOf(outcome, opts), opts).text;
}
