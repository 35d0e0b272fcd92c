// The host side of one run on one worker: forwards the guest's calls to the bridge and its logs and
// helper events to onEvent, enforces the backstop clock and cancellation, and builds the RunResult.
// Invariants: exactly one result per run; a worker that does not report within GRACE_MS of the
// wall clock or of a stop is terminated (and replaced), never reused.

import type { Catalog } from '../catalog/types';
import type { Logger, ToolInvoker } from '../ports';
import { ToolBridge } from './bridge';
import { capError, GRACE_MS } from './limits';
import type { PooledWorker, WorkerPool, WorkerSession } from './pool';
import type { DoneMessage, OutMessage, RunRequest, WorkerToHost } from './protocol';
import type { ServerLimiter } from './rateLimit';
import type { ToolTable } from './toolTable';
import { DEFAULT_APPROVAL_PAUSE_MS, type LogEntry, type RunError, type RunEvent, type RunLimits, type RunOptions, type RunResult } from './types';

export interface SessionDeps {
  pool: WorkerPool;
  pooled: PooledWorker;
  req: RunRequest;
  table: ToolTable;
  /** For tools.search / tools.describe inside the script. */
  catalog?: Catalog;
  invoker: ToolInvoker;
  options: RunOptions;
  limiter: ServerLimiter;
  logger: Logger;
  /** performance.now() when the run started. */
  startPerf: number;
}

/** How long a worker may take to start a run (a cold worker compiles and instantiates first). */
const STARTUP_MS = 20_000;

interface HostStop {
  error: RunError;
  limitHit?: keyof RunLimits;
}

export class RunSession implements WorkerSession {
  readonly result: Promise<RunResult>;
  private resolve!: (r: RunResult) => void;
  private readonly bridge: ToolBridge;
  private readonly logs: LogEntry[] = [];
  private hostStop?: HostStop;
  private backstop?: NodeJS.Timeout;
  private grace?: NodeJS.Timeout;
  private finished = false;
  private eventFailed = false;
  private logBytesDropped = 0;
  private readonly onAbort = (): void => this.stop({ error: { name: 'CancelledError', code: 'cancelled', message: 'The run was cancelled before the script finished.' } });

  constructor(private readonly deps: SessionDeps) {
    this.result = new Promise((r) => (this.resolve = r));
    const { req, options } = deps;
    const emit = options.onEvent ? (e: RunEvent) => this.emit(e) : undefined;
    const maxPauseMs = Math.max(0, options.maxApprovalPauseMs ?? DEFAULT_APPROVAL_PAUSE_MS);
    this.bridge = new ToolBridge({
      table: deps.table,
      invoker: deps.invoker,
      limits: req.limits,
      cache: options.cache !== false,
      limiter: deps.limiter,
      serverLimits: options.serverLimits,
      now: () => this.now(),
      emit,
      catalog: deps.catalog,
      llm: options.llm,
      maxPauseMs,
      // While an approval prompt is open the worker's clock stands still; the backstop then
      // allows for the longest pause, and restarts from a full run once the clock runs again.
      pause: (paused) => {
        if (this.finished || this.hostStop) return;
        deps.pooled.worker.postMessage({ type: 'pause', runId: req.runId, paused });
        this.armBackstop((paused ? maxPauseMs : 0) + req.limits.timeoutMs + GRACE_MS);
      },
      send: (batch, count) => {
        if (!this.finished) deps.pooled.worker.postMessage({ type: 'results', runId: req.runId, batch, count });
      },
      onQuota: () =>
        this.stop({
          limitHit: 'maxToolCalls',
          error: {
            name: 'QuotaExceededError',
            code: 'quota_exceeded',
            message: `The script made more than ${req.limits.maxToolCalls} tool calls, the run's limit. Batch work into fewer calls, or raise maxToolCalls.`,
          },
        }),
    });
  }

  start(): void {
    const { pooled, req, options } = this.deps;
    pooled.session = this;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.armBackstop(STARTUP_MS + req.limits.timeoutMs + GRACE_MS);
    pooled.worker.postMessage(req);
  }

