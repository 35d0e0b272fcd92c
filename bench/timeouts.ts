// `npm run bench -- timeouts`: how close a timed-out run ends to its deadline. For a CPU loop, a
// wait on a tool that never answers and a long sleep, at several timeouts, N runs each: the
// overshoot of the reported duration (stats.durationMs, the script's clock) over the limit, and of
// the caller's wall time (which also holds the engine's preparation before the clock starts).
// Goal: reported ≤ 50 ms at low load; no run may end `ok`.
import type { Catalog } from '../src/core/catalog/types';
import type { ToolInvoker } from '../src/core/ports';
import { createSandbox } from '../src/core/sandbox/sandbox';

const catalog: Catalog = {
  id: 'bench-timeouts',
  servers: [{ name: 'bench', ident: 'b', source: 'demo', status: { state: 'connected' }, tools: [{ name: 'hang', ident: 'hang', inputSchema: { type: 'object' } }] }],
};
/** A tool that never answers (it only honours the abort, like an MCP client). */
const invoker: ToolInvoker = {
  callTool: (_req, opts) => new Promise((_resolve, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason as Error))),
};

const SCRIPTS: Array<[string, string]> = [
  ['CPU loop', 'while (true) {}'],
  ['hung tool', 'await tools.b.hang({});'],
  ['sleep', 'await sleep(1e9); return "woke";'],
];
const TIMEOUTS = [100, 1000];
const GOAL_MS = 50;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export async function run(): Promise<void> {
  const n = Number(process.env.TIMEOUT_BENCH_N ?? 20);
  const sb = createSandbox({ poolSize: 1 });
  const rows: Record<string, string | number>[] = [];
  const f = (v: number): string => `${v.toFixed(1)} ms`;
  try {
    for (let i = 0; i < 5; i++) await sb.run('return 1', { catalog, invoker, language: 'js' });
    for (const [label, source] of SCRIPTS) {
      for (const timeoutMs of TIMEOUTS) {
        const reported: number[] = [];
        const wall: number[] = [];
        const codes = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          const r = await sb.run(source, { catalog, invoker, language: 'js', limits: { timeoutMs } });
          wall.push(performance.now() - t0 - timeoutMs);
          reported.push(r.stats.durationMs - timeoutMs);
          const code = r.ok ? 'ok' : r.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
        rows.push({
          script: label,
          timeoutMs,
          outcomes: [...codes].map(([c, k]) => `${c}×${k}`).join(' '),
          'reported median': f(percentile(reported, 50)),
          'reported p95': f(percentile(reported, 95)),
          'reported max': f(Math.max(...reported)),
          'caller wall median': f(percentile(wall, 50)),
          'caller wall max': f(Math.max(...wall)),
          goal: Math.max(...reported) <= GOAL_MS && !codes.has('ok') ? 'met' : 'MISSED',
        });
      }
    }
  } finally {
    await sb.dispose();
  }
  console.log(`\nTimeout accuracy: overshoot over timeoutMs, ${n} runs each (reported = stats.durationMs; caller wall = from sb.run() to its answer, engine start included). Goal: reported ≤ ${GOAL_MS} ms, never ok.`);
  console.table(rows);
}
