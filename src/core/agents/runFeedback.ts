// The RunCode port agents and the MCP server run scripts through (its outcome, RunCodeOutcome, is
// run/runView.ts's), and the one-line token summary of a run. Invariant: the text only reports what
// the run returned; nothing is paraphrased or invented.
import { tokenVerdict } from '../tokens/format';
import type { TokenAccount } from '../tokens/schema';
import type { ApprovalBroker } from '../approvals/approvals';
import type { RunCodeOutcome } from '../run/runView';

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

/** The one-line token summary of a run's account (same words as the extension's LM tool). */
export function formatTokenSummary(account: TokenAccount | undefined): string | undefined {
  if (!account) return undefined;
  const n = (v: number): string => v.toLocaleString('en-US');
  const verdict = tokenVerdict(account);
  return `tokens: ${n(account.codeMode.total)} with code mode vs ${n(account.classic.total)} with direct tool calls (${verdict})`;
}
