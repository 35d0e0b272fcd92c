// Skills in a real VS Code (issue 16): Save Run as Skill on a recorded run, a script calling the saved skill
// (a skill span with its version), completion of `skills.`, and the Tools view's Skills entry with its record.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import type { ToolsNode } from '../../../src/extension/views/toolsTree';
import { before, suite, test } from '../runner';
import { activateExtension, waitFor, workspaceDir } from './util';

let api: ToolWeaverApi;

function script(name: string, body: string): vscode.Uri {
  const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `/// <reference path="../stubs/tools.d.ts" />\n/// <reference path="../stubs/skills.d.ts" />\n${body}`);
  return vscode.Uri.file(file);
}

async function run(uri: vscode.Uri): Promise<Trace> {
  const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', uri)) as { trace: Trace } | undefined;
  assert.ok(outcome, 'Run Script did not run');
  return outcome.trace;
}

suite('skills journeys', () => {
  before(async () => {
    api = (await activateExtension()).exports as ToolWeaverApi;
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
    await waitFor('the demo skill', () => api.skills.skills.some((s) => s.name === 'account_review'), 30_000);
  }, 60_000);

  test('Save Run as Skill, a script calling it, completion of skills. and the Tools view entry with its record', async () => {
    const recorded = await run(script('apac.tw.ts', "const r = await tools.demo.search_customers({ filters: { region: ['apac'] }, limit: 3 });\nreturn { count: r.customers.length };\n"));
    assert.equal(recorded.status, 'ok');

    // Save Run as Skill… (the Runs view's item command), answering its two prompts.
    const file = (await vscode.commands.executeCommand('toolweaver.saveRunAsSkill', recorded.id, { name: 'apac_top', params: [{ name: 'region', literal: "'apac'" }] })) as string | undefined;
    assert.ok(file && existsSync(file), `no skill file (${String(file)})`);
    assert.equal(file, path.join(workspaceDir(), '.toolweaver', 'skills', 'apac_top.ts'));
    const text = readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`^// toolweaver:from-trace ${recorded.id}`));
    assert.match(text, /filters: \{ region: \[input\.region\] \}/);
    await waitFor('the saved skill loaded', () => api.skills.skills.some((s) => s.name === 'apac_top'), 30_000);

    // A script calls it inside its run: a skill span with the file's version around the tool call.
    const called = await run(script('use-skill.tw.ts', "const a = await skills.apac_top({ region: 'emea' });\nreturn a.count;\n"));
    assert.equal(called.status, 'ok', JSON.stringify(called.error));
    const span = called.spans.find((s) => s.kind === 'helper' && s.helper === 'skill');
    const hash = api.skills.skills.find((s) => s.name === 'apac_top')?.hash;
    assert.ok(span && span.kind === 'helper' && span.attrs['hash'] === hash, JSON.stringify(called.spans));
    assert.ok(called.spans.some((s) => s.kind === 'tool' && s.parentId === span.id));

    // Completion after `skills.` offers the saved skill and the demo's.
    const uri = script('complete.tw.ts', 'const x = await skills.\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const labels = await waitFor('skills in completion', async () => {
      const list = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 23), '.')) as vscode.CompletionList;
      const l = list.items.map(labelOf);
      return l.includes('apac_top') && l.includes('account_review') ? l : undefined;
    }, 45_000, 500);
    assert.ok(labels.includes('apac_top'));

    // The Tools view: a Skills group, the skill with its record from the traces.
    const described = await waitFor('the record in the Tools view', () => {
      const group = api.toolsTree.getChildren().find((n: ToolsNode) => n.kind === 'skills');
      const entry = group ? api.toolsTree.getChildren(group).find((n) => n.kind === 'skill' && n.skill.name === 'apac_top') : undefined;
      const item = entry ? api.toolsTree.getTreeItem(entry) : undefined;
      return typeof item?.description === 'string' && item.description.startsWith('1 run') ? item.description : undefined;
    }, 20_000);
    assert.match(described, /^1 run · 100 % ok · median \d+ ms/);
    assert.ok(described.endsWith(`· ${hash}`), described);
  }, { timeoutMs: 150_000 });
});
