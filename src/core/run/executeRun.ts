// The one way a script is run for a user (CLI, extension, agents): sandbox + trace recorder +
// redaction + token account + trace store. Invariant: every call leaves exactly one trace file
// with a terminal status (a `running` file is written first and replaced at the end); the outcome
// is on disk before a long token count starts, and the count keeps to a budget within the deadline.
import type { ApprovalDecision } from '../agents/approvals';
import { formatRunReply, viewRun } from '../agents/runReply';
import type { RunView, RunViewOptions } from '../agents/runView';
import { summarizeFindings, type InjectionReport } from '../untrusted/report';
import type { LlmBridge } from '../agents/llmBridge';
import { describeTool } from '../agents/toolSearch';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import { silentLogger, type Clock, type Logger, type ToolInvoker } from '../ports';
import { createRedactor, type RedactorOptions } from '../redact/redactor';
import { createSandbox, type Sandbox } from '../sandbox/sandbox';
import { DEFAULT_LIMITS, type LlmHook, type RunEvent, type RunLimits, type RunResult } from '../sandbox/types';
import { countTokenAccount } from '../account/account';
import type { Pricing } from '../account/prices';
import type { ToolDefinition } from '../tokens/codeModeTools';
import { loadDefaultTokenizer, type Tokenizer } from '../tokens/tokenizer';
import { describeCause } from '../errors';
import { firewalledLlmHook, restoringInvoker } from '../firewall/boundary';
import type { FirewallCategory } from '../firewall/categories';
import { firewallResult } from '../firewall/runOutcome';
import { summarizeWithheld, type PrivacyVault } from '../firewall/vault';
import { createTraceRecorder } from '../trace/recorder';
import type { ApprovalRecord, Trace, Withheld } from '../trace/schema';
import { createTraceStore, DEFAULT_TRACE_DIR, type TraceStore } from '../trace/store';
import path from 'node:path';

export interface ExecuteRunOptions {
  source: string;
  /** The script's file, recorded in the trace. */
  scriptPath?: string;
  language?: 'ts' | 'js';
  catalog: Catalog;
  invoker: ToolInvoker;
  /** Configured values to redact (LoadedCatalog.secrets). */
  secrets?: ConfigSecrets;
  limits?: Partial<RunLimits>;
  signal?: AbortSignal;
  /** Every RunEvent, as it happens (after the recorder saw it). */
  onEvent?: (event: RunEvent) => void;
  /** A warm sandbox to use; default: a fresh one, disposed afterwards. */
  sandbox?: Sandbox;
  /** Default: a store in `traceDir`, or `<cwd>/.toolweaver/traces`. */
  store?: TraceStore;
  traceDir?: string;
  cwd?: string;
  /** Tokenizer for the account; default o200k_base; `false` skips the account. */
  tokenizer?: Tokenizer | false;
  /** Most time the account may take to count (default: 50 ms + 40 ms per MiB, at most 2 s, and no
   *  later than the run's deadline, but at least MIN_ACCOUNT_BUDGET_MS). Past it, counts are estimated. */
  accountBudgetMs?: number;
  /** Tool docs the model read; default: the describe_tool text of each distinct tool the run called
   *  (a model writing the script would have had to look each one up). */
  docsRead?: readonly string[];
  codeModeToolDefs?: readonly ToolDefinition[];
  /** The model whose prices the account's dollar figures use (resolvePricing); default DEFAULT_MODEL. */
  pricing?: Pricing;
  redaction?: RedactorOptions;
  /** Per-value budget in the trace (default 16 KiB). */
  maxValueBytes?: number;
  /** 'cli', 'extension', 'agent', 'bench', … */
  origin?: string;
  /** How often the in-progress trace is rewritten while the run goes on (default 1000 ms; 0 = never). */
  checkpointMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Backs `llm()` in the script: a per-run LlmBridge (quotas, timeout per call) or a bare hook.
   *  Absent: llm() rejects with LLM_UNAVAILABLE_MESSAGE. */
  llm?: LlmBridge | LlmHook;
  /** Where the run's approval decisions accumulate (e.g. the ApprovingInvoker from withApprovals);
   *  read when the run ends into `trace.approvals`. */
  approvals?: { readonly decisions: readonly ApprovalDecision[] };
  /** See RunOptions.maxApprovalPauseMs (default: the approval timeout's default, 120 s). */
  maxApprovalPauseMs?: number;
  /** How the run's reply to a model is made (preview size, the read tool's name); the token account
   *  counts that reply. runId is always the trace id. */
  reply?: Omit<RunViewOptions, 'runId'>;
  /** The privacy firewall of the conversation this run belongs to (runs on behalf of a model):
   *  placeholders in tool-call arguments are restored before the invoker sees them, llm() prompts
   *  are firewalled, and the result gets a model-facing copy (`model`); `trace.withheld` counts
   *  what was withheld. Absent: nothing is restored or withheld (a person's own run). */
  firewall?: PrivacyVault;
}

