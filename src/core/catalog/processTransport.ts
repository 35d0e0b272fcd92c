// MCP stdio client transport that owns its server's whole process tree: the server is spawned in a
// new process group (detached) with only the SDK's default environment plus configured variables,
// stderr is drained into a capped ring buffer, and close() kills the group (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { StdioServerConfig } from './types';

/** The SDK closes a stdio connection for a message above 10 MiB; we keep the same ceiling. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_STDERR_BYTES = 64 * 1024;
/** Time between SIGTERM to the group and SIGKILL. */
export const KILL_GRACE_MS = 300;
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

const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached servers outlive us otherwise; 'exit' handlers must be synchronous.
  process.once('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
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
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly maxMessageBytes: number;
  private exited?: Promise<void>;

  constructor(private readonly config: StdioServerConfig, opts: ProcessTransportOptions = {}) {
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.stderr = new RingBuffer(opts.stderrBytes ?? DEFAULT_STDERR_BYTES);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('ProcessGroupTransport already started.');
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
          this.onclose?.();
        } else this.onerror?.(err);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) trackGroup(child.pid);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
      });
      child.once('close', () => {
        if (child.pid !== undefined && !groupAlive(child.pid)) liveGroups.delete(child.pid);
        this.onclose?.();
      });
      child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
      child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
      child.stdin?.on('error', (err) => this.onerror?.(err));
      child.stdout?.on('error', (err) => this.onerror?.(err));
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
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed || this.exit) {
        reject(new Error('Not connected: the server process is not running.'));
        return;
      }
      if (stdin.write(JSON.stringify(message) + '\n')) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Kills the whole process group: SIGTERM, then SIGKILL after KILL_GRACE_MS. Idempotent. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    const pgid = child.pid;
    try {
      child.stdin?.end();
    } catch {
      // already closed
    }
    killGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 15));
    if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, KILL_GRACE_MS).unref())]);
    liveGroups.delete(pgid);
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}
