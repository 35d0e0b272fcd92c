// How a trace keeps approval decisions: timed from the run's start, capped, the rest counted.
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../../src/core/approvals/approvals';
import { approvalRecords, MAX_APPROVAL_RECORDS, recordApprovals } from '../../../src/core/trace/approvalRecords';
import type { Trace } from '../../../src/core/trace/schema';

const decision = (i: number, over: Partial<ApprovalDecision> = {}): ApprovalDecision => ({
  runId: 'r',
  at: 1000 + i,
  server: 's',
  tool: `t${i}`,
  outcome: 'allowed',
  source: 'rule',
  waitedMs: 0,
  ...over,
});

describe('approval records', () => {
  it('times each decision from the run start (never negative) and keeps only the fields that are set', () => {
    expect(approvalRecords([decision(5, { line: 3, rule: 's/*' }), decision(-2000, { outcome: 'denied', source: 'user', answer: 'deny', waitedMs: 40 })], 1000)).toEqual([
      { t: 5, server: 's', tool: 't5', action: 'allowed', source: 'rule', line: 3, rule: 's/*' },
      { t: 0, server: 's', tool: 't-2000', action: 'denied', source: 'user', answer: 'deny', waitedMs: 40 },
    ]);
  });

  it('keeps the first MAX_APPROVAL_RECORDS and counts the rest', () => {
    const trace = { startedAtMs: 1000 } as Trace;
    recordApprovals(trace, Array.from({ length: MAX_APPROVAL_RECORDS + 3 }, (_, i) => decision(i)));
    expect(trace.approvals).toHaveLength(MAX_APPROVAL_RECORDS);
    expect(trace.approvals?.[0]?.tool).toBe('t0');
    expect(trace.approvalsDropped).toBe(3);
    const small = { startedAtMs: 1000 } as Trace;
    recordApprovals(small, [decision(1)]);
    expect(small.approvals).toHaveLength(1);
    expect(small.approvalsDropped).toBeUndefined();
  });
});