/** Time the account always gets, even after a run that used its whole timeout. */
export const MIN_ACCOUNT_BUDGET_MS = 100;
/** Above this much text to count, the trace is written before the account is counted (so a host
 *  killed while counting keeps the run's real outcome); below it, one write is enough. */
export const PREWRITE_ACCOUNT_CHARS = 256 * 1024;

/** Most approval decisions a trace keeps (the rest are counted in `approvalsDropped`). */
export const MAX_APPROVAL_RECORDS = 2000;

/** Decisions as trace records (t = ms since the run started, never negative). */
export function approvalRecords(decisions: readonly ApprovalDecision[], runStartedAtMs: number): ApprovalRecord[] {
  return decisions.map((d) => {
    const r: ApprovalRecord = { t: Math.max(0, d.at - runStartedAtMs), server: d.server, tool: d.tool, action: d.outcome, source: d.source };
    if (d.line !== undefined) r.line = d.line;
    if (d.answer !== undefined) r.answer = d.answer;
    if (d.rule !== undefined) r.rule = d.rule;
    if (d.waitedMs > 0) r.waitedMs = d.waitedMs;
    return r;
  });
}

/** The llm() hook of a run: a bridge's call, with token counts for the span when a tokenizer is at hand. */
function llmHookOf(llm: LlmBridge | LlmHook | undefined, tokenizer: Tokenizer | undefined): LlmHook | undefined {
  if (!llm) return undefined;
  if (typeof llm === 'function') return llm;
  return async (prompt, o, signal) => {
    const text = await llm.call(prompt, { ...o, signal });
    if (!tokenizer) return text;
    return { text, inputTokens: tokenizer.count(`${o.system ?? ''}${prompt}`), outputTokens: tokenizer.count(text) };
  };
}

export interface ExecuteRunResult {
  result: RunResult;
  trace: Trace;
  traceFile: string;
  /** The model-facing view of the run (runReply.ts): what a run_code reply sends and the account counts. */
  view: RunView;
  /** With a firewall: the result as the model may see it (src/core/firewall/runOutcome.ts) and
   *  what the run withheld (outcome and llm() prompts). */
  model?: { result: RunResult; withheld: Withheld };
}

/** Stands in for the token line while the account that fills it is being counted (same shape and
 *  about the same tokens as the real line, so the reply is counted within a few tokens). */
export const TOKEN_LINE_STAND_IN = 'tokens: 12,345 with code mode vs 123,456 with direct tool calls (90.0 % saved; 80.0 % of dollars, warm cache)';

/** The trace record of a view's findings, its samples passed through the trace redactor. */
export function injectionRecord(view: RunView, redact: (text: string) => string): InjectionReport | undefined {
  const report = summarizeFindings(view.findings, { truncated: view.scanTruncated });
  if (!report) return undefined;
  report.samples = report.samples.map((x) => ({ ...x, excerpt: redact(x.excerpt), ...(x.decoded !== undefined ? { decoded: redact(x.decoded) } : {}) }));
  return report;
}

