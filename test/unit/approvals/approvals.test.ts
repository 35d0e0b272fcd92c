import { describe, expect, it, vi } from 'vitest';
import {
  createMemoryAllowList,
  decideAction,
  policyFromFlags,
  withApprovals,
  type ApprovalAnswer,
  type ApprovalBroker,
  type ApprovalRequest,
} from '../../../src/core/approvals/approvals';
import { ToolError } from '../../../src/core/errors';
import type { ToolInvoker } from '../../../src/core/ports';
import { smallCatalog } from '../../fixtures/agentsCatalog';

const catalog = smallCatalog();
const opts = () => ({ signal: new AbortController().signal, timeoutMs: 1000 });

function recordingInvoker(): ToolInvoker & { calls: string[] } {
  const calls: string[] = [];
  return { calls, callTool: async (req) => (calls.push(`${req.server}/${req.tool}`), { ok: req.tool }) };
}

function scriptedBroker(answers: Array<ApprovalAnswer | 'hang'>): ApprovalBroker & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  return {
    asked,
    ask: (req) => {
      asked.push(req);
      const a = answers.shift() ?? 'deny';
      return a === 'hang' ? new Promise(() => {}) : Promise.resolve(a);
    },
  };
}

describe('decideAction', () => {
  it('allows read-only tools and asks for tools that may change things by default', () => {
    expect(decideAction({ rules: [] }, 'fs', 'read_file', { readOnlyHint: true })).toEqual({ action: 'allow', source: 'annotations' });
    expect(decideAction({ rules: [] }, 'fs', 'x', undefined).action).toBe('ask');
    expect(decideAction({ rules: [] }, 'fs', 'x', { readOnlyHint: false }).action).toBe('ask');
    expect(decideAction({ rules: [] }, 'fs', 'x', { readOnlyHint: true, destructiveHint: true }).action).toBe('ask');
    expect(decideAction({ default: 'deny', rules: [] }, 'fs', 'x', {}).action).toBe('deny');
    expect(decideAction({ readOnly: 'ask', rules: [] }, 'fs', 'r', { readOnlyHint: true }).action).toBe('ask');
  });

  it('lets the most specific glob win, the stricter one on a tie, and reads a bare name as a server', () => {
    const policy = {
      rules: [
        { match: '*', action: 'deny' as const },
        { match: 'fs', action: 'allow' as const },
        { match: 'fs/write_*', action: 'ask' as const },
        { match: 'tracker/*_issue', action: 'allow' as const },
        { match: 'tracker/delete_*', action: 'deny' as const },
      ],
    };
    expect(decideAction(policy, 'fs', 'read_file', undefined)).toEqual({ action: 'allow', source: 'rule', rule: 'fs' });
    expect(decideAction(policy, 'fs', 'write_file', undefined)).toMatchObject({ action: 'ask', rule: 'fs/write_*' });
    expect(decideAction(policy, 'other', 'x', { readOnlyHint: true })).toMatchObject({ action: 'deny', rule: '*' });
    // 'tracker/*_issue' and 'tracker/delete_*' have 14 and 15 literal characters: delete wins.
    expect(decideAction(policy, 'tracker', 'delete_issue', undefined)).toMatchObject({ action: 'deny' });
    expect(decideAction({ rules: [{ match: 'a/b*', action: 'allow' }, { match: 'a/*b', action: 'deny' }] }, 'a', 'bb', undefined).action).toBe('deny');
  });

  it('builds a CLI policy from flags', () => {
    expect(policyFromFlags({ allow: ['fs/*'], deny: ['tracker/delete_*'] })).toEqual({
      default: 'ask',
      rules: [{ match: 'fs/*', action: 'allow' }, { match: 'tracker/delete_*', action: 'deny' }],
    });
    expect(policyFromFlags({ allowAll: true }).default).toBe('allow');
  });
});

