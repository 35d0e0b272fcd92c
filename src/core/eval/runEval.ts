// Runs eval tasks one after another through executeRun (so each figure is exactly what the trace
// account says) and checks each value in the host. Invariant: a task's outcome is always a result
// (a throwing check or a failed run is an incorrect task), never an exception out of the loop.
import type { Catalog } from '../catalog/types';
import type { Pricing } from '../account/prices';
import type { ToolInvoker } from '../ports';
import { executeRun } from '../run/executeRun';
import type { Sandbox } from '../sandbox/sandbox';
import type { RunLimits } from '../sandbox/types';
import type { TokenAccount } from '../tokens/schema';
import type { Tokenizer } from '../tokens/tokenizer';
import type { TraceStore } from '../trace/store';
import type { TaskFigures } from './baseline';
import { restrictCatalog, type CheckVerdict, type EvalTask } from './task';

export interface EvalDeps {
  catalog: Catalog;
  invoker: ToolInvoker;
  sandbox: Sandbox;
  store: TraceStore;
  tokenizer: Tokenizer;
  pricing?: Pricing;
  limits?: Partial<RunLimits>;
  /** Recorded in each trace: 'bench', 'eval'. */
  origin: string;
  signal?: AbortSignal;
}

export interface EvalTaskResult {
  task: EvalTask;
  correct: boolean;
  /** Why it is incorrect: the check's reason, its exception, or the run's error. */
  reason?: string;
  /** The run finished ok. */
  ok: boolean;
  /** `code: message` of a failed run. */
  error?: string;
  account?: TokenAccount;
  traceId: string;
  figures: TaskFigures;
}

/** The figures a baseline keeps, from a task's account. */
export function figuresOf(account: TokenAccount | undefined, correct: boolean): TaskFigures {
  return {
    tokenReduction: account?.savings ? account.savings.reduction : null,
    dollarReduction: account?.savings && account.cost ? account.cost.warm.reduction : null,
    correct,
    codeModeCostMore: account?.codeModeCostMore ?? false,
  };
}

async function verdictOf(check: EvalTask['check'], value: unknown): Promise<{ correct: boolean; reason?: string }> {
  if (!check) return { correct: true };
  let v: CheckVerdict;
  try {
    v = await check(value);
  } catch (err) {
    return { correct: false, reason: `the check threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (v === true) return { correct: true };
  return { correct: false, reason: typeof v === 'string' && v ? v : 'the check returned false' };
}

/** Runs one task. Catalog problems of the task (an unknown server or tool) throw ConfigError. */
export async function runEvalTask(task: EvalTask, deps: EvalDeps): Promise<EvalTaskResult> {
  const catalog = restrictCatalog(deps.catalog, task);
  const { result, trace } = await executeRun({
    source: task.script,
    scriptPath: task.scriptPath ?? `eval/${task.name}`,
    language: task.language,
    catalog,
    invoker: deps.invoker,
    sandbox: deps.sandbox,
    store: deps.store,
    tokenizer: deps.tokenizer,
    pricing: deps.pricing,
    origin: deps.origin,
    limits: deps.limits,
    signal: deps.signal,
    checkpointMs: 0,
  });
  const error = result.ok ? undefined : `${result.error.code}: ${result.error.message}`;
  let verdict: { correct: boolean; reason?: string };
  if ((task.expect ?? 'ok') === 'failure') {
    verdict = result.ok ? { correct: false, reason: 'the run was expected to fail but finished ok' } : await verdictOf(task.check, result.error);
  } else {
    verdict = result.ok ? await verdictOf(task.check, result.value) : { correct: false, reason: `the run failed: ${error ?? ''}` };
  }
  return { task, ...verdict, ok: result.ok, error, account: trace.tokens, traceId: trace.id, figures: figuresOf(trace.tokens, verdict.correct) };
}

/** Runs the tasks in order (one sandbox, one after another: the figures do not depend on load). */
export async function runEvalTasks(tasks: readonly EvalTask[], deps: EvalDeps, onResult?: (r: EvalTaskResult) => void): Promise<EvalTaskResult[]> {
  const out: EvalTaskResult[] = [];
  for (const task of tasks) {
    const r = await runEvalTask(task, deps);
    onResult?.(r);
    out.push(r);
  }
  return out;
}

/** The median of some numbers (0 for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
