// Agents in a real VS Code: the three language-model tools are registered and answer through
// vscode.lm.invokeTool against the demo catalog (runs leave traces), Run Script's pre-run type check
// puts diagnostics in the editor and does not start, and nested approvals deny / ask through the
// RunService's broker (injected here: a modal cannot be clicked from the extension host).
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as vscode from 'vscode';
import type { ApprovalAnswer, ApprovalBroker, ApprovalRequest } from '../../../src/core/approvals/approvals';
import { runCodeConfirmation } from '../../../src/extension/agents/lmTools';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import { after, before, suite, test } from '../runner';
import { activateExtension, waitFor } from './util';

const TOOLS = ['toolweaver_run_code', 'toolweaver_search_tools', 'toolweaver_describe_tool', 'toolweaver_read_value'];

let api: ToolWeaverApi;

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('toolweaver');
}

async function invoke(name: string, input: object): Promise<string> {
  const cts = new vscode.CancellationTokenSource();
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cts.token);
    return result.content.map((p) => (p as { value?: unknown }).value).filter((v): v is string => typeof v === 'string').join('');
  } finally {
    cts.dispose();
  }
}

function traceIdIn(text: string): string {
  const id = /Trace: (\S+)/.exec(text)?.[1];
  assert.ok(id, `no trace id in:\n${text}`);
  return id;
}

/** A broker that answers from a list and records what it was asked. */
function scriptedBroker(answers: ApprovalAnswer[]): ApprovalBroker & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  return {
    asked,
    ask: async (req) => {
      asked.push(req);
      return answers.shift() ?? 'deny';
    },
  };
}

