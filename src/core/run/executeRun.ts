// The one way a script is run for a user (CLI, extension, agents): sandbox + approvals + trace
// recorder + redaction + token account + trace store. Invariant: every call leaves exactly one trace
// file with a terminal status (a `running` file is written first and replaced at the end); the outcome
// is on disk before a long token count starts, and the count keeps to a budget within the deadline.
import type { OtlpPusher } from '../trace/otlpPush';
import type { ToolFigures } from '../discovery/observed';
import path from 'node:path';
import { approvingInvoker, type ApprovalDecision, type ApprovalSetup } from '../approvals/approvals';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import type { Pricing } from '../account/prices';
import type { ConversationAccount } from '../account/conversation';
import { describeCause } from '../errors';
import { firewalledLlmHook, restoringInvoker } from '../firewall/boundary';
import type { FirewallCategory } from '../firewall/categories';
import { firewallResult } from '../firewall/runOutcome';
import { summarizeWithheld, type PrivacyVault } from '../firewall/vault';
import type { LlmBridge } from '../llm/llmBridge';
import { silentLogger, type Clock, type Logger, type ToolInvoker } from '../ports';
import { createRedactor, type RedactorOptions } from '../redact/redactor';
import { runError } from '../sandbox/runErrors';
import { createSandbox, type Sandbox } from '../sandbox/sandbox';
import { DEFAULT_LIMITS, type LlmHook, type RunEvent, type RunLimits, type RunResult } from '../sandbox/types';
import type { ToolDefinition } from '../codeMode/tools';
import { loadDefaultTokenizer, type Tokenizer } from '../tokens/tokenizer';
import { recordApprovals } from '../trace/approvalRecords';
import { createCheckpoints } from '../trace/checkpoints';
import { markDrift } from '../learned/drift';
import { recordToolHints } from '../trace/toolHints';
import { createTraceRecorder } from '../trace/recorder';
import { createRawTapeRecorder, createRawTapeStore } from '../trace/rawTape';
import type { Trace, Withheld } from '../trace/schema';
import { createTraceStore, DEFAULT_TRACE_DIR, type TraceStore } from '../trace/store';
import { summarizeFindings, type InjectionReport } from '../untrusted/report';
import { skillsPrologue, usesSkills, type Skill } from '../skills/skillSet';
import { locateSkillError } from '../skills/skillErrorLocation';
import { discoveryWithSkills } from '../skills/skillSearch';
import { countRunAccount } from './runAccount';
import { viewRun } from './runReply';
import type { RunView, RunViewOptions } from './runView';

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
   *  later than the run's deadline, but at least MIN_ACCOUNT_BUDGET_MS, runAccount.ts). Past it,
   *  counts are estimated. */
  accountBudgetMs?: number;
  /** Tool docs the model read; default: the describe_tool text of each distinct tool the run called
   *  (a model writing the script would have had to look each one up). */
  docsRead?: readonly string[];
  /** The code-mode definitions served on the surface the run came from; default: the MCP surface's
   *  for the catalog (run_code with its manifest; the larger set, so classic's favour). */
  codeModeToolDefs?: readonly ToolDefinition[];
  /** The conversation the run belongs to (an MCP session, the LM tools, a chat): the account takes
   *  the definitions it served, the docs and rejected scripts the model read since the last run and
   *  the failed runs before this one, and adds the run to the conversation (`tokens.conversation`). */
  conversation?: ConversationAccount;
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
  /** How the run's calls are approved. executeRun wraps `invoker` for this run (its decisions carry
   *  the trace id as runId), pauses the run's clock at most `timeoutMs` for prompts, and writes the
   *  decisions into `trace.approvals`. Absent: every call goes straight to `invoker`. */
  approvals?: ApprovalSetup;
  /** How the run's reply to a model is made (preview size, the read tool's name); the token account
   *  counts that reply. runId is always the trace id. */
  reply?: Omit<RunViewOptions, 'runId'>;
  /** The privacy firewall of the conversation this run belongs to (runs on behalf of a model):
   *  placeholders in tool-call arguments are restored before the invoker sees them, llm() prompts
   *  are firewalled, and the result gets a model-facing copy (`model`); `trace.withheld` counts
   *  what was withheld. Absent: nothing is restored or withheld (a person's own run). */
  firewall?: PrivacyVault;
  /** Called with the finished trace before the account is counted and the trace is written: lets a
   *  caller add what only it knows (a replay marks its spans and records its divergences). */
  annotateTrace?: (trace: Trace, result: RunResult) => void;
  /** Keep the raw tape (trace/rawTape.ts): the unredacted tool results beside the trace, local only
   *  (0600, git-ignored, never exported), so a replay can answer calls whose stored result was redacted
   *  or cut. Default true; `toolweaver.traces.keepRawTape` / `--no-raw-tape` turn it off. */
  keepRawTape?: boolean;
  /** The workspace's skills (loadSkills): a script that mentions \`skills\` gets them as the global
   *  \`skills\`, each call running inside this run under a 'skill' span (src/core/skills/). */
  skills?: readonly Skill[];
  /** With \`skills\`: also install \`__twSkillExample(name, i)\` (\`toolweaver skills test\`). */
  skillExamples?: boolean;
  /** Observed figures of past runs: tools.search() in the script ranks by them and tools.describe()
   *  adds their line (discovery/observed.ts). */
  observed?: ToolFigures;
  /** Pushes the finished trace to an OpenTelemetry collector (trace/otlpPush.ts); never awaited. */
  otlp?: OtlpPusher;
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
  /** The run's approval decisions, in order (empty without `approvals`); the trace keeps at most
   *  MAX_APPROVAL_RECORDS of them. */
  decisions: readonly ApprovalDecision[];
}

