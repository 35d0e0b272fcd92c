// Skills, the parts added after the first cut (issue 16), in a real VS Code: `@toolweaver /skill` asks the
// (scripted) chat model which literals of the chat's last run become inputs and offers Save Run as Skill…
// with them; toolweaver.skills.folder moves the skills folder for saving, loading and the MCP server
// definition; tools.d.ts references skills.d.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { createChatHandler } from '../../../src/extension/agents/chatParticipant';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import { before, suite, test } from '../runner';
import { activateExtension, waitFor, workspaceDir } from './util';

let api: ToolWeaverApi;
let extensionUri: vscode.Uri;

function chatModel(reply: string): vscode.LanguageModelChat & { prompts: string[] } {
  const prompts: string[] = [];
  const model = {
    id: 'e2e-fake', vendor: 'e2e', family: 'fake', name: 'Fake', version: '1', maxInputTokens: 100_000,
    prompts,
    countTokens: async (text: string | vscode.LanguageModelChatMessage) => Math.ceil((typeof text === 'string' ? text : JSON.stringify(text.content)).length / 4),
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      prompts.push(messages.map((m) => m.content.map((p) => (p as { value?: unknown }).value).join('')).join('\n'));
      return { text: (async function* () { yield reply; })(), stream: (async function* () { yield new vscode.LanguageModelTextPart(reply); })() };
    },
  };
  return model as unknown as vscode.LanguageModelChat & { prompts: string[] };
}

suite('skills chat and folder', () => {
  before(async () => {
    const ext = await activateExtension();
    api = ext.exports as ToolWeaverApi;
    extensionUri = ext.extensionUri;
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
  }, 60_000);

  test('/skill proposes the parameters, the skills folder setting moves saving, loading and the MCP definition', async () => {
    const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'latam-chat.tw.ts');
    writeFileSync(file, "const r = await tools.demo.search_customers({ filters: { region: ['latam'] }, limit: 2 });\nreturn { count: r.customers.length };\n");
    const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', vscode.Uri.file(file))) as { trace: Trace } | undefined;
    assert.equal(outcome?.trace.status, 'ok');
    const traceId = outcome.trace.id;

    // The chat's history: our earlier response carries the run's trace id in its metadata.
    const Req = vscode.ChatRequestTurn as unknown as new (...a: unknown[]) => vscode.ChatRequestTurn;
    const Res = vscode.ChatResponseTurn as unknown as new (...a: unknown[]) => vscode.ChatResponseTurn;
    const history = [new Req('Top customers in latam', undefined, [], 'toolweaver.agent', []), new Res([], { metadata: { traceId } }, 'toolweaver.agent')];
    const model = chatModel('{"params":[{"name":"region","literal":"\'latam\'","type":"string","reason":"the region to list"},{"name":"nope","literal":"\'mars\'","type":"string"}]}');
    const md: string[] = [];
    const buttons: vscode.Command[] = [];
    const stream = { progress: () => undefined, markdown: (v: string | vscode.MarkdownString) => void md.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => void buttons.push(c) };
    const handler = createChatHandler({ catalog: api.catalog, runs: api.runs, typeCheck: api.typeCheck, extensionUri });
    const request = { prompt: 'latam_top', command: 'skill', model, references: [], toolReferences: [], toolInvocationToken: undefined } as unknown as vscode.ChatRequest;
    const cts = new vscode.CancellationTokenSource();
    await handler(request, { history } as unknown as vscode.ChatContext, stream as unknown as vscode.ChatResponseStream, cts.token);
    cts.dispose();
    assert.match(model.prompts[0] ?? '', /The task was: Top customers in latam/);
    assert.match(md.join(''), /- `region: string` — was `'latam'` \(the region to list\)/);
    assert.match(md.join(''), /Left out: nope: 'mars' is not a literal of the script\./);
    const proposal = { traceId, name: 'latam_top', proposed: [{ name: 'region', literal: "'latam'", type: 'string', reason: 'the region to list' }] };
    assert.deepEqual(buttons, [{ command: 'toolweaver.saveRunAsSkill', title: 'Save Run as Skill…', arguments: [traceId, { proposal }] }]);

    // tools.d.ts references skills.d.ts, so a scripts tsconfig that predates skills still sees them.
    const stubsDir = api.stubs.dir!;
    await waitFor('tools.d.ts with its reference', () => existsSync(path.join(stubsDir, 'tools.d.ts')) && readFileSync(path.join(stubsDir, 'tools.d.ts'), 'utf8').split('\n')[1] === '/// <reference path="./skills.d.ts" />', 30_000);

    // toolweaver.skills.folder: saving, loading and the MCP server definition follow it.
    const config = vscode.workspace.getConfiguration('toolweaver');
    await config.update('skills.folder', 'team-skills', vscode.ConfigurationTarget.Workspace);
    try {
      const skillsDir = path.join(workspaceDir(), 'team-skills');
      assert.equal(api.skills.dir, skillsDir);
      const saved = (await vscode.commands.executeCommand('toolweaver.saveRunAsSkill', traceId, { name: 'latam_top', params: proposal.proposed.map(({ name, literal }) => ({ name, literal })) })) as string | undefined;
      assert.equal(saved, path.join(skillsDir, 'latam_top.ts'));
      assert.match(readFileSync(saved, 'utf8'), /filters: \{ region: \[input\.region\] \}/);
      await waitFor('the skill loaded from team-skills', () => api.skills.skills.some((s) => s.name === 'latam_top' && s.file === saved), 30_000);
      const args = api.mcpServerDefinition()?.args ?? [];
      assert.equal(args[args.indexOf('--skills') + 1], skillsDir, JSON.stringify(args));
      // A malformed second argument is refused, nothing written.
      assert.equal(await vscode.commands.executeCommand('toolweaver.saveRunAsSkill', traceId, { proposal: { proposed: [{ name: '9', literal: 'x', type: 'string' }] } }), undefined);
    } finally {
      await config.update('skills.folder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  }, { timeoutMs: 120_000 });
});
