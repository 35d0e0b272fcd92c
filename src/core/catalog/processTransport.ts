// MCP stdio client transport that owns its server's whole process tree: the server is spawned in a
// new process group (detached) with only the SDK's default environment plus configured variables,
// stderr is drained into a capped ring buffer, and close() kills the group (SIGTERM, then SIGKILL).
// On POSIX the group is led by a supervisor (dist/serverSupervisor.js) that also ends the server
// when this process dies without cleaning up (kill -9) and, on Linux, its setsid descendants.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readProcTable } from './procTree';
import { parseSupervisorReport, SUPERVISOR_FDS, type SupervisorSpec } from './supervisorProtocol';
import type { StdioServerConfig } from './types';

/** The SDK closes a stdio connection for a message above 10 MiB; we keep the same ceiling. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_STDERR_BYTES = 64 * 1024;
/** Time between SIGTERM to the group and SIGKILL. */
export const KILL_GRACE_MS = 300;
/** How long close() waits for a supervisor's own SIGTERM-grace-SIGKILL round before SIGKILL. */
const SUPERVISOR_MARGIN_MS = 700;
/** JSON-RPC error code we synthesize when a server's reply to a request is not valid JSON-RPC. */
export const MALFORMED_REPLY_CODE = -32098;

/** Keeps the last `capacity` bytes written to it. */
export class RingBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(readonly capacity: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  /** The last `lines` non-empty lines, for error messages. */
  tail(lines = 5): string {
    return this.text().split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
  }
}

/** Live process groups → whether a supervisor leads them. */
const liveGroups = new Map<number, boolean>();
let exitHookInstalled = false;
function trackGroup(pgid: number, supervised: boolean): void {
  liveGroups.set(pgid, supervised);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached servers outlive us otherwise; 'exit' handlers must be synchronous.
  process.once('exit', () => signalAllServerGroups());
}

/**
 * Signals every server group this process started, synchronously (for exit paths that cannot wait):
 * SIGTERM to supervised groups (their supervisor then sweeps the group and its setsid descendants
 * and SIGKILLs what is left), SIGKILL to the others.
 */
export function signalAllServerGroups(): void {
  for (const [pgid, supervised] of liveGroups) killGroup(pgid, supervised ? 'SIGTERM' : 'SIGKILL');
}

/** Server process groups still alive, for the CLI's exit paths and tests. */
export function liveServerGroups(): number[] {
  return [...liveGroups.keys()].filter(groupRunning);
}

/**
 * Finds dist/serverSupervisor.js: TOOLWEAVER_SERVER_SUPERVISOR (a path, or `off`), next to the running bundle, or the
 * repository's dist/ when running from source (tests). Undefined on Windows (no process groups)
 * or when it is not there; servers then run without a supervisor.
 */