suite('agents', () => {
  let originalBroker: ApprovalBroker | undefined;

  before(async () => {
    const ext = await activateExtension();
    api = ext.exports as ToolWeaverApi;
    originalBroker = api.runs.approvalBroker;
    // Outside a chat request VS Code may confirm with a dialog nobody can click here. A user-level
    // value: a workspace can no longer switch the confirmation off.
    await cfg().update('agent.confirmRunCode', false, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
  }, 60_000);

  after(async () => {
    if (originalBroker) api.runs.approvalBroker = originalBroker;
    await cfg().update('approvals', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('approvals', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('agent.confirmRunCode', undefined, vscode.ConfigurationTarget.Global);
  });

  test('the three language-model tools are registered with schemas and tags', () => {
    for (const name of TOOLS) {
      const tool = vscode.lm.tools.find((t) => t.name === name);
      assert.ok(tool, `${name} is not in vscode.lm.tools (${vscode.lm.tools.map((t) => t.name).join(', ')})`);
      assert.ok(tool.tags.includes('toolweaver'), `${name} tags: ${tool.tags.join(', ')}`);
      assert.equal((tool.inputSchema as { type?: string }).type, 'object');
    }
  });

  test('our own tools are not in the catalog scripts call (no recursion)', () => {
    const names = api.catalog.catalog.servers.flatMap((s) => s.tools.map((t) => `${s.name}/${t.name}`));
    assert.deepEqual(names.filter((n) => /toolweaver/i.test(n)), []);
  });

  test('run_code returns the value, the logs and a token line, and leaves a trace', async () => {
    const code = "const r = await tools.demo.list_tickets({ limit: 2 });\nconsole.log('got', r.tickets.length);\nreturn r.tickets.map((t) => t.id);";
    const text = await invoke('toolweaver_run_code', { code });
    assert.match(text, /\n\nResult:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code value">>>\n\["tkt_\d+","tkt_\d+"\]\n<<<end-untrusted-data/);
    assert.match(text, /Logs:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code logs">>>\ngot 2\n/);
    assert.match(text, /tokens: [\d,]+ with code mode vs [\d,]+ with direct tool calls/);
    const trace = await api.runs.store()!.read(traceIdIn(text));
    assert.equal(trace.status, 'ok');
    assert.equal(trace.origin, 'agent');
    assert.equal(trace.spans.filter((s) => s.kind === 'tool').length, 1);
  }, { timeoutMs: 60_000 });

  test('run_code sends type errors back with line numbers and does not run', async () => {
    const before = (await api.runs.store()!.list()).traces.length;
    const text = await invoke('toolweaver_run_code', { code: "const r = await tools.demo.list_tickets({ limit: 2 });\nreturn r.tickets.lenght;" });
    assert.match(text, /^The script did not type-check, so it was not run\./);
    assert.match(text, /line 2, col \d+: Property 'lenght' does not exist/);
    assert.equal((await api.runs.store()!.list()).traces.length, before, 'a trace was written for a script that should not have run');
  }, { timeoutMs: 60_000 });

  test('search_tools returns signatures; describe_tool the full stub', async () => {
    const found = await invoke('toolweaver_search_tools', { query: 'delete a ticket' });
    // After the untrusted-data note, the framed signatures; the best match first.
    assert.match(found.split('\n\n')[1] ?? '', /^<<<untrusted-data id=[0-9a-f]{16} label="search_tools results">>>\n[\s\S]*tools\.demo\.delete_ticket\(/);
    const stub = await invoke('toolweaver_describe_tool', { name: 'demo.delete_ticket' });
    assert.match(stub, /ticketId: string/);
    assert.match(stub, /Permanently deletes a ticket/);
    const unknown = await invoke('toolweaver_describe_tool', { name: 'demo.nope' });
    assert.match(unknown, /nope/);
  }, { timeoutMs: 30_000 });

  test('Run Script: type errors show as diagnostics and the run does not start', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const x: number = await tools.demo.list_tickets({});\nreturn x;' });
    const outcome = await api.runs.run({ source: doc.getText(), uri: doc.uri, language: 'ts', interactive: false });
    assert.equal(outcome, undefined);
    assert.equal(api.runs.lastRefusal?.reason, 'type_errors');
    const diags = api.typeCheck.diagnostics(doc.uri);
    assert.ok(diags.length >= 1, 'no diagnostics');
    assert.equal(diags[0]!.range.start.line, 0);
    assert.equal(diags[0]!.source, 'ToolWeaver type check');
  }, { timeoutMs: 60_000 });

  test('approvals: a deny rule rejects the call with a ToolError the script catches; the decision is in the trace', async () => {
    await cfg().update('approvals', { default: 'ask', rules: [{ match: 'demo/delete_ticket', action: 'deny' }] }, vscode.ConfigurationTarget.Workspace);
    const broker = scriptedBroker([]);
    api.runs.approvalBroker = broker;
    const code = "try {\n  await tools.demo.delete_ticket({ ticketId: 'tkt_00001' });\n  return 'deleted';\n} catch (e: any) {\n  return { name: e.name, code: e.code };\n}";
    const text = await invoke('toolweaver_run_code', { code });
    assert.match(text, /"name": ?"ToolError"/);
    assert.match(text, /"code": ?"denied"/);
    assert.equal(broker.asked.length, 0, 'a deny rule must not ask');
    const trace = await api.runs.store()!.read(traceIdIn(text));
    // Decisions are structured trace data, with the script line of the call.
    assert.deepEqual(trace.approvals, [{ t: trace.approvals?.[0]?.t, server: 'demo', tool: 'delete_ticket', line: 2, action: 'denied', source: 'rule', rule: 'demo/delete_ticket' }]);
    assert.equal(trace.logs.filter((l) => l.text.startsWith('approval: ')).length, 0, 'decisions are no longer log lines');
  }, { timeoutMs: 60_000 });

  test('approvals: ask goes to the broker with tool, arguments and line; "run" covers later calls', async () => {
    await cfg().update('approvals', { default: 'ask', rules: [] }, vscode.ConfigurationTarget.Workspace);
    const broker = scriptedBroker(['deny', 'run']);
    api.runs.approvalBroker = broker;
    const code = [
      "const out: string[] = [];",
      "try { await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'first' }); out.push('first ok'); } catch (e: any) { out.push(`first ${e.code}`); }",
      "await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'second' }); out.push('second ok');",
      "await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'third' }); out.push('third ok');",
      'return out;',
    ].join('\n');
    const text = await invoke('toolweaver_run_code', { code });
    assert.match(text, /"first denied",\s*"second ok",\s*"third ok"/);
    assert.equal(broker.asked.length, 2);
    const first = broker.asked[0]!;
    assert.deepEqual([first.server, first.tool, first.args], ['demo', 'add_note', { ticketId: 'tkt_00002', body: 'first' }]);
    assert.equal(first.reason, 'demo/add_note is not marked read-only, so it may change things.');
    assert.equal(first.line, 2);
    assert.equal(broker.asked[1]!.line, 3);
    const trace = await api.runs.store()!.read(traceIdIn(text));
    const decisions = (trace.approvals ?? []).map((a) => [a.tool, a.line, a.action, a.source, a.answer]);
    assert.deepEqual(decisions, [
      ['add_note', 2, 'denied', 'user', 'deny'],
      ['add_note', 3, 'allowed', 'user', 'run'],
      ['add_note', 4, 'allowed', 'run', undefined],
    ]);
  }, { timeoutMs: 60_000 });

  test("a workspace's settings.json cannot loosen approvals: 'allow' there still asks; a user-level 'allow' does not", async () => {
    await cfg().update('approvals', { default: 'allow', readOnly: 'allow', rules: [{ match: '*', action: 'allow' }] }, vscode.ConfigurationTarget.Workspace);
    const code = "await tools.demo.add_note({ ticketId: 'tkt_00003', body: 'from a repo' });\nreturn 'added';";
    const broker = scriptedBroker(['deny']);
    api.runs.approvalBroker = broker;
    const denied = await invoke('toolweaver_run_code', { code });
    assert.equal(broker.asked.length, 1, `the workspace's allow must not skip the question:\n${denied}`);
    assert.match(denied, /denied/);
    // The same value set by the user in their own settings is honoured.
    await cfg().update('approvals', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('approvals', { default: 'allow', rules: [] }, vscode.ConfigurationTarget.Global);
    const userBroker = scriptedBroker([]);
    api.runs.approvalBroker = userBroker;
    const allowed = await invoke('toolweaver_run_code', { code });
    assert.equal(userBroker.asked.length, 0);
    assert.match(allowed, /"added"/);
    await cfg().update('approvals', undefined, vscode.ConfigurationTarget.Global);
  }, { timeoutMs: 60_000 });

  test('run_code confirmation shows the code the VS Code way', () => {
    const prepared = runCodeConfirmation({ code: 'return await tools.demo.list_agents({});' });
    assert.equal(prepared.confirmationMessages?.title, 'Run a ToolWeaver script?');
    const message = prepared.confirmationMessages?.message;
    assert.ok(message instanceof vscode.MarkdownString);
    assert.match(message.value, /```typescript\nreturn await tools\.demo\.list_agents\(\{\}\);\n```/);
  });

  test('the MCP server definition starts `toolweaver mcp`, which serves the three tools over the catalog', async () => {
    const def = api.mcpServerDefinition();
    assert.ok(def, 'no MCP server definition for a trusted workspace');
    assert.equal(def.label, 'ToolWeaver');
    assert.deepEqual(def.args.slice(1, 2), ['mcp']);
    const env = Object.fromEntries(Object.entries({ ...process.env, ...def.env }).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const transport = new StdioClientTransport({ command: def.command, args: def.args, env, cwd: def.cwd?.fsPath, stderr: 'pipe' });
    const client = new Client({ name: 'toolweaver-e2e', version: '0.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      // Skills are served beside them as skill_<name> (docs/skills.md).
      assert.deepEqual(tools.map((t) => t.name).filter((n) => !n.startsWith('skill_')).sort(), ['describe_tool', 'read_value', 'run_code', 'search_tools']);
      const r = (await client.callTool({ name: 'run_code', arguments: { code: 'const a = await tools.demo.list_agents({});\nreturn Array.isArray(a.agents);' } })) as { content: { text?: string }[]; isError?: boolean };
      assert.equal(r.isError, undefined, r.content.map((c) => c.text).join('\n'));
      assert.equal(r.content[2]?.text, 'true');
    } finally {
      await client.close();
    }
  }, { timeoutMs: 60_000 });
});
