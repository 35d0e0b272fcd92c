// The @toolweaver turn (src/extension/agents/chatTurn.ts) without VS Code: a scripted fake model
// behind the LanguageModel port, the real type checker over the demo catalog's stubs and the real
// QuickJS sandbox with approvals, through success, type error → repair, tool error, budget exhausted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxRunCode } from '../../../src/core/agents/runCode';
import { stubDeclarations } from '../../../src/core/discovery/stubText';
import { createTypeChecker, type TypeChecker } from '../../../src/core/agents/typeCheck';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { createSandbox, type Sandbox } from '../../../src/core/sandbox/sandbox';
import { historyMessages, runChatTurn, type ChatSink } from '../../../src/extension/agents/chatTurn';
import { createFakeModel } from '../../fixtures/fakeModel';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let loaded: LoadedCatalog;
let sandbox: Sandbox;
let checker: TypeChecker;

beforeAll(async () => {
  loaded = await loadCatalog({ cwd: mkdtempSync(path.join(tmpdir(), 'tw-chat-')), useDemoWhenEmpty: true });
  sandbox = createSandbox({ poolSize: 1 });
  checker = createTypeChecker({ declarations: () => stubDeclarations(loaded.catalog) });
}, 60_000);
afterAll(async () => {
  checker.dispose();
  await sandbox.dispose();
  await loaded.close();
});

function sink(): ChatSink & { progressLines: string[]; text(): string; traces: string[] } {
  const progressLines: string[] = [];
  const md: string[] = [];
  const traces: string[] = [];
  return { progressLines, traces, progress: (t) => progressLines.push(t), markdown: (t) => md.push(t), traceLink: (id) => traces.push(id), text: () => md.join('') };
}

const fence = (code: string): string => `\`\`\`ts\n${code}\n\`\`\``;
const budget = { maxIterations: 6, maxTokens: 60_000 };

function deps(model: ReturnType<typeof createFakeModel>) {
  let n = 0;
  const run = createSandboxRunCode({
    sandbox,
    catalog: loaded.catalog,
    invoker: loaded.invoker,
    approvals: { policy: { default: 'ask', rules: [{ match: 'demo/delete_ticket', action: 'deny' }] } },
  });
  return {
    model,
    catalog: loaded.catalog,
    runCode: async (code: string, o: { signal?: AbortSignal; language?: 'ts' | 'js' }) => ({ ...(await run(code, o)), traceId: `trace-${++n}` }),
    typeCheck: (code: string, language: 'ts' | 'js') => checker.check(code, { language }),
  };
}

