// `npm run bench:peers`: ToolWeaver beside its peers in one process, interleaved rounds (every engine runs every
// workload in each round, so load on the shared machine hits them alike): a minimal raw quickjs-emscripten engine
// on the main thread and in a worker (bench/peers/), node:vm (the in-process floor, no isolation), and
// @ai-sdk/code-mode when it is installed under a Node ≥ 22.13. Prints medians (ms) with ratios to ToolWeaver and
// the goals (met / MISSED). `--memory=N` sets every engine's memory (MiB, default 256 as in the issue);
// `--only=text` runs the workloads whose name contains text; `--no-ai-sdk` skips that peer; `--write-readme` rewrites
// README's performance section (between the bench:peers markers) from the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../src/core/catalog/types';
import type { ToolInvoker } from '../src/core/ports';
import { createSandbox, type Sandbox } from '../src/core/sandbox/sandbox';
import { createRawEngine, type RawCallTool } from './peers/rawQuickjs';
import type { PeerFromWorker, PeerToWorker } from './peers/rawWorker';

const ROWS = makeRows();
const RESULTS: Record<string, unknown> = { nop: { ok: true }, rows: ROWS };
const catalog: Catalog = {
  id: 'bench-peers',
  servers: [
    {
      name: 'bench',
      ident: 'b',
      source: 'demo',
      status: { state: 'connected' },
      tools: [
        { name: 'nop', ident: 'nop', inputSchema: { type: 'object', properties: { i: { type: 'number' } } } },
        { name: 'rows', ident: 'rows', inputSchema: { type: 'object' } },
      ],
    },
  ],
};
const invoker: ToolInvoker = { callTool: (req) => Promise.resolve(RESULTS[req.tool]) };
/** The peers' tool port: the same results as JSON text (what crosses a real engine boundary). */
const rawCall: RawCallTool = (name) => Promise.resolve(JSON.stringify(RESULTS[name] ?? null));

