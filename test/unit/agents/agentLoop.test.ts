import { afterAll, describe, expect, it } from 'vitest';
import { runAgentLoop, type AgentProgress } from '../../../src/core/agents/agentLoop';
import { buildManifest, extractCode, parseLookups } from '../../../src/core/agents/agentPrompt';
import type { RunCode } from '../../../src/core/agents/runFeedback';
import type { RunCodeOutcome } from '../../../src/core/run/runView';
import { stubDeclarations } from '../../../src/core/discovery/stubText';
import { createTypeChecker } from '../../../src/core/agents/typeCheck';
import type { RunResult } from '../../../src/core/sandbox/types';
import { createFakeModel } from '../../fixtures/fakeModel';
import { smallCatalog, syntheticCatalog } from '../../fixtures/agentsCatalog';

const catalog = smallCatalog();
const checker = createTypeChecker({ declarations: () => stubDeclarations(catalog) });
afterAll(() => checker.dispose());
const stats = { durationMs: 5, toolCalls: 1, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 1, logBytesDropped: 0 };

/** A runCode that answers from a list of results and records the code it got. */
function scriptedRun(results: RunResult[]): RunCode & { codes: string[] } {
  const codes: string[] = [];
  const fn: RunCode = async (code) => {
    codes.push(code);
    const result = results.shift();
    if (!result) throw new Error('no scripted run result left');
    return { result, traceId: `trace-${codes.length}`, tokenSummary: 'tokens: 120 in context' } satisfies RunCodeOutcome;
  };
  return Object.assign(fn, { codes });
}

const fence = (code: string): string => `Here is the script:\n\`\`\`ts\n${code}\n\`\`\`\n`;

describe('agent prompt helpers', () => {
  it('extracts the first ts/js block, ignores other languages, handles a cut-off fence', () => {
    expect(extractCode('```json\n{}\n```\n```typescript\nreturn 1;\n```')).toEqual({ code: 'return 1;', language: 'ts' });
    expect(extractCode('```js\nreturn 2;\n```')).toEqual({ code: 'return 2;', language: 'js' });
    expect(extractCode('```ts\nconst a = 1;\nreturn a;')).toEqual({ code: 'const a = 1;\nreturn a;', language: 'ts' });
    expect(extractCode('The answer is 42.')).toBeUndefined();
  });

  it('parses lookups and sizes the manifest to the catalog', () => {
    expect(parseLookups('search_tools: delete an issue\n- `describe_tool: fs.readFile`')).toEqual([
      { kind: 'search', query: 'delete an issue' },
      { kind: 'describe', query: 'fs.readFile' },
    ]);
    expect(buildManifest(catalog)).toContain('- tools.fs.readFile(input: { path: string }): Promise<unknown> — Read the complete contents');
    expect(buildManifest(syntheticCatalog(100))).toMatch(/^100 tools on 2 servers:\n- tools\.service0: getIssue0, listIssue1,/);
    expect(buildManifest(syntheticCatalog(1000))).toContain('- tools.service3: 50 tools');
  });
});

