// Runs scripts for the user: the core sandbox in its worker (never the extension host's thread),
// a cancellable progress notification, output in the log channel, actionable errors, and the
// trace handed to the views. All run logic lives in core/run/executeRun.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ApprovalBroker, ApprovalDecision } from '../core/approvals/approvals';
import { describeCause } from '../core/errors';
import type { RunView } from '../core/run/runView';
import { CODE_MODE_TOOL_NAMES } from '../core/codeMode/tools';
import { executeRun } from '../core/run/executeRun';
import type { ToolFigures } from '../core/discovery/observed';
import { replayRun, replaySource, type ReplayResult } from '../core/replay/replayRun';
import type { Skill } from '../core/skills/skillSet';
import { createFairScheduler, type FairScheduler } from '../core/run/fairScheduler';
import { createSandbox, type Sandbox } from '../core/sandbox/sandbox';
import type { RunEvent, RunResult } from '../core/sandbox/types';
import { redactionFromSettings } from '../core/redact/fromSettings';
import { createConversationVaults, type ConversationVaults } from '../core/firewall/conversations';
import { createPrivacyVault } from '../core/firewall/vault';
import { loadTokenizer } from '../core/tokens/namedTokenizer';
import type { Trace } from '../core/trace/schema';
import { createTraceStore, type TraceStore } from '../core/trace/store';
import { createOtlpPusher, type OtlpPusher } from '../core/trace/otlpPush';
import type { SessionTotals } from '../protocol/messages';
import { ActiveRuns, type ActiveRun } from './activeRuns';
import { memoryMemento, preRunTypeCheck, reportRunOutcome } from './runMessages';
import type { CatalogService } from './catalogService';
import type { LastRunSummary } from './editor/runCodeLens';
import { channelLogger } from './logger';
import { createVscodeLlmBridge } from './agents/vscodeModel';
import { createModalBroker, workspaceAllowList } from './agents/approvalBroker';
import type { TypeCheckService } from './agents/typeCheckService';
import { approvalPolicyFrom, limitsFrom, pricingFrom, readSettings, type Settings } from './settings';
import type { Pricing } from '../core/account/prices';
import type { ConversationAccount } from '../core/account/conversation';

export interface RunRequest {
  source: string;
  /** The script file, when the run comes from one (traces and error links point at it). */
  uri?: vscode.Uri;
  /** Line in the file where `source` starts (Run Selection), 0-based. */
  lineOffset?: number;
  language: 'ts' | 'js';
  /** Type-check before running; default: the `toolweaver.typeCheck.enabled` setting. */
  typeCheck?: boolean;
  /** False for runs on behalf of a model (LM tool, chat): no popups; the caller reports. Default true. */
  interactive?: boolean;
  /** Cancels the run (in addition to the progress notification's Cancel). */
  signal?: AbortSignal;
  /** Recorded in the trace; default 'extension'. */
  origin?: string;
  /** Wall clock asked for by the caller (a model's run_code); capped at toolweaver.limits.timeoutMs. */
  timeoutMs?: number;
  /** Runs on behalf of a model: the privacy-firewall conversation the run belongs to (its vault
   *  restores placeholders in tool calls and withholds values from `model`). Absent for a
   *  person's own runs: nothing is withheld. */
  conversation?: string;
  /** The token account of that conversation (what it served and the model read between runs);
   *  the run is counted into it. */
  account?: ConversationAccount;
}

export interface RunOutcome {
  result: RunResult;
  trace: Trace;
  traceFile: string;
  /** Approval decisions of this run (also in trace.approvals). */
  decisions: ApprovalDecision[];
  /** The model-facing view (preview, neutralized text, findings), markers naming toolweaver_read_value. */
  view: RunView;
  /** With a conversation: the result as the model may see it, and what was withheld. */
  model?: { result: RunResult; withheld: NonNullable<Trace['withheld']> };
}

/** Why `run` did not start a run (returned as undefined); see `lastRefusal`. Several runs may go
 *  at once (toolweaver.limits.maxConcurrentRuns; the rest queue), so "busy" is never a reason. */