/** Default docs: describe_tool output for each distinct tool the trace called. */
export function docsForCalledTools(catalog: Catalog, trace: Pick<Trace, 'spans'>): string[] {
  const seen = new Set<string>();
  const docs: string[] = [];
  for (const s of trace.spans) {
    if (s.kind !== 'tool' || seen.has(`${s.server}\u0000${s.tool}`)) continue;
    seen.add(`${s.server}\u0000${s.tool}`);
    const server = catalog.servers.find((x) => x.name === s.server);
    const tool = server?.tools.find((t) => t.name === s.tool);
    if (!server || !tool) continue;
    try {
      docs.push(describeTool(catalog, `${server.ident}.${tool.ident}`));
    } catch {
      docs.push(`${server.ident}.${tool.ident}: ${tool.description ?? ''}\n${JSON.stringify(tool.inputSchema)}`);
    }
  }
  return docs;
}

/** Runs a script and records it. Never throws for what the script does; throws only when the
 *  trace store cannot be written at the start (nothing has run then). */
export async function executeRun(opts: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const logger = opts.logger ?? silentLogger;
  const store =
    opts.store ?? createTraceStore({ dir: opts.traceDir ?? path.join(opts.cwd ?? process.cwd(), DEFAULT_TRACE_DIR), logger, clock: opts.clock });
  const redactor = createRedactor({
    ...opts.redaction,
    secrets: [...(opts.redaction?.secrets ?? []), ...(opts.secrets?.values ?? [])],
  });
  const tokenizer = opts.tokenizer === false ? undefined : (opts.tokenizer ?? (await loadDefaultTokenizer()));
  const recorder = createTraceRecorder({
    source: opts.source,
    scriptPath: opts.scriptPath,
    language: opts.language,
    catalogId: opts.catalog.id,
    limits: opts.limits,
    origin: opts.origin,
    clock: opts.clock,
    maxValueBytes: opts.maxValueBytes,
    redactor,
  });
  await store.put(recorder.snapshot());

  // Checkpoints: at most one write in flight, at most one per checkpointMs, and a trailing one so
  // the last events before a quiet spell (e.g. a call that hangs) reach disk.
  const checkpointMs = opts.checkpointMs ?? 1000;
  let lastCheckpoint = Date.now();
  let writing = false;
  let dirty = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let writes: Promise<void> = Promise.resolve();
  const flush = (): void => {
    timer = undefined;
    if (finished || !dirty) return;
    dirty = false;
    writing = true;
    writes = writes
      .then(() => store.put(recorder.snapshot()))
      .then(
        () => undefined,
        (err: unknown) => logger.warn(`Could not checkpoint trace ${recorder.id}: ${describeCause(err)}`),
      )
      .finally(() => {
        writing = false;
        lastCheckpoint = Date.now();
        if (dirty) schedule();
      });
  };
  const schedule = (): void => {
    if (checkpointMs <= 0 || finished) return;
    dirty = true;
    if (writing || timer) return;
    timer = setTimeout(flush, Math.max(0, lastCheckpoint + checkpointMs - Date.now()));
  };
  const onEvent = (e: RunEvent): void => {
    recorder.onEvent(e);
    try {
      opts.onEvent?.(e);
    } catch (err) {
      logger.warn(`A run event listener threw: ${describeCause(err)}`);
    }
    schedule();
  };

  // Placeholders the model was given in this run (llm() prompts and the outcome), for the trace.
  const withheld = new Map<string, FirewallCategory>();
  const collect = (placeholders: ReadonlyMap<string, FirewallCategory>): void => {
    for (const [p, c] of placeholders) withheld.set(p, c);
  };
  const vault = opts.firewall;
  const baseHook = llmHookOf(opts.llm, tokenizer);
  const llm = vault && baseHook ? firewalledLlmHook(baseHook, vault, { secrets: opts.secrets, onWithheld: collect }) : baseHook;

  const ownSandbox = opts.sandbox === undefined;
  const sandbox = opts.sandbox ?? createSandbox({ poolSize: 1, logger });
  let result: RunResult;
  const runStartedAt = Date.now();
  try {
    recorder.markStarted();
    result = await sandbox.run(opts.source, {
      catalog: opts.catalog,
      invoker: vault ? restoringInvoker(opts.invoker, vault) : opts.invoker,
      language: opts.language,
      limits: opts.limits,
      signal: opts.signal,
      onEvent,
      llm,
      maxApprovalPauseMs: opts.maxApprovalPauseMs,
      // Keys read `${traceId}:${n}`: a server's log of keys leads back to this trace.
      runKey: recorder.id,
    });
  } catch (err) {
    // Sandbox.run must not reject; if it does, that is our bug, and the run still gets its trace.
    logger.error(`The sandbox failed unexpectedly: ${describeCause(err)}`);
    result = {
      ok: false,
      error: { name: 'SandboxCrashedError', code: 'sandbox_crashed', message: `The sandbox failed unexpectedly: ${describeCause(err)}` },
      logs: [],
      stats: { durationMs: 0, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 },
    };
  } finally {
    if (ownSandbox) await sandbox.dispose();
  }
  finished = true;
  clearTimeout(timer);
  await writes;

  const toolTexts = tokenizer ? recorder.toolTexts() : undefined;
  const trace = recorder.finish(result);
  let model: ExecuteRunResult['model'];
  if (vault) {
    const firewalled = firewallResult(result, vault, opts.secrets);
    collect(firewalled.placeholders);
    model = { result: firewalled.result, withheld: summarizeWithheld(withheld) };
    trace.withheld = model.withheld;
  }
  // The view (what a reply sends and the account counts) is made of the model-facing result.
  const view = viewRun(model?.result ?? result, { ...opts.reply, runId: trace.id });
  const injection = injectionRecord(view, (t) => redactor.text(t).value);
  if (injection) trace.injection = injection;
  if (opts.approvals) {
    const all = opts.approvals.decisions;
    trace.approvals = approvalRecords(all.slice(0, MAX_APPROVAL_RECORDS), trace.startedAtMs);
    if (all.length > MAX_APPROVAL_RECORDS) trace.approvalsDropped = all.length - MAX_APPROVAL_RECORDS;
  }
  if (tokenizer && toolTexts) {
    let chars = opts.source.length + (trace.value?.bytes ?? 0);
    for (const t of toolTexts.values()) chars += t.args.length + t.result.length;
    if (chars > PREWRITE_ACCOUNT_CHARS) {
      try {
        await store.put(trace);
      } catch (err) {
        logger.warn(`Could not write trace ${trace.id} before counting its tokens: ${describeCause(err)}`);
      }
    }
    const timeoutMs = opts.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
    const timeLeft = runStartedAt + timeoutMs - Date.now();
    try {
      const counted = await countTokenAccount(
        {
          trace,
          catalog: opts.catalog,
          script: opts.source,
          tokenizer,
          docsRead: opts.docsRead ?? docsForCalledTools(opts.catalog, trace),
          codeModeToolDefs: opts.codeModeToolDefs,
          ...(opts.pricing ? { pricing: opts.pricing } : {}),
          result,
          sent: {
            text: formatRunReply({ result: model?.result ?? result, traceId: trace.id, tokenSummary: TOKEN_LINE_STAND_IN, ...(model ? { withheld: model.withheld } : {}) }, view).text,
            truncated: view.preview?.complete === false,
          },
          toolTexts,
        },
        opts.accountBudgetMs !== undefined ? { budgetMs: opts.accountBudgetMs } : { maxBudgetMs: Math.max(MIN_ACCOUNT_BUDGET_MS, timeLeft) },
      );
      for (const span of trace.spans) {
        const t = span.kind === 'tool' ? counted.spanTokens.get(span.id) : undefined;
        if (span.kind === 'tool' && t) span.tokens = t;
      }
      trace.tokens = counted.account;
    } catch (err) {
      logger.warn(`Could not compute the token account: ${describeCause(err)}`);
    }
  }
  const traceFile = await store.write(trace);
  return model ? { result, trace, traceFile, view, model } : { result, trace, traceFile, view };
}
