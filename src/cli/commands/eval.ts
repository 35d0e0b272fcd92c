// `toolweaver eval DIR`: runs a folder of the user's own eval tasks (NAME.tw.ts + NAME.check.ts, see
// core/eval/loadTasks.ts) against the catalog and prints, per task, correct/incorrect and the
// conservative token and warm-cache dollar figures against DIR/baseline.json. Exit 0 when every task is
// correct and none moved past the tolerance; 4 otherwise; with --json stdout is exactly one JSON object.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bool, num, str, type FlagSpec } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { PRICING_FLAGS, pricingFromArgs } from '../pricingArgs';
import { ConfigError, UsageError } from '../../core/errors';
import { compareToBaseline, DEFAULT_TOLERANCE_POINTS, makeBaseline, parseBaseline, type Baseline, type TaskComparison, type TaskFigures } from '../../core/eval/baseline';
import { EVAL_BASELINE_FILE, loadEvalTasks } from '../../core/eval/loadTasks';
import { median, runEvalTasks, type EvalTaskResult } from '../../core/eval/runEval';
import { createSandbox } from '../../core/sandbox/sandbox';
import { loadDefaultTokenizer } from '../../core/tokens/tokenizer';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';
import { describeFailures, loadCatalogFromArgs, OPENAPI_HELP } from './catalog';
import { onShutdown } from '../shutdown';

const flags: FlagSpec = {
  config: { kind: 'string', help: 'MCP config file in VS Code format (default: .vscode/mcp.json, else the embedded demo)' },
  catalog: { kind: 'string', help: 'offline catalog file instead of live servers' },
  openapi: { kind: 'list', help: OPENAPI_HELP },
  input: { kind: 'list', help: 'value for ${input:id} as id=value (repeatable; also env TOOLWEAVER_INPUT_<ID>)' },
  json: { kind: 'boolean', help: 'print exactly one JSON object (every task and the comparison) on stdout' },
  'update-baseline': { kind: 'boolean', help: `write the figures of this run to DIR/${EVAL_BASELINE_FILE}` },
  tolerance: { kind: 'number', help: `points a task's conservative token reduction may move from the baseline (default ${DEFAULT_TOLERANCE_POINTS})` },
  'timeout-ms': { kind: 'number', help: 'wall clock of each task in milliseconds (default 30000)' },
  'connect-timeout-ms': { kind: 'number', help: 'per-server connect timeout in milliseconds (default 10000)' },
  'trace-dir': { kind: 'string', help: 'where the tasks\' traces are written (default: .toolweaver/traces)' },
  ...PRICING_FLAGS,
};

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const pts = (x: number | null) => (x === null ? '' : ` (${x >= 0 ? '+' : ''}${x.toFixed(1)} pts)`);

