// `node dist/bench.js codemodecost`: the text code mode sends a model, in tokens, per catalog (the
// demo CRM and each reference server, each as a user would configure it alone): the served run_code
// description with its manifest, all four served definitions, a search_tools reply, describe_tool
// replies (compact default and `detail: 'full'`), the stub files, and the demo run's account with
// the served definitions. Prints each figure next to bench/baselines/codeModeCost.json (the figures
// before the compact stubs); `--update-baseline` rewrites that file from this run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import type { Catalog } from '../src/core/catalog/types';
import { codeModeToolDefinitions } from '../src/core/codeMode/tools';
import { DEMO_SCRIPT } from '../src/core/demo/demoScript';
import { describeToolReply, searchToolsReply } from '../src/core/discovery/catalogReplies';
import { runCodeDescription } from '../src/core/mcpServer/toolWeaverServer';
import { mcpManifest } from '../src/core/discovery/servedTools';
import { executeRun } from '../src/core/run/executeRun';
import { docsForCalledTools } from '../src/core/run/runAccount';
import { createSandbox } from '../src/core/sandbox/sandbox';
import { DEFAULT_LIMITS } from '../src/core/sandbox/types';
import { renderStubs } from '../src/core/stubs/renderStubs';
import { definitionsText } from '../src/core/tokens/text';
import { loadDefaultTokenizer, type Tokenizer } from '../src/core/tokens/tokenizer';
import { createTraceStore } from '../src/core/trace/store';

type Figures = Record<string, number>;

/** A typical query per catalog: what a model would type to find the tools of a common task. */
const QUERIES: Record<string, string> = {
  demo: 'customer tickets',
  everything: 'add numbers',
  memory: 'create entities',
  filesystem: 'read file',
};

const BASELINE = path.resolve(__dirname, '..', 'bench', 'baselines', 'codeModeCost.json');