export type RunRefusal = 'untrusted' | 'no_catalog' | 'type_errors' | 'cancelled';

/** What a RunService needs, all given at construction. */
export interface RunServiceDeps {
  catalog: CatalogService;
  log: vscode.LogOutputChannel;
  /** The pre-run type check (the extension's TypeCheckService); undefined runs scripts unchecked. */
  typeChecker: TypeCheckService | undefined;
  /** Where "always allow" decisions persist; default in memory. */
  workspaceState?: vscode.Memento;
  /** The workspace's skills (SkillService): scripts that mention \`skills\` may call them. */
  skills?: () => readonly Skill[];
  /** Observed figures of this folder's past runs (extension.ts observedFigures): tools.search()/describe() in
   *  scripts rank by them and show them. A failure means none. */
  observed?: () => Promise<ToolFigures | undefined>;
}

/** Runs scripts for the editor, the panel and the agents: one sandbox pool, approvals, traces. */
export class RunService implements vscode.Disposable {
  /** Sized to toolweaver.limits.maxConcurrentRuns, with the scheduler that shares its workers. */
  private pool: { sandbox: Sandbox; scheduler: FairScheduler; size: number } | undefined;
  private storeCache: { dir: string; store: TraceStore } | undefined;
  private otlpCache: { endpoint: string; pusher: OtlpPusher | undefined } | undefined;
  /** Runs in progress (the user's and models'), each with its own cancel. */
  private readonly active = new ActiveRuns();
  readonly onDidChangeActive = this.active.onDidChange;
  private readonly finished = new vscode.EventEmitter<{ outcome: RunOutcome; request: RunRequest }>();
  private readonly runningChanged = new vscode.EventEmitter<boolean>();
  readonly onDidFinish = this.finished.event;
  readonly onDidChangeRunning = this.runningChanged.event;
  readonly totals: SessionTotals = { runs: 0, toolCalls: 0, codeModeTokens: 0, classicTokens: 0 };
  /** Why the last `run` returned undefined, with a sentence for the user or model. */
  lastRefusal: { reason: RunRefusal; message: string } | undefined;
  /** Asks for approvals; tests replace it (a modal cannot be clicked from the extension host). */
  approvalBroker: ApprovalBroker;
  readonly allowList: ReturnType<typeof workspaceAllowList>;
  private readonly catalog: CatalogService;
  private readonly log: vscode.LogOutputChannel;
  /** Checks scripts before they run; without one, scripts run unchecked. */
  private readonly typeChecker: TypeCheckService | undefined;
  /** Privacy vaults of the model conversations (chat sessions, the LM tools); settings are read
   *  at each run, so a change applies to the next run of every conversation. */
  private readonly vaults: ConversationVaults = createConversationVaults({
    create: () =>
      createPrivacyVault({
        categories: () => readSettings(this.catalog.folder?.uri).firewall.categories,
        patterns: () => redactionFromSettings(readSettings(this.catalog.folder?.uri).redaction, []).options.patterns ?? [],
      }),
  });

  constructor(deps: RunServiceDeps) {
    this.catalog = deps.catalog;
    this.log = deps.log;
    this.typeChecker = deps.typeChecker;
    this.skills = deps.skills ?? (() => []);
    this.observed = deps.observed ?? (() => Promise.resolve(undefined));
    this.allowList = workspaceAllowList(deps.workspaceState ?? memoryMemento());
    this.approvalBroker = createModalBroker(() => this.scriptName);
  }

  private scriptName: string | undefined;
  private readonly skills: () => readonly Skill[];
  private readonly observed: () => Promise<ToolFigures | undefined>;

  get isRunning(): boolean {
    return this.active.size > 0;
  }

  /** The runs in progress, oldest first. */
  activeRuns(): ActiveRun[] {
    return this.active.list();
  }