/** ~1 MiB of customer-like records: the "1 MB result → summary" workload reads them and returns a few numbers. */
function makeRows(): unknown[] {
  const rows: unknown[] = [];
  let bytes = 2;
  for (let i = 0; bytes < 1 << 20; i++) {
    const row = { id: i, name: `customer ${i}`, email: `c${i}@example.com`, plan: ['free', 'pro', 'team'][i % 3], spend: (i * 37) % 1000, note: 'n'.repeat(40) };
    bytes += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return rows;
}

interface Workload {
  name: string;
  /** The script for ToolWeaver (`tools.b.x`); peers get it with `tools.b.` → `tools.`. */
  source: string;
  reps: number;
  idleMs?: number;
}

const WORKLOADS: Workload[] = [
  { name: 'empty run, idle between runs', source: 'return 1', reps: 10, idleMs: 15 },
  { name: 'empty run, back to back', source: 'return 1', reps: 20 },
  { name: '200 sequential awaited calls', source: 'for (let i = 0; i < 200; i++) await tools.b.nop({ i }); return 200;', reps: 5 },
  { name: '100 parallel calls', source: 'const r = await Promise.all(Array.from({ length: 100 }, (_, i) => tools.b.nop({ i }))); return r.length;', reps: 5 },
  { name: '1,000 parallel calls', source: 'const r = await Promise.all(Array.from({ length: 1000 }, (_, i) => tools.b.nop({ i }))); return r.length;', reps: 3 },
  {
    name: '1 MB result → summary',
    source: 'const rows = await tools.b.rows({}); let spend = 0; const plans = {}; for (const r of rows) { spend += r.spend; plans[r.plan] = (plans[r.plan] ?? 0) + 1; } return { n: rows.length, spend, plans };',
    reps: 3,
  },
  { name: 'CPU loop (3e6 iterations)', source: 'let s = 0; for (let i = 0; i < 3e6; i++) s = (s + i * 7) % 1000003; return s;', reps: 2 },
];

/** One engine under test: `run` resolves once the script's value is back on the caller's thread. */
interface Peer {
  name: string;
  run(source: string): Promise<void>;
  dispose(): Promise<void>;
}

const peerSource = (s: string): string => s.replace(/tools\.b\./g, 'tools.');

function toolWeaver(memoryMb: number): Peer {
  const sb: Sandbox = createSandbox({ poolSize: 1, memoryMb });
  return {
    name: `ToolWeaver (${memoryMb} MiB)`,
    async run(source) {
      const r = await sb.run(source, {
        catalog,
        invoker,
        language: 'js',
        limits: { timeoutMs: 60_000, memoryMb, maxToolCalls: 2000, maxConcurrency: 1000, maxResultBytes: 2 << 20 },
      });
      if (!r.ok) throw new Error(`ToolWeaver failed: ${r.error.code}: ${r.error.message}`);
    },
    dispose: () => sb.dispose(),
  };
}

async function rawMain(wasm: WebAssembly.Module): Promise<Peer> {
  const engine = await createRawEngine(wasm, rawCall);
  return { name: 'raw QuickJS, main thread', run: async (s) => void (await engine.run(peerSource(s))), dispose: () => Promise.resolve() };
}

async function rawWorker(wasm: WebAssembly.Module, workerFile: string): Promise<Peer> {
  const worker = new Worker(workerFile, { workerData: { wasm } });
  const runs = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextRun = 1;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: PeerFromWorker) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'call') void rawCall(m.name, m.args).then((text) => worker.postMessage({ type: 'result', callId: m.callId, text } satisfies PeerToWorker));
      else {
        const r = runs.get(m.id);
        runs.delete(m.id);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve();
      }
    });
  });
  await ready;
  return {
    name: 'raw QuickJS, worker',
    run: (source) =>
      new Promise((resolve, reject) => {
        const id = nextRun++;
        runs.set(id, { resolve, reject });
        worker.postMessage({ type: 'run', id, source: peerSource(source) } satisfies PeerToWorker);
      }),
    dispose: () => worker.terminate().then(() => undefined),
  };
}

