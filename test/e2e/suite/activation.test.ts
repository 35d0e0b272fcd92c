// The extension loads and activates in a real VS Code, and every command the manifest contributes
// is registered. Reads package.json at run time so the checks grow with the manifest.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from '../runner';
import { activateExtension, extensionId, readManifest, REPO_ROOT } from './util';

suite('activation', () => {
  test('the extension is installed from the development path and activates', async () => {
    const ext = await activateExtension();
    assert.equal(ext.id.toLowerCase(), extensionId().toLowerCase());
    assert.equal(ext.isActive, true);
    assert.equal(vscode.Uri.file(REPO_ROOT).fsPath, ext.extensionUri.fsPath);
  });

  test('runs in a Node extension host with a workspace open', () => {
    assert.equal(typeof process.versions.node, 'string');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
  });

  test('every contributed command is registered', async () => {
    await activateExtension();
    const declared = (readManifest().contributes?.commands ?? []).map((c) => c.command);
    for (const id of declared) assert.match(id, /^toolweaver\./, `command ${id} lacks the toolweaver. prefix`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered by activate(): ${missing.join(', ')}`);
  });
});
