// Agents benchmark: pre-run type check (cold and warm, 100-line script), tool search over a
// 1,000-tool catalog, and end-to-end run_code through the MCP server (in-memory client).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createSandboxRunCode } from '../src/core/agents/runCode';
import { stubDeclarations } from '../src/core/discovery/stubText';
import { searchTools } from '../src/core/discovery/toolSearch';
import { createTypeChecker, type TypeChecker } from '../src/core/agents/typeCheck';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import type { Catalog } from '../src/core/catalog/types';
import { createToolWeaverMcpServer } from '../src/core/mcpServer/toolWeaverServer';
import { createSandbox } from '../src/core/sandbox/sandbox';
import { syntheticCatalog } from '../test/fixtures/agentsCatalog';

function stats(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? NaN };
}
const r2 = (n: number): number => Math.round(n * 100) / 100;

/** A 100-line script against the demo catalog that type-checks cleanly; `variant` changes one line. */
function demoScript(variant: number): string {
  const lines = [
    "const page = await tools.demo.list_customers({ limit: 50 });",
    'const byRegion = new Map<string, number>();',
  ];
  for (let i = 0; lines.length < 96; i++) {
    lines.push(
      `const c${i} = page.customers[${i % 50}];`,
      `if (c${i}) byRegion.set(c${i}.region, (byRegion.get(c${i}.region) ?? 0) + 1);`,
      `const found${i} = await tools.demo.search_customers({ query: 'a${i}', limit: ${(i % 5) + 1} });`,
      `console.log(found${i}.total + ${variant});`,
    );
  }
  lines.push('const top = [...byRegion.entries()].sort((a, b) => b[1] - a[1]);', 'const total = top.reduce((n, [, v]) => n + v, 0);', `console.log('variant', ${variant});`, 'return { top, total };');
  return lines.join('\n');
}

/** The same shape of script against the synthetic catalog's tools. */
function syntheticScript(catalog: Catalog, variant: number): string {
  const all = catalog.servers.flatMap((s) => s.tools.map((t) => `tools.${s.ident}.${t.ident}`));
  return demoScript(variant)
    .replace('await tools.demo.list_customers({ limit: 50 })', `{ customers: [] as Array<{ region: string }> }; await ${all[150]}({ id: 'x' })`)
    .replace(/await tools\.demo\.search_customers\(\{ query: '(\w+)', limit: (\d) \}\)/g, (_m, q: string, n: string) => `{ total: 1 }; await ${all[(Number(n) * 197) % all.length]}({ id: '${q}', limit: ${n} })`);
}

/** Wall and CPU time of one check (CPU shows the cost apart from other processes' load). */
async function timeCheck(checker: TypeChecker, src: string): Promise<{ ms: number; cpuMs: number; diags: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const d = await checker.check(src);
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, diags: d.length };
}

async function typeCheckRows(demo: Catalog): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const big = syntheticCatalog(1000);
  for (const [label, catalog, script] of [
    ['demo (15 tools)', demo, demoScript],
    ['synthetic (1,000 tools)', big, (v: number) => syntheticScript(big, v)],
  ] as const) {
    const t0 = performance.now();
    const decls = stubDeclarations(catalog);
    const renderMs = performance.now() - t0;
    const checker = createTypeChecker({ declarations: () => decls });
    const cold = await timeCheck(checker, script(0));
    const warm: number[] = [];
    const warmCpu: number[] = [];
    let diags = cold.diags;
    for (let i = 1; i <= 20; i++) {
      const r = await timeCheck(checker, script(i));
      warm.push(r.ms);
      warmCpu.push(r.cpuMs);
      diags = Math.max(diags, r.diags);
    }
    checker.dispose();
    const w = stats(warm);
    rows.push({ catalog: label, 'stub files': decls.length, 'render ms': Math.round(renderMs), 'cold ms': Math.round(cold.ms), 'warm median ms': r2(w.median), 'warm p95 ms': r2(w.p95), 'warm max ms': r2(w.max), 'warm CPU median ms': r2(stats(warmCpu).median), diagnostics: diags });
  }
  return rows;
}

function searchRows(): Record<string, string | number>[] {
  const catalog = syntheticCatalog(1000);
  const queries = ['archive metric', 'create invoice for owner', 'list open tickets since date', 'delete user', 'fetch payment refund', 'dashboard', 'calendar event export', 'get_order_77', 'commit branch', 'xyzzy'];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  searchTools(catalog, 'warm up');
  const buildMs = performance.now() - t0;
  const buildCpu = process.cpuUsage(cpu0);
  const times: number[] = [];
  for (let round = 0; round < 50; round++) {
    for (const q of queries) {
      const t = performance.now();
      searchTools(catalog, q);
      times.push(performance.now() - t);
    }
  }
  const s = stats(times);
  return [{ catalog: '1,000 synthetic tools', 'index build + first query ms': r2(buildMs), 'build CPU ms': r2((buildCpu.user + buildCpu.system) / 1000), queries: times.length, 'median ms': r2(s.median), 'p95 ms': r2(s.p95), 'max ms': r2(s.max) }];
}

async function runCodeRows(demo: { catalog: Catalog; invoker: Parameters<typeof createSandboxRunCode>[0]['invoker'] }): Promise<Record<string, string | number>[]> {
  const sandbox = createSandbox({ poolSize: 1 });
  const checker = createTypeChecker({ declarations: () => stubDeclarations(demo.catalog) });
  const runCode = createSandboxRunCode({ sandbox, catalog: demo.catalog, invoker: demo.invoker });
  const rows: Record<string, string | number>[] = [];
  try {
    for (const typeCheck of [false, true]) {
      const server = createToolWeaverMcpServer({ catalog: demo.catalog, runCode, typeCheck: typeCheck ? (c, l) => checker.check(c, { language: l }) : undefined });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(a);
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(b);
      const times: number[] = [];
      for (let i = 0; i < 11; i++) {
        const code = `const r = await tools.demo.get_customer({ customerId: 'cus_${String(i + 1).padStart(4, '0')}' });\nreturn r;`;
        const t0 = performance.now();
        const res = await client.callTool({ name: 'run_code', arguments: { code } });
        times.push(performance.now() - t0);
        if (res.isError) throw new Error(`bench: run_code failed: ${JSON.stringify(res.content)}`);
      }
      await client.close();
      const [first = NaN, ...rest] = times;
      const s = stats(rest);
      rows.push({ case: `run_code, 1 tool call${typeCheck ? ', type check on' : ''}`, 'first ms': Math.round(first), 'median ms': r2(s.median), 'p95 ms': r2(s.p95) });
    }
  } finally {
    checker.dispose();
    await sandbox.dispose();
  }
  return rows;
}

/** Prints the three tables. */
export async function run(): Promise<void> {
  // An empty folder: no .vscode/mcp.json, so the embedded demo catalog is used.
  const loaded = await loadCatalog({ cwd: mkdtempSync(path.join(os.tmpdir(), 'tw-bench-agents-')), useDemoWhenEmpty: true });
  try {
    console.log(`\nLoad average: ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(`\nAgents: pre-run type check of a 100-line script (cold = first check in a new checker; warm = 20 edits), Node ${process.version}`);
    console.table(await typeCheckRows(loaded.catalog));
    console.log('\nAgents: searchTools over 1,000 tools (10 queries × 50 rounds)');
    console.table(searchRows());
    console.log('\nAgents: end-to-end run_code through the MCP server (in-memory client, demo catalog, sandbox pool of 1; 10 runs after the first)');
    console.table(await runCodeRows(loaded));
  } finally {
    await loaded.close();
  }
}