function nodeVm(): Peer {
  const tools = new Proxy({}, { get: (_, name) => (args: unknown) => invoker.callTool({ server: 'bench', tool: String(name), args: args as Record<string, unknown> }, { signal: new AbortController().signal, timeoutMs: 1000 }) });
  return {
    name: 'node:vm',
    async run(source) {
      const context = vm.createContext({ tools });
      const value = (await vm.runInContext(`(async () => {${peerSource(source)}\n})()`, context)) as unknown;
      JSON.parse(JSON.stringify(value ?? null));
    },
    dispose: () => Promise.resolve(),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function distFile(name: string): string {
  return path.resolve(__dirname, name);
}

const AI_SDK = '@ai-sdk/code-mode (Node 22, own process)';

/** Where an installed @ai-sdk/code-mode and a Node ≥ 22.13 are, or why the peer is skipped. */
function aiSdkSetup(): { node: string; dir: string } | { skipped: string } {
  const cache = path.join(os.homedir(), '.cache/toolweaver-e2e');
  const node = path.join(cache, 'node22/node_modules/node/bin/node');
  const dir = path.join(cache, 'ai-sdk-code-mode');
  const pkg = path.join(dir, 'node_modules/@ai-sdk/code-mode/package.json');
  if (!existsSync(node)) return { skipped: `no Node ≥ 22.13 at ${node} (npm i --prefix ~/.cache/toolweaver-e2e/node22 node@22)` };
  if (!existsSync(pkg)) return { skipped: `@ai-sdk/code-mode is not installed (PATH=<node22>/bin:$PATH npm i --prefix ${dir} @ai-sdk/code-mode)` };
  return { node, dir };
}

/** Runs the same workloads in @ai-sdk/code-mode in a Node 22 child (bench/peers/aiSdkRunner.mjs): its own
 *  process, so its rounds are not interleaved with the others'. Undefined + a printed reason when skipped. */
function runAiSdk(workloads: Workload[], rounds: number, memoryMb: number): { times: Record<string, number[]>; cpus: Record<string, number[]> } | undefined {
  const setup = aiSdkSetup();
  if ('skipped' in setup) {
    console.log(`@ai-sdk/code-mode: skipped: ${setup.skipped}`);
    return undefined;
  }
  const job = path.join(os.tmpdir(), `tw-peers-aisdk-${process.pid}.json`);
  writeFileSync(job, JSON.stringify({ workloads: workloads.map((w) => ({ ...w, source: peerSource(w.source) })), rounds, memoryMb, results: RESULTS }));
  try {
    const runner = path.resolve(__dirname, '../bench/peers/aiSdkRunner.mjs');
    const res = spawnSync(setup.node, ['--no-warnings', runner, setup.dir, job], { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 << 20 });
    const line = res.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as { times: Record<string, number[]>; cpus: Record<string, number[]> };
    } catch {
      console.log(`@ai-sdk/code-mode: failed (exit ${res.status}): ${res.stderr.slice(0, 800)}`);
      return undefined;
    }
  } finally {
    rmSync(job, { force: true });
  }
}

/** Child-process mode (`node dist/bench.js peers-first KIND`): builds one engine and times its first run. */
export async function firstRun(kind: string): Promise<void> {
  const t0 = performance.now();
  const compile = (): Promise<WebAssembly.Module> => WebAssembly.compile(readFileSync(distFile('quickjs.wasm')));
  let peer: Peer;
  if (kind === 'tw') peer = toolWeaver(Number(process.env.TW_PEERS_MEMORY ?? 256));
  else if (kind === 'raw-main') peer = await rawMain(await compile());
  else if (kind === 'raw-worker') peer = await rawWorker(await compile(), distFile('benchPeerWorker.js'));
  else peer = nodeVm();
  await peer.run('return 1');
  const ms = performance.now() - t0;
  await peer.dispose();
  process.stdout.write(`${JSON.stringify({ ms, sinceStart: performance.now() })}\n`);
}

function timeFirstRuns(kinds: string[], memoryMb: number, rounds: number): Map<string, number[]> {
  const out = new Map<string, number[]>(kinds.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of kinds) {
      const res = spawnSync(process.execPath, [distFile('bench.js'), 'peers-first', k], { encoding: 'utf8', env: { ...process.env, TW_PEERS_MEMORY: String(memoryMb) } });
      const line = res.stdout.trim().split('\n').pop() ?? '';
      try {
        out.get(k)?.push((JSON.parse(line) as { ms: number }).ms);
      } catch {
        console.error(`first run of ${k} failed: ${res.stderr.slice(0, 500)}`);
      }
    }
  }
  return out;
}

