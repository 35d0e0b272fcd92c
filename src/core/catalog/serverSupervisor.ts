// The server supervisor (bundled to dist/serverSupervisor.js): a tiny Node process that leads a stdio
// server's process group, starts the server in it and ends every process of the server — the group
// and, on Linux, descendants that left it with setsid — when its owner says so or dies (kill -9
// included: the control channel on fd 3 reaches EOF, or the parent pid changes).
// Invariant: once started, it exits only after SIGTERM, a grace period and SIGKILL have reached
// every process it saw; it never writes to the server's stdio (fds 4-6, handed over at once).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import net from 'node:net';
import { constants } from 'node:os';
import { descendantsOf, readProcTable, stillRunning } from './procTree';
import { SUPERVISOR_FDS, type SupervisorReport, type SupervisorSpec } from './supervisorProtocol';

/** When the process table is read after the server starts (ms), then every SCAN_EVERY_MS. A setsid
 *  process whose parent exits between two scans is not seen (there is no subreaper in plain Node). */
const EARLY_SCANS_MS = [20, 100, 250, 500];
const SCAN_EVERY_MS = 1000;
const PARENT_POLL_MS = 500;
const DEFAULT_GRACE_MS = 300;

const self = process.pid;
const parentAtStart = process.ppid;
/** Every process seen below us: pid → start time (guards against pid reuse). */
const seen = new Map<number, string>();
let server: ChildProcess | undefined;
let serverExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
let graceMs = DEFAULT_GRACE_MS;
let ending: Promise<void> | undefined;
const timers: NodeJS.Timeout[] = [];

const control = new net.Socket({ fd: SUPERVISOR_FDS.control, readable: true, writable: true });

function report(r: SupervisorReport): void {
  if (!control.destroyed && control.writable) control.write(`${JSON.stringify(r)}\n`);
}

function scan(): void {
  const table = readProcTable();
  if (!table) return;
  for (const p of descendantsOf(self, table)) if (!seen.has(p.pid)) seen.set(p.pid, p.start);
}

/** Processes still to end: our group (by table when there is one) and every descendant seen. */
function remaining(): number[] {
  const table = readProcTable();
  if (!table) return [];
  const pids = new Set<number>();
  for (const p of table.values()) if (p.pgrp === self && p.pid !== self && p.state !== 'Z') pids.add(p.pid);
  for (const p of descendantsOf(self, table)) pids.add(p.pid);
  for (const [pid, start] of seen) if (stillRunning(pid, start)) pids.add(pid);
  return [...pids];
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: gone already
  }
}

function hasProc(): boolean {
  return readProcTable() !== undefined;
}

async function endAll(): Promise<void> {
  scan();
  // SIGTERM to our own group reaches us too; our handler only (re)enters this function.
  signal(-self, 'SIGTERM');
  for (const pid of remaining()) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const withProc = hasProc();
  while (Date.now() < deadline) {
    if (withProc ? remaining().length === 0 : server?.exitCode !== null || server?.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (withProc) {
    for (let round = 0; round < 3; round++) {
      const left = remaining();
      if (left.length === 0) break;
      for (const pid of left) signal(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
  } else {
    // No process table: the group is all we know; SIGKILL to it ends us too, which is the last step.
    signal(-self, 'SIGKILL');
  }
  // Reap our own child before exiting, or it lingers as a zombie of init.
  const child = server;
  if (child && child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    await new Promise((r) => {
      child.once('exit', r);
      setTimeout(r, 200).unref();
    });
  }
}

/** Ends everything and exits; safe to call from every path. */
function end(): Promise<void> {
  ending ??= (async () => {
    for (const t of timers) clearTimeout(t);
    await endAll();
    control.destroy();
    const code = serverExit?.code ?? (serverExit?.signal ? 128 + signalNumber(serverExit.signal) : 0);
    process.exit(code);
  })();
  return ending;
}

function signalNumber(sig: NodeJS.Signals): number {
  const n = constants.signals[sig];
  return typeof n === 'number' ? n : 0;
}

function start(spec: SupervisorSpec): void {
  graceMs = spec.graceMs > 0 ? spec.graceMs : DEFAULT_GRACE_MS;
  const child = spawn(spec.command, spec.args, {
    env: spec.env,
    cwd: spec.cwd,
    stdio: [SUPERVISOR_FDS.stdin, SUPERVISOR_FDS.stdout, SUPERVISOR_FDS.stderr],
    windowsHide: true,
  });
  server = child;
  // The server has its copies now; ours would keep its pipes open after it exits.
  for (const fd of [SUPERVISOR_FDS.stdin, SUPERVISOR_FDS.stdout, SUPERVISOR_FDS.stderr]) {
    try {
      closeSync(fd);
    } catch {
      // not open
    }
  }
  child.once('error', (err: NodeJS.ErrnoException) => {
    if (child.pid !== undefined) return;
    report({ type: 'spawn_error', code: err.code, errno: err.errno, syscall: err.syscall, path: err.path, message: err.message });
    serverExit = { code: 127, signal: null };
    void end();
  });
  child.once('spawn', () => {
    if (child.pid !== undefined) report({ type: 'spawned', pid: child.pid });
    for (const ms of EARLY_SCANS_MS) timers.push(setTimeout(scan, ms));
    const every = setInterval(scan, SCAN_EVERY_MS);
    timers.push(every);
  });
  child.once('exit', (code, sig) => {
    serverExit = { code, signal: sig };
    report({ type: 'exit', code, signal: sig });
    void end();
  });
}

let input = '';
control.setEncoding('utf8');
control.on('data', (chunk: string) => {
  if (server || ending) return;
  input += chunk;
  const nl = input.indexOf('\n');
  if (nl === -1) return;
  let spec: SupervisorSpec;
  try {
    spec = JSON.parse(input.slice(0, nl)) as SupervisorSpec;
  } catch {
    void end();
    return;
  }
  start(spec);
});
// EOF: the owner closed the channel or died (the kernel closes its end even after kill -9).
control.on('end', () => void end());
control.on('close', () => void end());
control.on('error', () => void end());
for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, () => void end());
// A second watch for the owner: if it dies while something else holds the channel open, our
// parent pid changes (reparented to init or a subreaper).
const watch = setInterval(() => {
  if (process.ppid !== parentAtStart) void end();
}, PARENT_POLL_MS);
watch.unref();
