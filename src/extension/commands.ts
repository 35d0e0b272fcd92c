// Registers every command. Each handler is a thin adapter: it gathers input from the editor or
// the user and calls a service or core function.
import { writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { toolCallSnippet } from '../core/editing/callSnippet';
import { ConfigError } from '../core/errors';
import { DEFAULT_SCRIPTS_FOLDER, newScriptTemplate } from '../core/editing/scriptFiles';
import type { CatalogServer, CatalogTool } from '../core/catalog/types';
import { renderToolSignature } from '../core/stubs/renderToolSignature';
import { TraceExportFormatSchema } from '../protocol/messages';
import type { CatalogService } from './catalogService';
import type { TracePanel } from './panel/tracePanel';
import type { RunService } from './runService';
import { locateStub } from './stubLocator';
import type { StubService } from './stubService';
import type { RunsNode } from './views/runsTree';
import type { ToolsNode } from './views/toolsTree';
import { exportTrace } from './traceExport';
import { exampleScript } from './exampleScript';
import { SaveRunAsSkillArgSchema } from './agents/skillTurn';
import { saveRunAsSkill } from './saveRunAsSkill';

export interface CommandDeps {
  catalog: CatalogService;
  stubs: StubService;
  runs: RunService;
  panel: TracePanel;
  refreshRuns(): void;
  /** The skills folder of the workspace (Save Run as Skill…). */
  skillsDir?: () => string | undefined;
}

type ToolPick = vscode.QuickPickItem & { server: CatalogServer; tool: CatalogTool };

function languageOf(doc: vscode.TextDocument): 'ts' | 'js' {
  return doc.languageId === 'javascript' || /\.(m|c)?js$/.test(doc.fileName) ? 'js' : 'ts';
}

async function pickTool(catalog: CatalogService): Promise<ToolPick | undefined> {
  const items: ToolPick[] = catalog.catalog.servers.flatMap((server) =>
    server.tools.map((tool) => ({ label: `${server.ident}.${tool.ident}`, description: (tool.title ?? tool.description ?? '').split(/\r?\n/)[0], server, tool })),
  );
  if (!items.length) {
    void vscode.window.showInformationMessage('The ToolWeaver catalog has no tools yet. Configure an MCP server in .vscode/mcp.json or use the demo catalog.');
    return undefined;
  }
  return vscode.window.showQuickPick(items, { title: 'Insert Tool Call', matchOnDescription: true, placeHolder: 'Pick a tool' });
}

async function insertCall(server: CatalogServer, tool: CatalogTool): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a script to insert the call into.');
    return;
  }
  await editor.insertSnippet(new vscode.SnippetString(toolCallSnippet(server, tool, { await: true })));
}