describe('runChatTurn', () => {
  it('success: runs the script, answers from the real result, links the trace, reports tokens', async () => {
    const model = createFakeModel([fence('const r = await tools.demo.list_tickets({ limit: 3 });\nreturn r.tickets.length;'), 'There are 3 tickets on the first page.']);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'How many tickets?', signal: new AbortController().signal, ...budget }, s);
    expect(out.result?.stopReason).toBe('answered');
    expect(out.result?.ok).toBe(true);
    expect(out.result?.lastRun?.result).toMatchObject({ ok: true, value: 3 });
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/Result:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code value">>>\n3\n<<<end-untrusted-data/);
    expect(s.text()).toMatch(/^There are 3 tickets on the first page\./);
    expect(s.text()).toContain('**Script (ran successfully):**');
    expect(s.text()).toMatch(/_2 model requests, [\d,]+ tokens \([\d,]+ in, [\d,]+ out; estimated\)\._/);
    expect(s.traces).toEqual(['trace-1']);
    expect(s.progressLines).toContain('Type-checking and running the script…');
  }, 60_000);

  it('type error → repair: the first script does not run; the model sees the line and fixes it', async () => {
    const model = createFakeModel([
      fence('const r = await tools.demo.list_tickets({ limit: 3 });\nreturn r.tickets.lenght;'),
      fence('const r = await tools.demo.list_tickets({ limit: 2 });\nreturn r.tickets.length;'),
      'Two tickets.',
    ]);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'Count two tickets', signal: new AbortController().signal, ...budget }, s);
    expect(out.result).toMatchObject({ ok: true, stopReason: 'answered', iterations: 3, traceId: 'trace-1' });
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/did not type-check[\s\S]*line 2, col \d+: Property 'lenght' does not exist/);
    expect(s.progressLines.some((l) => /1 type error/.test(l))).toBe(true);
    expect(out.result?.lastRun?.result).toMatchObject({ ok: true, value: 2 });
  }, 60_000);

  it('tool error: a denied destructive call reaches the script as a ToolError; the answer does not claim success', async () => {
    const model = createFakeModel([
      fence("await tools.demo.delete_ticket({ ticketId: 'tkt_00001' });\nreturn 'deleted';"),
      'I could not delete the ticket: the approval policy denied demo/delete_ticket.',
    ]);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'Delete tkt_00001', signal: new AbortController().signal, ...budget }, s);
    expect(out.result?.ok).toBe(false);
    expect(out.result?.lastRun?.result.ok).toBe(false);
    const err = out.result?.lastRun?.result.ok === false ? out.result.lastRun.result.error : undefined;
    expect(err).toMatchObject({ code: 'tool_error', server: 'demo', tool: 'delete_ticket', cause: 'denied', line: 1 });
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/The script failed\.\n[\s\S]*Error:\n<<<untrusted-data[^\n]*\nTool error at line 1.*demo\/delete_ticket failed \(denied\)/);
    expect(s.text()).toContain('**Script (failed):**');
    expect(s.text()).not.toContain('ran successfully');
  }, 60_000);

  it('budget exhausted: stops at max iterations and says what the last problem was', async () => {
    const bad = fence('return tools.demo.no_such_tool({});');
    const model = createFakeModel([bad, bad, bad]);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'x', signal: new AbortController().signal, maxIterations: 2, maxTokens: 60_000 }, s);
    expect(out.result).toMatchObject({ ok: false, stopReason: 'max_iterations', iterations: 2 });
    expect(s.text()).toMatch(/^I could not finish the task within 2 model requests\. The last problem was: type errors: line 1/);
    expect(s.text()).toContain('**Script (not run):**');
    expect(s.text()).toContain('Stopped: max iterations.');
    expect(s.traces).toEqual([]);
    expect(model.remaining()).toBe(1);
  }, 60_000);

  it('token budget: stops before a request that would exceed it', async () => {
    const model = createFakeModel(['never sent']);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'x', signal: new AbortController().signal, maxIterations: 6, maxTokens: 10 }, s);
    expect(out.result).toMatchObject({ ok: false, stopReason: 'max_tokens', iterations: 0 });
    expect(model.prompts).toHaveLength(0);
    expect(s.text()).toContain('within the token budget (10 tokens');
  });

  it('model failure: reports it plainly, no answer invented', async () => {
    const model = createFakeModel([{ error: 'rate limited (429)' }]);
    const s = sink();
    const out = await runChatTurn(deps(model), { task: 'x', signal: new AbortController().signal, ...budget }, s);
    expect(out.result).toMatchObject({ ok: false, stopReason: 'model_error' });
    expect(s.text()).toMatch(/^The language model \(fake-model\) failed: .*rate limited \(429\)/);
  });

  it('a run that cannot start ends the turn with the reason, not a result', async () => {
    const model = createFakeModel([fence('return 1;')]);
    const d = { ...deps(model), runCode: async () => Promise.reject(new Error('A ToolWeaver run is already in progress.')) };
    const s = sink();
    const out = await runChatTurn(d, { task: 'x', signal: new AbortController().signal, ...budget }, s);
    expect(out.error).toMatch(/^ToolWeaver could not finish: .*already in progress/);
    expect(s.text()).toBe(out.error);
  }, 30_000);

  it('an empty catalog answers with what to do, without asking the model', async () => {
    const model = createFakeModel([]);
    const s = sink();
    const out = await runChatTurn({ ...deps(model), catalog: { id: 'empty', servers: [] } }, { task: 'x', signal: new AbortController().signal, ...budget }, s);
    expect(out.error).toMatch(/no tools in this workspace/);
    expect(model.prompts).toHaveLength(0);
  });

  it('cancellation stops the turn', async () => {
    const model = createFakeModel([{ hang: true }]);
    const ac = new AbortController();
    const s = sink();
    const p = runChatTurn(deps(model), { task: 'x', signal: ac.signal, ...budget }, s);
    setTimeout(() => ac.abort(), 20);
    const out = await p;
    expect(out.result?.stopReason).toBe('cancelled');
  });
});

describe('historyMessages', () => {
  it('keeps the newest turns within the character budget, drops empty ones', () => {
    const turns = [
      { role: 'user' as const, text: 'a'.repeat(50) },
      { role: 'assistant' as const, text: '' },
      { role: 'user' as const, text: 'b'.repeat(30) },
      { role: 'assistant' as const, text: 'c'.repeat(30) },
    ];
    expect(historyMessages(turns, 70)).toEqual([
      { role: 'user', content: 'b'.repeat(30) },
      { role: 'assistant', content: 'c'.repeat(30) },
    ]);
    expect(historyMessages(turns)).toHaveLength(3);
  });
});
