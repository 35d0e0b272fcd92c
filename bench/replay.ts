// `node dist/bench.js replay`: how long a replay of a recorded demo run takes (the goal: under
// 100 ms with 0 live calls and the same value), warm sandbox, in process; and the same with a fresh
// sandbox each time (what `toolweaver replay` pays inside its process, without Node's own start-up).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import { replayRun } from '../src/core/replay/replayRun';
import { executeRun } from '../src/core/run/executeRun';
import { createSandbox } from '../src/core/sandbox/sandbox';
import { createTraceStore } from '../src/core/trace/store';
import { DEMO_SCRIPT } from '../src/core/demo/demoScript';

const SOURCE = `const orders = await Promise.all(['ord_00001', 'ord_00002', 'ord_00003'].map((orderId) => tools.demo.get_order({ orderId })));
const a = await tools.demo.list_orders({ limit: 5 });
return { totals: orders.map((o) => o.order.total), listed: a.orders.length };
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-replay-'));
  const sandbox = createSandbox({ poolSize: 1 });
  try {
    const demo = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
    const recorded = await executeRun({ source: SOURCE, catalog: demo.catalog, invoker: demo.invoker, sandbox, cwd: dir, tokenizer: false, checkpointMs: 0 });
    await demo.close();
    if (!recorded.result.ok) throw new Error(`the recorded run failed: ${recorded.result.error.message}`);
    const store = createTraceStore({ dir: path.join(dir, 'replays') });
    const warm: number[] = [];
    let live = 0;
    let same = true;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await replayRun({ trace: recorded.trace, source: SOURCE, store, sandbox });
      warm.push(performance.now() - t0);
      live += r.replay.live + r.replay.divergences.length;
      same &&= r.sameValue;
    }
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const own = createSandbox({ poolSize: 1 });
      await replayRun({ trace: recorded.trace, source: SOURCE, store, sandbox: own });
      await own.dispose();
      cold.push(performance.now() - t0);
    }
    console.log('\nReplay of a recorded demo run (4 tool calls), in process:');
    console.table([
      { case: 'warm sandbox (median of 20)', ms: median(warm).toFixed(1), max: Math.max(...warm).toFixed(1) },
      { case: 'fresh sandbox each time (median of 5)', ms: median(cold).toFixed(1), max: Math.max(...cold).toFixed(1) },
    ]);
    console.log(`live calls or divergences: ${live}; same value every time: ${same}`);

    // The main job (`npm start`): 22 calls, results with emails redacted in the trace (answered from
    // the raw tape), and retry() backoff sleeps of 25 + 50 ms that a replay waits like the run did.
    const demo2 = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
    const job = await executeRun({ source: DEMO_SCRIPT, catalog: demo2.catalog, invoker: demo2.invoker, sandbox, cwd: dir, tokenizer: false, checkpointMs: 0 });
    await demo2.close();
    if (!job.result.ok) throw new Error(`the demo's main job failed: ${job.result.error.message}`);
    const jobTimes: number[] = [];
    const scriptTimes: number[] = [];
    let jobLive = 0;
    let jobSame = true;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const r = await replayRun({ trace: job.trace, source: DEMO_SCRIPT, store: createTraceStore({ dir: path.join(dir, '.toolweaver', 'traces') }), sandbox });
      jobTimes.push(performance.now() - t0);
      scriptTimes.push(r.result.stats.durationMs);
      jobLive += r.replay.live + r.replay.divergences.length;
      jobSame &&= r.sameValue;
    }
    console.log(`\nReplay of the demo's main job (${job.trace.spans.filter((x) => x.kind === 'tool').length} tool calls, recorded in ${job.result.stats.durationMs.toFixed(0)} ms), warm sandbox:`);
    console.table([
      { case: 'replayRun, end to end (median of 10)', ms: median(jobTimes).toFixed(1), max: Math.max(...jobTimes).toFixed(1) },
      { case: 'the script inside it (stats.durationMs)', ms: median(scriptTimes).toFixed(1), max: Math.max(...scriptTimes).toFixed(1) },
    ]);
    console.log(`live calls or divergences: ${jobLive}; same value every time: ${jobSame}`);
  } finally {
    await sandbox.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
