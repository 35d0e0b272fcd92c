// A pool of warm sandbox worker threads. Invariants: a worker runs one run at a time; a worker
// that crashed or was terminated is replaced; idle workers are unref'd so they never keep a
// process alive; the QuickJS WebAssembly module is compiled once and shared by every worker.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../ports';
import { WORKER_STACK_MB } from '../limits';
import type { WorkerInit, WorkerToHost } from '../protocol';
import { newResultSlot, ResultSender } from '../resultChannel';
import { CallReceiver, newCallSlot, type SlotCalls } from '../callChannel';
import { DEFAULT_LIMITS } from '../types';

/** Receives the messages and the death of the worker serving one run. */
export interface WorkerSession {
  /** The run it serves (slot calls of an earlier run are dropped). */
  readonly runId: number;
  onMessage(msg: WorkerToHost): void;
  onExit(reason: string): void;
}

export interface PooledWorker {
  readonly worker: Worker;
  /** Shared with the worker: [0] = id of a run to stop (checked by the guest's interrupt handler). */
  readonly control: Int32Array;
  /** Hands tool results to the worker while it blocks on them (else they go as messages). */
  readonly results: ResultSender;
  /** Takes the calls a worker blocking on their results put in the call slot. */
  readonly calls: CallReceiver;
  session?: WorkerSession;
  dead: boolean;
  ready: boolean;
}

export interface PoolOptions {
  size: number;
  logger: Logger;
  /** Path of dist/sandboxWorker.js; see locateWorker. */
  workerPath: string;
  /** Guest memory (MiB) of the spare engine a new worker prepares: the size runs are expected to ask. */
  spareMemoryMb?: number;
}

export class WorkerPool {
  private readonly idle: PooledWorker[] = [];
  private readonly all = new Set<PooledWorker>();
  private readonly waiters: Array<(w: PooledWorker | Error) => void> = [];
  private wasm?: Promise<WebAssembly.Module>;
  private disposed = false;
  private fatal?: string;
  private startFailures = 0;

  constructor(private readonly opts: PoolOptions) {}

  /** Compiles the engine and starts the workers (also done lazily by the first acquire). */
  start(): void {
    if (this.wasm) return;
    if (!existsSync(this.opts.workerPath)) {
      this.fail(`The sandbox worker ${this.opts.workerPath} was not found. Run the build (node esbuild.mjs).`);
    }
    this.wasm = loadWasm(this.opts.workerPath);
    this.wasm.catch((err: unknown) => this.fail(`The QuickJS engine could not be loaded: ${String(err)}`));
    for (let i = 0; i < this.opts.size; i++) this.spawn();
  }

