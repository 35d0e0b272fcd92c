// How a trace keeps a run's approval decisions (approvals/approvals.ts ApprovalDecision): as
// ApprovalRecords timed from the run's start. Invariant: at most MAX_APPROVAL_RECORDS are kept, in
// order; the rest are counted in `approvalsDropped`, never silently lost.
import type { ApprovalDecision } from '../approvals/approvals';
import type { ApprovalRecord, Trace } from './schema';

/** Most approval decisions a trace keeps (the rest are counted in `approvalsDropped`). */
export const MAX_APPROVAL_RECORDS = 2000;

/** Decisions as trace records (t = ms since the run started, never negative). */
export function approvalRecords(decisions: readonly ApprovalDecision[], runStartedAtMs: number): ApprovalRecord[] {
  return decisions.map((d) => {
    const r: ApprovalRecord = { t: Math.max(0, d.at - runStartedAtMs), server: d.server, tool: d.tool, action: d.outcome, source: d.source };
    if (d.line !== undefined) r.line = d.line;
    if (d.answer !== undefined) r.answer = d.answer;
    if (d.rule !== undefined) r.rule = d.rule;
    if (d.waitedMs > 0) r.waitedMs = d.waitedMs;
    return r;
  });
}

/** Sets `trace.approvals` (the first MAX_APPROVAL_RECORDS decisions) and `approvalsDropped`. */
export function recordApprovals(trace: Trace, decisions: readonly ApprovalDecision[]): void {
  trace.approvals = approvalRecords(decisions.slice(0, MAX_APPROVAL_RECORDS), trace.startedAtMs);
  if (decisions.length > MAX_APPROVAL_RECORDS) trace.approvalsDropped = decisions.length - MAX_APPROVAL_RECORDS;
}
