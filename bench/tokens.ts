// `npm run bench:tokens`: context tokens of classic tool calling vs code mode on fixed reference
// scripts (bench/tasks/tokenTasks.ts) against the demo CRM and the real reference MCP servers.
// Every run goes through executeRun, so the numbers are exactly what the trace account reports.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import type { Catalog } from '../src/core/catalog/types';
import { executeRun } from '../src/core/run/executeRun';
import { createSandbox } from '../src/core/sandbox/sandbox';
import type { TokenAccount } from '../src/core/tokens/schema';
import { loadDefaultTokenizer } from '../src/core/tokens/tokenizer';
import { createTraceStore } from '../src/core/trace/store';
import { TOKEN_TASKS, type TokenTask } from './tasks/tokenTasks';

interface Row {
  task: TokenTask;
  ok: boolean;
  error?: string;
  account?: TokenAccount;
}

const GOAL_MEDIAN = 0.9;
const GOAL_DATA_HEAVY = 0.987;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** 40 log files of 60 lines, every 7th line an ERROR (so 8–9 per file). */
function writeLogs(root: string): void {
  for (let f = 0; f < 40; f++) {
    const dir = path.join(root, `svc${f % 5}`);
    mkdirSync(dir, { recursive: true });
    const lines = Array.from({ length: 60 }, (_, i) =>
      `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z ${(i + f) % 7 === 0 ? 'ERROR' : 'INFO'} request ${f * 100 + i} handled in ${(i * 37) % 500} ms by worker ${i % 8}`,
    );
    writeFileSync(path.join(dir, `app-${f}.log`), lines.join('\n') + '\n');
  }
}

function restrict(catalog: Catalog, task: TokenTask): Catalog {
  const servers = catalog.servers
    .filter((s) => !task.servers || task.servers.includes(s.name))
    .map((s) => (task.tools ? { ...s, tools: s.tools.filter((t) => task.tools?.includes(`${s.name}.${t.name}`)) } : s))
    .filter((s) => s.tools.length > 0);
  return { ...catalog, servers };
}