  /** Waits for an idle worker. Rejects with the pool's fatal error (e.g. a missing build). */
  acquire(): Promise<PooledWorker> {
    this.start();
    if (this.fatal) return Promise.reject(new Error(this.fatal));
    if (this.disposed) return Promise.reject(new Error('The sandbox has been disposed.'));
    const w = this.idle.pop();
    if (w) {
      w.worker.ref();
      return Promise.resolve(w);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push((x) => (x instanceof Error ? reject(x) : resolve(x)));
    });
  }

  /** Gives a healthy worker back. */
  release(w: PooledWorker): void {
    w.session = undefined;
    if (w.dead) return;
    Atomics.store(w.control, 0, 0);
    const next = this.waiters.shift();
    if (next) {
      w.worker.ref();
      return next(w);
    }
    w.worker.unref();
    this.idle.push(w);
  }

  /** Ends a worker (stuck or broken) and starts a replacement. A worker that already died is
   *  replaced by its exit handler, not here (one replacement per worker). */
  discard(w: PooledWorker): void {
    if (w.dead) return;
    w.dead = true;
    w.calls.close();
    this.all.delete(w);
    void w.worker.terminate();
    if (!this.disposed && !this.fatal) this.spawn();
  }

  /** Workers alive (started or starting), for tests and diagnostics. */
  get size(): number {
    return this.all.size;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const waiter of this.waiters.splice(0)) waiter(new Error('The sandbox has been disposed.'));
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(
      workers.map((w) => {
        w.dead = true;
        return w.worker.terminate();
      }),
    );
  }

  private spawn(): void {
    const wasm = this.wasm;
    if (!wasm) return;
    void wasm.then(
      (wasmModule) => {
        if (this.disposed || this.fatal) return;
        this.add(wasmModule);
      },
      () => undefined,
    );
  }

  private add(wasmModule: WebAssembly.Module): void {
    const control = new SharedArrayBuffer(4);
    const results = newResultSlot();
    const calls = newCallSlot();
    const init: WorkerInit = {
      wasmModule,
      control,
      results,
      calls,
      spareMemoryMb: this.opts.spareMemoryMb ?? DEFAULT_LIMITS.memoryMb,
      preludePath: path.join(path.dirname(this.opts.workerPath), 'sandboxPrelude.js'),
    };
    const worker = new Worker(this.opts.workerPath, {
      workerData: init,
      resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: 512 },
      stdout: true,
      stderr: true,
    });
    const w: PooledWorker = { worker, control: new Int32Array(control), results: new ResultSender(results), calls: new CallReceiver(calls), dead: false, ready: false };
    this.all.add(w);
    // Nothing in a worker should print; drain the streams so they never block, and keep the
    // parent's stdout clean (the CLI's --json prints exactly one object there).
    worker.stdout.on('data', (d: Buffer) => this.opts.logger.debug(`sandbox worker: ${String(d).trimEnd()}`));
    worker.stderr.on('data', (d: Buffer) => this.opts.logger.debug(`sandbox worker: ${String(d).trimEnd()}`));
    const deliver = (c: SlotCalls | undefined): void => {
      if (c && w.session?.runId === c.runId) w.session.onMessage({ type: 'out', runId: c.runId, calls: c.calls, logs: [], events: [], logBytesDropped: c.logBytesDropped });
    };
    w.calls.listen(() => deliver(w.calls.take()));
    worker.on('message', (msg: WorkerToHost) => w.calls.onMessage(() => this.handle(w, msg), deliver));
    worker.on('error', (err) => {
      this.opts.logger.warn(`A sandbox worker failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      const wasDead = w.dead;
      w.calls.close();
      w.dead = true;
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i !== -1) this.idle.splice(i, 1);
      const session = w.session;
      w.session = undefined;
      session?.onExit(`the sandbox worker exited with code ${code}`);
      // A worker that dies before it is ready would die again: stop after a few tries.
      if (!wasDead && !w.ready && ++this.startFailures >= 3) this.fail(`Sandbox workers exit during startup (code ${code}).`);
      if (!wasDead && !this.disposed && !this.fatal) this.spawn();
    });
    worker.unref();
    this.release(w);
  }

  private handle(w: PooledWorker, msg: WorkerToHost): void {
    if (msg.type === 'fatal') {
      this.fail(msg.message);
      w.session?.onExit(msg.message);
      return;
    }
    if (msg.type === 'warning') {
      this.opts.logger.warn(msg.message);
      return;
    }
    if (msg.type === 'ready') {
      w.ready = true;
      this.startFailures = 0;
      return;
    }
    w.session?.onMessage(msg);
  }

  private fail(message: string): void {
    if (this.fatal) return;
    this.fatal = message;
    this.opts.logger.error(message);
    for (const waiter of this.waiters.splice(0)) waiter(new Error(message));
  }
}

/** The QuickJS wasm: dist/quickjs.wasm next to the worker, else the package's copy. */
async function loadWasm(workerPath: string): Promise<WebAssembly.Module> {
  const candidates = [path.join(path.dirname(workerPath), 'quickjs.wasm')];
  try {
    candidates.push(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'));
  } catch {
    // not installed (a packaged extension ships only dist/)
  }
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error(`quickjs.wasm not found (looked in ${candidates.join(', ')}). Run the build (node esbuild.mjs).`);
  return WebAssembly.compile(readFileSync(file));
}

/**
 * Finds dist/sandboxWorker.js: an explicit path, TOOLWEAVER_SANDBOX_WORKER, next to the running
 * bundle (dist/*.js), or the repository's dist/ when running from source (tests).
 */
export function locateWorker(explicit?: string): string {
  if (explicit) return explicit;
  const candidates = [
    process.env.TOOLWEAVER_SANDBOX_WORKER,
    path.join(__dirname, 'sandboxWorker.js'),
    path.resolve(__dirname, '../../../../dist/sandboxWorker.js'),
    path.resolve(process.cwd(), 'dist/sandboxWorker.js'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
}
