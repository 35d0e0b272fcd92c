// Issue 11's leak on the model paths inside the editor, through the core functions the adapters
// call (src/extension is a thin layer over them): the @toolweaver chat loop and the LM tool's
// reply (createExecuteRunCode + formatRunOutcome, as RunService/executeRun run them) and llm()
// prompts (executeRun + LlmBridge over the scripted fake model). Real QuickJS sandbox, real
// server-everything over stdio with MY_TOKEN in its env.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmBridge } from '../../../src/core/llm/llmBridge';
import { createExecuteRunCode } from '../../../src/core/agents/runCode';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { createPrivacyVault } from '../../../src/core/firewall/vault';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { runOutcomeText } from '../../../src/extension/agents/agentText';
import { runChatTurn, type ChatSink } from '../../../src/extension/agents/chatTurn';
import { createFakeModel } from '../../fixtures/fakeModel';

const EVERYTHING = path.resolve(__dirname, '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const SECRET = 'supersecret123';
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-fw-agent-'));
const sandbox = createSandbox({ poolSize: 1 });
let loaded: LoadedCatalog;

beforeAll(async () => {
  loaded = await loadCatalog({ cwd, servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: { MY_TOKEN: SECRET } } } });
  expect(loaded.catalog.servers[0]?.status.state).toBe('connected');
}, 60_000);
afterAll(async () => {
  await sandbox.dispose();
  await loaded?.close();
  rmSync(cwd, { recursive: true, force: true });
});

const fence = (code: string): string => `\`\`\`ts\n${code}\n\`\`\``;
const GET_ENV = 'const env = await tools.everything.get_env({});\nconsole.log(JSON.stringify(env));\nreturn env;';
const ECHO_PLACEHOLDER = "const r = await tools.everything.echo({ message: 'token=«secret:MY_TOKEN»' });\nreturn { restored: JSON.stringify(r).includes('supersecret' + '123') };";

function sink(): ChatSink & { text(): string } {
  const md: string[] = [];
  return { progress: () => undefined, markdown: (t) => md.push(t), traceLink: () => undefined, text: () => md.join('') };
}

function runCodeFor(vault = createPrivacyVault()) {
  return createExecuteRunCode({ sandbox, catalog: loaded.catalog, invoker: loaded.invoker, secrets: loaded.secrets, traceDir: path.join(cwd, 'traces'), origin: 'chat', firewall: vault });
}

describe('the chat participant loop (runChatTurn → runAgentLoop → executeRun)', () => {
  it('the model never sees the secret; the placeholder it writes into the next script reaches the tool as the real value', async () => {
    const model = createFakeModel([fence(GET_ENV), fence(ECHO_PLACEHOLDER), 'The token was passed on.']);
    const s = sink();
    const turn = await runChatTurn({ model, catalog: loaded.catalog, runCode: runCodeFor() }, { task: 'Pass MY_TOKEN to echo.', maxIterations: 6, maxTokens: 60_000, signal: new AbortController().signal }, s);
    expect(turn.error).toBeUndefined();
    const sent = model.prompts.flat().map((m) => m.content).join('\n');
    expect(sent).not.toContain(SECRET);
    expect(sent).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    expect(sent).toContain('Privacy: 1 secret in this output was replaced by placeholders');
    expect(turn.result?.lastRun?.result).toMatchObject({ ok: true, value: { restored: true } });
    expect(s.text()).not.toContain(SECRET);
    expect(model.remaining()).toBe(0);
  }, 60_000);

  it('a new conversation (another vault) cannot restore the first one\'s placeholder', async () => {
    const first = runCodeFor();
    await first(GET_ENV, { language: 'ts' });
    const other = await runCodeFor()(ECHO_PLACEHOLDER, { language: 'ts' });
    expect(other.result).toMatchObject({ ok: true, value: { restored: false } });
    const same = await first(ECHO_PLACEHOLDER, { language: 'ts' });
    expect(same.result).toMatchObject({ ok: true, value: { restored: true } });
  }, 60_000);
});

describe('the LM tool reply (toolweaver_run_code)', () => {
  it('the text the model reads has the placeholder in value and logs; modelValue is the firewalled value', async () => {
    const outcome = await runCodeFor()(GET_ENV, { language: 'ts' });
    const text = runOutcomeText(outcome);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    expect(text).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    expect((outcome.modelValue as Record<string, string>).MY_TOKEN).toBe('«secret:MY_TOKEN»');
    expect(outcome.withheld).toEqual({ total: 1, byKind: { secrets: 1 } });
  }, 60_000);
});

describe('llm() prompts (executeRun + LlmBridge over the scripted fake model)', () => {
  it('the prompt carries the placeholder, the script gets the reply with real values, the trace counts what was withheld', async () => {
    const model = createFakeModel([{ text: 'It is «secret:MY_TOKEN», ask ada@example.com.' }]);
    const { result, model: firewalled, trace } = await executeRun({
      source: "const env = await tools.everything.get_env({});\nconst answer = await llm('Which token? ' + JSON.stringify(env) + ' owner ada@example.com', { system: 'Answer briefly.' });\nreturn { answer, restored: answer.includes('supersecret' + '123') };",
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      secrets: loaded.secrets,
      sandbox,
      traceDir: path.join(cwd, 'traces'),
      llm: createLlmBridge({ model }),
      firewall: createPrivacyVault(),
      tokenizer: false,
    });
    const prompt = model.prompts.flat().map((m) => m.content).join('\n');
    expect(prompt).not.toContain(SECRET);
    expect(prompt).not.toContain('ada@example.com');
    expect(prompt).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    expect(prompt).toContain('owner «email_1»');
    // The script saw the real values; what goes back to the model has the placeholders again.
    expect(result).toMatchObject({ ok: true, value: { restored: true, answer: `It is ${SECRET}, ask ada@example.com.` } });
    expect(firewalled?.result).toMatchObject({ ok: true, value: { restored: true, answer: 'It is «secret:MY_TOKEN», ask «email_1».' } });
    expect(trace.withheld).toEqual({ total: 2, byKind: { secrets: 1, emails: 1 } });
  }, 60_000);
});