describe('runAgentLoop', () => {
  const typeCheck = (code: string, language: 'ts' | 'js') => checker.check(code, { language });

  it('success: writes a script, runs it, answers from the result', async () => {
    const model = createFakeModel([fence("const t = await tools.fs.readFile({ path: 'notes.txt' });\nreturn String(t).length;"), 'The file has 42 characters.']);
    const run = scriptedRun([{ ok: true, value: 42, logs: [], stats }]);
    const progress: AgentProgress['type'][] = [];
    const r = await runAgentLoop({ model, catalog, runCode: run, typeCheck }, { task: 'How long is notes.txt?', onProgress: (p) => progress.push(p.type) });
    expect(r).toMatchObject({ ok: true, stopReason: 'answered', answer: 'The file has 42 characters.', iterations: 2, traceId: 'trace-1' });
    expect(r.tokens.input).toBeGreaterThan(0);
    expect(model.prompts[0]?.[0]?.content).toContain('tools.tracker.createIssue(');
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/Result:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code value">>>\n42\n<<<end-untrusted-data id=[0-9a-f]{16}>>>/);
    expect(model.prompts[1]?.at(-1)?.content).toContain('tokens: 120 in context (1 tool call, 5 ms)');
    expect(progress.filter((p) => p !== 'chunk')).toEqual(['request', 'code', 'run', 'request', 'answer']);
  }, 30_000);

  it('type error → repair: the bad script is not run and the errors go back with lines', async () => {
    const model = createFakeModel([
      fence("// read it\nconst t = await tools.fs.readFiel({ path: 'a' });\nreturn t;"),
      fence("const t = await tools.fs.readFile({ path: 'a' });\nreturn t;"),
      'It says hello.',
    ]);
    const run = scriptedRun([{ ok: true, value: 'hello', logs: [], stats }]);
    const r = await runAgentLoop({ model, catalog, runCode: run, typeCheck }, { task: 'Read a' });
    expect(run.codes).toHaveLength(1);
    expect(run.codes[0]).toContain('readFile(');
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/did not type-check.*\nline 2, col 26: Property 'readFiel' does not exist/s);
    expect(r).toMatchObject({ ok: true, answer: 'It says hello.', iterations: 3 });
  });

  it('tool error: fed back with tool and cause; an answer after a failed run is not ok', async () => {
    const model = createFakeModel([fence("return await tools.tracker.getIssue({ repo: 'r', number: 9 });"), 'I could not fetch issue 9: the tracker says it does not exist.']);
    const run = scriptedRun([
      { ok: false, error: { name: 'ToolError', code: 'tool_error', message: 'Issue 9 not found', line: 1, server: 'tracker', tool: 'get-issue', cause: 'tool_failed' }, logs: [], stats },
    ]);
    const r = await runAgentLoop({ model, catalog, runCode: run, typeCheck }, { task: 'Show issue 9' });
    expect(model.prompts[1]?.at(-1)?.content).toMatch(/Error:\n<<<untrusted-data id=[0-9a-f]{16} label="run_code error">>>\nTool error at line 1: tracker\/get-issue failed \(tool_failed\): Issue 9 not found\n/);
    expect(r).toMatchObject({ ok: false, stopReason: 'answered', answer: 'I could not fetch issue 9: the tracker says it does not exist.' });
  });

  it('budget exhausted: stops after maxIterations and reports the last real problem', async () => {
    const bad = fence('throw new Error("still broken");');
    const model = createFakeModel([bad, bad, bad]);
    const failing: RunResult = { ok: false, error: { name: 'Error', code: 'guest_error', message: 'still broken', line: 1 }, logs: [], stats };
    const run = scriptedRun([failing, failing]);
    const r = await runAgentLoop({ model, catalog, runCode: run, typeCheck }, { task: 'x', maxIterations: 2 });
    expect(r).toMatchObject({ ok: false, stopReason: 'max_iterations', iterations: 2 });
    expect(r.answer).toBe('I could not finish the task within 2 model requests. The last problem was: Error at line 1: still broken');
    expect(model.remaining()).toBe(1);
  });

  it('token budget: stops before a request that would exceed it', async () => {
    const model = createFakeModel([{ text: fence('return 1;'), usage: { inputTokens: 900, outputTokens: 50 } }, 'one']);
    const run = scriptedRun([{ ok: true, value: 1, logs: [], stats }]);
    const r = await runAgentLoop({ model, catalog, runCode: run }, { task: 'x', maxTokens: 1000 });
    expect(r.stopReason).toBe('max_tokens');
    expect(r.answer).toMatch(/^I could not finish the task within the token budget \(1000 tokens; 950 used\)\. The last script succeeded; its result was:\n1$/);
    expect(r.tokens).toEqual({ input: 900, output: 50, estimated: false });
  });

  it('an answer after scripts that never ran successfully is not ok', async () => {
    const model = createFakeModel([fence('return tools.fs.nope();'), 'Done: everything worked.']);
    const run = scriptedRun([]);
    const r = await runAgentLoop({ model, catalog, runCode: run, typeCheck }, { task: 'x' });
    expect(run.codes).toEqual([]);
    expect(r).toMatchObject({ ok: false, stopReason: 'answered', answer: 'Done: everything worked.' });
    expect(r.lastRun).toBeUndefined();
  });

  it('model error: says the model failed instead of answering', async () => {
    const model = createFakeModel([{ error: 'quota exceeded for this model' }]);
    const r = await runAgentLoop({ model, catalog, runCode: scriptedRun([]) }, { task: 'x' });
    expect(r).toMatchObject({ ok: false, stopReason: 'model_error', answer: 'The language model (fake-model) failed: quota exceeded for this model.' });
  });

  it('answers search_tools / describe_tool lookups before code', async () => {
    const model = createFakeModel(['search_tools: remove a bug\ndescribe_tool: tracker.deleteIssue', 'No code needed: I will not delete anything.']);
    const progress: AgentProgress[] = [];
    await runAgentLoop({ model, catalog, runCode: scriptedRun([]) }, { task: 'x', onProgress: (p) => progress.push(p) });
    const reply = model.prompts[1]?.at(-1)?.content ?? '';
    // Server text is framed as untrusted data, after the one-line note.
    expect(reply).toMatch(
      /search_tools "remove a bug":\nNote: [^\n]+\n\n<<<untrusted-data id=[0-9a-f]{16} label="search_tools results">>>\n\/\*\* Permanently delete an issue\. \*\/\ntools\.tracker\.deleteIssue\(input: \{ repo: string; number: number \}\): Promise<unknown>/,
    );
    expect(reply).toMatch(/describe_tool "tracker\.deleteIssue":\nNote: [^\n]+\n\n<<<untrusted-data id=[0-9a-f]{16} label="describe_tool stub">>>\n\/\/ servers\/tracker\/deleteIssue\.ts\n/);
    expect(reply).toContain('export declare function deleteIssue(input: DeleteIssueInput)');
    expect(progress.filter((p) => p.type === 'lookup')).toHaveLength(2);
  });
});
