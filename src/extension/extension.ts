// Extension entry point: wiring only. Services own state, views render it, commands adapt user
// input; the engine (src/core) does the work. Activation stays cheap: the catalog loads after
// activate returns.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { isRunnableScript } from '../core/editing/scriptFiles';
import { createToolObservations } from '../core/trace/toolObservations';
import { createStoreFigures, type StoreFigures } from '../core/trace/toolFigures';
import { registerChatParticipant } from './agents/chatParticipant';
import { registerLmTools } from './agents/lmTools';
import { registerMcpProvider, toolWeaverServerDefinition } from './agents/mcpProvider';
import { TypeCheckService } from './agents/typeCheckService';
import { CatalogService } from './catalogService';
import { openScriptLine, registerCommands } from './commands';
import { ToolCompletionProvider } from './editor/completion';
import { ToolHoverProvider } from './editor/hover';
import { RunCodeLensProvider } from './editor/runCodeLens';
import { LearnedTypeCodeLensProvider, registerLearnedTypeCommands } from './editor/learnedTypeCodeLens';
import { CallSiteLensProvider } from './editor/callSiteLens';
import { SCRIPT_SELECTOR } from './editor/scriptSelector';
import { revealLineIfVisible } from './editor/revealLine';
import { ToolCodeActions, ToolDiagnostics } from './editor/toolDiagnostics';
import { TypeScriptView } from './editor/typescriptView';
import { TracePanel } from './panel/tracePanel';
import { RunService } from './runService';
import { RunStatusBar } from './statusBar';
import { StubService } from './stubService';
import { registerToolSourcesCommand } from './toolSources';
import { exportTrace } from './traceExport';
import { RunsTreeProvider } from './views/runsTree';
import { ToolsTreeProvider } from './views/toolsTree';
import { SkillService } from './skillService';
import type { Skill } from '../core/skills/skillSet';
import type { TraceStore } from '../core/trace/store';
import { formatTokenSummary } from '../core/agents/runFeedback';

/** What activate returns: used by the extension's own e2e tests (and other extensions, carefully). */
export interface ToolWeaverApi {
  catalog: CatalogService;
  stubs: StubService;
  runs: RunService;
  typeCheck: TypeCheckService;
  skills: SkillService;
  /** The `toolweaver mcp` definition VS Code's MCP support gets (undefined without a trusted folder). */
  mcpServerDefinition(): vscode.McpStdioServerDefinition | undefined;
  panel: TracePanel;
  statusBar: RunStatusBar;
  toolsTree: ToolsTreeProvider;
  runsTree: RunsTreeProvider;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ToolWeaverApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('ToolWeaver', { log: true });
  const catalog = new CatalogService(context, log);
  const stubs = new StubService(catalog, log);
  // Skills read traces through the run service's store (a closure: runs is made below).
  const skills: SkillService = new SkillService(catalog, stubs, (): TraceStore | undefined => runs.store(), log);
  const typeCheck = new TypeCheckService(catalog, log, (): readonly Skill[] => skills.skills);
  const runs: RunService = new RunService({ catalog, log, typeChecker: typeCheck, workspaceState: context.workspaceState, skills: (): readonly Skill[] => skills.skills, observed: () => observedFigures() });
  const statusBar = new RunStatusBar();
  const codeLens = new RunCodeLensProvider();
  const diagnostics = new ToolDiagnostics(catalog, () => stubs.dir);
  // What TypeScript already shows through the stubs, and the last call of each tool (for hovers).
  const typescriptView = new TypeScriptView(() => stubs.dir, () => stubs.scriptsDir);
  const observations = createToolObservations();
  // Reading traces never creates the trace folder: opening the sidebar in a folder (trusted or not)
  // writes nothing; the first run does.
  const existingStore = () => {
    const store = runs.store();
    return store && existsSync(store.dir) ? store : undefined;
  };
  // Per-tool figures of this folder's past runs (Tools view, LM search/describe), read from the store lazily.
  let figures: { dir: string; of: StoreFigures } | undefined;
  const observedFigures = async () => {
    const store = existingStore();
    if (!store) return undefined;
    if (figures?.dir !== store.dir) figures = { dir: store.dir, of: createStoreFigures(store) };
    return figures.of.current();
  };
  const toolsTree = new ToolsTreeProvider(catalog, skills, observedFigures);
  const callSiteLens = new CallSiteLensProvider(existingStore, catalog);
  const runsTree = new RunsTreeProvider(existingStore, () => runs.activeRuns());
  const panel = new TracePanel({
    extensionUri: context.extensionUri,
    log,
    readTrace: async (id) => existingStore()?.read(id).catch(() => undefined),
    latestTrace: async () => {
      const store = existingStore();
      const newest = store ? (await store.list({ limit: 1 })).traces[0] : undefined;
      return newest && store ? store.read(newest.id).catch(() => undefined) : undefined;
    },
    replayRun: async (id) => {
      await vscode.commands.executeCommand('toolweaver.replayRun', id);
    },
    session: () => runs.totals,
    isRunning: () => runs.isRunning,
    openScriptLine: async (trace, line, preserveFocus) => {
      // A span click (preserveFocus) only moves an editor already showing the script.
      if (preserveFocus) {
        if (trace.script.path) revealLineIfVisible(trace.script.path, line);
        return;
      }
      if (trace.script.path) await openScriptLine(trace.script.path, line);
      else void vscode.window.showInformationMessage('This run came from a selection or an inline script, so there is no file to open.');
    },
    exportTrace: async (request) => {
      const store = runs.store();
      return store ? exportTrace(store, request) : undefined;
    },
    spanSelected: () => undefined,
  });

