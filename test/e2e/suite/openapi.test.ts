// An OpenAPI source in VS Code (issue "10 of 10"): the toolweaver.catalog.openapi setting brings the
// fixture notes API into the catalog, its stubs are written, and a script pages through it; the
// bearer token (from ${env:}) reaches the API but neither the script's value nor the trace.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import { startNotesApi, type NotesApi } from '../../fixtures/openapi/notesApi';
import { after, before, suite, test } from '../runner';
import { activateExtension, REPO_ROOT, waitFor, workspaceDir } from './util';

const TOKEN = 'tw-e2e-notes-token-51d2';
let api: ToolWeaverApi;
let notes: NotesApi;

suite('OpenAPI sources', () => {
  before(async () => {
    api = (await activateExtension()).exports as ToolWeaverApi;
    await api.catalog.settled();
    notes = await startNotesApi({ token: TOKEN });
  }, 60_000);

  after(async () => {
    await vscode.workspace.getConfiguration('toolweaver').update('catalog.openapi', undefined, vscode.ConfigurationTarget.Workspace);
    await api.catalog.refresh();
    await notes.close();
    delete process.env.TW_E2E_NOTES_TOKEN;
  });

  test('the toolweaver.catalog.openapi setting: an API as a server, its stubs, a script that calls it with the token kept on the host', async () => {
    process.env.TW_E2E_NOTES_TOKEN = TOKEN;
    const spec = path.join(REPO_ROOT, 'test', 'fixtures', 'openapi', 'notes.yaml');
    await vscode.workspace
      .getConfiguration('toolweaver')
      .update('catalog.openapi', { notes: { spec, baseUrl: notes.url, auth: { type: 'bearer', token: '${env:TW_E2E_NOTES_TOKEN}' } } }, vscode.ConfigurationTarget.Workspace);
    const server = await waitFor('the notes API in the catalog', async () => {
      await api.catalog.settled();
      return api.catalog.catalog.servers.find((s) => s.name === 'notes' && s.status.state === 'connected');
    }, 30_000);
    console.log('    notes API connected');
    assert.equal(server.source, 'openapi');
    assert.equal(server.tools.length, 9);
    const stub = path.join(workspaceDir(), '.toolweaver', 'stubs', 'servers', 'notes', 'listNotes.ts');
    await waitFor('the notes stubs', () => existsSync(stub), 20_000);

    const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'notes-pages.tw.ts');
    writeFileSync(
      file,
      '/// <reference path="../stubs/tools.d.ts" />\nexport default async function main() {\n  const ids: string[] = [];\n  let cursor: string | undefined;\n  do {\n    const page = await tools.notes.listNotes({ query: { limit: 2, ...(cursor ? { cursor } : {}) } });\n    ids.push(...page.items.map((n) => n.id));\n    cursor = page.next ?? undefined;\n  } while (cursor);\n  return { ids, tools: JSON.stringify(tools) };\n}\n',
    );
    console.log('    stubs written; running the script');
    const before = notes.authorizations.length;
    const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', vscode.Uri.file(file))) as { trace: Trace } | undefined;
    assert.ok(outcome, `the run did not start: ${api.runs.lastRefusal?.reason}: ${api.runs.lastRefusal?.message}`);
    assert.equal(outcome.trace.status, 'ok', JSON.stringify(outcome.trace.error));
    const text = JSON.stringify(outcome.trace);
    assert.match(text, /n1.*n5/);
    assert.ok(!text.includes(TOKEN), 'the token is in the trace');
    assert.deepEqual(notes.authorizations.slice(before), Array(3).fill(`Bearer ${TOKEN}`));
  }, { timeoutMs: 90_000 });
});
