// The RunCode port agents and the MCP server run scripts through, and the pieces of text a model gets
// back from a run: errors with lines/tools, logs, the one-line token summary (runReply.ts puts them
// together). Invariant: the text only reports what the run returned; nothing is paraphrased or invented.
import type { LogEntry, RunError, RunResult } from '../sandbox/types';
import { tokenVerdict } from '../tokens/format';
import type { TokenAccount } from '../tokens/schema';
import type { Withheld } from '../trace/schema';
import type { ApprovalBroker } from './approvals';
import type { RunView } from './runView';

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

export interface RunCodeOptions {
  signal?: AbortSignal;
  language?: 'ts' | 'js';
  /** Who to ask for approvals in this run when the runner's own setup has nobody (e.g. the MCP
   *  client through elicitation); runners without approvals ignore it. */
  approvalBroker?: ApprovalBroker;
  /** Wall clock of this run; the runner's own limits apply when absent. Callers cap it first
   *  (the MCP server caps a client's value at its maximum). */
  timeoutMs?: number;
}

/** Port: runs one script (executeRun in the CLI and the extension; a sandbox in tests). */
export type RunCode = (code: string, opts: RunCodeOptions) => Promise<RunCodeOutcome>;

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

/** The one-line token summary of a run's account (same words as the extension's LM tool). */
export function formatTokenSummary(account: TokenAccount | undefined): string | undefined {
  if (!account) return undefined;
  const n = (v: number): string => v.toLocaleString('en-US');
  const verdict = tokenVerdict(account);
  return `tokens: ${n(account.codeMode.total)} with code mode vs ${n(account.classic.total)} with direct tool calls (${verdict})`;
}