export function locateSupervisor(): string | undefined {
  // 'off' is the escape hatch (and lets a test show what happens without one).
  if (process.platform === 'win32' || process.env.TOOLWEAVER_SERVER_SUPERVISOR === 'off') return undefined;
  const candidates = [
    process.env.TOOLWEAVER_SERVER_SUPERVISOR,
    path.join(__dirname, 'serverSupervisor.js'),
    path.resolve(__dirname, '../../../dist/serverSupervisor.js'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  return candidates.find((c) => existsSync(c));
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}

/** True while any process of the group runs: zombies (dead, not yet reaped by a slow init) do not
 *  count where /proc can tell them apart; elsewhere they do. */
export function groupRunning(pgid: number): boolean {
  const table = readProcTable();
  if (!table) return groupAlive(pgid);
  for (const p of table.values()) if (p.pgrp === pgid && p.state !== 'Z') return true;
  return false;
}

/** True while any process of the group is alive (zombies included). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessTransportOptions {
  maxMessageBytes?: number;
  stderrBytes?: number;
  /** Path of dist/serverSupervisor.js, or false to spawn the server directly. Default: locateSupervisor(). */
  supervisor?: string | false;
}

/** The pipes of a started server, wherever they come from (the child itself or its supervisor). */
interface ServerPipes {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
}

export class ProcessGroupTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  readonly stderr: RingBuffer;
  /** Set once the process has exited. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** Set when spawning failed (e.g. ENOENT: command not found). */
  spawnError?: NodeJS.ErrnoException;
  /** Set when a message exceeded maxMessageBytes; the transport then closes itself. */
  oversize = false;
  private child?: ChildProcess;
  private pipes?: ServerPipes;
  /** The supervisor's control channel (fd 3); closing it asks the supervisor to end everything. */
  private control?: NodeJS.ReadWriteStream & { destroy(): void };
  /** The server's own pid when a supervisor started it. */
  private serverPid?: number;
  private closeReported = false;
  private readonly supervisor: string | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly maxMessageBytes: number;
  private exited?: Promise<void>;

  constructor(private readonly config: StdioServerConfig, opts: ProcessTransportOptions = {}) {
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.stderr = new RingBuffer(opts.stderrBytes ?? DEFAULT_STDERR_BYTES);
    this.supervisor = opts.supervisor === false ? undefined : (opts.supervisor ?? locateSupervisor());
  }

  /** The server process (not its supervisor). */
  get pid(): number | undefined {
    return this.supervisor ? this.serverPid : this.child?.pid;
  }

  /** True when a supervisor leads the server's group. */
  get supervised(): boolean {
    return this.supervisor !== undefined;
  }

  private reportClose(): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.onclose?.();
  }

  private attach(pipes: ServerPipes): void {
    this.pipes = pipes;
    pipes.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    pipes.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    pipes.stdin.on('error', (err) => this.onerror?.(err));
    pipes.stdout.on('error', (err) => this.onerror?.(err));
  }

  start(): Promise<void> {
    if (this.child) throw new Error('ProcessGroupTransport already started.');
    return this.supervisor ? this.startSupervised(this.supervisor) : this.startDirect();
  }

  private startDirect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.config.command, this.config.args, {
        env: { ...getDefaultEnvironment(), ...this.config.env },
        cwd: this.config.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true, // own process group, so close() can kill wrappers' children too
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          this.spawnError = err;
          reject(err);
          this.reportClose();
        } else this.onerror?.(err);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) trackGroup(child.pid, false);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
      });
      child.once('close', () => {
        if (child.pid !== undefined && !groupRunning(child.pid)) liveGroups.delete(child.pid);
        this.reportClose();
      });
      this.attach({ stdin: child.stdin as Writable, stdout: child.stdout as Readable, stderr: child.stderr as Readable });
    });
  }

  /** Spawns the supervisor as the group leader; it spawns the server with fds 4-6 as its stdio and
   *  reports on fd 3 (see supervisorProtocol.ts). Resolves once the server itself has started. */
  private startSupervised(supervisorPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      const child = spawn(process.execPath, [supervisorPath], {
        // The supervisor needs no environment; the server's goes in the spec. In the VS Code
        // extension host process.execPath is Electron, which runs as Node only with this variable.
        env: { ELECTRON_RUN_AS_NODE: '1' },
        cwd: this.config.cwd,
        stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
        detached: true,
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          // The supervisor itself could not start: only a missing cwd gets here (node exists).
          this.spawnError = err;
          settle(err);
          this.reportClose();
        } else this.onerror?.(err);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) trackGroup(child.pid, true);
      });
      child.once('exit', (code, signal) => {
        // The server's own exit, when the supervisor reported it, is the one that matters.
        this.exit ??= { code, signal };
        settle(new Error(`The server supervisor exited (${signal ?? `code ${code}`}) before the server started.`));
      });
      child.once('close', () => {
        if (child.pid !== undefined && !groupRunning(child.pid)) liveGroups.delete(child.pid);
        this.reportClose();
      });
      const stdio = child.stdio as unknown as Array<(Readable & Writable) | null>;
      const control = stdio[SUPERVISOR_FDS.control];
      const stdin = stdio[SUPERVISOR_FDS.stdin];
      const stdout = stdio[SUPERVISOR_FDS.stdout];
      const stderr = stdio[SUPERVISOR_FDS.stderr];
      if (!control || !stdin || !stdout || !stderr) {
        settle(new Error('The server supervisor has no pipes.'));
        return;
      }
      this.control = control;
      this.attach({ stdin, stdout, stderr });
      let buffered = '';
      control.setEncoding('utf8');
      control.on('error', () => undefined); // a dying supervisor; 'close' reports it
      control.on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
          const r = parseSupervisorReport(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          if (!r) continue;
          if (r.type === 'spawned') {
            this.serverPid = r.pid;
            settle();
          } else if (r.type === 'spawn_error') {
            this.spawnError = Object.assign(new Error(r.message), { code: r.code, errno: r.errno, syscall: r.syscall, path: r.path });
            settle(this.spawnError);
          } else {
            this.exit = { code: r.code, signal: r.signal };
          }
        }
      });
      const spec: SupervisorSpec = {
        type: 'spec',
        command: this.config.command,
        args: this.config.args,
        env: { ...getDefaultEnvironment(), ...this.config.env },
        cwd: this.config.cwd,
        graceMs: KILL_GRACE_MS,
      };
      control.write(`${JSON.stringify(spec)}\n`);
    });
  }

  private onData(chunk: Buffer): void {
    if (this.oversize) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
      this.deliver(line);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
    }
    if (this.pendingBytes > this.maxMessageBytes) {
      this.oversize = true;
      this.pending = [];
      this.onerror?.(new Error(`The server sent a message larger than ${this.maxMessageBytes} bytes.`));
      void this.close();
    }
  }

  private deliver(line: string): void {
    const text = line.replace(/\r$/, '');
    if (!text.trim()) return;
    if (Buffer.byteLength(text) > this.maxMessageBytes) {
      this.oversize = true;
      this.onerror?.(new Error(`The server sent a message larger than ${this.maxMessageBytes} bytes.`));
      void this.close();
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.onerror?.(new Error(`The server wrote a line that is not JSON: ${text.slice(0, 200)}`));
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (parsed.success) {
      this.onmessage?.(parsed.data);
      return;
    }
    // A reply we cannot use still settles its request at once instead of leaving it to time out.
    const id = (json as { id?: unknown } | null)?.id;
    const isReply = typeof json === 'object' && json !== null && !('method' in json);
    if (isReply && (typeof id === 'number' || typeof id === 'string')) {
      const issue = parsed.error.issues[0];
      this.onmessage?.({
        jsonrpc: '2.0',
        id,
        error: {
          code: MALFORMED_REPLY_CODE,
          message: `malformed JSON-RPC reply${issue ? ` (${issue.path.join('.') || 'message'}: ${issue.message})` : ''}`,
        },
      });
    } else {
      this.onerror?.(new Error(`The server sent an invalid JSON-RPC message: ${text.slice(0, 200)}`));
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.pipes?.stdin;
      if (!stdin || stdin.destroyed || this.exit) {
        reject(new Error('Not connected: the server process is not running.'));
        return;
      }
      if (stdin.write(JSON.stringify(message) + '\n')) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Kills the whole process group: SIGTERM, then SIGKILL after KILL_GRACE_MS (a supervisor does
   *  this itself, setsid descendants included; SIGKILL follows only if it does not finish). Idempotent. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    const pgid = child.pid;
    try {
      this.pipes?.stdin.end();
    } catch {
      // already closed
    }
    this.control?.destroy();
    killGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS + (this.control ? SUPERVISOR_MARGIN_MS : 0);
    while (groupRunning(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 15));
    if (groupRunning(pgid)) killGroup(pgid, 'SIGKILL');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, KILL_GRACE_MS).unref())]);
    liveGroups.delete(pgid);
    this.pipes?.stdout.destroy();
    this.pipes?.stderr.destroy();
  }
}
