// A workspace's settings.json can tighten the security settings but never loosen them: approvals,
// run-code confirmation and redaction resolve to at least the user's own strictness.
import { describe, expect, it } from 'vitest';
import { decideAction } from '../../../src/core/approvals/approvals';
import { effectiveApprovals, effectiveSafeguard, unionList, userOnly } from '../../../src/extension/agents/securitySettings';

const DEFAULT = { default: 'ask', readOnly: 'allow', rules: [], timeoutSeconds: 120 };
const destructive = { destructiveHint: true };
const readOnly = { readOnlyHint: true };

describe('effectiveApprovals', () => {
  it('uses the user value when the workspace sets nothing', () => {
    const { setting, policy } = effectiveApprovals({ defaultValue: DEFAULT, globalValue: { default: 'allow', rules: [{ match: 'demo/*', action: 'deny' }] } });
    expect(setting.default).toBe('allow');
    expect(decideAction(policy, 'demo', 'x', destructive).action).toBe('deny');
    expect(decideAction(policy, 'gh', 'x', destructive).action).toBe('allow');
  });

  it('a workspace cannot turn approvals into allow', () => {
    const { setting, policy } = effectiveApprovals({
      defaultValue: DEFAULT,
      workspaceValue: { default: 'allow', readOnly: 'allow', rules: [{ match: '*', action: 'allow' }], timeoutSeconds: 3600 },
    });
    expect(setting.default).toBe('ask');
    expect(setting.timeoutSeconds).toBe(120);
    expect(decideAction(policy, 'demo', 'delete_ticket', destructive).action).toBe('ask');
    expect(decideAction(policy, 'demo', 'get_customer', readOnly).action).toBe('allow');
  });

  it('a workspace allow rule does not beat the user deny rule, a folder value neither', () => {
    const { policy } = effectiveApprovals({
      defaultValue: DEFAULT,
      globalValue: { rules: [{ match: 'github/delete_*', action: 'deny' }] },
      workspaceFolderValue: { rules: [{ match: 'github/delete_repo', action: 'allow' }] },
    });
    expect(decideAction(policy, 'github', 'delete_repo', destructive).action).toBe('deny');
  });

  it('a workspace can tighten: deny rules, a stricter default, a shorter timeout', () => {
    const { setting, policy } = effectiveApprovals({
      defaultValue: DEFAULT,
      globalValue: { default: 'allow', readOnly: 'allow', timeoutSeconds: 300 },
      workspaceValue: { default: 'ask', rules: [{ match: 'demo/delete_*', action: 'deny' }], timeoutSeconds: 30 },
    });
    expect(setting.default).toBe('ask');
    expect(setting.timeoutSeconds).toBe(30);
    expect(decideAction(policy, 'demo', 'delete_ticket', destructive)).toMatchObject({ action: 'deny', source: 'rule', rule: 'demo/delete_*' });
    expect(decideAction(policy, 'demo', 'add_note', destructive).action).toBe('ask');
    expect(decideAction(policy, 'demo', 'get_customer', readOnly).action).toBe('allow');
  });

  it('a workspace field it does not set keeps the user value (no silent tightening by defaults)', () => {
    const { setting } = effectiveApprovals({ defaultValue: DEFAULT, globalValue: { default: 'allow' }, workspaceValue: { rules: [] } });
    expect(setting.default).toBe('allow');
  });

  it('a malformed workspace value changes nothing', () => {
    const { setting } = effectiveApprovals({ defaultValue: DEFAULT, globalValue: { default: 'allow' }, workspaceValue: 'allow' });
    expect(setting.default).toBe('allow');
  });
});

describe('safeguards and lists', () => {
  it('confirmRunCode / redaction.enabled: a workspace can switch them on, never off', () => {
    expect(effectiveSafeguard({ defaultValue: true, workspaceValue: false })).toBe(true);
    expect(effectiveSafeguard({ defaultValue: true, globalValue: false })).toBe(false);
    expect(effectiveSafeguard({ defaultValue: true, globalValue: false, workspaceValue: true })).toBe(true);
    expect(effectiveSafeguard({ defaultValue: true, globalValue: true, workspaceFolderValue: false })).toBe(true);
  });

  it('extra redaction patterns add up; disabled rules come from the user only', () => {
    expect(unionList({ defaultValue: [], globalValue: ['a'], workspaceValue: ['b'] })).toEqual(['a', 'b']);
    expect(userOnly({ defaultValue: [], workspaceValue: ['email'] })).toEqual([]);
    expect(userOnly({ defaultValue: [], globalValue: ['email'], workspaceValue: ['phone'] })).toEqual(['email']);
  });
});