async function traceFromArg(deps: CommandDeps, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const node = arg as RunsNode | undefined;
  if (node?.kind === 'trace') return node.summary.id;
  const store = deps.runs.store();
  const list = store ? (await store.list({ limit: 50 })).traces : [];
  const pick = await vscode.window.showQuickPick(
    list.map((t) => ({ label: t.scriptPath ? path.basename(t.scriptPath) : 'inline script', description: `${t.status} · ${new Date(t.startedAtMs).toLocaleString()}`, id: t.id })),
    { title: 'Pick a run' },
  );
  return pick?.id;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { catalog, stubs, runs, panel } = deps;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('toolweaver.refreshCatalog', () =>
    vscode.window.withProgress({ location: { viewId: 'toolweaver.tools' }, title: 'Refreshing the tool catalog' }, () => catalog.refresh()),
  );
  reg('toolweaver.useDemoCatalog', () => catalog.useDemo());
  reg('toolweaver.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#toolweaver.firstRun`, false));

  reg('toolweaver.generateStubs', async () => {
    if (catalog.state !== 'ready') await catalog.refresh();
    const report = await stubs.generate();
    if (report) void vscode.window.showInformationMessage(`ToolWeaver stubs: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted (${Math.round(report.ms)} ms).`);
    return report;
  });

  reg('toolweaver.runScript', async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Open a script (*.tw.ts) to run it.');
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    return runs.run({ source: doc.getText(), uri: doc.isUntitled ? undefined : uri, language: languageOf(doc) });
  });

  reg('toolweaver.runSelection', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Select the code to run first.');
      return undefined;
    }
    const doc = editor.document;
    return runs.run({ source: doc.getText(editor.selection), uri: doc.isUntitled ? undefined : doc.uri, lineOffset: editor.selection.start.line, language: languageOf(doc) });
  });

  // One run: stop it. Several: the caller names one (the Runs view's Stop, a test) or the user picks.
  reg('toolweaver.stopRun', async (arg?: unknown) => {
    const node = arg as RunsNode | undefined;
    const named = typeof arg === 'string' ? arg : node?.kind === 'running' ? node.run.id : undefined;
    if (named) return runs.stop(named);
    const active = runs.activeRuns();
    if (active.length <= 1) return runs.stop();
    const pick = await vscode.window.showQuickPick(
      [{ label: 'Stop All', description: `${active.length} runs`, id: undefined as string | undefined }, ...active.map((r) => ({ label: r.name, description: `since ${new Date(r.startedAtMs).toLocaleTimeString()} · ${r.toolCalls} ${r.toolCalls === 1 ? 'call' : 'calls'}`, id: r.id as string | undefined }))],
      { title: 'Stop which run?' },
    );
    return pick ? runs.stop(pick.id) : 0;
  });
  reg('toolweaver.openTracePanel', () => panel.show());

  reg('toolweaver.openTrace', async (arg?: unknown) => {
    const id = await traceFromArg(deps, arg);
    const store = runs.store();
    if (id && store) await panel.show(await store.read(id));
  });

  // Replays a trace against its recorded tool results (no server); shows the replay's trace and, on a
  // divergence, the script line where it happened.
  reg('toolweaver.replayRun', async (arg?: unknown) => {
    const id = await traceFromArg(deps, arg);
    if (!id) return undefined;
    const replayed = await runs.replay(id);
    if (!replayed) return undefined;
    deps.refreshRuns();
    await panel.show(replayed.trace);
    const d = replayed.replay.divergences[0];
    if (d) {
      void vscode.window.showWarningMessage(`Replay diverged: ${d.message.replace(/ Pass --live-on-divergence[^.]*\./, '')}`);
      if (d.line && replayed.trace.script.path) await openScriptLine(replayed.trace.script.path, d.line, true);
    } else {
      vscode.window.setStatusBarMessage(`Replayed ${replayed.replay.replayed} call(s) from ${id}: ${replayed.trace.status}${replayed.sameValue ? ', same value' : ''}`, 5000);
    }
    return { traceId: replayed.trace.id, status: replayed.trace.status, replay: replayed.replay, sameValue: replayed.sameValue };
  });

  reg('toolweaver.revealSpan', async (traceId: unknown, spanId: unknown) => {
    const store = runs.store();
    if (typeof traceId !== 'string' || typeof spanId !== 'string' || !store) return;
    const trace = await store.read(traceId);
    if (panel.currentTraceId === traceId && panel.isOpen) panel.selectSpan(spanId);
    else await panel.show(trace, spanId);
    const span = trace.spans.find((s) => s.id === spanId);
    if (span?.kind === 'tool' && span.line && trace.script.path) await openScriptLine(trace.script.path, span.line, true);
  });

  // Callers (tests, other extensions) may pass the trace id, the format and a target path; the panel calls exportTrace directly.
  reg('toolweaver.exportTrace', async (arg?: unknown, formatArg?: unknown, targetArg?: unknown) => {
    const id = await traceFromArg(deps, arg);
    const store = runs.store();
    if (!id || !store) return undefined;
    const format = TraceExportFormatSchema.safeParse(formatArg);
    return exportTrace(store, { traceId: id, format: format.success ? format.data : undefined, target: typeof targetArg === 'string' ? targetArg : undefined });
  });

  reg('toolweaver.insertToolCall', async () => {
    const pick = await pickTool(catalog);
    if (pick) await insertCall(pick.server, pick.tool);
  });
  reg('toolweaver.insertToolCallFor', async (node?: unknown) => {
    const n = node as ToolsNode | undefined;
    if (n?.kind === 'tool') await insertCall(n.server, n.tool);
  });
  reg('toolweaver.copySignature', async (node?: unknown) => {
    const n = node as ToolsNode | undefined;
    if (n?.kind !== 'tool') return;
    await vscode.env.clipboard.writeText(renderToolSignature(n.server, n.tool));
    vscode.window.setStatusBarMessage(`Copied the signature of ${n.server.ident}.${n.tool.ident}`, 3000);
  });
  reg('toolweaver.openToolStub', async (node?: unknown) => {
    const n = node as ToolsNode | undefined;
    if (n?.kind !== 'tool' && n?.kind !== 'server') return;
    const dir = stubs.dir;
    if (!dir) return;
    const find = () => locateStub(dir, n.server.name, n.kind === 'tool' ? n.tool.name : undefined);
    // A broken manifest is regenerated like a missing one; if it is still broken, say which file.
    let file = await find().catch((err: unknown) => {
      if (ConfigError.is(err, 'stubs_manifest_invalid')) return undefined;
      throw err;
    });
    if (!file || !existsSync(file)) {
      await stubs.generate();
      try {
        file = await find();
      } catch (err) {
        if (!ConfigError.is(err, 'stubs_manifest_invalid')) throw err;
        void vscode.window.showErrorMessage(err.message);
        return;
      }
    }
    if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    else void vscode.window.showWarningMessage(`No stub was generated for ${n.server.name}. Check the ToolWeaver output for errors.`);
  });

  reg('toolweaver.newScript', async () => {
    if (!vscode.workspace.isTrusted) {
      // Nothing is created in an untrusted folder (no .toolweaver/scripts either).
      const choice = await vscode.window.showWarningMessage('ToolWeaver creates and runs scripts only in a trusted workspace.', 'Manage Workspace Trust');
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const folder = catalog.folder;
    if (!folder) {
      void vscode.window.showWarningMessage('Open a folder first: ToolWeaver keeps scripts, stubs and traces in the workspace.');
      return undefined;
    }
    const name = await vscode.window.showInputBox({
      title: 'New ToolWeaver Script',
      prompt: 'Script name',
      value: 'script',
      validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Use letters, digits, "-", "_" and "." only.'),
    });
    if (!name) return undefined;
    const dir = path.join(folder.uri.fsPath, DEFAULT_SCRIPTS_FOLDER);
    await mkdir(dir, { recursive: true });
    let file = path.join(dir, `${name}.tw.ts`);
    for (let i = 2; existsSync(file); i++) file = path.join(dir, `${name}-${i}.tw.ts`);
    const stubsRel = path.relative(dir, stubs.dir ?? path.join(folder.uri.fsPath, '.toolweaver', 'stubs')).split(path.sep).join('/');
    await writeFile(file, newScriptTemplate(stubsRel, exampleScript(catalog.catalog)));
    if (catalog.state === 'ready') void stubs.generate();
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return file;
  });

  reg('toolweaver.saveRunAsSkill', async (arg?: unknown, answers?: unknown) => {
    const store = deps.runs.store();
    const dir = deps.skillsDir?.();
    if (!store || !dir) {
      void vscode.window.showInformationMessage('Open a folder first: skills are saved in its .toolweaver/skills folder.');
      return undefined;
    }
    const extra = answers === undefined ? undefined : SaveRunAsSkillArgSchema.safeParse(answers);
    if (extra && !extra.success) {
      const issue = extra.error.issues[0];
      void vscode.window.showErrorMessage(`Save Run as Skill… was called with a malformed argument (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); nothing was saved.`);
      return undefined;
    }
    const id = await traceFromArg(deps, arg);
    if (!id) return undefined;
    const data = extra?.success ? extra.data : undefined;
    return saveRunAsSkill(id, { store, dir, ...(data && 'proposal' in data ? { proposal: data.proposal } : data ? { answers: data } : {}) });
  });
  reg('toolweaver.clearTraces', async () => {
    const store = runs.store();
    if (!store) return;
    const ok = await vscode.window.showWarningMessage(`Delete every trace in ${store.dir}?`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return;
    await store.clear();
    deps.refreshRuns();
    panel.update(undefined);
  });
}

export async function openScriptLine(file: string, line: number, preserveFocus = false): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preserveFocus, viewColumn: vscode.ViewColumn.One });
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
