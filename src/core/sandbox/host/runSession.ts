// The host side of one run on one worker: forwards the guest's calls to the bridge and its output to
// onEvent, keeps the backstop clock and cancellation, builds the RunResult. Invariant: one result per
// run, within REPLY_MARGIN_MS of the deadline; a worker silent past GRACE_MS is terminated, not reused.

import type { Catalog } from '../../catalog/types';
import type { Logger, ToolInvoker } from '../../ports';
import { randomUUID } from 'node:crypto';
import { ToolBridge } from './bridge';
import { IdempotencyKeys } from './idempotency';
import { capError, GRACE_MS, REPLY_MARGIN_MS } from '../limits';
import type { PooledWorker, WorkerPool, WorkerSession } from './pool';
import type { DoneMessage, OutMessage, RunRequest, WorkerToHost } from '../protocol';
import type { ServerLimiter } from './rateLimit';
import type { ToolTable } from './toolTable';
import { DEFAULT_APPROVAL_PAUSE_MS, type LogEntry, type RunError, type RunEvent, type RunLimits, type RunOptions, type RunResult } from '../types';
import { runError } from '../runErrors';
import { quotaError, timeoutError } from '../outcome';

export interface SessionDeps {
  pool: WorkerPool;
  pooled: PooledWorker;
  req: RunRequest;
  table: ToolTable;
  /** The run's catalog (its servers' `limits`, for the bridge). */
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
  /** The result was given to the caller. */
  private finished = false;
  /** The worker was released or discarded (after its 'done', or its end). */
  private workerSettled = false;
  /** performance.now() (this thread) when the script's clock started, from 'started'. */
  private clockStart?: number;
  /** Clock time spent paused (approval prompts), and since when it is paused now. */
  private pausedMs = 0;
  private pausedAt: number | null = null;
  private eventFailed = false;
  private logBytesDropped = 0;
  private readonly onAbort = (): void => this.stop({ error: runError('cancelled', 'The run was cancelled before the script finished.') });

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
      discovery: options.discovery,
      maxPauseMs,
      keys: new IdempotencyKeys(options.runKey ?? randomUUID()),
      // While an approval prompt is open the worker's clock stands still; the backstop then
      // allows for the longest pause, and restarts from a full run once the clock runs again.
      pause: (paused) => {
        if (this.finished || this.hostStop) return;
        deps.pooled.worker.postMessage({ type: 'pause', runId: req.runId, paused });
        deps.pooled.results.wake();
        const now = performance.now();
        if (paused && this.pausedAt === null) this.pausedAt = now;
        else if (!paused && this.pausedAt !== null) {
          this.pausedMs += now - this.pausedAt;
          this.pausedAt = null;
        }
        // Paused, the deadline is unknown (the pause ends by maxPauseMs at the latest).
        if (this.clockStart === undefined || this.pausedAt !== null) this.armBackstop(maxPauseMs + req.limits.timeoutMs + GRACE_MS);
        else this.armDeadline();
      },
      send: (batch, count) => {
        if (this.finished || deps.pooled.results.offer(req.runId, batch, count)) return;
        deps.pooled.worker.postMessage({ type: 'results', runId: req.runId, batch, count });
        deps.pooled.results.wake();
      },
      onQuota: () =>
        this.stop({
          limitHit: 'maxToolCalls',
          error: quotaError(req.limits),
        }),
    });
  }

  get runId(): number {
    return this.deps.req.runId;
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

  /** The host's own deadline, REPLY_MARGIN_MS after the worker's: a worker that has not reported by
   *  then (its thread starved, or stuck in native code) is told to stop and the caller gets the
   *  timeout now; the worker has GRACE_MS more to report before it is terminated. */
  private armDeadline(): void {
    if (this.clockStart === undefined) return;
    clearTimeout(this.backstop);
    const at = this.clockStart + this.pausedMs + this.deps.req.limits.timeoutMs + REPLY_MARGIN_MS;
    this.backstop = setTimeout(() => {
      if (this.pausedAt !== null) return;
      if (performance.now() < at) return this.armDeadline();
      this.stop({ limitHit: 'timeoutMs', error: timeoutError(this.deps.req.limits) }, true);
    }, Math.max(0, at - performance.now()));
  }

  onMessage(msg: WorkerToHost): void {
    if (this.workerSettled) return;
    if (msg.type === 'done') return this.done(msg);
    if (this.finished) return;
    if (msg.type === 'started') {
      this.clockStart = msg.clockStartEpochMs - performance.timeOrigin;
      if (this.pausedAt === null) this.armDeadline();
    } else if (msg.type === 'out') this.take(msg);
  }

  onExit(reason: string): void {
    if (this.workerSettled) return;
    this.workerSettled = true;
    clearTimeout(this.grace);
    clearTimeout(this.backstop);
    this.reply(
      this.hostStop ?? { error: runError('sandbox_crashed', `The sandbox crashed (${reason}). The engine was replaced; run the script again.`) },
    );
  }

  /** Ends the run from the host side: cancel, quota, the host's deadline. The worker is told to
   *  stop, and a stuck one is terminated after GRACE_MS. The caller gets the result with the
   *  worker's last logs when it reports, or at once with `replyNow` (the deadline passed). */
  private stop(stop: HostStop, replyNow = false): void {
    if (this.finished || this.hostStop) return;
    this.hostStop = stop;
    this.bridge.close();
    clearTimeout(this.backstop);
    Atomics.store(this.deps.pooled.control, 0, this.deps.req.runId);
    this.deps.pooled.worker.postMessage({ type: 'cancel', runId: this.deps.req.runId });
    this.deps.pooled.results.wake();
    this.grace = setTimeout(() => this.terminate(), GRACE_MS);
    if (replyNow) this.reply(stop);
  }

  private terminate(): void {
    if (this.workerSettled) return;
    this.workerSettled = true;
    clearTimeout(this.backstop);
    clearTimeout(this.grace);
    this.deps.pool.discard(this.deps.pooled);
    this.reply(this.hostStop ?? { limitHit: 'timeoutMs', error: timeoutError(this.deps.req.limits) });
  }

  private take(msg: Pick<OutMessage, 'logs' | 'events' | 'logBytesDropped'> & { calls?: string }): void {
    this.logBytesDropped = Math.max(this.logBytesDropped, msg.logBytesDropped);
    for (const e of msg.events) {
      if (e.type === 'helper.start') this.bridge.observe(e);
      this.emit(e);
    }
    for (const entry of msg.logs) {
      this.logs.push(entry);
      this.emit({ type: 'log', entry });
    }
    if (msg.calls && !this.hostStop) this.bridge.submit(msg.calls);
  }

  private done(msg: DoneMessage): void {
    this.workerSettled = true;
    clearTimeout(this.backstop);
    clearTimeout(this.grace);
    for (const w of msg.warnings) this.deps.logger.warn(w);
    // The worker is free again before the caller hears of it: a follow-up run never waits.
    const { pool, pooled } = this.deps;
    if (pooled.dead) pool.discard(pooled);
    else pool.release(pooled);
    if (this.finished) return;
    // Calls issued after the script's last await are never made: the run is over.
    this.take(msg);
    // The outcome's time is when the worker decided it, not when this thread read it.
    const durationMs = this.clockStart === undefined ? undefined : msg.durationMs;
    if (this.hostStop) return this.reply(this.hostStop, durationMs);
    const { outcome } = msg;
    if (!outcome.ok) return this.reply({ error: outcome.error, limitHit: outcome.limitHit }, durationMs);
    let value: unknown;
    try {
      value = outcome.valueJson === undefined ? undefined : (JSON.parse(outcome.valueJson) as unknown);
    } catch (err) {
      return this.reply({ error: runError('not_serializable', `The script's value was not valid JSON: ${String(err)}`) }, durationMs);
    }
    this.reply(undefined, durationMs, value);
  }

  /** Gives the caller its result (once); the worker's fate is settled separately. */
  private reply(stop: HostStop | undefined, durationMs?: number, value?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.deps.options.signal?.removeEventListener('abort', this.onAbort);
    this.bridge.close();
    const since = this.clockStart ?? this.deps.startPerf;
    const stats = {
      durationMs: durationMs ?? Math.round((performance.now() - since) * 1000) / 1000,
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
