// Pure text for the agent adapters (no vscode import, so vitest covers it): approval prompts,
// token summaries, chat progress lines. Invariant: every text
// reports only what the engine returned; nothing is paraphrased into a success.
import type { AgentProgress, AgentResult } from '../../core/agents/agentLoop';
import type { ApprovalRequest } from '../../core/approvals/approvals';
import type { RunCodeOutcome } from '../../core/run/runView';
import { formatRunOutcome } from '../../core/run/runReply';
import { CODE_MODE_TOOL_NAMES } from '../../core/codeMode/tools';
import { formatDiagnostics, type TypeDiagnostic } from '../../core/agents/typeCheck';
import { tokenVerdict } from '../../core/tokens/format';
import type { TokenAccount } from '../../core/tokens/schema';

export const MAX_APPROVAL_ARGS_CHARS = 1_200;

/** Arguments as indented JSON, cut at `max` characters. */
export function prettyArgs(args: unknown, max = MAX_APPROVAL_ARGS_CHARS): string {
  let text: string;
  try {
    text = JSON.stringify(args, null, 2) ?? 'undefined';
  } catch {
    text = String(args);
  }
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/** The modal's message and detail for one approval request. */
export function approvalPrompt(req: ApprovalRequest, scriptName?: string): { message: string; detail: string } {
  const where = req.line ? `${scriptName ? `${scriptName}, ` : 'script '}line ${req.line}` : scriptName ?? 'the script';
  return {
    message: `Allow the script to call ${req.server}/${req.tool}?`,
    detail: [`${req.reason}`, `Called from ${where}.`, '', 'Arguments:', prettyArgs(req.args)].join('\n'),
  };
}

/** One line, e.g. "tokens: 1,240 in context with code mode vs 20,140 classic (93.8 % saved)". */
export function tokenSummary(account: TokenAccount | undefined): string | undefined {
  if (!account) return undefined;
  const n = (v: number) => v.toLocaleString('en-US');
  const verdict = tokenVerdict(account);
  return `tokens: ${n(account.codeMode.total)} with code mode vs ${n(account.classic.total)} with direct tool calls (${verdict})`;
}

/** The run_code tool's reply when the script did not type-check. */
export function typeErrorText(diags: TypeDiagnostic[]): string {
  return `The script did not type-check, so it was not run. Fix these and call toolweaver_run_code again:\n${formatDiagnostics(diags)}\n(Use toolweaver_describe_tool to see a tool's exact input and output types.)`;
}

/** The run_code tool's reply for a finished run (framed value preview or error, logs, warning, token
 *  line, trace id); markers and notes name the LM tool toolweaver_read_value. */
export function runOutcomeText(outcome: RunCodeOutcome): string {
  return formatRunOutcome(outcome, { readTool: CODE_MODE_TOOL_NAMES.lm.readValue });
}

/** A short progress line for the chat stream, or undefined when the event shows nothing. */
export function progressLine(p: AgentProgress): string | undefined {
  switch (p.type) {
    case 'request':
      return p.iteration === 1 ? 'Asking the model for a script…' : `Asking the model again (request ${p.iteration})…`;
    case 'lookup':
      return p.kind === 'search' ? `Searching tools for "${p.query}"…` : `Reading the stub of ${p.query}…`;
    case 'code':
      return 'Type-checking and running the script…';
    case 'typeErrors':
      return `The script has ${p.diagnostics.length} type error${p.diagnostics.length === 1 ? '' : 's'}; asking the model to fix ${p.diagnostics.length === 1 ? 'it' : 'them'}…`;
    case 'run':
      return p.outcome.result.ok ? `The script ran (${p.outcome.result.stats.toolCalls} tool calls).` : 'The script failed; asking the model to fix it…';
    default:
      return undefined;
  }
}

/** The closing line of a chat answer: stop reason (when not answered), requests and tokens. */
export function agentFooter(r: AgentResult): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const est = r.tokens.estimated ? '; estimated' : '';
  const stop = r.stopReason === 'answered' ? '' : ` Stopped: ${r.stopReason.replace('_', ' ')}.`;
  const runTokens = r.lastRun?.tokenSummary ? ` Last run ${r.lastRun.tokenSummary}.` : '';
  return `${r.iterations} model request${r.iterations === 1 ? '' : 's'}, ${n(r.tokens.input + r.tokens.output)} tokens (${n(r.tokens.input)} in, ${n(r.tokens.output)} out${est}).${runTokens}${stop}`;
}