  context.subscriptions.push(
    log,
    catalog,
    stubs,
    runs,
    skills,
    runs.onDidFinish(() => void skills.readRecords().then(() => toolsTree.refresh())),
    typeCheck,
    statusBar,
    codeLens,
    diagnostics,
    toolsTree,
    runsTree,
    panel,
    vscode.window.createTreeView('toolweaver.tools', { treeDataProvider: toolsTree, showCollapseAll: true }),
    vscode.window.createTreeView('toolweaver.runs', { treeDataProvider: runsTree, showCollapseAll: true }),
    vscode.languages.registerCompletionItemProvider(SCRIPT_SELECTOR, new ToolCompletionProvider(catalog, typescriptView), '.'),
    vscode.languages.registerHoverProvider(SCRIPT_SELECTOR, new ToolHoverProvider(catalog, typescriptView, observations)),
    vscode.languages.registerCodeActionsProvider(SCRIPT_SELECTOR, new ToolCodeActions(catalog), { providedCodeActionKinds: ToolCodeActions.kinds }),
    // Run lenses only where scripts may run: registered once the workspace is trusted.
    // Figures and suggestions at each tool call, from the script's last runs (toolweaver.editor.callSiteHints).
    callSiteLens,
    vscode.languages.registerCodeLensProvider(SCRIPT_SELECTOR, callSiteLens),
    ...(vscode.workspace.isTrusted
      ? [vscode.languages.registerCodeLensProvider(SCRIPT_SELECTOR, codeLens)]
      : [vscode.workspace.onDidGrantWorkspaceTrust(() => context.subscriptions.push(vscode.languages.registerCodeLensProvider(SCRIPT_SELECTOR, codeLens)))]),
    // Agents (issue 6): LM tools, @toolweaver, and ToolWeaver as an MCP server for VS Code. A host
    // without one of these APIs (older VS Code, forks) must not cost the rest of the extension.
    ...optional(log, 'language-model tools', () => registerLmTools({ catalog, runs, typeCheck, skills: () => skills.skills, observed: observedFigures })),
    ...optional(log, 'the @toolweaver chat participant', () => [registerChatParticipant({ catalog, runs, typeCheck, extensionUri: context.extensionUri })]),
    ...optional(log, 'the MCP server definition provider', () => registerMcpProvider(context, catalog, log)),
    registerToolSourcesCommand(catalog),
    vscode.commands.registerCommand('toolweaver.forgetApprovals', async () => {
      const keys = runs.allowList.keys();
      await runs.allowList.clear();
      void vscode.window.showInformationMessage(keys.length ? `ToolWeaver will ask again before calling ${keys.join(', ')}.` : 'No tools were always allowed in this workspace.');
    }),
  );

