// The extension's journeys in a real VS Code: the demo catalog in the Tools tree, a real reference
// MCP server from a watched .vscode/mcp.json, stubs on disk, Run Script leaving a trace that the
// Runs tree and the panel show, the editor features (completion, hover, quick fixes, CodeLens),
// export, and the figures of the issue's benchmark (printed as BENCH lines).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Trace } from '../../../src/core/trace/schema';
import type { ToolWeaverApi } from '../../../src/extension/extension';
import type { RunsNode } from '../../../src/extension/views/runsTree';
import type { ToolsNode } from '../../../src/extension/views/toolsTree';
import { after, before, suite, test } from '../runner';
import { activateExtension, REPO_ROOT, waitFor, workspaceDir } from './util';

let api: ToolWeaverApi;

const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

function scriptsDir(): string {
  const dir = path.join(workspaceDir(), '.toolweaver', 'scripts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeScript(name: string, body: string): vscode.Uri {
  const file = path.join(scriptsDir(), name);
  writeFileSync(file, `/// <reference path="../stubs/tools.d.ts" />\n${body}`);
  return vscode.Uri.file(file);
}

function mcpJsonPath(): string {
  return path.join(workspaceDir(), '.vscode', 'mcp.json');
}

async function runScript(uri: vscode.Uri): Promise<{ trace: Trace; traceFile: string }> {
  const outcome = (await vscode.commands.executeCommand('toolweaver.runScript', uri)) as { trace: Trace; traceFile: string } | undefined;
  assert.ok(outcome, 'Run Script did not run (type errors, no catalog or a run already in progress?)');
  return outcome;
}

function bench(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name}: ${value.toFixed(1)} ${unit}`);
}

/** A synthetic trace with `n` tool spans under map/retry helpers, for the panel's render figure. */
function bigTrace(n: number): Trace {
  const spans: Trace['spans'] = [{ kind: 'helper', id: 'h0', startMs: 0, endMs: n / 10, status: 'ok', helper: 'map', attrs: { items: n, concurrency: 16 } }];
  for (let i = 0; i < n; i++) {
    spans.push({
      kind: 'tool', id: `s${i}`, parentId: 'h0', startMs: i / 16, endMs: i / 16 + 2, status: i % 97 === 0 ? 'error' : 'ok', server: 'demo', tool: 'get_customer',
      args: { value: { customerId: `cus_${i}` }, bytes: 24, truncated: false }, result: { value: { ok: true }, bytes: 11, truncated: false }, attempt: 1, cached: false,
    });
  }
  const now = Date.now();
  return {
    version: 1, id: `${new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${String(now % 1000).padStart(3, '0')}-abcdef0123`,
    origin: 'e2e', script: { sha256: '0'.repeat(64), bytes: 0, language: 'ts' }, catalogId: 'synthetic',
    limits: { timeoutMs: 30000, memoryMb: 64, stackKb: 512, maxToolCalls: 100000, maxConcurrency: 32, toolCallTimeoutMs: 15000, maxSourceBytes: 1, maxResultBytes: 1, maxLogBytes: 1 },
    startedAt: new Date(now).toISOString(), startedAtMs: now, endedAt: new Date(now).toISOString(), endedAtMs: now + n / 10, status: 'ok',
    logs: [], spans, truncations: [], redactions: 0,
    stats: { durationMs: n / 10, toolCalls: n, cachedCalls: 0, failedToolCalls: Math.ceil(n / 97), peakConcurrency: 16, logBytesDropped: 0 },
  };
}

suite('extension journeys', () => {
  before(async () => {
    api = (await activateExtension()).exports as ToolWeaverApi;
    bench('activation', api.activationMs, 'ms');
    await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
    await waitFor('the demo catalog', () => api.catalog.state === 'ready' && api.catalog.catalog.servers.some((s) => s.name === 'demo'), 30_000);
  }, 60_000);

  after(async () => {
    rmSync(mcpJsonPath(), { force: true });
    await api.catalog.refresh();
  });

  test('the Tools tree lists the demo server and its tools with annotations', () => {
    const roots = api.toolsTree.getChildren() as ToolsNode[];
    const demo = roots.find((n) => n.kind === 'server' && n.server.name === 'demo');
    assert.ok(demo && demo.kind === 'server');
    const item = api.toolsTree.getTreeItem(demo);
    assert.match(String(item.description), /connected · 15 tools/);
    const tools = api.toolsTree.getChildren(demo) as ToolsNode[];
    assert.equal(tools.length, 15);
    const del = tools.find((t) => t.kind === 'tool' && t.tool.name === 'delete_ticket');
    assert.ok(del);
    assert.equal((api.toolsTree.getTreeItem(del).iconPath as vscode.ThemeIcon).id, 'warning', 'destructive tools are marked');
    assert.equal(api.toolsTree.getTreeItem(del).contextValue, 'tool');
  });

  test('Generate Stubs writes the stub tree and a scripts tsconfig; a second run changes nothing', async () => {
    const first = (await vscode.commands.executeCommand('toolweaver.generateStubs')) as { written: string[] } | undefined;
    assert.ok(first);
    const stubs = path.join(workspaceDir(), '.toolweaver', 'stubs');
    assert.ok(existsSync(path.join(stubs, 'tools.d.ts')));
    assert.ok(existsSync(path.join(stubs, 'servers', 'demo', 'get_customer.ts')));
    assert.ok(existsSync(path.join(workspaceDir(), '.toolweaver', 'scripts', 'tsconfig.json')));
    const second = (await vscode.commands.executeCommand('toolweaver.generateStubs')) as { written: string[]; unchanged: string[] };
    assert.deepEqual(second.written, []);
    assert.ok(second.unchanged.length >= 17);
  }, { timeoutMs: 60_000 });

  test('Run Script runs against the demo server, writes a trace, and the Runs tree and panel show it', async () => {
    const uri = writeScript('review.tw.ts', [
      'export default async function main() {',
      "  const page = await tools.demo.search_customers({ filters: { segment: ['enterprise'] }, limit: 8 });",
      '  const details = await map(page.customers, (c) => tools.demo.get_customer({ customerId: c.id, include: ["tickets"] }), { concurrency: 4 });',
      "  console.log('reviewed', details.length);",
      '  return details.map((d) => d.customer.id);',
      '}',
    ].join('\n'));
    await vscode.window.showTextDocument(uri);
    const rendered = api.panel.nextRender();
    const t0 = performance.now();
    const { trace, traceFile } = await runScript(uri);
    const shown = await rendered;
    bench('run-script-to-trace-shown', performance.now() - t0, 'ms');
    assert.equal(trace.status, 'ok');
    assert.ok(existsSync(traceFile));
    assert.equal(trace.spans.filter((s) => s.kind === 'tool').length, 9);
    assert.ok(trace.tokens && !trace.tokens.codeModeCostMore, 'token account present and in favour of code mode');
    assert.equal(shown.traceId, trace.id);
    assert.equal(shown.spans, trace.spans.length);
    // Runs tree: newest first, with the trace's spans as children.
    const runs = (await api.runsTree.getChildren()) as RunsNode[];
    assert.equal(runs[0]?.kind === 'trace' && runs[0].summary.id, trace.id);
    const spans = (await api.runsTree.getChildren(runs[0])) as RunsNode[];
    assert.ok(spans.some((n) => n.kind === 'span' && n.span.kind === 'helper' && n.span.helper === 'map'));
    assert.match(api.statusBar.text, /ToolWeaver: ok · 9 calls/);
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => t.includes('Run in sandbox')), titles.join(' | '));
    assert.ok(titles.some((t) => /Last run: ok · 9 calls/.test(t)), titles.join(' | '));
  }, { timeoutMs: 90_000 });

  test('a failing script leaves a failed trace with the script line of the error', async () => {
    const uri = writeScript('fails.tw.ts', ["const c = await tools.demo.get_customer({ customerId: 'cus_0001' });", "if (c.customer.id) throw new Error('boom on purpose');", 'return 1;'].join('\n'));
    const { trace } = await runScript(uri);
    assert.equal(trace.status, 'failed');
    assert.equal(trace.error?.code, 'guest_error');
    assert.equal(trace.error?.line, 3, 'line 3 of the file (line 2 of the script after the reference line)');
  }, { timeoutMs: 60_000 });

  test('the Tools view shows the observed figures of past runs: short in the row, one line in the tooltip', async () => {
    const uri = writeScript('observed.tw.ts', ["const a = await tools.demo.get_customer({ customerId: 'cus_0001' });", "const b = await tools.demo.get_customer({ customerId: 'cus_0002' });", 'return [a.customer.id, b.customer.id];'].join('\n'));
    const { trace } = await runScript(uri);
    assert.equal(trace.status, 'ok');
    await api.toolsTree.refreshFigures();
    const demo = (api.toolsTree.getChildren() as ToolsNode[]).find((n) => n.kind === 'server' && n.server.name === 'demo');
    assert.ok(demo);
    const tools = api.toolsTree.getChildren(demo) as ToolsNode[];
    const node = (name: string) => tools.find((t) => t.kind === 'tool' && t.tool.name === name) as ToolsNode;
    const item = await waitFor('figures in the get_customer row', () => {
      const it = api.toolsTree.getTreeItem(node('get_customer'));
      return /calls · p50 \d/.test(String(it.description)) ? it : undefined;
    }, 10_000);
    assert.match(String(item.description), /^\d+ calls · p50 \d+(\.\d)? m?s · /);
    // appendText escapes: spaces become &nbsp; and punctuation gets a backslash.
    const tooltip = (item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tooltip, /In this folder's past runs \(\d+ runs?\): \d+ calls, p50 \d+(\.\d)? m?s, p95 \d+(\.\d)? m?s, 0 % failed/);
    // A tool no run called has no figures.
    assert.doesNotMatch(String(api.toolsTree.getTreeItem(node('delete_ticket')).description), /calls/);
  }, { timeoutMs: 30_000 });

  test('call-site CodeLens: the observed figures of past runs at each tool call, and the retry suggestion', async () => {
    const uri = writeScript('hints.tw.ts', [
      "const c = await tools.demo.get_customer({ customerId: 'cus_0003' });",
      "let failed = 0; for (const k of ['e2e-h1', 'e2e-h2']) { try { await tools.demo.flaky_lookup({ key: k, failures: 1 }); } catch { failed++; } }",
      'return [c.customer.id, failed];',
    ].join('\n'));
    await vscode.window.showTextDocument(uri);
    const { trace } = await runScript(uri);
    assert.equal(trace.status, 'ok');
    const lenses = await waitFor('call-site lenses', async () => {
      const all = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[];
      return all.some((l) => l.command?.title.includes('observed:')) ? all : undefined;
    }, 15_000);
    const at = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
    // Line 2 of the file (after the reference line) calls get_customer; line 3 the flaky lookup.
    assert.ok(at(1).some((t) => /get_customer: observed: 1 call, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 0 % failed/.test(t)), at(1).join(' | '));
    assert.ok(at(2).some((t) => /flaky_lookup: observed: 2 calls, .*100 % failed/.test(t)), at(2).join(' | '));
    assert.ok(at(2).some((t) => t.includes('100 % of 2 calls here failed and the call is not inside retry()')), at(2).join(' | '));
    await vscode.workspace.getConfiguration('toolweaver').update('editor.callSiteHints', false, vscode.ConfigurationTarget.Global);
    try {
      const off = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[];
      assert.ok(!off.some((l) => l.command?.title.includes('observed:')), 'the setting turns the hints off');
    } finally {
      await vscode.workspace.getConfiguration('toolweaver').update('editor.callSiteHints', undefined, vscode.ConfigurationTarget.Global);
    }
  }, { timeoutMs: 60_000 });

  test('completion, hover, problems and quick fixes cooperate with TypeScript: one row and one problem per item', async () => {
    const uri = writeScript('edit.tw.ts', 'export default async function main() {\n  const a = await tools.demo.\n  const b = await tools.demo.get_custmer({ customerId: "cus_0001" });\n  const c = await tools.demo.get_customer({ customerId: 7 });\n  return [a, b, c];\n}\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // TypeScript's server sees the stubs through the /// reference; wait until it reports.
    await waitFor("TypeScript's problems", () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'ts'), 45_000, 250);
    const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const list = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 29), '.')) as vscode.CompletionList;
    const labels = list.items.map(labelOf);
    for (const tool of api.catalog.catalog.servers.find((s) => s.name === 'demo')!.tools) {
      assert.equal(labels.filter((l) => l === tool.ident).length, 1, `${tool.ident} offered once after tools.demo. (rows: ${labels.join(', ')})`);
    }
    const servers = ((await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 24), '.')) as vscode.CompletionList).items.map(labelOf);
    assert.equal(servers.filter((l) => l === 'demo').length, 1, `demo offered once after tools. (rows: ${servers.join(', ')})`);

    // The pre-run check gates the run but adds no second copy of what TypeScript shows.
    const found = await api.typeCheck.check(doc.getText(), 'ts');
    assert.ok(found.some((d) => d.code === 2551) && found.some((d) => d.code === 2322), JSON.stringify(found));
    api.typeCheck.show(uri, found);
    await new Promise((r) => setTimeout(r, 500));
    const all = vscode.languages.getDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    const at = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}`;
    for (const d of all) assert.equal(all.filter((o) => at(o) === at(d)).length, 1, `one problem at ${at(d)}: ${all.map((o) => `${at(o)} ${o.source} ${o.message}`).join(' | ')}`);
    const typo = all.find((d) => d.message.includes('get_custmer'));
    assert.ok(typo, 'the misspelt tool is reported');
    const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, typo.range)) as vscode.CodeAction[];
    const fix = actions.find((a) => a.title === 'Change to "get_customer"');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(fix.edit);
    assert.match(doc.getText(), /tools\.demo\.get_customer\(\{ customerId: "cus_0001"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Hover: TypeScript shows the signature and description; ToolWeaver adds the hints, once.
    const good = writeScript('hover.tw.ts', 'export default async function main() {\n  return await tools.demo.get_customer({ customerId: "cus_0001" });\n}\n');
    await vscode.workspace.openTextDocument(good);
    const hover = await waitFor("TypeScript's hover", async () => {
      const hs = (await vscode.commands.executeCommand('vscode.executeHoverProvider', good, new vscode.Position(2, 32))) as vscode.Hover[];
      const t = hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /get_customer\(/.test(t) ? t : undefined;
    }, 30_000, 500);
    assert.equal(hover.match(/read-only/g)?.length ?? 0, 1, `the hints once (ToolWeaver's line): ${hover}`);
    assert.equal(hover.match(/GetCustomerInput/g)?.length ?? 0, 1, `the signature once (TypeScript's): ${hover}`);
    const description = api.catalog.catalog.servers.find((s) => s.name === 'demo')!.tools.find((t) => t.name === 'get_customer')!.description!.split('\n')[0]!.slice(0, 30);
    assert.equal(hover.split(description).length - 1, 1, `the description once: ${hover}`);
  }, { timeoutMs: 120_000 });

  test('Export Trace writes OTLP JSON and Chrome trace events', async () => {
    const newest = (await api.runs.store()!.list({ limit: 1 })).traces[0];
    assert.ok(newest);
    const dir = path.join(workspaceDir(), 'exports');
    mkdirSync(dir, { recursive: true });
    const otlp = (await vscode.commands.executeCommand('toolweaver.exportTrace', newest.id, 'otlp', path.join(dir, 'otlp.json'))) as string;
    const chrome = (await vscode.commands.executeCommand('toolweaver.exportTrace', newest.id, 'chrome', path.join(dir, 'chrome.json'))) as string;
    assert.ok(Array.isArray((JSON.parse(readFileSync(otlp, 'utf8')) as { resourceSpans: unknown[] }).resourceSpans));
    assert.ok(Array.isArray((JSON.parse(readFileSync(chrome, 'utf8')) as { traceEvents: unknown[] }).traceEvents));
  });

  test('the panel renders a 10,000-span trace', async () => {
    const trace = bigTrace(10_000);
    await api.runs.store()!.write(trace);
    const rendered = api.panel.nextRender();
    await api.panel.show(trace);
    const r = await rendered;
    assert.equal(r.spans, 10_001);
    bench('panel-render-10k-spans', r.ms, 'ms');
  }, { timeoutMs: 60_000 });

  test('a real MCP server from .vscode/mcp.json: the watcher refreshes the catalog and scripts call it', async () => {
    mkdirSync(path.dirname(mcpJsonPath()), { recursive: true });
    writeFileSync(mcpJsonPath(), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] } } }, null, 2));
    const server = await waitFor('server-everything in the catalog', () => api.catalog.catalog.servers.find((s) => s.name === 'everything' && s.status.state === 'connected'), 45_000);
    assert.ok(server.tools.some((t) => t.name === 'get-sum'));
    await vscode.commands.executeCommand('toolweaver.generateStubs');
    const uri = writeScript('sum.tw.ts', 'const r = await tools.everything.get_sum({ a: 2, b: 40 });\nreturn r;\n');
    const { trace } = await runScript(uri);
    assert.equal(trace.status, 'ok', JSON.stringify(trace.error));
    assert.match(JSON.stringify(trace.value?.value), /42/);
    const span = trace.spans.find((s) => s.kind === 'tool');
    assert.ok(span && span.kind === 'tool' && span.server === 'everything' && span.tool === 'get-sum');
  }, { timeoutMs: 90_000 });
});
