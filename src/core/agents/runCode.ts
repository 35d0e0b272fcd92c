// Adapters from the engine's runners to the RunCode port the agent loop and the MCP server use.
// Invariant: every run gets a fresh approvals wrapper (a 'run' approval never outlives its run).
import { randomUUID } from 'node:crypto';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import type { ToolInvoker } from '../ports';
import type { Sandbox } from '../sandbox/sandbox';
import type { RunLimits } from '../sandbox/types';
import { withApprovals, type ApprovalBroker, type ApprovalDecision, type ApprovalPolicy, type AllowListStore, type ApprovingInvoker } from './approvals';
import { executeRun } from '../run/executeRun';
import { formatTokenSummary, type RunCode } from './runFeedback';

export interface ApprovalSetup {
  policy: ApprovalPolicy;
  /** Undefined = nobody can be asked (CLI, MCP server mode): 'ask' becomes a denial. */
  broker?: ApprovalBroker;
  allowList?: AllowListStore;
  timeoutMs?: number;
  onDecision?: (d: ApprovalDecision) => void;
}

export interface SandboxRunCodeOptions {
  sandbox: Sandbox;
  catalog: Catalog;
  invoker: ToolInvoker;
  limits?: Partial<RunLimits>;
  approvals?: ApprovalSetup;
}

/** Wraps the invoker for one run when approvals are configured. */
export function invokerForRun(invoker: ToolInvoker, catalog: Catalog, runId: string, approvals?: ApprovalSetup): ToolInvoker | ApprovingInvoker {
  if (!approvals) return invoker;
  return withApprovals(invoker, approvals.policy, approvals.broker, {
    catalog,
    runId,
    allowList: approvals.allowList,
    timeoutMs: approvals.timeoutMs,
    onDecision: approvals.onDecision,
  });
}

/** The setup's own broker wins; a per-run broker fills in where the setup has none. */
function withBroker(approvals: ApprovalSetup | undefined, broker: ApprovalBroker | undefined): ApprovalSetup | undefined {
  return approvals && !approvals.broker && broker ? { ...approvals, broker } : approvals;
}

/** RunCode over a bare sandbox (no trace recording). */
export function createSandboxRunCode(opts: SandboxRunCodeOptions): RunCode {
  return async (code, { signal, language, approvalBroker }) => {
    const runId = randomUUID();
    const invoker = invokerForRun(opts.invoker, opts.catalog, runId, withBroker(opts.approvals, approvalBroker));
    const result = await opts.sandbox.run(code, { catalog: opts.catalog, invoker, language, signal, limits: opts.limits });
    return { result };
  };
}

export interface ExecuteRunCodeOptions extends SandboxRunCodeOptions {
  secrets?: ConfigSecrets;
  /** Where traces go; default `<cwd>/.toolweaver/traces`. */
  traceDir?: string;
  cwd?: string;
  /** Recorded in the trace; default 'mcp'. */
  origin?: string;
}

/** RunCode over executeRun: each run is recorded (trace file, redaction, token account). */
export function createExecuteRunCode(opts: ExecuteRunCodeOptions): RunCode {
  return async (code, { signal, language, approvalBroker }) => {
    const invoker = invokerForRun(opts.invoker, opts.catalog, randomUUID(), withBroker(opts.approvals, approvalBroker));
    const { result, trace, traceFile } = await executeRun({
      source: code,
      language,
      catalog: opts.catalog,
      invoker,
      // The decisions go into trace.approvals.
      approvals: 'decisions' in invoker ? invoker : undefined,
      maxApprovalPauseMs: opts.approvals?.timeoutMs,
      secrets: opts.secrets,
      sandbox: opts.sandbox,
      limits: opts.limits,
      signal,
      traceDir: opts.traceDir,
      cwd: opts.cwd,
      origin: opts.origin ?? 'mcp',
    });
    return { result, traceId: trace.id, traceFile, tokenSummary: formatTokenSummary(trace.tokens) };
  };
}
