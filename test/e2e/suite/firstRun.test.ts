// The first ten minutes, in the extension host (issue "6 of 10"): a run started while the catalog
// is still loading waits for it instead of saying "no MCP server is configured", and two runs go
// at once, each with its own trace, both shown while they run.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import type { RunsNode } from '../../../src/extension/views/runsTree';
import { after, before, suite, test } from '../runner';
import { activateExtension, REPO_ROOT, waitFor, workspaceDir } from './util';

let api: ToolWeaverApi;
const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

function script(name: string, body: string): vscode.Uri {
  const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `/// <reference path="../stubs/tools.d.ts" />\n${body}`);
  return vscode.Uri.file(file);
}

const mcpJson = () => path.join(workspaceDir(), '.vscode', 'mcp.json');

/** server-everything behind a launcher that waits `delayMs` first: a slow server, like npx on a cold cache. */
function slowEverything(delayMs: number): string {
  const launcher = path.join(process.env.TOOLWEAVER_E2E_TMP ?? workspaceDir(), `slow-everything-${Date.now()}.mjs`);
  writeFileSync(launcher, `await new Promise((r) => setTimeout(r, ${delayMs}));\nawait import(${JSON.stringify(pathToFileURL(EVERYTHING).href)});\n`);
  return launcher;
}

