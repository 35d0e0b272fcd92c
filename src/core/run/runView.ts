// The shape of a run as a model may see it (preview, note, framed text, findings), apart from the
// code that builds it (runReply.ts) so the outcome types can name it without an import cycle.
import type { Preview } from '../preview/previewValue';
import type { InjectionFinding } from '../untrusted/types';
import type { RunResult } from '../sandbox/types';
import type { Withheld } from '../trace/schema';

export type ReplyFinding = InjectionFinding & { path?: string };

export interface RunViewOptions {
  /** Characters of the value's preview (default DEFAULT_PREVIEW_CHARS, 8,000). */
  maxChars?: number;
  /** Tool named in markers and notes: 'read_value' (MCP, default) or 'toolweaver_read_value' (VS Code). */
  readTool?: string;
  /** The id the value store keeps the value under (the trace id), named in the note. */
  runId?: string;
}

/** The run as a model may see it; computed once per run (executeRun) and carried on the outcome. */
export interface RunView {
  maxChars: number;
  readTool: string;
  runId?: string;
  /** False when the run failed or returned undefined. */
  hasValue: boolean;
  /** The value the value store must keep: the model-facing value as given (paths and offsets in the
   *  preview's markers refer to it; read_value neutralizes each page as run_code neutralizes the
   *  preview). Undefined when !hasValue. */
  value: unknown;
  preview?: Preview;
  /** previewNote: what was cut and how to read it; undefined when the preview is complete. */
  note?: string;
  /** The error paragraph (formatRunError), neutralized; failed runs only. */
  error?: string;
  /** The logs as sent (cut at MAX_LOG_CHARS), neutralized; undefined when there are none. */
  logs?: string;
  /** What the injection scan found in the text sent (before neutralization, after the cut). */
  findings: ReplyFinding[];
  /** Some of the sent text was not scanned (over the scanner's budget) or findings were cut. */
  scanTruncated: boolean;
}

/** What a run gives a model back (the RunCode port's outcome, agents/runFeedback.ts). */
export interface RunCodeOutcome {
  /** What the model may see: with a privacy firewall, the firewalled copy (placeholders in the
   *  value, logs and error message; src/core/firewall/runOutcome.ts). */
  result: RunResult;
  /** The value as the model sees it (placeholders in place of secrets and PII), for ok runs with
   *  a firewall; what a read_value tool pages through. */
  modelValue?: unknown;
  /** What the firewall withheld from this run (counts and kinds), when one ran. */
  withheld?: Withheld;
  /** Trace id and file, when the run was recorded (executeRun). */
  traceId?: string;
  traceFile?: string;
  /** One line, e.g. "tokens: 1,240 in context (saved 18,900 vs direct calls)". */
  tokenSummary?: string;
  /** The model-facing view (preview, neutralized text, injection findings) executeRun made and the
   *  token account counted; surfaces format from it (runReply.ts viewOf makes one when absent). */
  view?: RunView;
}
