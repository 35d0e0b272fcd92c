// `toolweaver mcp --http` under many sessions (the real CLI, dist/cli.js): 20 sessions make 25
// run_code calls each (`return 1`) while one more session loops `while (true) {}` until its
// timeout over and over; prints the latency of the quick calls (p50/p95/p99/max) per concurrency.
// Before the worker pool, p99 was 91 s (one worker; every session queued behind the loop).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const SESSIONS = 20;
const CALLS = 25;
const LOOP_TIMEOUT_MS = 3000;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(concurrency: number): Promise<Record<string, string>> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'tw-bench-mcp-'));
  const cli = path.resolve(__dirname, 'cli.js');
  const token = 'bench-token-0123456789abcdef';
  const child = spawn(process.execPath, [cli, 'mcp', '--http', '0', '--no-typecheck', '--concurrency', String(concurrency)], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TOOLWEAVER_MCP_TOKEN: token } });
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += String(d);
        const m = /listening on (\S+\/mcp)/.exec(err);
        if (m?.[1]) resolve(new URL(m[1]));
      });
      child.once('exit', () => reject(new Error(err)));
    });
    const connect = async (): Promise<Client> => {
      const c = new Client({ name: 'bench', version: '0' });
      await c.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      return c;
    };
    const call = (c: Client, code: string, timeoutMs?: number) =>
      c.callTool({ name: 'run_code', arguments: { code, language: 'js', ...(timeoutMs ? { timeoutMs } : {}) } }, undefined, { timeout: 600_000 });
    const runaway = await connect();
    const quick = await Promise.all(Array.from({ length: SESSIONS }, connect));
    await call(quick[0] as Client, 'return 0');
    let looping = true;
    const loops = (async () => {
      while (looping) await call(runaway, 'while (true) {}', LOOP_TIMEOUT_MS);
    })();
    await new Promise((r) => setTimeout(r, 200));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      quick.map(async (c) => {
        for (let i = 0; i < CALLS; i++) {
          const t = performance.now();
          await call(c, 'return 1');
          latencies.push(performance.now() - t);
        }
      }),
    );
    const wall = performance.now() - started;
    looping = false;
    await loops;
    await Promise.allSettled([runaway, ...quick].map((c) => c.close()));
    latencies.sort((a, b) => a - b);
    const f = (x: number): string => `${x.toFixed(0)} ms`;
    return {
      concurrency: String(concurrency),
      calls: String(latencies.length),
      p50: f(pct(latencies, 50)),
      p95: f(pct(latencies, 95)),
      p99: f(pct(latencies, 99)),
      max: f(latencies[latencies.length - 1] ?? NaN),
      wall: `${(wall / 1000).toFixed(1)} s`,
    };
  } finally {
    child.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(`\nmcp --http: ${SESSIONS} sessions × ${CALLS} calls of \`return 1\` beside one session looping (timeoutMs ${LOOP_TIMEOUT_MS})`);
  const rows = [];
  for (const c of [1, 2, 4]) rows.push(await measure(c));
  console.table(rows);
}