/** Distinct `tools.<server>.<tool>` idents a script calls, in order of appearance. */
function calledIdents(source: string): string[] {
  return [...new Set([...source.matchAll(/tools\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))];
}

function catalogFigures(name: string, catalog: Catalog, tk: Tokenizer, describeIdents: readonly string[]): Figures {
  const count = (t: string) => tk.count(t);
  const manifest = mcpManifest(catalog);
  const defs = codeModeToolDefinitions('mcp', { manifest, maxTimeoutMs: DEFAULT_LIMITS.timeoutMs });
  const files = renderStubs(catalog).filter((f) => f.path.endsWith('.ts'));
  const toolFiles = files.filter((f) => !f.path.endsWith('/index.ts') && f.path !== 'tools.d.ts');
  const describe = (detail: 'compact' | 'full') =>
    describeIdents.reduce((n, id) => n + count(describeToolReply(catalog, id, { detail })), 0);
  return {
    [`${name}: run_code description (with manifest)`]: count(runCodeDescription(catalog)),
    [`${name}: manifest alone`]: count(manifest),
    [`${name}: four served definitions`]: count(definitionsText(defs)),
    [`${name}: search_tools "${QUERIES[name] ?? ''}"`]: count(searchToolsReply(catalog, QUERIES[name] ?? '').text),
    [`${name}: describe_tool × ${describeIdents.length} (default)`]: describe('compact'),
    [`${name}: describe_tool × ${describeIdents.length} (detail full)`]: describe('full'),
    [`${name}: stub files, tool files only`]: toolFiles.reduce((n, f) => n + count(f.content), 0),
    [`${name}: stub files, all .ts`]: files.reduce((n, f) => n + count(f.content), 0),
  };
}

async function demoRun(catalog: Catalog, invoker: Parameters<typeof executeRun>[0]['invoker'], tk: Tokenizer): Promise<Figures> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'tw-bench-cmcost-'));
  const sandbox = createSandbox({ poolSize: 1 });
  try {
    const defs = codeModeToolDefinitions('mcp', { manifest: mcpManifest(catalog), maxTimeoutMs: DEFAULT_LIMITS.timeoutMs });
    const { trace } = await executeRun({
      source: DEMO_SCRIPT,
      scriptPath: 'bench/demo',
      catalog,
      invoker,
      sandbox,
      store: createTraceStore({ dir: path.join(tmp, 'traces') }),
      tokenizer: tk,
      origin: 'bench',
      codeModeToolDefs: defs,
      limits: { timeoutMs: 120_000 },
      checkpointMs: 0,
    });
    const a = trace.tokens;
    if (!a) throw new Error('The demo run has no token account.');
    const docs = docsForCalledTools(catalog, trace).reduce((n, d) => n + tk.count(d), 0);
    return {
      'demo run: docs the account counts (describe × called tools)': docs,
      'demo run: code-mode definitions (breakdown, all requests)': a.codeMode.breakdown.definitions,
      'demo run: code-mode docs (breakdown, all requests)': a.codeMode.breakdown.docs,
      'demo run: code-mode total': a.codeMode.total,
      'demo run: classic total (conservative)': a.classic.total,
      'demo run: token reduction (‰)': Math.round((a.savings?.reduction ?? 0) * 1000),
      'demo run: warm-cache $ reduction (‰)': Math.round((a.cost?.warm.reduction ?? 0) * 1000),
    };
  } finally {
    await sandbox.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function readBaseline(): Figures {
  try {
    return JSON.parse(readFileSync(BASELINE, 'utf8')) as Figures;
  } catch {
    return {};
  }
}

/** Runs the suite and prints the before/after table. */
export async function run(): Promise<void> {
  const tk = await loadDefaultTokenizer();
  const tmp = mkdtempSync(path.join(tmpdir(), 'tw-bench-cmcost-cat-'));
  const modules = path.resolve(__dirname, '..', 'node_modules', '@modelcontextprotocol');
  const figures: Figures = {};
  const demo = await loadCatalog({ cwd: path.join(tmp, 'no-config'), useDemoWhenEmpty: true });
  const refs = await loadCatalog({
    cwd: tmp,
    servers: {
      everything: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-everything', 'dist', 'index.js')] },
      memory: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-memory', 'dist', 'index.js')], env: { MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl') } },
      filesystem: { type: 'stdio', command: process.execPath, args: [path.join(modules, 'server-filesystem', 'dist', 'index.js'), tmp] },
    },
    useDemoWhenEmpty: false,
  });
  try {
    Object.assign(figures, catalogFigures('demo', demo.catalog, tk, calledIdents(DEMO_SCRIPT)));
    for (const s of refs.catalog.servers) {
      if (s.status.state === 'error') {
        console.error(`Warning: server ${s.name} failed to connect: ${JSON.stringify(s.status)}`);
        continue;
      }
      const one: Catalog = { ...refs.catalog, id: `${refs.catalog.id}-${s.name}`, servers: [s] };
      // Describe three tools of each reference server: a typical script's share.
      Object.assign(figures, catalogFigures(s.name, one, tk, s.tools.slice(0, 3).map((t) => `${s.ident}.${t.ident}`)));
    }
    Object.assign(figures, await demoRun(demo.catalog, demo.invoker, tk));
  } finally {
    await demo.close();
    await refs.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const before = readBaseline();
  const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
  console.log(`\nCode-mode cost — tokens (${tk.name}) of what code mode sends; baseline: bench/baselines/codeModeCost.json\n`);
  console.log('| item | before | now | change |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [k, v] of Object.entries(figures)) {
    const b = before[k];
    const change = b === undefined || b === 0 || k.includes('‰') ? (b === undefined ? '-' : `${v - b > 0 ? '+' : ''}${v - b} ‰`) : `${(((v - b) / b) * 100).toFixed(1)} %`;
    console.log(`| ${k} | ${fmt(b)} | ${fmt(v)} | ${change} |`);
  }
  if (process.argv.includes('--update-baseline')) {
    writeFileSync(BASELINE, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`\nWrote ${path.relative(process.cwd(), BASELINE)}.`);
  }
}