export async function run(): Promise<void> {
  const memArg = process.argv.find((a) => a.startsWith('--memory='));
  const memoryMb = memArg ? Number(memArg.slice('--memory='.length)) : 256;
  const rounds = Number(process.env.TW_PEERS_ROUNDS ?? 5);
  // `--only=text`: just the workloads whose name contains text (a quick look while profiling).
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const workloads = only ? WORKLOADS.filter((w) => w.name.includes(only)) : WORKLOADS;
  const wasm = await WebAssembly.compile(readFileSync(distFile('quickjs.wasm')));
  const peers: Peer[] = [toolWeaver(memoryMb), await rawMain(wasm), await rawWorker(wasm, distFile('benchPeerWorker.js')), nodeVm()];
  const times = new Map<string, number[]>();
  /** CPU ms of the whole process (every thread) per run: robust to a loaded machine, unlike wall time. */
  const cpus = new Map<string, number[]>();
  const key = (p: Peer, w: Workload): string => `${p.name}\u0000${w.name}`;
  try {
    for (const p of peers) for (const w of workloads) await p.run(w.source); // warm-up (JIT, spare engines)
    for (let r = 0; r < rounds; r++) {
      for (const w of workloads) {
        for (const p of peers) {
          const xs = times.get(key(p, w)) ?? [];
          times.set(key(p, w), xs);
          const cs = cpus.get(key(p, w)) ?? [];
          cpus.set(key(p, w), cs);
          for (let i = 0; i < w.reps; i++) {
            if (w.idleMs) await sleep(w.idleMs);
            const c0 = process.cpuUsage();
            const t0 = performance.now();
            await p.run(w.source);
            xs.push(performance.now() - t0);
            const c = process.cpuUsage(c0);
            cs.push((c.user + c.system) / 1000);
          }
        }
      }
    }
  } finally {
    for (const p of peers) await p.dispose();
  }
  const first = only && !'first run in a fresh process'.includes(only) ? new Map<string, number[]>() : timeFirstRuns(['tw', 'raw-main', 'raw-worker', 'vm'], memoryMb, 3);
  const firstName: Record<string, string> = { tw: peers[0]?.name ?? '', 'raw-main': 'raw QuickJS, main thread', 'raw-worker': 'raw QuickJS, worker', vm: 'node:vm' };
  const aiSdk = process.argv.includes('--no-ai-sdk') ? undefined : runAiSdk(workloads, rounds, memoryMb);
  const names = peers.map((p) => p.name);
  if (aiSdk) {
    names.push(AI_SDK);
    for (const w of workloads) {
      times.set(`${AI_SDK}\u0000${w.name}`, aiSdk.times[w.name] ?? []);
      cpus.set(`${AI_SDK}\u0000${w.name}`, aiSdk.cpus[w.name] ?? []);
    }
  }
  const tw = names[0] as string;
  const k = (name: string, w: string): string => `${name}\u0000${w}`;
  const med = new Map<string, number>();
  for (const [kk, xs] of times) med.set(kk, median(xs));
  const m = (name: string, w: string): number => med.get(k(name, w)) ?? NaN;
  const ratio = (v: number, base: number): string => `${fmt(v)} (${(v / base).toFixed(2)}×)`;
  const rows: Record<string, string>[] = workloads.map((w) => {
    const row: Record<string, string> = { workload: w.name };
    for (const n of names) row[n] = n === tw ? fmt(m(n, w.name)) : ratio(m(n, w.name), m(tw, w.name));
    return row;
  });
  const firstMed = new Map<string, number>();
  for (const [kind, xs] of first) firstMed.set(firstName[kind] ?? kind, median(xs));
  const twFirst = firstMed.get(tw) ?? NaN;
  if (firstMed.size) {
    const row: Record<string, string> = { workload: 'first run in a fresh process' };
    for (const n of names) row[n] = firstMed.has(n) ? (n === tw ? fmt(twFirst) : ratio(firstMed.get(n) as number, twFirst)) : '—';
    rows.push(row);
  }
  const cpuRows = workloads.map((w) => {
    const row: Record<string, string> = { workload: w.name };
    for (const n of names) row[n] = fmt(median(cpus.get(k(n, w.name)) ?? []));
    return row;
  });

  const SEQ = '200 sequential awaited calls';
  const seq = m(tw, SEQ);
  const ai = (w: string): number | undefined => (aiSdk ? m(AI_SDK, w) : undefined);
  const vsAi = (w: string, times: number): boolean | undefined => {
    const theirs = ai(w);
    return theirs === undefined ? undefined : m(tw, w) * times <= theirs;
  };
  const goal = (text: string, ok: boolean | undefined, value: string): Record<string, string> => ({ goal: text, result: ok === undefined ? 'n/a (no @ai-sdk/code-mode)' : ok ? 'met' : 'MISSED', value });
  const goals = [
    goal('200 sequential calls ≤ 10 ms', seq <= 10, fmt(seq)),
    goal('200 sequential calls faster than raw QuickJS in a worker', seq < m('raw QuickJS, worker', SEQ), `${fmt(seq)} vs ${fmt(m('raw QuickJS, worker', SEQ))}`),
    goal('200 sequential calls ≥ 5× faster than @ai-sdk/code-mode', vsAi(SEQ, 5), `${fmt(seq)} vs ${fmt(ai(SEQ))}`),
    goal('empty run back to back ≤ 1.5 ms', m(tw, 'empty run, back to back') <= 1.5, fmt(m(tw, 'empty run, back to back'))),
    goal('first run after start ≤ 60 ms', twFirst <= 60, fmt(twFirst)),
    goal('100 parallel calls ≥ 5× faster than @ai-sdk/code-mode', vsAi('100 parallel calls', 5), `${fmt(m(tw, '100 parallel calls'))} vs ${fmt(ai('100 parallel calls'))}`),
    goal('1,000 parallel calls ≤ 12 ms', m(tw, '1,000 parallel calls') <= 12, fmt(m(tw, '1,000 parallel calls'))),
    goal('1 MB result → summary ≤ 18 ms', m(tw, '1 MB result → summary') <= 18, fmt(m(tw, '1 MB result → summary'))),
  ];

  console.log(`\nPeers — medians in ms over ${rounds} interleaved rounds (ratio = peer ÷ ToolWeaver; > 1× means ToolWeaver is faster)`);
  console.table(rows);
  console.log('CPU ms of the whole process (host + worker threads) per run, medians: where wall ≫ CPU, the time is waiting (wake-ups, the scheduler)');
  console.table(cpuRows);
  console.table(goals);
  if (process.argv.includes('--write-readme')) {
    if (only) throw new Error('--write-readme needs every workload: drop --only.');
    writeReadme({ rows, cpuRows, goals, names, rounds, memoryMb });
  }
}