  /** The sandbox and scheduler for `size` slots; rebuilt when the setting changed and nothing runs. Its workers
   *  prepare their first engine at `memoryMb` (toolweaver.limits.memoryMb), the size the runs will ask. */
  private poolFor(size: number, memoryMb: number): { sandbox: Sandbox; scheduler: FairScheduler; size: number } {
    if (this.pool && this.pool.size !== size && this.active.size === 0) {
      void this.pool.sandbox.dispose();
      this.pool = undefined;
    }
    this.pool ??= { sandbox: createSandbox({ poolSize: size, memoryMb, logger: channelLogger(this.log) }), scheduler: createFairScheduler(size), size };
    return this.pool;
  }

  /** The pusher of toolweaver.traces.otlpEndpoint (user settings only); undefined when off or invalid
   *  (said once in the log). */
  private otlpFor(settings: Settings): OtlpPusher | undefined {
    const endpoint = settings.traces.otlpEndpoint.trim();
    if (this.otlpCache?.endpoint === endpoint) return this.otlpCache.pusher;
    let pusher: OtlpPusher | undefined;
    if (endpoint) {
      try {
        pusher = createOtlpPusher({ endpoint, logger: channelLogger(this.log), serviceName: 'toolweaver-vscode' });
      } catch (err) {
        this.log.warn(`toolweaver.traces.otlpEndpoint is ignored: ${describeCause(err)}`);
      }
    }
    this.otlpCache = { endpoint, pusher };
    return pusher;
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

  /** Stops one run in progress (by ActiveRun id) or, without an id, every one; returns how many. */
  stop(id?: string): number {
    return this.active.cancel(id);
  }

  /** Waits for the catalog refresh under way (a run must not see "no server configured" while
   *  mcp.json is still loading); false when cancelled meanwhile. */
  private async waitForCatalog(name: string, interactive: boolean, signal: AbortSignal | undefined): Promise<boolean> {
    const wait = async (token?: vscode.CancellationToken): Promise<boolean> => {
      const aborted = new Promise<false>((resolve) => {
        if (signal?.aborted) resolve(false);
        signal?.addEventListener('abort', () => resolve(false), { once: true });
        token?.onCancellationRequested(() => resolve(false));
      });
      return Promise.race([this.catalog.settled().then(() => true), aborted]);
    };
    const ok = interactive
      ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ToolWeaver: waiting for the tool catalog to load before running ${name}…`, cancellable: true }, (_p, token) => wait(token))
      : await wait();
    if (!ok) this.lastRefusal = { reason: 'cancelled', message: 'The run was cancelled while it waited for the tool catalog to load.' };
    return ok;
  }

  /** Runs a script with progress and cancellation; resolves when it has finished (never rejects). */
  async run(request: RunRequest): Promise<RunOutcome | undefined> {
    const interactive = request.interactive !== false;
    this.lastRefusal = undefined;
    const refuse = (reason: RunRefusal, message: string): undefined => {
      this.lastRefusal = { reason, message };
      if (interactive && reason !== 'no_catalog' && reason !== 'type_errors') void vscode.window.showWarningMessage(message);
      return undefined;
    };
    if (!vscode.workspace.isTrusted) {
      const message = 'ToolWeaver does not run scripts in an untrusted workspace: they call the MCP servers this folder configures. Trust the workspace to run it.';
      this.lastRefusal = { reason: 'untrusted', message };
      if (interactive) {
        void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      }
      return undefined;
    }
    const name = request.uri ? path.basename(request.uri.fsPath) : 'selection';
    if (this.catalog.isRefreshing && !(await this.waitForCatalog(name, interactive, request.signal))) return undefined;
    const store = this.store();
    const invoker = this.catalog.invoker;
    if (!store || !invoker) {
      refuse('no_catalog', 'ToolWeaver has no tools to run this script against: no MCP server is configured for this workspace (add .vscode/mcp.json or run "ToolWeaver: Use the Demo Catalog").');
      if (!interactive) return undefined;
      const choice = await vscode.window.showWarningMessage('ToolWeaver has no tools to run this script against: no MCP server is configured for this workspace.', 'Use the Demo Catalog', 'Open mcp.json');
      if (choice === 'Use the Demo Catalog') await vscode.commands.executeCommand('toolweaver.useDemoCatalog');
      if (choice === 'Open mcp.json') await vscode.commands.executeCommand('workbench.mcp.openWorkspaceFolderMcpJson').then(undefined, () => undefined);
      return undefined;
    }
    const settings = readSettings(this.catalog.folder?.uri);
    if ((request.typeCheck ?? settings.typeCheck.enabled) && this.typeChecker && !(await this.typeCheckPasses(this.typeChecker, request))) {
      return undefined;
    }
    const redaction = redactionFromSettings(settings.redaction, this.catalog.secrets);
    for (const p of redaction.problems) this.log.warn(p);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (request.signal?.aborted) controller.abort();
    const wasRunning = this.isRunning;
    const runId = this.active.add({ name, ...(request.uri ? { path: request.uri.fsPath } : {}), interactive }, () => controller.abort());
    this.scriptName = request.uri ? path.basename(request.uri.fsPath) : undefined;
    if (!wasRunning) this.runningChanged.fire(true);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ToolWeaver: running ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const pool = this.poolFor(settings.limits.maxConcurrentRuns, settings.limits.memoryMb);
          // Sessions (the user, each model origin) take turns for the workers when all are busy.
          if (pool.scheduler.running >= pool.scheduler.concurrency) {
            progress.report({ message: `waiting for a free sandbox (toolweaver.limits.maxConcurrentRuns is ${pool.size})` });
            this.active.update(runId, { waiting: 'sandbox' });
          }
          const release = await pool.scheduler.acquire(request.origin ?? (interactive ? 'extension' : 'agent'), controller.signal);
          this.active.update(runId, { waiting: undefined });
          if (!release) {
            this.lastRefusal = { reason: 'cancelled', message: 'The run was cancelled while it waited for a free sandbox.' };
            return undefined;
          }
          try {
            let calls = 0;
            const executed = await executeRun({
              source: request.source,
              scriptPath: request.uri?.fsPath,
              language: request.language,
              catalog: this.catalog.catalog,
              invoker,
              sandbox: pool.sandbox,
              store,
              otlp: this.otlpFor(settings),
              keepRawTape: settings.traces.keepRawTape,
              limits: limitsFrom(settings, request.timeoutMs),
              signal: controller.signal,
              secrets: this.catalog.configSecrets,
              redaction: redaction.options,
              tokenizer: await loadTokenizer(settings.tokens.tokenizer),
              pricing: this.pricing(settings),
              origin: request.origin ?? 'extension',
              // Replies to a model here name the LM tool toolweaver_read_value in their markers.
              reply: { readTool: CODE_MODE_TOOL_NAMES.lm.readValue },
              skills: this.skills(),
              observed: await this.observed().catch(() => undefined),
              logger: channelLogger(this.log),
              // llm() in scripts goes to the selected chat model, with the toolweaver.llm.* quotas.
              llm: createVscodeLlmBridge(settings),
              // Decisions land in trace.approvals; the clock pauses at most one prompt timeout.
              approvals: {
                policy: approvalPolicyFrom(settings),
                broker: this.approvalBroker,
                allowList: this.allowList,
                timeoutMs: settings.approvals.timeoutSeconds * 1000,
                onDecision: (d) => {
                  if (d.source !== 'annotations' || d.outcome === 'denied') this.log.info(`Approval: ${d.outcome} ${d.server}/${d.tool} (${d.source}${d.answer ? `: ${d.answer}` : ''})`);
                },
              },
              firewall: request.conversation === undefined ? undefined : this.vaults.forConversation(request.conversation),
              ...(request.account ? { conversation: request.account } : {}),
              onEvent: (e: RunEvent) => {
                if (e.type === 'tool.start') {
                  progress.report({ message: `${++calls} tool ${calls === 1 ? 'call' : 'calls'}` });
                  this.active.update(runId, { toolCalls: calls });
                }
              },
            });
            const outcome: RunOutcome = { ...executed, decisions: [...executed.decisions] };
            this.report(outcome, request);
            this.finished.fire({ outcome, request });
            return outcome;
          } finally {
            release();
          }
        },
      );
    } catch (err) {
      // executeRun never throws for what the script did; this is our bug or the disk.
      this.log.error(`Run failed inside ToolWeaver: ${describeCause(err)}`);
      void vscode.window.showErrorMessage(`ToolWeaver could not finish the run: ${describeCause(err)}`);
      return undefined;
    } finally {
      request.signal?.removeEventListener('abort', onOuterAbort);
      this.active.remove(runId);
      if (this.active.size === 0) {
        this.scriptName = undefined;
        this.runningChanged.fire(false);
      }
    }
  }

  /** Replays a trace (src/core/replay): its recorded script, or `source`, against its recorded tool
   *  results, with no live call and no server. Undefined (with a message shown) when it cannot. */
  async replay(traceId: string, opts: { source?: string; scriptPath?: string; language?: 'ts' | 'js' } = {}): Promise<ReplayResult | undefined> {
    const store = this.store();
    if (!store) {
      void vscode.window.showWarningMessage('Open a folder first: ToolWeaver keeps traces in the workspace.');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('ToolWeaver runs scripts, replays included, only in a trusted workspace.');
      return undefined;
    }
    const trace = await store.read(traceId);
    let source = opts.source;
    if (source === undefined) {
      const recorded = replaySource(trace);
      if (!recorded.ok) {
        void vscode.window.showWarningMessage(recorded.message.replace('Pass --script FILE with', 'Open'));
        return undefined;
      }
      source = recorded.source;
    }
    const settings = readSettings(this.catalog.folder?.uri);
    const pool = this.poolFor(settings.limits.maxConcurrentRuns, settings.limits.memoryMb);
    const release = await pool.scheduler.acquire('extension', undefined);
    if (!release) return undefined;
    try {
      const replayed = await replayRun({ trace, source, scriptPath: opts.scriptPath, language: opts.language, store, sandbox: pool.sandbox, origin: 'extension', logger: channelLogger(this.log) });
      const d = replayed.replay.divergences[0];
      this.log.info(`Replay of ${trace.id} → ${replayed.trace.id}: ${replayed.trace.status}, ${replayed.replay.replayed} call(s) replayed, ${replayed.replay.live} live${d ? `; diverged: ${d.message}` : ''}.`);
      return replayed;
    } finally {
      release();
    }
  }

  /** The pre-run type check (runMessages.ts); a refusal is kept in `lastRefusal`. */
  private async typeCheckPasses(checker: TypeCheckService, request: RunRequest): Promise<boolean> {
    const { pass, refusal } = await preRunTypeCheck(checker, request, this.log);
    if (refusal) this.lastRefusal = refusal;
    return pass;
  }

  /** The account's pricing from settings; a bad price setting is logged and the defaults used. */
  private pricing(settings: Settings): Pricing {
    const { pricing, problem } = pricingFrom(settings);
    if (problem) this.log.warn(problem);
    return pricing;
  }

  /** Adds a finished run to the session totals, then logs it and shows what failed (runMessages.ts). */
  private report(outcome: RunOutcome, request: RunRequest): void {
    const { result, trace } = outcome;
    this.totals.runs++;
    this.totals.toolCalls += result.stats.toolCalls;
    if (trace.tokens) {
      // A failed run claims no saving: what it cost counts against code mode, with no classic
      // counterpart (classic would have done the task once, counted with the attempt that worked).
      this.totals.codeModeTokens += trace.tokens.codeMode.total;
      if (trace.tokens.savings) this.totals.classicTokens += trace.tokens.classic.total;
    }
    reportRunOutcome(outcome, request, this.log);
  }

  /** The CodeLens / status bar summary of a finished run. */
  static summary(outcome: RunOutcome): LastRunSummary {
    const t = outcome.trace;
    return { traceId: t.id, status: t.status, toolCalls: t.stats.toolCalls, durationMs: t.stats.durationMs, tokensSaved: t.tokens?.savings?.total, reduction: t.tokens?.savings?.reduction, ...(t.tokens?.codeModeCostMore ? { codeModeCostMore: true } : {}) };
  }

  dispose(): void {
    this.stop();
    this.active.dispose();
    void this.pool?.sandbox.dispose();
    this.finished.dispose();
    this.runningChanged.dispose();
  }
}