async function readBaseline(file: string): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('config_unreadable', `Cannot read the baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, { cause: err, file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError('baseline_invalid', `The baseline ${file} is not JSON: ${(err as Error).message}. Fix it or rewrite it with --update-baseline.`, { cause: err, file });
  }
  return parseBaseline(raw, file);
}

function line(r: EvalTaskResult, c: TaskComparison | undefined): string {
  const verdict = r.correct ? 'correct  ' : 'INCORRECT';
  const base = c?.baseline ? `baseline ${pct(c.baseline.tokenReduction)}${pts(c.deltaPoints)}${c.status === 'moved' ? ' MOVED' : ''}` : 'no baseline';
  const flag = r.account?.codeModeCostMore ? '; code mode cost more' : '';
  const why = r.correct ? '' : `\n    ${r.reason ?? ''}`;
  return `${verdict} ${r.task.name}: tokens ${pct(r.figures.tokenReduction)} saved, ${base}; warm-cache dollars ${pct(r.figures.dollarReduction)} saved${flag}${why}`;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Run a folder of your own eval tasks and compare their token and dollar figures with a stored baseline',
  usage: 'toolweaver eval DIR [--config FILE | --catalog FILE] [--json] [--update-baseline] [--tolerance POINTS] [--timeout-ms N] [--prices FILE] [--model NAME]',
  flags,
  async run(args, io: CliIo) {
    const [dirArg, ...extra] = args.positionals;
    if (!dirArg) throw new UsageError('Name the folder of eval tasks (NAME.tw.ts scripts with NAME.check.ts checks).');
    if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    const tolerance = num(args, 'tolerance') ?? DEFAULT_TOLERANCE_POINTS;
    if (!(tolerance >= 0)) throw new UsageError(`--tolerance must be 0 or more points, not ${tolerance}.`);
    const dir = path.resolve(io.cwd, dirArg);
    const json = bool(args, 'json');
    const pricing = await pricingFromArgs(args, io);
    const tasks = await loadEvalTasks(dir);
    const baselineFile = path.join(dir, EVAL_BASELINE_FILE);
    const baseline = await readBaseline(baselineFile);
    const timeoutMs = num(args, 'timeout-ms');
    const loaded = await loadCatalogFromArgs(args, io, { connectTimeoutFlag: 'connect-timeout-ms' });
    const sandbox = createSandbox({ poolSize: 1 });
    const abort = new AbortController();
    const offShutdown = onShutdown(() => abort.abort());
    let rows: EvalTaskResult[];
    try {
      for (const l of describeFailures(loaded.catalog)) io.err(`Warning: ${l}`);
      const traceDir = str(args, 'trace-dir');
      rows = await runEvalTasks(tasks, {
        catalog: loaded.catalog,
        invoker: loaded.invoker,
        sandbox,
        store: createTraceStore({ dir: traceDir === undefined ? path.join(io.cwd, DEFAULT_TRACE_DIR) : path.resolve(io.cwd, traceDir) }),
        tokenizer: await loadDefaultTokenizer(),
        pricing,
        origin: 'eval',
        limits: timeoutMs === undefined ? undefined : { timeoutMs },
        signal: abort.signal,
      });
    } finally {
      offShutdown();
      await sandbox.dispose();
      await loaded.close();
    }
    const figures = new Map<string, TaskFigures>(rows.map((r) => [r.task.name, r.figures]));
    const cmp = compareToBaseline(figures, baseline, tolerance);
    const byName = new Map(cmp.tasks.map((c) => [c.name, c]));
    const finished = rows.filter((r) => r.figures.tokenReduction !== null);
    const summary = {
      tasks: rows.length,
      correct: rows.filter((r) => r.correct).length,
      medianTokenReduction: finished.length ? median(finished.map((r) => r.figures.tokenReduction as number)) : null,
      medianDollarReduction: finished.length ? median(finished.flatMap((r) => (r.figures.dollarReduction === null ? [] : [r.figures.dollarReduction]))) : null,
      model: pricing.model,
    };
    const update = bool(args, 'update-baseline');
    if (update) {
      const next = makeBaseline(figures, { updatedAt: new Date().toISOString(), tokenizer: rows[0]?.account?.tokenizer, model: pricing.model });
      await writeFile(baselineFile, JSON.stringify(next, null, 2) + '\n');
    }
    // Rewriting the baseline accepts the moves; a wrong value still fails.
    const failed = summary.correct < rows.length || (!update && cmp.failed);
    if (json) {
      io.out(JSON.stringify({
        ok: !failed,
        summary,
        baseline: { file: baselineFile, found: baseline !== undefined, updated: update, tolerancePoints: tolerance, failed: cmp.failed },
        tasks: rows.map((r) => ({
          name: r.task.name,
          correct: r.correct,
          ...(r.reason ? { reason: r.reason } : {}),
          ok: r.ok,
          ...(r.error ? { error: r.error } : {}),
          traceId: r.traceId,
          figures: r.figures,
          baseline: byName.get(r.task.name)?.baseline ?? null,
          deltaPoints: byName.get(r.task.name)?.deltaPoints ?? null,
          status: byName.get(r.task.name)?.status ?? 'new',
          tokens: r.account ? { classic: r.account.classic.total, naive: r.account.classic.range?.naive ?? r.account.classic.total, codeMode: r.account.codeMode.total, cost: r.account.cost ?? null } : null,
        })),
      }));
    } else {
      for (const r of rows) io.out(line(r, byName.get(r.task.name)));
      for (const c of cmp.tasks.filter((x) => x.status === 'missing')) io.out(`missing   ${c.name}: in the baseline but no longer in ${dirArg}`);
      io.out(`\n${summary.correct}/${rows.length} correct; median conservative token reduction ${pct(summary.medianTokenReduction)}, warm-cache dollars ${pct(summary.medianDollarReduction)} (${pricing.model}).`);
      if (update) io.out(`Baseline written: ${baselineFile}.`);
      else if (!baseline) io.out(`No baseline yet: run with --update-baseline to store these figures in ${baselineFile}.`);
      else if (cmp.failed) io.out(`Some figures moved more than ${tolerance} points from the baseline (or a task became incorrect); if that is intended, run with --update-baseline.`);
    }
    return failed ? EXIT.evalFailed : EXIT.ok;
  },
};
