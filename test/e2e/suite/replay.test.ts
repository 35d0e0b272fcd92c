// The trace as a tape (issue "9 of 10"), in the extension host: Replay Run from the Runs view replays
// a demo run with no live call and the same value, and the learned-output-type CodeLens on a stub of
// server-everything (whose tools declare no outputSchema) accepts, pins and discards a learned type.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import type { RunsNode } from '../../../src/extension/views/runsTree';
import { after, before, suite, test } from '../runner';
import { activateExtension, readManifest, REPO_ROOT, waitFor, workspaceDir } from './util';

let api: ToolWeaverApi;
const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const mcpJson = () => path.join(workspaceDir(), '.vscode', 'mcp.json');

function script(name: string, body: string): vscode.Uri {
  const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `/// <reference path="../stubs/tools.d.ts" />\n${body}`);
  return vscode.Uri.file(file);
}

async function run(uri: vscode.Uri): Promise<Trace> {
  const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', uri)) as { trace: Trace } | undefined;
  assert.ok(outcome, `the run of ${path.basename(uri.fsPath)} did not start: ${api.runs.lastRefusal?.message ?? ''}`);
  return outcome.trace;
}

async function lensTitles(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The lens command needs the document open (a model); a closed file is an "Illegal argument".
  await vscode.workspace.openTextDocument(uri);
  return ((await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[]).filter((l) => l.command);
}

suite('replay and learned types', () => {
  before(async () => {
    api = (await activateExtension()).exports as ToolWeaverApi;
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
  }, 60_000);

  after(async () => {
    rmSync(mcpJson(), { force: true });
    await api.catalog.refresh();
  });

  test('Replay Run from the Runs view: no live call, the same value, the replay beside the original in the panel', async () => {
    const menus = JSON.stringify((readManifest().contributes as { menus?: unknown }).menus);
    assert.match(menus, /"command":"toolweaver.replayRun","when":"view == toolweaver.runs && viewItem == trace/);
    const uri = script('replayed.tw.ts', "const a = await tools.demo.get_order({ orderId: 'ord_00001' });\nconst b = await tools.demo.get_order({ orderId: 'ord_00002' });\nreturn { total: a.order.total, status: b.order.status };\n");
    const original = await run(uri);
    assert.equal(original.status, 'ok');
    api.runsTree.refresh();
    const node = ((await api.runsTree.getChildren()) as RunsNode[]).find((n) => n.kind === 'trace' && n.summary.id === original.id);
    assert.ok(node, 'the run is not in the Runs view');
    const t0 = Date.now();
    const replayed = (await vscode.commands.executeCommand('toolweaver.replayRun', node)) as { traceId: string; status: string; replay: { replayed: number; live: number; divergences: unknown[] }; sameValue: boolean } | undefined;
    console.log(`BENCH replay from the Runs view: ${Date.now() - t0} ms`);
    assert.ok(replayed, 'Replay Run returned nothing');
    assert.equal(replayed.status, 'ok');
    assert.deepEqual({ replayed: replayed.replay.replayed, live: replayed.replay.live, divergences: replayed.replay.divergences.length }, { replayed: 2, live: 0, divergences: 0 });
    assert.equal(replayed.sameValue, true);
    assert.equal(api.panel.currentTraceId, replayed.traceId, 'the panel does not show the replay');
    const after = (await api.runsTree.getChildren()) as RunsNode[];
    assert.ok(after.some((n) => n.kind === 'trace' && n.summary.id === replayed.traceId), 'the replay trace is not in the Runs view');

    // An edited script diverges: the replay stops at its line and says so.
    writeFileSync(uri.fsPath, readFileSync(uri.fsPath, 'utf8').replace("'ord_00002'", "'ord_00003'"));
    const diverged = await api.runs.replay(original.id, { source: readFileSync(uri.fsPath, 'utf8'), scriptPath: uri.fsPath });
    assert.ok(diverged);
    assert.equal(diverged.trace.status, 'failed');
    assert.equal(diverged.replay.divergences[0]?.line, 3);
  }, { timeoutMs: 90_000 });

  test('the learned-type CodeLens on a stub: Accept pins the type in the repo file, Discard goes back to unknown', async () => {
    mkdirSync(path.dirname(mcpJson()), { recursive: true });
    writeFileSync(mcpJson(), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] } } }));
    // The mcp.json watcher refreshes the catalog too: let it fire and settle, so the connection used is the last one.
    await new Promise((r) => setTimeout(r, 1500));
    await api.catalog.settled();
    await waitFor('server-everything in the catalog', async () => {
      await api.catalog.settled();
      return api.catalog.catalog.servers.some((s) => s.name === 'everything' && s.status.state === 'connected');
    }, 30_000);
    const trace = await run(script('echoes.tw.ts', "export default async function main() {\n  const out = [];\n  for (const message of ['a', 'b', 'c']) out.push(await tools.everything.echo({ message }));\n  return out.length;\n}\n"));
    assert.equal(trace.status, 'ok', JSON.stringify(trace.error));
    const learned = (await vscode.commands.executeCommand('toolweaver.inferOutputTypes')) as number;
    assert.ok(learned >= 1, `learned ${learned} types`);
    const dir = api.stubs.dir;
    assert.ok(dir);
    const stub = vscode.Uri.file(path.join(dir, 'servers', 'everything', 'echo.ts'));
    // At least this test's 3 calls: the first-run journeys called echo in the same folder before.
    await waitFor('the learned type in the stub', () => /\/\*\* Output type inferred from \d+ calls/.test(readFileSync(stub.fsPath, 'utf8')), 20_000);
    assert.match(readFileSync(stub.fsPath, 'utf8'), /export type EchoOutput = string;/);
    const lenses = await lensTitles(stub);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Accept', 'Re-infer', 'Discard']);

    const accept = lenses[0]!.command!;
    assert.equal(await vscode.commands.executeCommand(accept.command, ...(accept.arguments ?? [])), true);
    const pinnedFile = path.join(workspaceDir(), '.toolweaver', 'pinned-types.json');
    assert.ok(existsSync(pinnedFile));
    assert.ok((JSON.parse(readFileSync(pinnedFile, 'utf8')) as { tools: Record<string, unknown> }).tools['everything/echo']);
    await waitFor('the pinned lens', async () => (await lensTitles(stub)).some((l) => l.command?.title.includes('Pinned')), 20_000);

    const discard = (await lensTitles(stub)).find((l) => l.command?.title === 'Discard')!.command!;
    await vscode.commands.executeCommand(discard.command, ...(discard.arguments ?? []));
    await waitFor('the stub back to unknown', () => /export type EchoOutput = unknown;/.test(readFileSync(stub.fsPath, 'utf8')), 20_000);
  }, { timeoutMs: 120_000 });
});
