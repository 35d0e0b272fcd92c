// MCP stdio client transport that owns its server's whole process tree: the server is spawned in a
// new process group (detached) with only the SDK's default environment plus configured variables,
// stderr is drained into a capped ring buffer, and close() kills the group (SIGTERM, then SIGKILL).
// On POSIX the group is led by a supervisor (dist/serverSupervisor.js) that also ends the server
// when this process dies without cleaning up (kill -9) and, on Linux, its setsid descendants.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { groupRunning, killGroup, locateSupervisor, trackGroup, untrackGroup } from './processGroups';
import { RingBuffer } from './ringBuffer';
import { createJsonRpcLineReader, type JsonRpcLineReader } from './stdioLines';
import { parseSupervisorReport, SUPERVISOR_FDS, type SupervisorSpec } from './supervisorProtocol';
import type { StdioServerConfig } from './types';

/** The SDK closes a stdio connection for a message above 10 MiB; we keep the same ceiling. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_STDERR_BYTES = 64 * 1024;
/** Time between SIGTERM to the group and SIGKILL. */
export const KILL_GRACE_MS = 300;
/** How long close() waits for a supervisor's own SIGTERM-grace-SIGKILL round before SIGKILL. */
const SUPERVISOR_MARGIN_MS = 700;

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

/** What a start method does at each step of its child's life (see watch()). */
interface ChildHooks {
  supervised: boolean;
  spawnFailed(err: NodeJS.ErrnoException): void;
  spawned(): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
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
  private readonly lines: JsonRpcLineReader;
  private exited?: Promise<void>;

  constructor(private readonly config: StdioServerConfig, opts: ProcessTransportOptions = {}) {
    const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // onmessage/onerror are set by the SDK after construction: look them up at each event.
    this.lines = createJsonRpcLineReader({
      maxMessageBytes,
      message: (m) => this.onmessage?.(m),
      error: (e) => this.onerror?.(e),
      oversize: () => {
        this.oversize = true;
        this.onerror?.(new Error(`The server sent a message larger than ${maxMessageBytes} bytes.`));
        void this.close();
      },
    });
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

  /** The wiring both ways of starting share: spawn failure, group tracking, exit and close. */
  private watch(child: ChildProcess, on: ChildHooks): void {
    this.child = child;
    this.exited = new Promise((done) => child.once('close', () => done()));
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        this.spawnError = err;
        on.spawnFailed(err);
        this.reportClose();
      } else this.onerror?.(err);
    });
    child.once('spawn', () => {
      if (child.pid !== undefined) trackGroup(child.pid, on.supervised);
      on.spawned();
    });
    child.once('exit', (code, signal) => on.exited(code, signal));
    child.once('close', () => {
      if (child.pid !== undefined) untrackGroup(child.pid, true);
      this.reportClose();
    });
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
      this.watch(child, {
        supervised: false,
        spawnFailed: reject,
        spawned: () => resolve(),
        exited: (code, signal) => (this.exit = { code, signal }),
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
      // A supervisor that cannot start: only a missing cwd gets here (node exists).
      this.watch(child, {
        supervised: true,
        spawnFailed: settle,
        spawned: () => undefined, // the server has started only when the supervisor says so
        exited: (code, signal) => {
          // The server's own exit, when the supervisor reported it, is the one that matters.
          this.exit ??= { code, signal };
          settle(new Error(`The server supervisor exited (${signal ?? `code ${code}`}) before the server started.`));
        },
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
    if (!this.oversize) this.lines.push(chunk);
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
    untrackGroup(pgid);
    this.pipes?.stdout.destroy();
    this.pipes?.stderr.destroy();
  }
}
