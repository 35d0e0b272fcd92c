// Host functions inside real QuickJS runs: tools.search / tools.describe through the run's discovery port,
// llm() through an LlmBridge over the scripted fake model (concurrency, quotas, timeout, no
// provider), the script line on tool calls, and approval waits that do not eat the run's budgets.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAllowList, withApprovals, type ApprovalRequest } from '../../../src/core/approvals/approvals';
import type { LanguageModel, ModelReply } from '../../../src/core/llm/languageModel';
import { createLlmBridge, LLM_UNAVAILABLE_MESSAGE } from '../../../src/core/llm/llmBridge';
import type { Catalog } from '../../../src/core/catalog/types';
import { discoveryOf } from '../../../src/core/discovery/toolSearch';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox, type Sandbox } from '../../../src/core/sandbox/sandbox';
import type { LlmHook, RunEvent } from '../../../src/core/sandbox/types';
import { createFakeModel, type FakeResponse } from '../../fixtures/fakeModel';
import { createTestInvoker, testCatalog } from './fixtures';

let sandbox: Sandbox;
let dir = '';
beforeAll(() => {
  sandbox = createSandbox({ poolSize: 1 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-hostfn-'));
});
afterAll(async () => {
  await sandbox.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The fake model, slowed down and watched: how many requests are in flight at once. */
function watchedModel(responses: FakeResponse[], delayMs = 40): LanguageModel & { maxInFlight: number } {
  const fake = createFakeModel(responses);
  let inFlight = 0;
  const m = {
    name: fake.name,
    maxInFlight: 0,
    countTokens: fake.countTokens,
    async sendRequest(messages: Parameters<LanguageModel['sendRequest']>[0], opts: Parameters<LanguageModel['sendRequest']>[1]): Promise<ModelReply> {
      inFlight++;
      m.maxInFlight = Math.max(m.maxInFlight, inFlight);
      try {
        await new Promise((r) => setTimeout(r, delayMs));
        const reply = await fake.sendRequest(messages, opts);
        if (Symbol.asyncIterator in reply) {
          let text = '';
          for await (const chunk of reply) text += chunk;
          return { text };
        }
        return reply;
      } finally {
        inFlight--;
      }
    },
  };
  return m;
}

function hookOf(bridge: ReturnType<typeof createLlmBridge>): LlmHook {
  return (prompt, o, signal) => bridge.call(prompt, { ...o, signal });
}

const inv = createTestInvoker();

describe('tools.search / tools.describe inside scripts', () => {
  it('search returns { server, tool, ident, signature } and describe the stub; helper spans, no tool calls', async () => {
    const events: RunEvent[] = [];
    const r = await sandbox.run(
      "const hits = await tools.search('echo message', 3);\nconst doc = await tools.describe(hits[0].ident);\nconst same = await toolweaver.describe('test.echo');\nreturn { hits, doc, same: same === doc, keys: Object.keys(tools) };",
      { catalog: testCatalog, invoker: inv, discovery: discoveryOf(testCatalog), onEvent: (e) => events.push(e) },
    );
    expect(r.ok).toBe(true);
    const v = (r as { value: { hits: Array<Record<string, unknown>>; doc: string; same: boolean; keys: string[] } }).value;
    expect(v.hits[0]).toEqual({ server: 'test server', tool: 'echo', ident: 'test.echo', signature: expect.stringContaining('tools.test.echo(') as string });
    expect(v.doc).toContain('echo');
    expect(v.same).toBe(true);
    // Not enumerable: Object.keys(tools) lists only servers.
    expect(v.keys).toEqual(['test']);
    expect(r.stats.toolCalls).toBe(0);
    const starts = events.filter((e): e is Extract<RunEvent, { type: 'helper.start' }> => e.type === 'helper.start');
    expect(starts.map((e) => [e.helper, e.attrs.line])).toEqual([
      ['search', 1],
      ['describe', 2],
      ['describe', 3],
    ]);
    expect(starts[0]?.attrs).toMatchObject({ query: 'echo message', limit: 3 });
  }, 30_000);

  it('describe of an unknown tool rejects with a catchable ToolError naming close tools', async () => {
    const r = await sandbox.run("try { await tools.describe('test.ecko'); } catch (e) { return [e instanceof ToolError, e.code, e.server, e.message]; }", { catalog: testCatalog, invoker: inv, discovery: discoveryOf(testCatalog) });
    expect(r).toMatchObject({ ok: true, value: [true, 'unknown_tool', 'toolweaver', expect.stringContaining('tools.test.echo') as string] });
  }, 30_000);

  it('a server whose identifier is `search` shadows tools.search; toolweaver.search still works', async () => {
    const server = testCatalog.servers[0]!;
    const catalog: Catalog = { id: 'shadow-catalog', servers: [{ ...server, name: 'search', ident: 'search' }] };
    const r = await sandbox.run("const a = await tools.search.echo({ message: 'hi' });\nconst b = await toolweaver.search('echo');\nreturn [a, b.length > 0, typeof tools.describe];", { catalog, invoker: inv, discovery: discoveryOf(catalog) });
    expect(r).toMatchObject({ ok: true, value: [{ echo: 'hi' }, true, 'function'] });
  }, 30_000);

  it('search and describe go to the port the caller passes, with the capped limit', async () => {
    const asked: Array<[string, number]> = [];
    const discovery = {
      search: (query: string, limit: number) => (asked.push([query, limit]), [{ server: 's', tool: 't', ident: 's.t', signature: 'tools.s.t(): Promise<unknown>' }]),
      describe: (name: string) => `doc of ${name}`,
    };
    const r = await sandbox.run("return [await tools.search('anything', 500), await tools.describe('s.t')];", { catalog: testCatalog, invoker: inv, discovery });
    expect(r).toMatchObject({ ok: true, value: [[{ server: 's', tool: 't', ident: 's.t', signature: 'tools.s.t(): Promise<unknown>' }], 'doc of s.t'] });
    expect(asked).toEqual([['anything', 50]]);
  }, 30_000);

  it('without a discovery port, search finds nothing and describe rejects with unknown_tool', async () => {
    const r = await sandbox.run("const hits = await tools.search('echo');\ntry { await tools.describe('test.echo'); } catch (e) { return [hits, e instanceof ToolError, e.code]; }", { catalog: testCatalog, invoker: inv });
    expect(r).toMatchObject({ ok: true, value: [[], true, 'unknown_tool'] });
  }, 30_000);
});

describe('llm() inside scripts', () => {
  it('fans out through map with the concurrency respected', async () => {
    const model = watchedModel(Array.from({ length: 8 }, () => 'yes'));
    const bridge = createLlmBridge({ model });
    const events: RunEvent[] = [];
    const r = await sandbox.run(
      "const items = [1, 2, 3, 4, 5, 6, 7, 8];\nconst answers = await map(items, (x) => llm(`Is ${x} > 0?`, { system: 'Answer yes or no.' }), { concurrency: 4 });\nreturn majorityVote(answers);",
      { catalog: testCatalog, invoker: inv, llm: hookOf(bridge), onEvent: (e) => events.push(e) },
    );
    expect(r).toMatchObject({ ok: true, value: { winner: 'yes', count: 8, total: 8, tie: false } });
    expect(model.maxInFlight).toBe(4);
    expect(bridge.usage().calls).toBe(8);
    const llmStarts = events.filter((e) => e.type === 'helper.start' && e.helper === 'llm');
    expect(llmStarts).toHaveLength(8);
    // Each llm span sits inside its map item span.
    expect(llmStarts.every((e) => e.type === 'helper.start' && typeof e.parentId === 'string')).toBe(true);
  }, 30_000);

  it('a quota exceeded rejects with quota_exceeded (catchable)', async () => {
    const bridge = createLlmBridge({ model: watchedModel(['a', 'b', 'c'], 0), maxCalls: 2 });
    const r = await sandbox.run(
      "const out = [];\nfor (const p of ['1', '2', '3']) { try { out.push(await llm(p)); } catch (e) { out.push(e.code + ':' + e.server); } }\nreturn out;",
      { catalog: testCatalog, invoker: inv, llm: hookOf(bridge) },
    );
    expect(r).toMatchObject({ ok: true, value: ['a', 'b', 'quota_exceeded:llm'] });
  }, 30_000);

  it('a call that takes longer than the per-call timeout rejects with timeout', async () => {
    const bridge = createLlmBridge({ model: createFakeModel([{ hang: true }]), timeoutMs: 150 });
    const r = await sandbox.run("try { await llm('hello'); return 'answered'; } catch (e) { return [e.code, e.message]; }", { catalog: testCatalog, invoker: inv, llm: hookOf(bridge) });
    expect(r).toMatchObject({ ok: true, value: ['timeout', expect.stringContaining('got no answer') as string] });
  }, 30_000);

  it('without a provider llm() rejects with the clear message; uncaught it fails the run as a tool error', async () => {
    const caught = await sandbox.run("try { await llm('hi'); } catch (e) { return [e instanceof ToolError, e.code, e.message]; }", { catalog: testCatalog, invoker: inv });
    expect(caught).toMatchObject({ ok: true, value: [true, 'server_unreachable', LLM_UNAVAILABLE_MESSAGE] });
    const uncaught = await sandbox.run("await llm('hi');", { catalog: testCatalog, invoker: inv });
    expect(uncaught).toMatchObject({ ok: false, error: { code: 'tool_error', server: 'llm', tool: 'llm', cause: 'server_unreachable', line: 1, message: LLM_UNAVAILABLE_MESSAGE } });
  }, 30_000);

  it('executeRun records llm spans with token counts and keeps search docs out of the docs the model read', async () => {
    const bridge = createLlmBridge({ model: watchedModel(['four'], 0) });
    const { result, trace } = await executeRun({
      source: "const hits = await tools.search('add numbers');\nconst n = await tools.test.add({ a: 2, b: 2 });\nreturn [await llm(`Spell ${n}`), hits.length];",
      catalog: testCatalog,
      invoker: inv,
      sandbox,
      traceDir: path.join(dir, 'traces'),
      llm: bridge,
    });
    expect(result).toMatchObject({ ok: true, value: ['four', expect.any(Number) as number] });
    const llmSpan = trace.spans.find((s) => s.kind === 'helper' && s.helper === 'llm');
    expect(llmSpan).toMatchObject({ status: 'ok', attrs: { promptChars: 'Spell 4'.length, replyChars: 4, line: 3 } });
    expect((llmSpan as { attrs: Record<string, unknown> }).attrs.inputTokens).toEqual(expect.any(Number));
    expect(trace.spans.filter((s) => s.kind === 'helper' && s.helper === 'search')).toHaveLength(1);
    // The code-mode side counts the one tool the script called, not the search results.
    expect(trace.spans.filter((s) => s.kind === 'tool')).toHaveLength(1);
  }, 30_000);
});

describe('approvals seen from the sandbox', () => {
  const askingPolicy = { default: 'ask' as const, rules: [] };

  it('passes the calling line to the invoker and the broker', async () => {
    const asked: ApprovalRequest[] = [];
    const approving = withApprovals(inv, askingPolicy, { ask: async (req) => (asked.push(req), 'once') }, { catalog: testCatalog, runId: 'r1' });
    const r = await sandbox.run("const x = 1;\nconst s = await tools.test.add({ a: x, b: 2 });\nreturn s;", { catalog: testCatalog, invoker: approving });
    expect(r).toMatchObject({ ok: true, value: 3 });
    expect(asked[0]?.line).toBe(2);
    expect(approving.decisions[0]).toMatchObject({ line: 2, outcome: 'allowed', source: 'user', answer: 'once' });
  }, 30_000);

  it('a person deciding does not count against the per-call timeout or the run clock', async () => {
    const slowBroker = { ask: () => new Promise<'once'>((r) => setTimeout(() => r('once'), 900)) };
    const approving = withApprovals(inv, askingPolicy, slowBroker, { catalog: testCatalog, runId: 'r2' });
    const r = await sandbox.run("const a = await tools.test.add({ a: 1, b: 2 });\nconst b = await tools.test.add({ a: a, b: 2 });\nreturn b;", {
      catalog: testCatalog,
      invoker: approving,
      limits: { timeoutMs: 1000, toolCallTimeoutMs: 300 },
    });
    // Two prompts of 0.9 s each: 1.8 s of waiting in a run with a 1 s clock and 0.3 s per call.
    expect(r).toMatchObject({ ok: true, value: 5 });
    expect(r.stats.durationMs).toBeGreaterThan(1700);
  }, 30_000);

  it('the pause is bounded (maxApprovalPauseMs) and the per-call timeout still applies after approval', async () => {
    const slowBroker = { ask: () => new Promise<'once'>((r) => setTimeout(() => r('once'), 1500)) };
    const capped = await sandbox.run('return await tools.test.add({ a: 1, b: 2 });', {
      catalog: testCatalog,
      invoker: withApprovals(inv, askingPolicy, slowBroker, { catalog: testCatalog, runId: 'r3' }),
      limits: { timeoutMs: 600 },
      maxApprovalPauseMs: 200,
    });
    expect(capped).toMatchObject({ ok: false, error: { code: 'timeout' } });
    const quickBroker = { ask: async () => 'run' as const };
    const hung = await sandbox.run("try { await tools.test.slow({ ms: 5000 }); } catch (e) { return e.code; }", {
      catalog: testCatalog,
      invoker: withApprovals(inv, askingPolicy, quickBroker, { catalog: testCatalog, runId: 'r4', allowList: createMemoryAllowList() }),
      limits: { toolCallTimeoutMs: 200 },
    });
    expect(hung).toMatchObject({ ok: true, value: 'timeout' });
  }, 30_000);

  it('executeRun writes the decisions into trace.approvals', async () => {
    const { trace, decisions } = await executeRun({
      source: "await tools.test.echo({ message: 'x' });\ntry { await tools.test.fail({}); } catch (e) { if (e instanceof ToolError && e.code === 'denied') console.log('denied'); }\nreturn await tools.test.add({ a: 1, b: 1 });",
      catalog: testCatalog,
      invoker: inv,
      sandbox,
      traceDir: path.join(dir, 'traces'),
      approvals: { policy: { default: 'ask', rules: [{ match: 'test server/fail', action: 'deny' }] }, broker: { ask: async () => 'once' } },
    });
    expect(trace.status).toBe('ok');
    expect(trace.approvals?.map((a) => [a.tool, a.line, a.action, a.source, a.answer])).toEqual([
      ['echo', 1, 'allowed', 'annotations', undefined],
      ['fail', 2, 'denied', 'rule', undefined],
      ['add', 3, 'allowed', 'user', 'once'],
    ]);
    expect(trace.approvals?.[1]?.rule).toBe('test server/fail');
    // One seam: executeRun wrapped the invoker itself; the decisions come back keyed by the trace id.
    expect(decisions.map((d) => [d.tool, d.outcome, d.runId])).toEqual([
      ['echo', 'allowed', trace.id],
      ['fail', 'denied', trace.id],
      ['add', 'allowed', trace.id],
    ]);
  }, 30_000);
});
