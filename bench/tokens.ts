// `npm run bench:tokens`: the eval suite (bench/tasks/tokenTasks.ts) — context tokens and dollars of
// classic tool calling vs code mode, each task with its own catalog and a checked value — against the
// stored baseline bench/baselines/tokens.json. Every run goes through executeRun (core/eval), so the
// numbers are exactly what the trace account reports. Exits non-zero when a value is wrong, a task's
// conservative figure moved more than 2 points from the baseline, or an invariant of the account broke.
// Flags: --update-baseline (rewrite the baseline), --write-readme (rewrite README's token table).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import { compareToBaseline, makeBaseline, parseBaseline, type Baseline, type TaskComparison, type TaskFigures } from '../src/core/eval/baseline';
import { median, runEvalTasks, type EvalTaskResult } from '../src/core/eval/runEval';
import { createSandbox } from '../src/core/sandbox/sandbox';
import { loadDefaultTokenizer } from '../src/core/tokens/tokenizer';
import { createTraceStore } from '../src/core/trace/store';
import { tokenTasks, type TokenTask } from './tasks/tokenTasks';

const ROOT = path.resolve(__dirname, '..');
const BASELINE_FILE = path.join(ROOT, 'bench', 'baselines', 'tokens.json');
const README = path.join(ROOT, 'README.md');
const README_BEGIN = '<!-- bench:tokens:begin (written by `npm run bench:tokens -- --write-readme`) -->';
const README_END = '<!-- bench:tokens:end -->';
/** Anthropic's reported average for programmatic tool calling; the goal is twice it, in warm-cache dollars. */
const ANTHROPIC_PTC_REDUCTION = 0.37;
/** The serial and Promise.all forms of the same work: classic figures agree within this. */
const STYLE_TOLERANCE = 0.02;

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const points = (x: number | null) => (x === null ? '' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`);

/** 40 log files of 60 lines, every 7th line an ERROR. Returns the files. */
function writeLogs(root: string): string[] {
  const files: string[] = [];
  for (let f = 0; f < 40; f++) {
    const dir = path.join(root, `svc${f % 5}`);
    mkdirSync(dir, { recursive: true });
    const lines = Array.from({ length: 60 }, (_, i) =>
      `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z ${(i + f) % 7 === 0 ? 'ERROR' : 'INFO'} request ${f * 100 + i} handled in ${(i * 37) % 500} ms by worker ${i % 8}`,
    );
    const file = path.join(dir, `app-${f}.log`);
    writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
  }
  return files;
}

function readBaseline(): Baseline | undefined {
  if (!existsSync(BASELINE_FILE)) return undefined;
  return parseBaseline(JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as unknown, BASELINE_FILE);
}

/** The account's promises on this suite; each broken one is a line (and a non-zero exit). */
function invariants(rows: readonly EvalTaskResult[]): string[] {
  const broken: string[] = [];
  const by = (n: string) => rows.find((r) => r.task.name === n);
  const serial = by('reads-serial')?.account?.classic.total;
  const parallel = by('reads-parallel')?.account?.classic.total;
  if (serial === undefined || parallel === undefined) broken.push('reads-serial / reads-parallel: no account');
  else if (Math.abs(serial - parallel) / Math.max(serial, parallel) > STYLE_TOLERANCE) {
    broken.push(`reads-serial and reads-parallel differ by more than ${pct(STYLE_TOLERANCE)} on the classic side: ${fmt(serial)} vs ${fmt(parallel)}`);
  }
  for (const r of rows) {
    const t = r.task as TokenTask;
    if (t.kind === 'failed-run' && r.account?.savings !== null) broken.push(`${t.name}: a failed run must claim no saving (savings is ${JSON.stringify(r.account?.savings)})`);
    if (t.shouldLose && !r.account?.codeModeCostMore) broken.push(`${t.name}: code mode should cost more here and the account does not flag it`);
  }
  // The 20×20 PNG is ~3,600 tokens as base64 text and a few as an image block.
  const image = by('tiny-image')?.account;
  if (!image || image.classic.breakdown.intermediateResults > 500) broken.push(`tiny-image: the classic side counts ${fmt(image?.classic.breakdown.intermediateResults ?? -1)} result tokens; an image block of 20×20 px is a few`);
  return broken;
}

function tableRows(rows: readonly EvalTaskResult[], cmp: ReadonlyMap<string, TaskComparison>, withBaseline: boolean): string[] {
  const header = ['task', 'kind', 'catalog', 'calls', 'waves', 'classic tokens, conservative (naive)', 'code mode', 'token reduction', ...(withBaseline ? ['baseline', 'Δ pts'] : []), 'warm $ reduction', 'correct', ''];
  const out = [header, header.map(() => '---')];
  for (const r of rows) {
    const t = r.task as TokenTask;
    const a = r.account;
    const c = cmp.get(t.name);
    const tools = t.tools ? `${t.tools.length} tool${t.tools.length > 1 ? 's' : ''}` : (t.servers ?? ['all']).join('+');
    const flag = !r.ok ? `run failed (${r.error?.split(':')[0] ?? '?'}): no saving claimed` : a?.codeModeCostMore ? '⚠ code mode cost more' : '';
    out.push([
      t.name,
      t.kind,
      tools,
      String(a?.classic.toolCalls ?? '-'),
      String(a?.classic.waves ?? '-'),
      a ? `${fmt(a.classic.total)} (${fmt(a.classic.range?.naive ?? a.classic.total)})` : '-',
      a ? fmt(a.codeMode.total) : '-',
      pct(r.figures.tokenReduction),
      ...(withBaseline ? [c?.baseline ? pct(c.baseline.tokenReduction) : 'new', c?.status === 'moved' ? `**${points(c.deltaPoints)}**` : points(c?.deltaPoints ?? null)] : []),
      pct(r.figures.dollarReduction),
      r.correct ? '✔' : `✘ ${r.reason ?? ''}`,
      flag,
    ]);
  }
  return out.map((l) => `| ${l.join(' | ')} |`);
}

function summary(rows: readonly EvalTaskResult[]): { tokens: number; dollars: number; n: number; model: string } {
  const ok = rows.filter((r) => r.figures.tokenReduction !== null);
  return {
    tokens: median(ok.map((r) => r.figures.tokenReduction as number)),
    dollars: median(ok.filter((r) => r.figures.dollarReduction !== null).map((r) => r.figures.dollarReduction as number)),
    n: ok.length,
    model: ok[0]?.account?.cost?.model ?? '?',
  };
}

function writeReadme(rows: readonly EvalTaskResult[], tokenizer: string): void {
  const s = summary(rows);
  const text = readFileSync(README, 'utf8');
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${README_BEGIN} … ${README_END} section.`);
  const body = [
    README_BEGIN,
    `**Tokens and dollars** (\`npm run bench:tokens\`, ${new Date().toISOString().slice(0, 10)}; ${rows.length} fixed reference scripts, no LLM, each with the catalog a user would configure for it and a checked value; ${tokenizer}; dollars at ${s.model} prices with prompt caching)`,
    '',
    `- Median over the ${s.n} tasks that finished: **${pct(s.dollars)} fewer dollars with a warm cache** and **${pct(s.tokens)} fewer tokens**, both against the *conservative* classic agent (parallel tool calls, one turn per data-dependency wave). The naive classic figure (one call per turn) is the upper end of the range, in brackets.`,
    `- For comparison, Anthropic reports −37 % on average for programmatic tool calling on research tasks.`,
    `- The account flags code mode as costing more (tokens or warm-cache dollars) on ${rows.filter((r) => r.account?.codeModeCostMore && r.ok).map((r) => r.task.name).join(', ')}: among them one small call with a small catalog, a one-tool catalog and an image result (classic sends an image block, code mode returns its data as text), and short chains where the script, billed as output, outweighs the re-sent prefix.`,
    '- The read-all tasks return every result to the model, so code mode saves only what the script leaves out (read-all-urgent-tickets keeps 4 fields of each ticket) and loses where it leaves out nothing (a log file, the whole graph).',
    `- The data-heavy tasks run on a catalog without the aggregate tool (a user who configured list/get tools only), so the classic path pages too; with the aggregate tool classic answers in one call. Their classic figures are counterfactual: the peak context (${rows.filter((r) => (r.task as TokenTask).kind === 'data-heavy').map((r) => `${r.task.name} ${fmt(r.account?.classic.peakContext ?? 0)}`).join(', ')} tokens) exceeds every model's window.`,
    '',
    ...tableRows(rows, new Map(), false),
    README_END,
  ].join('\n');
  writeFileSync(README, text.slice(0, begin) + body + text.slice(end + README_END.length));
  console.log(`README.md: token table rewritten.`);
}