describe('withApprovals', () => {
  it('passes allowed calls through and records the decision', async () => {
    const inner = recordingInvoker();
    const onDecision = vi.fn();
    const inv = withApprovals(inner, { rules: [] }, undefined, { catalog, runId: 'r1', onDecision });
    await expect(inv.callTool({ server: 'fs', tool: 'read_file', args: {}, line: 3 }, opts())).resolves.toEqual({ ok: 'read_file' });
    expect(onDecision).toHaveBeenCalledWith(expect.objectContaining({ runId: 'r1', outcome: 'allowed', source: 'annotations', line: 3 }));
  });

  it('approve once asks again; deny rejects with a catchable ToolError and never calls the tool', async () => {
    const inner = recordingInvoker();
    const broker = scriptedBroker(['once', 'deny']);
    const inv = withApprovals(inner, { rules: [] }, broker, { catalog, runId: 'r' });
    await inv.callTool({ server: 'fs', tool: 'write_file', args: { path: 'a' }, line: 7 }, opts());
    const err = await inv.callTool({ server: 'fs', tool: 'write_file', args: {} }, opts()).catch((e: unknown) => e);
    expect(ToolError.is(err, 'denied')).toBe(true);
    expect((err as ToolError).message).toBe('The call to fs/write_file was not approved: the user denied it.');
    expect(inner.calls).toEqual(['fs/write_file']);
    expect(broker.asked[0]).toMatchObject({ server: 'fs', tool: 'write_file', args: { path: 'a' }, line: 7, runId: 'r', reason: 'fs/write_file is marked destructive.' });
    expect(inv.decisions.map((d) => [d.outcome, d.source, d.answer])).toEqual([
      ['allowed', 'user', 'once'],
      ['denied', 'user', 'deny'],
    ]);
  });

  it("'run' is remembered for the run (queued prompts included); 'always' goes to the allow-list", async () => {
    const inner = recordingInvoker();
    const broker = scriptedBroker(['run', 'always']);
    const allowList = createMemoryAllowList();
    const inv = withApprovals(inner, { rules: [] }, broker, { catalog, runId: 'r', allowList });
    await Promise.all([1, 2, 3].map(() => inv.callTool({ server: 'tracker', tool: 'createIssue', args: {} }, opts())));
    expect(broker.asked).toHaveLength(1);
    await inv.callTool({ server: 'tracker', tool: 'delete_issue', args: {} }, opts());
    expect(allowList.keys()).toEqual(['tracker/delete_issue']);
    // A new run: 'run' is forgotten, 'always' is not.
    const next = withApprovals(inner, { rules: [] }, broker, { catalog, runId: 'r2', allowList });
    await next.callTool({ server: 'tracker', tool: 'delete_issue', args: {} }, opts());
    expect(next.decisions[0]).toMatchObject({ outcome: 'allowed', source: 'always' });
    await expect(next.callTool({ server: 'tracker', tool: 'createIssue', args: {} }, opts())).rejects.toThrow(/not approved/);
    expect(inner.calls).toHaveLength(5);
  });

  it('a prompt nobody answers times out as a denial recorded as timeout', async () => {
    vi.useFakeTimers();
    try {
      const inv = withApprovals(recordingInvoker(), { rules: [] }, scriptedBroker(['hang']), { catalog, runId: 'r', timeoutMs: 5000 });
      const p = inv.callTool({ server: 'fs', tool: 'write_file', args: {} }, opts()).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(5001);
      const err = await p;
      expect(ToolError.is(err, 'denied')).toBe(true);
      expect((err as Error).message).toContain('nobody answered the approval prompt within 5 s');
      expect(inv.decisions[0]).toMatchObject({ outcome: 'denied', source: 'timeout', waitedMs: 5000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('without a broker an ask is denied with the flag that would allow it; policy denials name the rule', async () => {
    const inv = withApprovals(recordingInvoker(), { rules: [{ match: 'tracker/delete_*', action: 'deny' }] }, undefined, { catalog, runId: 'r' });
    await expect(inv.callTool({ server: 'fs', tool: 'write_file', args: {} }, opts())).rejects.toThrow(
      `fs/write_file is marked destructive. It needs approval, but nobody can be asked here (non-interactive), so the call was denied. To allow it, give toolweaver --allow 'fs/write_file' (or --allow 'fs/*' for every tool of "fs", or --allow-all for every tool), or add { "match": "fs/write_file", "action": "allow" } to the rules of a --policy FILE.`,
    );
    await expect(inv.callTool({ server: 'tracker', tool: 'delete_issue', args: {} }, opts())).rejects.toThrow(
      'The call to tracker/delete_issue was denied by the approval policy (rule "tracker/delete_*").',
    );
    expect(inv.decisions.map((d) => d.source)).toEqual(['non_interactive', 'rule']);
  });

  it('a broker that throws counts as a denial (a ToolError, not a crash)', async () => {
    const broker = { ask: (): Promise<ApprovalAnswer> => { throw new Error('modal failed'); } };
    const inv = withApprovals(recordingInvoker(), { rules: [] }, broker, { catalog, runId: 'r' });
    const err = await inv.callTool({ server: 'fs', tool: 'write_file', args: {} }, opts()).catch((e: unknown) => e);
    expect(ToolError.is(err, 'denied')).toBe(true);
    expect(inv.decisions[0]).toMatchObject({ outcome: 'denied', source: 'user', answer: 'deny' });
  });

  it('cancelling the run while a prompt is open denies the call', async () => {
    const ac = new AbortController();
    const inv = withApprovals(recordingInvoker(), { rules: [] }, scriptedBroker(['hang']), { catalog, runId: 'r' });
    const p = inv.callTool({ server: 'fs', tool: 'write_file', args: {} }, { signal: ac.signal, timeoutMs: 1000 }).catch((e: unknown) => e);
    ac.abort();
    expect(((await p) as Error).message).toContain('cancelled while waiting for approval');
  });
});
