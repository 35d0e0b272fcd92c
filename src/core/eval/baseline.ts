// A stored eval baseline (per task: conservative token reduction, warm-cache dollar reduction,
// correct) and the comparison of a run against it. Invariant: a task's conservative token figure that
// moves by more than the tolerance, either way, is a failure until the baseline is rewritten.
import { z } from 'zod';
import { ConfigError } from '../errors';

/** Points (percentage points of reduction) a task's conservative token figure may move. */
export const DEFAULT_TOLERANCE_POINTS = 2;

/** Reductions below this are compared as this. Past it code mode costs over twice classic, and the few
 *  tokens a run's reply varies by (its duration, "41 ms") move the figure by points: on a 343-token
 *  classic side one token is 0.3 points. What matters there is that code mode still loses, and a flip
 *  of `codeModeCostMore` fails on its own. */
export const COMPARE_FLOOR = -1;
const compared = (x: number) => Math.max(COMPARE_FLOOR, x);

/** One task's figures: reductions as fractions (0.8 = 80 %), null for a run that claims no saving. */
export const TaskFiguresSchema = z.object({
  /** 1 - code mode / classic tokens, conservative classic side (tokens.savings.reduction). */
  tokenReduction: z.number().nullable(),
  /** The same in dollars with a warm cache (tokens.cost.warm.reduction). */
  dollarReduction: z.number().nullable(),
  correct: z.boolean(),
  /** The account says code mode cost more (tokens.codeModeCostMore). */
  codeModeCostMore: z.boolean().optional(),
});
export type TaskFigures = z.infer<typeof TaskFiguresSchema>;

/** The file: bench/baselines/tokens.json, or DIR/baseline.json for `toolweaver eval`. */
export const BaselineSchema = z.object({
  version: z.literal(1),
  /** When it was written (ISO time) and with what: for people reading a diff. */
  updatedAt: z.string(),
  tokenizer: z.string().optional(),
  model: z.string().optional(),
  tasks: z.record(z.string(), TaskFiguresSchema),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/** How a task compares: within the tolerance, moved past it, or only on one side. */
export type ComparisonStatus = 'same' | 'moved' | 'now_incorrect' | 'new' | 'missing';

export interface TaskComparison {
  name: string;
  current?: TaskFigures;
  baseline?: TaskFigures;
  /** Current minus baseline token reduction, in points (unclamped); null when either side is null or absent. */
  deltaPoints: number | null;
  status: ComparisonStatus;
}

export interface BaselineComparison {
  tasks: TaskComparison[];
  /** True when some task moved past the tolerance or became incorrect. New and missing tasks do
   *  not fail (they are printed): the first run of a new task has nothing to compare with. */
  failed: boolean;
}

/** Parses a baseline file's JSON; a ConfigError naming the file when it is not one. */
export function parseBaseline(raw: unknown, file: string): Baseline {
  const parsed = BaselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError('baseline_invalid', `The baseline ${file} is not a ToolWeaver baseline (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}). Fix it or rewrite it with --update-baseline.`, { file });
  }
  return parsed.data;
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

/** A baseline holding `figures` (rounded to 0.01 points), tasks in name order so diffs stay small. */
export function makeBaseline(figures: ReadonlyMap<string, TaskFigures>, meta: { updatedAt: string; tokenizer?: string; model?: string }): Baseline {
  const tasks: Record<string, TaskFigures> = {};
  for (const name of [...figures.keys()].sort()) {
    const f = figures.get(name) as TaskFigures;
    tasks[name] = { tokenReduction: round(f.tokenReduction), dollarReduction: round(f.dollarReduction), correct: f.correct, ...(f.codeModeCostMore === undefined ? {} : { codeModeCostMore: f.codeModeCostMore }) };
  }
  return { version: 1, updatedAt: meta.updatedAt, ...(meta.tokenizer ? { tokenizer: meta.tokenizer } : {}), ...(meta.model ? { model: meta.model } : {}), tasks };
}

/** Compares current figures with a baseline, task by task, in the order of `current` then missing ones. */
export function compareToBaseline(current: ReadonlyMap<string, TaskFigures>, baseline: Baseline | undefined, tolerancePoints = DEFAULT_TOLERANCE_POINTS): BaselineComparison {
  const tasks: TaskComparison[] = [];
  const stored = baseline?.tasks ?? {};
  for (const [name, cur] of current) {
    const base = Object.prototype.hasOwnProperty.call(stored, name) ? stored[name] : undefined;
    if (!base) {
      tasks.push({ name, current: cur, deltaPoints: null, status: 'new' });
      continue;
    }
    const bothNumbers = cur.tokenReduction !== null && base.tokenReduction !== null;
    const deltaPoints = bothNumbers ? ((cur.tokenReduction as number) - (base.tokenReduction as number)) * 100 : null;
    const comparedDelta = bothNumbers ? (compared(cur.tokenReduction as number) - compared(base.tokenReduction as number)) * 100 : 0;
    // A saving that appeared or vanished (a run that now fails, or now finishes) is a move too, and
    // so is the flag turning (code mode now costs more, or no longer does).
    const flagTurned = cur.codeModeCostMore !== undefined && base.codeModeCostMore !== undefined && cur.codeModeCostMore !== base.codeModeCostMore;
    const moved = flagTurned || (bothNumbers ? Math.abs(comparedDelta) > tolerancePoints + 1e-9 : cur.tokenReduction !== base.tokenReduction);
    const status: ComparisonStatus = base.correct && !cur.correct ? 'now_incorrect' : moved ? 'moved' : 'same';
    tasks.push({ name, current: cur, baseline: base, deltaPoints, status });
  }
  for (const [name, base] of Object.entries(stored)) {
    if (!current.has(name)) tasks.push({ name, baseline: base, deltaPoints: null, status: 'missing' });
  }
  return { tasks, failed: tasks.some((t) => t.status === 'moved' || t.status === 'now_incorrect') };
}
