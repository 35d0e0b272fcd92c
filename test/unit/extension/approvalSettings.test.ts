// toolweaver.approvals validation: bad values fall back to asking, bad rules drop alone.
import { describe, expect, it } from 'vitest';
import { decideAction } from '../../../src/core/approvals/approvals';
import { ApprovalsSettingSchema, policyFromSetting } from '../../../src/extension/agents/approvalSettings';

describe('ApprovalsSettingSchema', () => {
  it('defaults to ask for tools that may change things, allow for read-only ones', () => {
    expect(ApprovalsSettingSchema.parse(undefined)).toEqual({ default: 'ask', readOnly: 'allow', rules: [], timeoutSeconds: 120 });
    expect(ApprovalsSettingSchema.parse({})).toEqual({ default: 'ask', readOnly: 'allow', rules: [], timeoutSeconds: 120 });
  });

  it('drops bad rules one by one and keeps the good ones', () => {
    const s = ApprovalsSettingSchema.parse({ default: 'deny', rules: [{ match: 'demo/delete_*', action: 'deny' }, { match: '', action: 'allow' }, { match: 'x', action: 'maybe' }, 'demo', { match: 'demo/get_*', action: 'allow' }], timeoutSeconds: 1 });
    expect(s).toEqual({ default: 'deny', readOnly: 'allow', rules: [{ match: 'demo/delete_*', action: 'deny' }, { match: 'demo/get_*', action: 'allow' }], timeoutSeconds: 120 });
  });

  it('a bad action never turns approvals off', () => {
    expect(ApprovalsSettingSchema.parse({ default: 'yes', readOnly: 3, rules: 'all' })).toMatchObject({ default: 'ask', readOnly: 'allow', rules: [] });
  });

  it('feeds the engine policy', () => {
    const policy = policyFromSetting(ApprovalsSettingSchema.parse({ rules: [{ match: 'demo/delete_ticket', action: 'deny' }] }));
    expect(decideAction(policy, 'demo', 'delete_ticket', { destructiveHint: true })).toEqual({ action: 'deny', source: 'rule', rule: 'demo/delete_ticket' });
    expect(decideAction(policy, 'demo', 'add_note', { readOnlyHint: false })).toEqual({ action: 'ask', source: 'annotations' });
    expect(decideAction(policy, 'demo', 'get_ticket', { readOnlyHint: true })).toEqual({ action: 'allow', source: 'annotations' });
  });
});
