// Agents against the real things: the embedded demo server (in-process MCP), the QuickJS sandbox
// and executeRun, driven by the scripted fake model; approvals seen from inside a real script.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentLoop } from '../../../src/core/agents/agentLoop';
import type { ApprovalAnswer, ApprovalRequest } from '../../../src/core/approvals/approvals';
import { createExecuteRunCode, createSandboxRunCode } from '../../../src/core/agents/runCode';
import { stubDeclarations } from '../../../src/core/discovery/stubText';
import { createTypeChecker, type TypeChecker } from '../../../src/core/agents/typeCheck';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { createSandbox, type Sandbox } from '../../../src/core/sandbox/sandbox';
import { createFakeModel } from '../../fixtures/fakeModel';

let dir = '';
let loaded: LoadedCatalog;
let sandbox: Sandbox;
let checker: TypeChecker;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-agents-'));
  loaded = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
  sandbox = createSandbox({ poolSize: 1 });
  checker = createTypeChecker({ declarations: () => stubDeclarations(loaded.catalog) });
}, 60_000);

afterAll(async () => {
  checker?.dispose();
  await sandbox?.dispose();
  await loaded?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fence = (code: string): string => `\`\`\`ts\n${code}\n\`\`\``;
const typeCheck = (code: string, language: 'ts' | 'js') => checker.check(code, { language });

describe('agent loop with the real sandbox, executeRun and the demo catalog', () => {
  it('type error → repair → real run → answer, with a trace on disk', async () => {
    const model = createFakeModel([
      fence("const r = await tools.demo.get_customer({ id: 'cus_0001' });\nreturn r;"),
      fence("const r = await tools.demo.get_customer({ customerId: 'cus_0001' });\nreturn r.customer.name;"),
      'The first customer is the one the tool returned.',
    ]);
    const runCode = createExecuteRunCode({ sandbox, catalog: loaded.catalog, invoker: loaded.invoker, traceDir: path.join(dir, 'traces'), origin: 'agent' });
    const r = await runAgentLoop({ model, catalog: loaded.catalog, runCode, typeCheck }, { task: 'Name of customer cus_0001?' });
    expect(model.prompts[1]?.at(-1)?.content).toContain("line 1, col 43: Object literal may only specify known properties, and 'id' does not exist in type 'GetCustomerInput'.");
    expect(r.ok).toBe(true);
    expect(r.lastRun?.result).toMatchObject({ ok: true, value: expect.any(String) as string });
    const name = (r.lastRun?.result as { value: string }).value;
    expect(model.prompts[2]?.at(-1)?.content).toMatch(new RegExp(`Result:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code value">>>\n${JSON.stringify(name)}\n<<<end-untrusted-data`));
    expect(r.traceId).toBeTruthy();
    expect(readdirSync(path.join(dir, 'traces')).some((f) => f.includes(r.traceId as string))).toBe(true);
  }, 60_000);

  it('a real tool error goes back to the model with the tool and its message', async () => {
    const model = createFakeModel([fence("return await tools.demo.get_customer({ customerId: 'cus_9999' });"), 'Customer cus_9999 does not exist, so I cannot show it.']);
    const runCode = createSandboxRunCode({ sandbox, catalog: loaded.catalog, invoker: loaded.invoker });
    const r = await runAgentLoop({ model, catalog: loaded.catalog, runCode, typeCheck }, { task: 'Show cus_9999' });
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/Error:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code error">>>\nTool error at line 1: demo\/get_customer failed \(tool_failed\): .*cus_9999/);
    expect(r).toMatchObject({ ok: false, stopReason: 'answered' });
  }, 60_000);
});

describe('approvals inside a real script', () => {
  const script = [
    'const out: string[] = [];',
    'try {',
    "  await tools.demo.delete_ticket({ ticketId: 'tkt_00001', reason: 'test' });",
    "  out.push('deleted');",
    '} catch (e) {',
    '  out.push(`${e.name}:${e.code}`);',
    '}',
    "const found = await tools.demo.list_customers({ limit: 1 });",
    'out.push(String(found.customers.length));',
    'return out;',
  ].join('\n');

  it('a denial is a catchable ToolError with code denied; read-only calls pass; the tool is not called', async () => {
    const asked: ApprovalRequest[] = [];
    const decisions: string[] = [];
    const runCode = createSandboxRunCode({
      sandbox,
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      approvals: {
        policy: { rules: [] },
        broker: { ask: async (req) => (asked.push(req), 'deny' as ApprovalAnswer) },
        onDecision: (d) => decisions.push(`${d.tool}:${d.outcome}:${d.source}`),
      },
    });
    const { result } = await runCode(script, {});
    expect(result).toMatchObject({ ok: true, value: ['ToolError:denied', '1'] });
    expect(asked).toEqual([expect.objectContaining({ server: 'demo', tool: 'delete_ticket', args: { ticketId: 'tkt_00001', reason: 'test' }, reason: 'demo/delete_ticket is marked destructive.' })]);
    expect(decisions).toEqual(['delete_ticket:denied:user', 'list_customers:allowed:annotations']);
  }, 60_000);

  it('approve once lets the call through; without a broker the CLI policy denies with the flag to use', async () => {
    const approved = createSandboxRunCode({ sandbox, catalog: loaded.catalog, invoker: loaded.invoker, approvals: { policy: { rules: [] }, broker: { ask: async () => 'once' } } });
    expect((await approved(script, {})).result).toMatchObject({ ok: true, value: ['deleted', '1'] });

    const ci = createSandboxRunCode({ sandbox, catalog: loaded.catalog, invoker: loaded.invoker, approvals: { policy: { rules: [] } } });
    const { result } = await ci("await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'x' });", {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'tool_error', cause: 'denied', tool: 'add_note' });
      expect(result.error.message).toContain("To allow it, give toolweaver --allow 'demo/add_note'");
    }
  }, 60_000);
});
