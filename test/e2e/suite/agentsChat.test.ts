// @toolweaver in a real VS Code: the chat handler driven with a scripted vscode.LanguageModelChat
// (no model provider is signed in here). The script runs through RunService (a trace with origin
// 'chat'), a type error goes back to the model, and the stream ends with the answer, the trace
// button and the token account. A failing model ends the turn without an invented answer.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createChatHandler } from '../../../src/extension/agents/chatParticipant';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import { before, suite, test } from '../runner';
import { activateExtension, waitFor } from './util';

let api: ToolWeaverApi;
let extensionUri: vscode.Uri;

/** A chat model that replays replies (an Error rejects) and records the prompts it got. */
function scriptedChatModel(replies: Array<string | Error>): vscode.LanguageModelChat & { prompts: string[][] } {
  const prompts: string[][] = [];
  const model = {
    id: 'e2e-fake', vendor: 'e2e', family: 'fake', name: 'Fake', version: '1', maxInputTokens: 100_000,
    prompts,
    countTokens: async (text: string | vscode.LanguageModelChatMessage) => Math.ceil((typeof text === 'string' ? text : JSON.stringify(text.content)).length / 4),
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      prompts.push(messages.map((m) => m.content.map((p) => (p as { value?: unknown }).value).join('')));
      const next = replies.shift();
      if (next === undefined || next instanceof Error) throw next ?? new Error('no scripted reply left');
      return { text: (async function* () { yield next; })(), stream: (async function* () { yield new vscode.LanguageModelTextPart(next); })() };
    },
  };
  return model as unknown as vscode.LanguageModelChat & { prompts: string[][] };
}

function recordingStream(): vscode.ChatResponseStream & { progressLines: string[]; md: string[]; buttons: vscode.Command[] } {
  const progressLines: string[] = [];
  const md: string[] = [];
  const buttons: vscode.Command[] = [];
  const stream = {
    progressLines, md, buttons,
    progress: (v: string) => void progressLines.push(v),
    markdown: (v: string | vscode.MarkdownString) => void md.push(typeof v === 'string' ? v : v.value),
    button: (c: vscode.Command) => void buttons.push(c),
  };
  return stream as unknown as vscode.ChatResponseStream & typeof stream;
}

async function ask(prompt: string, model: vscode.LanguageModelChat, stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
  const handler = createChatHandler({ catalog: api.catalog, runs: api.runs, typeCheck: api.typeCheck, extensionUri });
  const request = { prompt, model, command: undefined, references: [], toolReferences: [], toolInvocationToken: undefined } as unknown as vscode.ChatRequest;
  const cts = new vscode.CancellationTokenSource();
  try {
    return ((await handler(request, { history: [] }, stream, cts.token)) ?? {}) as vscode.ChatResult;
  } finally {
    cts.dispose();
  }
}

suite('agents chat', () => {
  before(async () => {
    const ext = await activateExtension();
    api = ext.exports as ToolWeaverApi;
    extensionUri = ext.extensionUri;
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
  }, 60_000);

  test('type error → repair → run → answer with the trace button and the token account', async () => {
    const model = scriptedChatModel([
      '```ts\nconst r = await tools.demo.list_tickets({ limit: 2 });\nreturn r.tickets.lenght;\n```',
      '```ts\nconst r = await tools.demo.list_tickets({ limit: 2 });\nreturn r.tickets.length;\n```',
      'The first page has 2 tickets.',
    ]);
    const stream = recordingStream();
    const result = await ask('How many tickets on the first page of 2?', model, stream);
    const meta = result.metadata as { stopReason: string; traceId?: string; iterations: number };
    assert.equal(meta.stopReason, 'answered');
    assert.equal(meta.iterations, 3);
    assert.match(model.prompts[0]?.[0] ?? '', /^Instructions:\n/);
    assert.match(model.prompts[1]?.at(-1) ?? '', /did not type-check[\s\S]*line 2, col \d+: Property 'lenght'/);
    const text = stream.md.join('');
    assert.match(text, /^The first page has 2 tickets\./);
    assert.match(text, /3 model requests, [\d,]+ tokens \([\d,]+ in, [\d,]+ out; estimated\)\. Last run tokens: [\d,]+ with code mode/);
    assert.ok(meta.traceId);
    assert.deepEqual(stream.buttons, [{ command: 'toolweaver.openTrace', title: 'Open Trace', arguments: [meta.traceId] }]);
    const trace = await api.runs.store()!.read(meta.traceId);
    assert.equal(trace.origin, 'chat');
    assert.equal(trace.status, 'ok');
    assert.ok(stream.progressLines.includes('Asking the model for a script…'));
  }, { timeoutMs: 60_000 });

  test('a failing model ends the turn plainly, with no trace and no invented answer', async () => {
    const model = scriptedChatModel([new Error('model quota exhausted')]);
    const stream = recordingStream();
    const result = await ask('Anything', model, stream);
    assert.equal((result.metadata as { stopReason: string }).stopReason, 'model_error');
    assert.match(stream.md[0] ?? '', /^The language model \(e2e\/fake \(Fake\)\) failed: .*model quota exhausted/);
    assert.deepEqual(stream.buttons, []);
  }, { timeoutMs: 30_000 });
});