suite('first run journeys', () => {
  before(async () => {
    api = (await activateExtension()).exports as ToolWeaverApi;
    await api.catalog.settled();
  }, 60_000);

  after(async () => {
    rmSync(mcpJson(), { force: true });
    await api.catalog.refresh();
  });

  test("VS Code's own chat tools stay out by default; the allow-list brings in a source or one tool", async () => {
    const config = vscode.workspace.getConfiguration('toolweaver');
    const lmServers = () => api.catalog.catalog.servers.filter((s) => s.source === 'vscode-lm');
    try {
      await config.update('catalog.languageModelTools', undefined, vscode.ConfigurationTarget.Workspace);
      await api.catalog.refresh();
      assert.deepEqual(lmServers().map((s) => s.name), [], 'language-model tools entered without being allowed');
      assert.ok(vscode.lm.tools.some((t) => t.name === 'run_in_terminal'), 'this VS Code lists run_in_terminal (the test relies on it)');
      assert.ok(api.catalog.offeredLmSources.some((s) => s.id === 'vscode' && s.tools.some((t) => t.name === 'run_in_terminal')));

      await config.update('catalog.languageModelTools', ['run_in_terminal', 'vscode.mermaid-markdown-features'], vscode.ConfigurationTarget.Workspace);
      await waitFor('the allowed tools in the catalog', async () => {
        await api.catalog.settled();
        return lmServers().length === 2;
      }, 30_000);
      const byName = Object.fromEntries(lmServers().map((s) => [s.name, s.tools.map((t) => t.name)]));
      assert.deepEqual(byName.vscode, ['run_in_terminal']);
      assert.deepEqual(byName['vscode.mermaid-markdown-features'], ['renderMermaidDiagram']);
      assert.equal(api.catalog.originOf('vscode')?.id, 'lm:vscode');
      // ToolWeaver's own tools never come back in (a script calling run_code would recurse).
      assert.ok(!api.catalog.catalog.servers.some((s) => s.tools.some((t) => t.name.startsWith('toolweaver_'))));
    } finally {
      await config.update('catalog.languageModelTools', undefined, vscode.ConfigurationTarget.Workspace);
      await api.catalog.refresh();
    }
  }, { timeoutMs: 60_000 });

  test("the user profile's mcp.json: the file VS Code's 'MCP: Open User Configuration' opens, read with its origin", async () => {
    const file = api.catalog.userMcpJson;
    assert.ok(file, 'no user mcp.json path (globalStorageUri is not a file URI?)');
    await vscode.commands.executeCommand('workbench.mcp.openUserMcpJson');
    const opened = await waitFor('the user mcp.json editor', () => vscode.window.activeTextEditor?.document.uri, 20_000);
    assert.equal(path.normalize(opened.path), path.normalize(vscode.Uri.file(file).path), `VS Code opened ${opened.toString()}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const MEMORY = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ servers: { 'user-memory': { type: 'stdio', command: process.execPath, args: [MEMORY] } } }));
    try {
      await waitFor('the user server in the catalog', async () => {
        await api.catalog.refresh();
        return api.catalog.catalog.servers.some((s) => s.name === 'user-memory' && s.status.state === 'connected');
      }, 30_000, 1000);
      assert.deepEqual(api.catalog.originOf('user-memory'), { id: 'user', kind: 'user', label: 'user mcp.json' });
    } finally {
      rmSync(file, { force: true });
      await api.catalog.refresh();
    }
  }, { timeoutMs: 60_000 });

  test('a run started during a catalog refresh waits for it and runs against the new catalog', async () => {
    mkdirSync(path.dirname(mcpJson()), { recursive: true });
    writeFileSync(mcpJson(), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [slowEverything(2500)] } } }, null, 2));
    const uri = script('during-load.tw.ts', "export default async function main() {\n  return await tools.everything.echo({ message: 'waited' });\n}\n");
    const refreshing = api.catalog.refresh();
    assert.equal(api.catalog.isRefreshing, true, 'refresh() marks the catalog as loading at once');
    const t0 = Date.now();
    const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', uri)) as { trace: Trace } | undefined;
    await refreshing;
    assert.ok(outcome, `the run did not start: ${api.runs.lastRefusal?.reason}: ${api.runs.lastRefusal?.message}`);
    assert.equal(outcome.trace.status, 'ok', JSON.stringify(outcome.trace.error));
    assert.ok(Date.now() - t0 >= 2000, 'the run waited for the slow server');
    assert.ok(api.catalog.catalog.servers.some((s) => s.name === 'everything' && s.status.state === 'connected'));
    assert.equal(api.catalog.originOf('everything')?.label, '.vscode/mcp.json');
  }, { timeoutMs: 90_000 });

  test('two runs at once: both run, each with its own trace; status bar and Runs view show both', async () => {
    await api.catalog.settled();
    const body = (tag: string) => `export default async function main() {\n  await sleep(2500);\n  return await tools.everything.echo({ message: '${tag}' });\n}\n`;
    const a = script('parallel-a.tw.ts', body('a'));
    const b = script('parallel-b.tw.ts', body('b'));
    const runA = vscode.commands.executeCommand('toolweaver.runScript', a) as Thenable<{ trace: Trace } | undefined>;
    const runB = vscode.commands.executeCommand('toolweaver.runScript', b) as Thenable<{ trace: Trace } | undefined>;
    await waitFor('two runs in progress', () => api.runs.activeRuns().length === 2, 20_000);
    assert.deepEqual(api.runs.activeRuns().map((r) => r.name).sort(), ['parallel-a.tw.ts', 'parallel-b.tw.ts']);
    assert.match(api.statusBar.text, /2 runs/);
    const running = (await api.runsTree.getChildren()) as RunsNode[];
    assert.deepEqual(running.filter((n) => n.kind === 'running').map((n) => (n.kind === 'running' ? n.run.name : '')).sort(), ['parallel-a.tw.ts', 'parallel-b.tw.ts']);
    const [outA, outB] = await Promise.all([runA, runB]);
    assert.ok(outA && outB, `a run was refused: ${api.runs.lastRefusal?.message}`);
    assert.notEqual(outA.trace.id, outB.trace.id);
    assert.equal(outA.trace.status, 'ok');
    assert.equal(outB.trace.status, 'ok');
    // They overlapped in time (not one after the other).
    assert.ok(outA.trace.startedAtMs < outB.trace.endedAtMs! && outB.trace.startedAtMs < outA.trace.endedAtMs!, 'the runs did not overlap');
    await waitFor('no runs in progress', () => api.runs.activeRuns().length === 0, 10_000);
  }, { timeoutMs: 90_000 });

  test('Stop Run with several runs stops the one picked; the other finishes', async () => {
    const body = (ms: number) => `export default async function main() {\n  await sleep(${ms});\n  return 'done';\n}\n`;
    const long = vscode.commands.executeCommand('toolweaver.runScript', script('long.tw.ts', body(20_000))) as Thenable<{ trace: Trace } | undefined>;
    const short = vscode.commands.executeCommand('toolweaver.runScript', script('short.tw.ts', body(1500))) as Thenable<{ trace: Trace } | undefined>;
    await waitFor('two runs in progress', () => api.runs.activeRuns().length === 2, 20_000);
    const target = api.runs.activeRuns().find((r) => r.name === 'long.tw.ts')!;
    await vscode.commands.executeCommand('toolweaver.stopRun', target.id);
    const [l, s] = await Promise.all([long, short]);
    assert.equal(l?.trace.status, 'cancelled');
    assert.equal(s?.trace.status, 'ok');
  }, { timeoutMs: 90_000 });
});