const README = path.resolve(__dirname, '../README.md');
const README_BEGIN = '<!-- bench:peers:begin (written by `npm run bench:peers -- --write-readme`) -->';
const README_END = '<!-- bench:peers:end -->';

const mdTable = (head: string[], rows: string[][]): string => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** Rewrites README's performance section (between the bench:peers markers) from this run. */
function writeReadme(r: { rows: Record<string, string>[]; cpuRows: Record<string, string>[]; goals: Record<string, string>[]; names: string[]; rounds: number; memoryMb: number }): void {
  const text = readFileSync(README, 'utf8');
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${README_BEGIN} … ${README_END} section.`);
  const load = os.loadavg()[0]?.toFixed(1) ?? '?';
  const date = new Date().toISOString().slice(0, 10);
  const head = ['workload', ...r.names];
  const body = [
    README_BEGIN,
    '',
    `Run of ${date}, load average ≈ ${load} on ${os.cpus().length} cores, Node ${process.version}; ToolWeaver and @ai-sdk/code-mode at ${r.memoryMb} MiB (the raw engines have no cap); medians in ms over ${r.rounds} interleaved rounds`,
    '(ratio = peer ÷ ToolWeaver: above 1× ToolWeaver is faster). @ai-sdk/code-mode runs the same workloads in its own Node 22 process.',
    '',
    mdTable(head, r.rows.map((row) => head.map((h) => row[h] ?? '—'))),
    '',
    'CPU ms of the whole process per run (host and worker threads; less sensitive to the load than the wall clock):',
    '',
    mdTable(head, r.cpuRows.map((row) => head.map((h) => row[h] ?? '—'))),
    '',
    'Goals of issue 15 (wall-clock medians above):',
    '',
    mdTable(['goal', 'result', 'value'], r.goals.map((g) => [g.goal ?? '', g.result ?? '', g.value ?? ''])),
    '',
    README_END,
  ].join('\n');
  writeFileSync(README, text.slice(0, begin) + body + text.slice(end + README_END.length));
  console.log('README.md: performance tables rewritten.');
}
