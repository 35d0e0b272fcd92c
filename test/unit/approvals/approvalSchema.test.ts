// The approval policy's outside shape, shared by `--policy FILE` (strict, errors name the file and
// field) and the toolweaver.approvals setting; and the policy <-> files round trip the extension uses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideAction, policyFromFlags, type ApprovalPolicy } from '../../../src/core/approvals/approvals';
import { loadPolicyFile, parsePolicyFile, policyDocuments } from '../../../src/core/approvals/approvalSchema';
import { ConfigError } from '../../../src/core/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (ConfigError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePolicyFile', () => {
  it('reads the setting shape, with comments and trailing commas as in settings.json', () => {
    const doc = parsePolicyFile('{\n  // the demo may write\n  "default": "deny",\n  "rules": [{ "match": "demo/add_*", "action": "allow" },],\n  "timeoutSeconds": 30,\n}', 'p.json');
    expect(doc).toEqual({ default: 'deny', rules: [{ match: 'demo/add_*', action: 'allow' }], timeoutSeconds: 30 });
  });

  it('names the file and the field of the first problem', () => {
    const bad = configError(() => parsePolicyFile('{ "rules": [{ "match": "a", "action": "allow" }, { "match": "b", "action": "maybe" }] }', '/x/policy.json'));
    expect(bad.code).toBe('config_invalid');
    expect(bad.file).toBe('/x/policy.json');
    expect(bad.field).toBe('rules.1.action');
    expect(bad.message).toMatch(/^The policy file \/x\/policy\.json is invalid at "rules\.1\.action": /);
    const unknown = configError(() => parsePolicyFile('{ "defaults": "allow" }', 'p.json'));
    expect(unknown.message).toContain('unknown field(s) "defaults"; the fields are default, readOnly, rules and timeoutSeconds');
    expect(configError(() => parsePolicyFile('[]', 'p.json')).field).toBe('(the whole file)');
    expect(configError(() => parsePolicyFile('{ "timeoutSeconds": 1 }', 'p.json')).field).toBe('timeoutSeconds');
    expect(configError(() => parsePolicyFile('{ nope', 'p.json')).message).toMatch(/^The policy file p\.json is not valid JSON: /);
  });

  it('loadPolicyFile says when the file is missing', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(loadPolicyFile(missing)).rejects.toMatchObject({ name: 'ConfigError', code: 'config_not_found', file: missing });
    const ok = path.join(dir, 'ok.json');
    writeFileSync(ok, '{ "readOnly": "ask" }');
    await expect(loadPolicyFile(ok)).resolves.toEqual({ readOnly: 'ask' });
  });
});

describe('policyFromFlags over policy files', () => {
  it('with nothing, tools that may change things need approval', () => {
    const p = policyFromFlags({});
    expect(decideAction(p, 'demo', 'delete_ticket', { destructiveHint: true, readOnlyHint: false }).action).toBe('ask');
    expect(decideAction(p, 'everything', 'echo', undefined).action).toBe('ask');
    expect(decideAction(p, 'demo', 'list_agents', { readOnlyHint: true }).action).toBe('allow');
  });

  it('the first file is the base and the flags add to it; later files only tighten', () => {
    const p = policyFromFlags({ allow: ['demo/update_*'] }, [
      { default: 'deny', readOnly: 'allow', rules: [{ match: 'demo/add_note', action: 'allow' }] },
      { rules: [{ match: 'demo/update_ticket', action: 'deny' }, { match: 'demo/get_*', action: 'allow' }] },
    ]);
    expect(decideAction(p, 'demo', 'add_note', undefined).action).toBe('allow');
    expect(decideAction(p, 'demo', 'send_email', undefined).action).toBe('deny');
    // The flag allows it, the second file denies it: the stricter wins.
    expect(decideAction(p, 'demo', 'update_ticket', undefined).action).toBe('deny');
    // A tightening file cannot allow what the base would ask for.
    expect(decideAction(p, 'demo', 'get_x', undefined).action).toBe('deny');
    // --allow-all sets the base default, never the tightening file's.
    const all = policyFromFlags({ allowAll: true }, [{ default: 'deny' }, { rules: [{ match: 'demo/delete_*', action: 'deny' }] }]);
    expect(decideAction(all, 'demo', 'send_email', undefined).action).toBe('allow');
    expect(decideAction(all, 'demo', 'delete_ticket', undefined).action).toBe('deny');
  });
});

describe('policyDocuments', () => {
  it('gives back the same policy through policyFromFlags, tightening chain included', () => {
    const policy: ApprovalPolicy = {
      default: 'ask',
      readOnly: 'allow',
      rules: [{ match: 'demo/add_*', action: 'allow' }],
      tightenedBy: { default: 'deny', readOnly: 'ask', rules: [{ match: 'demo/delete_*', action: 'deny' }] },
    };
    const docs = policyDocuments(policy, 45);
    expect(docs).toEqual([
      { default: 'ask', readOnly: 'allow', rules: [{ match: 'demo/add_*', action: 'allow' }], timeoutSeconds: 45 },
      { default: 'deny', readOnly: 'ask', rules: [{ match: 'demo/delete_*', action: 'deny' }] },
    ]);
    // Each document is a valid policy file.
    for (const d of docs) expect(parsePolicyFile(JSON.stringify(d), 'x.json')).toEqual(d);
    expect(policyFromFlags({}, docs)).toEqual(policy);
  });
});