  /** Terminates the worker if it has not reported by then (it is stuck in native code). */
  private armBackstop(ms: number): void {
    clearTimeout(this.backstop);
    this.backstop = setTimeout(() => {
      this.hostStop ??= { limitHit: 'timeoutMs', error: timeoutError(this.deps.req.limits) };
      this.terminate();
    }, ms);
  }

  onMessage(msg: WorkerToHost): void {
    if (this.finished) return;
    if (msg.type === 'started') this.armBackstop(this.deps.req.limits.timeoutMs + GRACE_MS);
    else if (msg.type === 'out') this.take(msg);
    else if (msg.type === 'done') this.done(msg);
  }

  onExit(reason: string): void {
    if (this.finished) return;
    this.complete(
      this.hostStop ?? { error: { name: 'SandboxCrashedError', code: 'sandbox_crashed', message: `The sandbox crashed (${reason}). The engine was replaced; run the script again.` } },
      false,
    );
  }

  /** Ends the run from the host side: cancel, quota. The worker is told; a stuck one is terminated. */
  private stop(stop: HostStop): void {
    if (this.finished || this.hostStop) return;
    this.hostStop = stop;
    this.bridge.close();
    Atomics.store(this.deps.pooled.control, 0, this.deps.req.runId);
    this.deps.pooled.worker.postMessage({ type: 'cancel', runId: this.deps.req.runId });
    this.grace = setTimeout(() => this.terminate(), GRACE_MS);
  }

  private terminate(): void {
    if (this.finished) return;
    const stop = this.hostStop ?? { limitHit: 'timeoutMs' as const, error: timeoutError(this.deps.req.limits) };
    this.complete(stop, true);
  }

  private take(msg: Pick<OutMessage, 'logs' | 'events'> & { calls?: string }): void {
    for (const e of msg.events) this.emit(e);
    for (const entry of msg.logs) {
      this.logs.push(entry);
      this.emit({ type: 'log', entry });
    }
    if (msg.calls && !this.hostStop) this.bridge.submit(msg.calls);
  }

  private done(msg: DoneMessage): void {
    // Calls issued after the script's last await are never made: the run is over.
    this.take(msg);
    for (const w of msg.warnings) this.deps.logger.warn(w);
    this.logBytesDropped = msg.logBytesDropped;
    if (this.hostStop) return this.complete(this.hostStop, false);
    const { outcome } = msg;
    if (!outcome.ok) return this.complete({ error: outcome.error, limitHit: outcome.limitHit }, false);
    let value: unknown;
    try {
      value = outcome.valueJson === undefined ? undefined : (JSON.parse(outcome.valueJson) as unknown);
    } catch (err) {
      return this.complete({ error: { name: 'NotSerializableError', code: 'not_serializable', message: `The script's value was not valid JSON: ${String(err)}` } }, false);
    }
    this.complete(undefined, false, value);
  }

  private complete(stop: HostStop | undefined, kill: boolean, value?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.backstop);
    clearTimeout(this.grace);
    this.deps.options.signal?.removeEventListener('abort', this.onAbort);
    this.bridge.close();
    const { pool, pooled } = this.deps;
    if (kill || pooled.dead) pool.discard(pooled);
    else pool.release(pooled);
    const stats = {
      durationMs: Math.round((performance.now() - this.deps.startPerf) * 1000) / 1000,
      ...this.bridge.stats,
      logBytesDropped: this.logBytesDropped,
      ...(stop?.limitHit ? { limitHit: stop.limitHit } : {}),
    };
    this.resolve(stop ? { ok: false, error: capError(stop.error), logs: this.logs, stats } : { ok: true, value, logs: this.logs, stats });
  }

  private now(): number {
    return Math.round((performance.now() - this.deps.startPerf) * 1000) / 1000;
  }

  private emit(e: RunEvent): void {
    const onEvent = this.deps.options.onEvent;
    if (!onEvent) return;
    try {
      onEvent(e);
    } catch (err) {
      if (!this.eventFailed) this.deps.logger.warn(`A run event listener threw: ${String(err)}`);
      this.eventFailed = true;
    }
  }
}

function timeoutError(limits: RunLimits): RunError {
  return {
    name: 'TimeoutError',
    code: 'timeout',
    message: `The script did not finish within ${limits.timeoutMs} ms (the wall clock covers CPU work and waiting on tools). Make it do less, or raise timeoutMs.`,
  };
}