/** Runs every task and prints the table. */
export async function run(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'tw-bench-tokens-'));
  const fsRoot = path.join(tmp, 'logs');
  writeLogs(fsRoot);
  const modules = path.resolve(__dirname, '..', 'node_modules', '@modelcontextprotocol');
  const loaded = await loadCatalog({
    cwd: tmp,
    servers: {
      demo: { type: 'stdio', command: process.execPath, args: [path.join(__dirname, 'cli.js'), 'demo-server'] },
      everything: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-everything', 'dist', 'index.js')] },
      memory: {
        type: 'stdio',
        command: process.execPath,
        args: [path.join(modules, 'server-memory', 'dist', 'index.js')],
        env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl') },
      },
      filesystem: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-filesystem', 'dist', 'index.js'), fsRoot] },
    },
    useDemoWhenEmpty: false,
  });
  const sandbox = createSandbox({ poolSize: 1 });
  const store = createTraceStore({ dir: path.join(tmp, 'traces') });
  const tokenizer = await loadDefaultTokenizer();
  const rows: Row[] = [];
  try {
    const broken = loaded.catalog.servers.filter((s) => s.status.state === 'error');
    for (const s of broken) console.error(`Warning: server ${s.name} failed to connect: ${JSON.stringify(s.status)}`);
    const toolCount = loaded.catalog.servers.reduce((n, s) => n + s.tools.length, 0);
    console.log(`\nToken benchmark — tokenizer ${tokenizer.name}; catalog: ${loaded.catalog.servers.map((s) => `${s.name} (${s.tools.length})`).join(', ')} = ${toolCount} tools\n`);
    for (const task of TOKEN_TASKS) {
      const { result, trace } = await executeRun({
        source: task.script.replaceAll('__FS_ROOT__', fsRoot.replaceAll('\\', '\\\\')),
        scriptPath: `bench/tasks/${task.name}`,
        catalog: restrict(loaded.catalog, task),
        invoker: loaded.invoker,
        sandbox,
        store,
        tokenizer,
        origin: 'bench',
        limits: { timeoutMs: 120_000 },
        checkpointMs: 0,
      });
      rows.push({ task, ok: result.ok, error: result.ok ? undefined : `${result.error.code}: ${result.error.message}`, account: trace.tokens });
    }
  } finally {
    await sandbox.dispose();
    await loaded.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const header = ['task', 'kind', 'calls', 'waves', 'classic tokens (naive)', 'code-mode tokens', 'ratio', 'reduction', 'warm $ reduction', 'peak ctx classic → code', ''];
  const lines = [header, header.map(() => '---')];
  for (const r of rows) {
    const a = r.account;
    if (!r.ok || !a?.savings) {
      lines.push([r.task.name, r.task.kind, '-', '-', '-', '-', '-', '-', '-', '-', `FAILED ${r.error ?? 'no account'}`]);
      continue;
    }
    const flag = a.codeModeCostMore ? '⚠ code mode cost more' : r.task.kind === 'data-heavy' && a.savings.reduction < GOAL_DATA_HEAVY ? '⚠ below data-heavy goal' : '';
    lines.push([
      r.task.name,
      r.task.probe ? `${r.task.kind} (probe)` : r.task.kind,
      String(a.classic.toolCalls),
      String(a.classic.waves),
      `${fmt(a.classic.total)} (${fmt(a.classic.range?.naive ?? a.classic.total)})`,
      fmt(a.codeMode.total),
      `${(a.codeMode.total / Math.max(1, a.classic.total)).toFixed(4)}`,
      pct(a.savings.reduction),
      a.cost ? pct(a.cost.warm.reduction) : '-',
      `${fmt(a.classic.peakContext)} → ${fmt(a.codeMode.peakContext)}`,
      flag,
    ]);
  }
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  const ok = rows.filter((r) => r.ok && r.account?.savings);
  const saved = (r: Row) => r.account?.savings?.reduction ?? 0;
  const reductions = ok.map(saved);
  const heavy = ok.filter((r) => r.task.kind === 'data-heavy').map(saved);
  const med = median(reductions);
  const suite = ok.filter((r) => !r.task.probe).map(saved);
  const warm = ok.map((r) => r.account?.cost?.warm.reduction ?? 0);
  const minHeavy = heavy.length ? Math.min(...heavy) : 0;
  console.log(`\nMedian reduction ${pct(med)} over all ${ok.length} tasks (goal ≥ ${pct(GOAL_MEDIAN)}: ${med >= GOAL_MEDIAN ? 'met' : 'NOT met'}).`);
  console.log(`Median warm-cache dollar reduction ${pct(median(warm))} over all ${ok.length} tasks (${ok[0]?.account?.cost?.model ?? '?'}).`);
  console.log(`Median reduction ${pct(median(suite))} over the ${suite.length} tasks without the catalog-size probes (the one-server and one-tool catalogs).`);
  console.log(`Data-heavy minimum ${pct(minHeavy)} (goal ≥ ${pct(GOAL_DATA_HEAVY)}: ${minHeavy >= GOAL_DATA_HEAVY ? 'met' : 'NOT met'}).`);
  for (const r of ok.filter((x) => x.task.kind === 'single-call')) {
    const a = r.account;
    const s = a?.savings;
    if (!a || !s) continue;
    console.log(
      `Single call ${r.task.name}: classic ${fmt(a.classic.total)} vs code mode ${fmt(a.codeMode.total)} — ${a.codeModeCostMore ? `code mode costs MORE (${fmt(-s.total)} tokens, warm $ ${pct(a.cost?.warm.reduction ?? 0)})` : `code mode saves ${pct(s.reduction)} (definitions ${fmt(s.definitions)}, results ${fmt(s.intermediateResults)})`}.`,
    );
  }
  if (ok.length < rows.length) {
    console.log(`${rows.length - ok.length} task(s) FAILED.`);
    process.exitCode = 1;
  }
  console.log('\nClassic = all catalog definitions with every request, one request per wave of data-dependent calls (parallel tool calls; naive: one call per request), every result re-sent; code mode = run_code/search_tools/describe_tool definitions, describe_tool docs for each tool used, the script, and the returned value and logs.');
}