  registerCommands(context, { catalog, stubs, runs, panel, refreshRuns: () => runsTree.refresh(), skillsDir: () => skills.dir });

  // Learned output types on the stubs (issue 17): Accept / Re-infer / Discard.
  const learnedLens = new LearnedTypeCodeLensProvider();
  context.subscriptions.push(
    learnedLens,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/servers/**/*.ts' }, learnedLens),
    ...registerLearnedTypeCommands({ catalog, stubs, runs, lens: learnedLens }),
  );

  // Diagnostics for unknown tools follow the document and the catalog.
  const check = (doc: vscode.TextDocument) => {
    if (isRunnableScript(doc.fileName)) diagnostics.update(doc);
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.clear(doc.uri)),
    catalog.onDidChange(() => vscode.workspace.textDocuments.forEach(check)),
    runs.onDidChangeRunning((running) => {
      void vscode.commands.executeCommand('setContext', 'toolweaver.running', running);
      panel.setRunning(running);
    }),
    // Several runs may go at once: the status bar and the Runs view list them while they run.
    runs.onDidChangeActive((active) => {
      if (active.length) statusBar.showRunning(active);
      runsTree.refresh();
    }),
    runs.onDidFinish(({ outcome, request }) => {
      const summary = RunService.summary(outcome);
      observations.record(outcome.trace);
      void toolsTree.refreshFigures();
      callSiteLens.refresh();
      // The walkthrough's "run" step completes on a run that succeeded, not on a refused one.
      if (outcome.result.ok) void vscode.commands.executeCommand('setContext', 'toolweaver.runSucceeded', true);
      if (request.uri) codeLens.setLastRun(request.uri, summary);
      const tokens = outcome.trace.tokens && !outcome.trace.tokens.savings ? ' · no saving claimed' : summary.tokensSaved === undefined || !outcome.result.ok ? '' : summary.codeModeCostMore ? ' · code mode cost more' : summary.tokensSaved >= 0 ? ` · ${((summary.reduction ?? 0) * 100).toFixed(1)} % tokens saved` : ' · code mode cost more tokens';
      statusBar.finished(outcome.result.ok, `${outcome.trace.status} · ${summary.toolCalls} call${summary.toolCalls === 1 ? '' : 's'}${tokens}`, `Last run ${outcome.trace.id}${outcome.trace.tokens ? `: ${formatTokenSummary(outcome.trace.tokens)}` : ''}. Click to open the trace.`);
      runsTree.refresh();
      // Runs for a model (LM tool, @toolweaver) do not pop the panel up: the chat links the trace.
      if (request.interactive !== false) void panel.show(outcome.trace);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'toolweaver.running', false);

  void catalog.refresh();
  void existingStore()
    ?.recover()
    .then((ids) => {
      if (ids.length) log.info(`Finalised ${ids.length} interrupted run(s): ${ids.join(', ')}`);
      runsTree.refresh();
    })
    .catch((err: unknown) => log.warn(`Could not check for interrupted runs: ${String(err)}`));

  const activationMs = performance.now() - t0;
  log.info(`ToolWeaver activated in ${activationMs.toFixed(1)} ms`);
  const mcpServerDefinition = () => toolWeaverServerDefinition(context, catalog, log);
  return { catalog, stubs, runs, typeCheck, skills, mcpServerDefinition, panel, statusBar, toolsTree, runsTree, activationMs };
}

/** Runs one registration; on failure logs it and returns nothing to dispose. */
function optional(log: vscode.LogOutputChannel, what: string, register: () => vscode.Disposable[]): vscode.Disposable[] {
  try {
    return register();
  } catch (err) {
    log.warn(`Could not register ${what}: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

export function deactivate(): void {}
