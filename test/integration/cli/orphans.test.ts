// The real CLI (dist/cli.js) owns its servers for their whole life: after SIGTERM, SIGHUP, SIGINT,
// kill -9 or a normal exit, no process of a server survives — also one that ignores the end of its
// input and SIGTERM (run directly or behind `sh -c`), and a child that left the group with setsid.
// Survivors are found by scanning /proc for a tag in their argv, not by trusting reported pids.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const FAULT = path.resolve('dist/test-fixtures/faultServer.js');
const dir = mkdtempSync(path.join(tmpdir(), 'tw-orphans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const linux = process.platform === 'linux';

/** Live (non-zombie) processes whose argv contains `tag`. */
function tagged(tag: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(tag)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

interface Case {
  tag: string;
  traces: string;
  cli: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

let counter = 0;
/** Starts `toolweaver run` on a script that sleeps (or returns at once) with one fault server. */
function startCli(faults: string[], opts: { wrap?: boolean; script?: string } = {}): Case {
  const tag = `tw-orphan-${process.pid}-${++counter}-${Date.now()}`;
  const serverArgs = [FAULT, ...faults, '--tag', tag];
  const server = opts.wrap
    ? // `; true` keeps sh alive as the server's parent, like npx and other wrappers.
      { type: 'stdio', command: 'sh', args: ['-c', `${[process.execPath, ...serverArgs].map((a) => JSON.stringify(a)).join(' ')}; true`] }
    : { type: 'stdio', command: process.execPath, args: serverArgs };
  const config = path.join(dir, `${tag}.json`);
  writeFileSync(config, JSON.stringify({ servers: { fault: server } }));
  const script = path.join(dir, `${tag}.ts`);
  writeFileSync(script, opts.script ?? 'await sleep(60_000); return 1;');
  const traces = path.join(dir, `${tag}-traces`);
  // The pre-run type check has its own test (cli/typecheck.test.ts); it costs ~2 s of CPU per run, so these runs skip it.
  const cli = spawn(process.execPath, [CLI, 'run', script, '--no-typecheck', '--config', config, '--timeout-ms', '120000', '--trace-dir', traces], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  cli.stderr?.on('data', (d: Buffer) => (err += String(d)));
  cli.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.once('exit', (code, signal) => resolve({ code, signal })));
  return { tag, traces, cli, exited, stderr: () => err };
}

/** True once the run has started (its `running` trace is on disk). */
function runStarted(c: Case): boolean {
  try {
    return readdirSync(c.traces).some((f) => /^\d{8}-.*\.json$/.test(f));
  } catch {
    return false;
  }
}

/** Waits for the server (and its setsid child) and, unless `early`, for the run to start; kills the
 *  CLI and returns the survivors after 6 s at most. */
async function killAndCount(c: Case, signal: NodeJS.Signals, expected: number, early = false): Promise<number[]> {
  expect(await waitUntil(() => tagged(c.tag).length >= expected, 15_000), `servers of ${c.tag} started; stderr: ${c.stderr()}`).toBe(true);
  if (!early) expect(await waitUntil(() => runStarted(c), 15_000), `run started; stderr: ${c.stderr()}`).toBe(true);
  c.cli.kill(signal);
  await c.exited;
  await waitUntil(() => tagged(c.tag).length === 0, 6_000);
  const left = tagged(c.tag);
  for (const pid of left) process.kill(pid, 'SIGKILL'); // never leave them to the next test
  return left;
}

describe.runIf(linux)('no orphaned servers after the CLI ends', () => {
  for (const wrap of [false, true]) {
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
      it(`${signal}: a stubborn server${wrap ? ' behind sh -c' : ''} is ended`, async () => {
        const c = startCli(['--stubborn'], { wrap });
        expect(await killAndCount(c, signal, wrap ? 2 : 1)).toEqual([]);
      }, 30_000);
    }
  }

  for (const signal of ['SIGTERM', 'SIGKILL', 'SIGINT'] as const) {
    it(`${signal}: a setsid child of a stubborn server is ended too`, async () => {
      const c = startCli(['--stubborn', '--setsid-child']);
      expect(await killAndCount(c, signal, 2)).toEqual([]);
    }, 30_000);
  }

  it('SIGTERM while the CLI still connects (the server answers after 5 s) ends the server', async () => {
    const c = startCli(['--stubborn', '--slow-start', '5000']);
    expect(await killAndCount(c, 'SIGTERM', 1, true)).toEqual([]);
    expect(runStarted(c)).toBe(false);
  }, 30_000);

  it('a normal exit ends a setsid child', async () => {
    const c = startCli(['--setsid-child'], { script: 'await sleep(800); return 1;' });
    expect(await waitUntil(() => tagged(c.tag).length >= 2, 15_000), c.stderr()).toBe(true);
    const { code } = await c.exited;
    expect(code).toBe(0);
    await waitUntil(() => tagged(c.tag).length === 0, 6_000);
    const left = tagged(c.tag);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left).toEqual([]);
  }, 30_000);

  it('SIGTERM cancels the run and the CLI exits soon, with the servers closed', async () => {
    const c = startCli(['--stubborn']);
    expect(await waitUntil(() => tagged(c.tag).length >= 1 && runStarted(c), 15_000)).toBe(true);
    const started = Date.now();
    c.cli.kill('SIGTERM');
    const { code, signal } = await c.exited;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(signal).toBeNull();
    expect(code).toBe(3); // the run ended as cancelled (as with Ctrl+C)
    expect(tagged(c.tag)).toEqual([]);
  }, 30_000);
});