/** The trace record of a view's findings, its samples passed through the trace redactor. */
export function injectionRecord(view: RunView, redact: (text: string) => string): InjectionReport | undefined {
  const report = summarizeFindings(view.findings, { truncated: view.scanTruncated });
  if (!report) return undefined;
  report.samples = report.samples.map((x) => ({ ...x, excerpt: redact(x.excerpt), ...(x.decoded !== undefined ? { decoded: redact(x.decoded) } : {}) }));
  return report;
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
  // The raw tape keeps personal data (what a replay needs) but never a secret: its own redactor has the
  // secret rules and no PII patterns.
  const rawTape =
    opts.keepRawTape === false
      ? undefined
      : createRawTapeRecorder(undefined, createRedactor({ ...opts.redaction, secrets: [...(opts.redaction?.secrets ?? []), ...(opts.secrets?.values ?? [])], pii: false }).redactValue);

  // The in-progress trace is rewritten while the run goes on (trace/checkpoints.ts).
  const checkpoints = createCheckpoints({ write: () => store.put(recorder.snapshot()), intervalMs: opts.checkpointMs ?? 1000, logger, traceId: recorder.id });
  const onEvent = (e: RunEvent): void => {
    recorder.onEvent(e);
    rawTape?.onEvent(e);
    try {
      opts.onEvent?.(e);
    } catch (err) {
      logger.warn(`A run event listener threw: ${describeCause(err)}`);
    }
    checkpoints.touch();
  };

  // Placeholders the model was given in this run (llm() prompts and the outcome), for the trace.
  const withheld = new Map<string, FirewallCategory>();
  const collect = (placeholders: ReadonlyMap<string, FirewallCategory>): void => {
    for (const [p, c] of placeholders) withheld.set(p, c);
  };
  const vault = opts.firewall;
  const baseHook = llmHookOf(opts.llm, tokenizer);
  const llm = vault && baseHook ? firewalledLlmHook(baseHook, vault, { secrets: opts.secrets, onWithheld: collect }) : baseHook;
  // One approvals wrapper per run, inside the firewall's restoring invoker (a prompt shows real values).
  const approving = opts.approvals ? approvingInvoker(opts.invoker, opts.approvals, opts.catalog, recorder.id) : undefined;
  const invoker = approving ?? opts.invoker;

  const ownSandbox = opts.sandbox === undefined;
  const sandbox = opts.sandbox ?? createSandbox({ poolSize: 1, logger, memoryMb: opts.limits?.memoryMb });
  // Skills enter a run only when it mentions them (the prologue costs each run its compile).
  const runSkills = opts.skills?.length && (usesSkills(opts.source) || opts.skillExamples) ? opts.skills : [];
  let result: RunResult;
  const runStartedAt = Date.now();
  // Taken before the run: docs and attempts read until now belong to this run (concurrent runs of one
  // conversation each take their own).
  const accountContext = tokenizer ? opts.conversation?.takeForRun() : undefined;
  try {
    recorder.markStarted();
    result = await sandbox.run(opts.source, {
      catalog: opts.catalog,
      invoker: vault ? restoringInvoker(invoker, vault) : invoker,
      language: opts.language,
      limits: opts.limits,
      signal: opts.signal,
      onEvent,
      llm,
      discovery: discoveryWithSkills(opts.catalog, runSkills, opts.observed),
      maxApprovalPauseMs: opts.approvals?.timeoutMs,
      // Keys read `${traceId}:${n}`: a server's log of keys leads back to this trace.
      runKey: recorder.id,
      ...(runSkills.length ? { prologue: skillsPrologue(runSkills, { examples: opts.skillExamples }) } : {}),
    });
  } catch (err) {
    // Sandbox.run must not reject; if it does, that is our bug, and the run still gets its trace.
    logger.error(`The sandbox failed unexpectedly: ${describeCause(err)}`);
    result = {
      ok: false,
      error: runError('sandbox_crashed', `The sandbox failed unexpectedly: ${describeCause(err)}`),
      logs: [],
      stats: { durationMs: 0, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 },
    };
  } finally {
    if (ownSandbox) await sandbox.dispose();
  }
  await checkpoints.stop();
  // An error thrown inside a skill names the skill file's line, not the skills runtime's.
  if (!result.ok && runSkills.length) result = { ...result, error: locateSkillError(result.error, runSkills) };

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
  if (approving) recordApprovals(trace, approving.decisions);
  // Results that do not fit a learned output type are flagged (a drift), never failed.
  markDrift(trace, opts.catalog);
  // Each tool span keeps the hints retry() and the cache decided by, so a replay decides the same.
  recordToolHints(trace, opts.catalog);
  if (opts.annotateTrace) {
    try {
      opts.annotateTrace(trace, result);
    } catch (err) {
      logger.error(`Annotating the trace failed: ${describeCause(err)}`);
    }
  }
  if (tokenizer && toolTexts) {
    await countRunAccount({
      trace,
      catalog: opts.catalog,
      source: opts.source,
      tokenizer,
      toolTexts,
      result,
      model,
      view,
      docsRead: opts.docsRead,
      codeModeToolDefs: opts.codeModeToolDefs,
      ...(opts.conversation && accountContext ? { conversation: { account: opts.conversation, context: accountContext } } : {}),
      ...(opts.pricing ? { pricing: opts.pricing } : {}),
      budgetMs: opts.accountBudgetMs,
      runStartedAt,
      timeoutMs: opts.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
      store,
      logger,
    });
  }
  const traceFile = await store.write(trace);
  // Fire and forget: a collector that is down or slow never delays or fails the run.
  opts.otlp?.push(trace);
  if (rawTape && trace.spans.some((s) => s.kind === 'tool')) {
    // A tape that cannot be written costs only the faithful replay of redacted results, never the run.
    await createRawTapeStore({ traceDir: store.dir, logger })
      .write(trace.id, rawTape.take())
      .catch((err: unknown) => logger.warn(`Cannot keep the raw tape of ${trace.id}: ${describeCause(err)}`));
  }
  const decisions = approving?.decisions ?? [];
  return model ? { result, trace, traceFile, view, model, decisions } : { result, trace, traceFile, view, decisions };
}
