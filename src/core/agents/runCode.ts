// Adapters from the engine's runners to the RunCode port the agent loop and the MCP server use.
// Invariant: every run gets a fresh approvals wrapper (a 'run' approval never outlives its run).
import { randomUUID } from 'node:crypto';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import type { ToolInvoker } from '../ports';
import type { Sandbox } from '../sandbox/sandbox';
import { runError } from '../sandbox/runErrors';
import type { RunLimits } from '../sandbox/types';
import { approvingInvoker, type ApprovalBroker, type ApprovalSetup } from '../approvals/approvals';
import { executeRun, type ExecuteRunOptions } from '../run/executeRun';
import { restoringInvoker } from '../firewall/boundary';
import { firewallResult } from '../firewall/runOutcome';
import { summarizeWithheld, type PrivacyVault } from '../firewall/vault';
import type { FairScheduler } from '../run/fairScheduler';
import type { Withheld } from '../trace/schema';
import { discoveryOf } from '../discovery/toolSearch';
import { formatTokenSummary, type RunCode } from './runFeedback';
import type { RunCodeOutcome } from '../run/runView';

export interface SandboxRunCodeOptions {
  sandbox: Sandbox;
  catalog: Catalog;
  invoker: ToolInvoker;
  limits?: Partial<RunLimits>;
  approvals?: ApprovalSetup;
  /** The privacy vault of the conversation these runs belong to: what the runs return is the
   *  model-facing copy, and placeholders in tool-call arguments are restored. */
  firewall?: PrivacyVault;
  /** Configured values (LoadedCatalog.secrets): redacted in traces, withheld by the firewall. */
  secrets?: ConfigSecrets;
}

/** The setup's own broker wins; a per-run broker fills in where the setup has none. */
function withBroker(approvals: ApprovalSetup | undefined, broker: ApprovalBroker | undefined): ApprovalSetup | undefined {
  return approvals && !approvals.broker && broker ? { ...approvals, broker } : approvals;
}

/** The runner's limits with this run's timeout, when the caller gave one. */
function limitsForRun(limits: Partial<RunLimits> | undefined, timeoutMs: number | undefined): Partial<RunLimits> | undefined {
  return timeoutMs === undefined ? limits : { ...limits, timeoutMs };
}

/** An outcome whose `result` is already the model-facing copy, with `modelValue` and `withheld` set. */
export function modelOutcome(outcome: RunCodeOutcome, withheld: Withheld): RunCodeOutcome {
  return { ...outcome, modelValue: outcome.result.ok ? outcome.result.value : undefined, withheld };
}

/** RunCode over a bare sandbox (no trace recording). */
export function createSandboxRunCode(opts: SandboxRunCodeOptions): RunCode {
  return async (code, { signal, language, approvalBroker, timeoutMs }) => {
    const setup = withBroker(opts.approvals, approvalBroker);
    const approving = setup ? approvingInvoker(opts.invoker, setup, opts.catalog, randomUUID()) : opts.invoker;
    const invoker = opts.firewall ? restoringInvoker(approving, opts.firewall) : approving;
    const result = await opts.sandbox.run(code, { catalog: opts.catalog, invoker, discovery: discoveryOf(opts.catalog), language, signal, limits: limitsForRun(opts.limits, timeoutMs) });
    if (!opts.firewall) return { result };
    const model = firewallResult(result, opts.firewall, opts.secrets);
    return modelOutcome({ result: model.result }, summarizeWithheld(model.placeholders));
  };
}

export interface ExecuteRunCodeOptions extends SandboxRunCodeOptions {
  /** Where traces go; default `<cwd>/.toolweaver/traces`. */
  traceDir?: string;
  cwd?: string;
  /** Recorded in the trace; default 'mcp'. */
  origin?: string;
  /** Preview size and read tool of the replies (default: 8,000 characters, read_value). */
  reply?: ExecuteRunOptions['reply'];
  /** The workspace's skills: scripts may call \`skills.<name>()\` (executeRun's \`skills\`). */
  skills?: ExecuteRunOptions['skills'];
  /** Pushes each finished trace to an OpenTelemetry collector. */
  otlp?: ExecuteRunOptions['otlp'];
  /** Observed figures for tools.search/describe inside scripts, read before each run (a failure = none). */
  observed?: () => Promise<ExecuteRunOptions['observed']>;
}

/** RunCode over executeRun: each run is recorded (trace file, redaction, token account). */
export function createExecuteRunCode(opts: ExecuteRunCodeOptions): RunCode {
  return async (code, { signal, language, approvalBroker, timeoutMs, conversation }) => {
    const observed = await opts.observed?.().catch(() => undefined);
    const { result, trace, traceFile, view, model } = await executeRun({
      source: code,
      language,
      catalog: opts.catalog,
      invoker: opts.invoker,
      // executeRun wraps the invoker for the run; the decisions go into trace.approvals.
      approvals: withBroker(opts.approvals, approvalBroker),
      secrets: opts.secrets,
      sandbox: opts.sandbox,
      limits: limitsForRun(opts.limits, timeoutMs),
      signal,
      traceDir: opts.traceDir,
      cwd: opts.cwd,
      origin: opts.origin ?? 'mcp',
      reply: opts.reply,
      firewall: opts.firewall,
      conversation,
      skills: opts.skills,
      otlp: opts.otlp,
      observed,
    });
    // The view was made of the model-facing result (executeRun firewalls before it views).
    const outcome = { result: model?.result ?? result, traceId: trace.id, traceFile, tokenSummary: formatTokenSummary(trace.tokens), view };
    return model ? modelOutcome(outcome, model.withheld) : outcome;
  };
}

/**
 * RunCode that takes a slot of `scheduler` for session `key` before running, so sessions share the
 * sandbox pool fairly (size the pool to the scheduler's concurrency). A run cancelled while it
 * waits ends as `cancelled` without starting.
 */
export function scheduledRunCode(runCode: RunCode, scheduler: FairScheduler, key: string): RunCode {
  return async (code, options) => {
    const queuedAt = performance.now();
    const release = await scheduler.acquire(key, options.signal);
    if (!release) {
      return {
        result: {
          ok: false,
          error: runError('cancelled', 'The run was cancelled while it waited for a free sandbox.'),
          logs: [],
          stats: { durationMs: performance.now() - queuedAt, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 },
        },
      };
    }
    try {
      return await runCode(code, options);
    } finally {
      release();
    }
  };
}