/** Runs the suite, prints the table against the baseline, and sets the exit code. */
export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const update = argv.includes('--update-baseline');
  const readme = argv.includes('--write-readme');
  const started = Date.now();
  const tmp = mkdtempSync(path.join(tmpdir(), 'tw-bench-tokens-'));
  const fsRoot = path.join(tmp, 'logs');
  const logFiles = writeLogs(fsRoot);
  const modules = path.join(ROOT, 'node_modules', '@modelcontextprotocol');
  const loaded = await loadCatalog({
    cwd: tmp,
    servers: {
      demo: { type: 'stdio', command: process.execPath, args: [path.join(__dirname, 'cli.js'), 'demo-server'] },
      everything: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-everything', 'dist', 'index.js')] },
      memory: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-memory', 'dist', 'index.js')], env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl') } },
      filesystem: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-filesystem', 'dist', 'index.js'), fsRoot] },
    },
    useDemoWhenEmpty: false,
  });
  const sandbox = createSandbox({ poolSize: 1 });
  const tokenizer = await loadDefaultTokenizer();
  const fsRootLiteral = fsRoot.replaceAll('\\', '\\\\');
  const tasks = tokenTasks({ fsRoot, logFiles }).map((t) => ({ ...t, script: t.script.replaceAll('__FS_ROOT__', fsRootLiteral), scriptPath: `bench/tasks/${t.name}` }));
  let rows: EvalTaskResult[];
  try {
    for (const s of loaded.catalog.servers.filter((x) => x.status.state === 'error')) console.error(`Warning: server ${s.name} failed to connect: ${JSON.stringify(s.status)}`);
    console.log(`\nToken eval suite — tokenizer ${tokenizer.name}; servers: ${loaded.catalog.servers.map((s) => `${s.name} (${s.tools.length} tools)`).join(', ')}; each task sees only its own catalog\n`);
    rows = await runEvalTasks(tasks, {
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      sandbox,
      store: createTraceStore({ dir: path.join(tmp, 'traces') }),
      tokenizer,
      origin: 'bench',
      limits: { timeoutMs: 120_000 },
    });
  } finally {
    await sandbox.dispose();
    await loaded.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const figures = new Map<string, TaskFigures>(rows.map((r) => [r.task.name, r.figures]));
  const baseline = readBaseline();
  const cmp = compareToBaseline(figures, baseline);
  for (const l of tableRows(rows, new Map(cmp.tasks.map((c) => [c.name, c])), true)) console.log(l);
  for (const c of cmp.tasks.filter((x) => x.status === 'missing')) console.log(`(baseline task ${c.name} is no longer in the suite)`);

  const s = summary(rows);
  console.log(`\nMedian over the ${s.n} finished tasks: conservative token reduction ${pct(s.tokens)}; warm-cache dollar reduction ${pct(s.dollars)} (${s.model}; goal ≥ ${pct(2 * ANTHROPIC_PTC_REDUCTION)}, twice Anthropic's reported ${pct(ANTHROPIC_PTC_REDUCTION)}: ${s.dollars >= 2 * ANTHROPIC_PTC_REDUCTION ? 'met' : 'NOT met'}).`);
  const flagged = rows.filter((r) => r.account?.codeModeCostMore).map((r) => r.task.name);
  console.log(`Flagged code mode cost more: ${flagged.join(', ') || 'none'}.`);
  console.log(`Classic = the task's catalog definitions with every request, one request per wave of data-dependent calls (parallel tool calls; naive: one call per request), every result re-sent; code mode = the served code-mode definitions, the docs read, the script (output) and the reply as sent. Run time ${((Date.now() - started) / 1000).toFixed(1)} s.`);

  let failed = false;
  const wrong = rows.filter((r) => !r.correct);
  if (wrong.length) {
    failed = true;
    console.log(`\nFAILED: ${wrong.length} task(s) returned a wrong value: ${wrong.map((r) => `${r.task.name} (${r.reason ?? ''})`).join('; ')}`);
  }
  const broken = invariants(rows);
  if (broken.length) {
    failed = true;
    console.log(`\nFAILED: the account broke a promise:\n- ${broken.join('\n- ')}`);
  }
  if (update) {
    mkdirSync(path.dirname(BASELINE_FILE), { recursive: true });
    const next = makeBaseline(figures, { updatedAt: new Date().toISOString(), tokenizer: tokenizer.name, model: s.model });
    writeFileSync(BASELINE_FILE, JSON.stringify(next, null, 2) + '\n');
    console.log(`\nBaseline written: ${path.relative(ROOT, BASELINE_FILE)} (${rows.length} tasks).`);
  } else if (!baseline) {
    failed = true;
    console.log(`\nFAILED: no baseline at ${path.relative(ROOT, BASELINE_FILE)}; run \`npm run bench:tokens -- --update-baseline\` and commit it.`);
  } else if (cmp.failed) {
    failed = true;
    const moved = cmp.tasks.filter((c) => c.status === 'moved' || c.status === 'now_incorrect');
    console.log(`\nFAILED: ${moved.length} task(s) moved more than 2 points from the baseline (or became incorrect): ${moved.map((c) => `${c.name} ${points(c.deltaPoints)}`).join(', ')}. If the change is intended, run \`npm run bench:tokens -- --update-baseline\` and commit the baseline with it.`);
  }
  if (readme) writeReadme(rows, tokenizer.name);
  if (failed) process.exitCode = 1;
}
