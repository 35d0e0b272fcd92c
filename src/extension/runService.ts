// Runs scripts for the user: the core sandbox in its worker (never the extension host's thread),
// a cancellable progress notification, output in the log channel, actionable errors, and the
// trace handed to the views. All run logic lives in core/run/executeRun.
import path from 'node:path';
import * as vscode from 'vscode';
import { describeCause } from '../core/errors';
import { executeRun } from '../core/run/executeRun';
import { createSandbox, type Sandbox } from '../core/sandbox/sandbox';
import type { RunEvent, RunResult } from '../core/sandbox/types';
import { redactionFromSettings } from '../core/redact/fromSettings';
import { loadTokenizer } from '../core/tokens/namedTokenizer';
import type { Trace } from '../core/trace/schema';
import { createTraceStore, type TraceStore } from '../core/trace/store';
import type { SessionTotals } from '../protocol/messages';
import type { CatalogService } from './catalogService';
import type { LastRunSummary } from './editor/runCodeLens';
import { channelLogger } from './logger';
import { limitsFrom, readSettings } from './settings';

export interface RunRequest {
  source: string;
  /** The script file, when the run comes from one (traces and error links point at it). */
  uri?: vscode.Uri;
  /** Line in the file where `source` starts (Run Selection), 0-based. */
  lineOffset?: number;
  language: 'ts' | 'js';
}

export interface RunOutcome {
  result: RunResult;
  trace: Trace;
  traceFile: string;
}

export class RunService implements vscode.Disposable {
  private sandbox: Sandbox | undefined;
  private storeCache: { dir: string; store: TraceStore } | undefined;
  private active: AbortController | undefined;
  private readonly finished = new vscode.EventEmitter<{ outcome: RunOutcome; request: RunRequest }>();
  private readonly runningChanged = new vscode.EventEmitter<boolean>();
  readonly onDidFinish = this.finished.event;
  readonly onDidChangeRunning = this.runningChanged.event;
  readonly totals: SessionTotals = { runs: 0, toolCalls: 0, codeModeTokens: 0, classicTokens: 0 };

  constructor(
    private readonly catalog: CatalogService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  /** The workspace's trace store (settings decide folder and retention). */
  store(): TraceStore | undefined {
    const folder = this.catalog.folder;
    if (!folder) return undefined;
    const s = readSettings(folder.uri);
    const dir = path.resolve(folder.uri.fsPath, s.traces.folder);
    if (this.storeCache?.dir !== dir) {
      this.storeCache = { dir, store: createTraceStore({ dir, maxCount: s.traces.maxCount, maxBytes: s.traces.maxMegabytes * 1024 * 1024, logger: channelLogger(this.log) }) };
    }
    return this.storeCache.store;
  }

  stop(): void {
    this.active?.abort();
  }

  /** Runs a script with progress and cancellation; resolves when it has finished (never rejects). */
  async run(request: RunRequest): Promise<RunOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('ToolWeaver does not run scripts in an untrusted workspace. Trust the workspace to run it.');
      return undefined;
    }
    if (this.active) {
      void vscode.window.showWarningMessage('A ToolWeaver run is already in progress. Stop it first (ToolWeaver: Stop Run).');
      return undefined;
    }
    const store = this.store();
    const invoker = this.catalog.invoker;
    if (!store || !invoker) {
      const choice = await vscode.window.showWarningMessage('ToolWeaver has no tools to run this script against: no MCP server is configured for this workspace.', 'Use the Demo Catalog', 'Open mcp.json');
      if (choice === 'Use the Demo Catalog') await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
      if (choice === 'Open mcp.json') await vscode.commands.executeCommand('workbench.mcp.openWorkspaceFolderMcpJson').then(undefined, () => undefined);
      return undefined;
    }
    const settings = readSettings(this.catalog.folder?.uri);
    const redaction = redactionFromSettings(settings.redaction, this.catalog.secrets);
    for (const p of redaction.problems) this.log.warn(p);
    const controller = new AbortController();
    this.active = controller;
    this.runningChanged.fire(true);
    const name = request.uri ? path.basename(request.uri.fsPath) : 'selection';
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ToolWeaver: running ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          this.sandbox ??= createSandbox({ logger: channelLogger(this.log) });
          let calls = 0;
          const outcome = await executeRun({
            source: request.source,
            scriptPath: request.uri?.fsPath,
            language: request.language,
            catalog: this.catalog.catalog,
            invoker,
            sandbox: this.sandbox,
            store,
            limits: limitsFrom(settings),
            signal: controller.signal,
            secrets: { values: this.catalog.secrets },
            redaction: redaction.options,
            tokenizer: await loadTokenizer(settings.tokens.tokenizer),
            origin: 'extension',
            logger: channelLogger(this.log),
            onEvent: (e: RunEvent) => {
              if (e.type === 'tool.start') progress.report({ message: `${++calls} tool calls` });
            },
          });
          this.report(outcome, request);
          this.finished.fire({ outcome, request });
          return outcome;
        },
      );
    } catch (err) {
      // executeRun never throws for what the script did; this is our bug or the disk.
      this.log.error(`Run failed inside ToolWeaver: ${describeCause(err)}`);
      void vscode.window.showErrorMessage(`ToolWeaver could not finish the run: ${describeCause(err)}`);
      return undefined;
    } finally {
      this.active = undefined;
      this.runningChanged.fire(false);
    }
  }

  /** Logs the outcome and shows an actionable message when it failed. */
  private report({ result, trace, traceFile }: RunOutcome, request: RunRequest): void {
    this.totals.runs++;
    this.totals.toolCalls += result.stats.toolCalls;
    if (trace.tokens) {
      this.totals.codeModeTokens += trace.tokens.codeMode.total;
      this.totals.classicTokens += trace.tokens.classic.total;
    }
    for (const l of result.logs) this.log.info(`[script ${l.level}] ${l.text}`);
    this.log.info(`Run ${trace.id}: ${trace.status} in ${Math.round(result.stats.durationMs)} ms, ${result.stats.toolCalls} tool calls (trace: ${traceFile})`);
    if (result.ok) {
      this.log.info(`Value: ${JSON.stringify(result.value)?.slice(0, 2000) ?? 'undefined'}`);
      return;
    }
    const e = result.error;
    const where = e.server && e.tool ? ` in ${e.server}.${e.tool}` : '';
    const line = e.line !== undefined ? e.line + (request.lineOffset ?? 0) : undefined;
    const message = `ToolWeaver: the script failed (${e.code})${where}${line ? ` at line ${line}` : ''}: ${e.message}`;
    this.log.error(message);
    const actions = [...(line && request.uri ? ['Go to Line'] : []), 'Open Trace'];
    void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
      if (choice === 'Go to Line' && request.uri && line) {
        const editor = await vscode.window.showTextDocument(request.uri);
        const pos = new vscode.Position(line - 1, Math.max(0, (e.column ?? 1) - 1));
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
      }
      if (choice === 'Open Trace') await vscode.commands.executeCommand('toolweaver.openTrace', trace.id);
    });
  }

  /** The CodeLens / status bar summary of a finished run. */
  static summary(outcome: RunOutcome): LastRunSummary {
    const t = outcome.trace;
    return { traceId: t.id, status: t.status, toolCalls: t.stats.toolCalls, durationMs: t.stats.durationMs, tokensSaved: t.tokens?.savings.total, reduction: t.tokens?.savings.reduction };
  }

  dispose(): void {
    this.active?.abort();
    void this.sandbox?.dispose();
    this.finished.dispose();
    this.runningChanged.dispose();
  }
}
