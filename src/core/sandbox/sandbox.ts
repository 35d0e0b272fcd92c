// createSandbox: runs TypeScript/JavaScript against a catalog's tools in QuickJS, on a pool of warm
// worker threads. Invariant: `run` never rejects; whatever the script does (or the engine suffers)
// comes back as a RunResult with a typed error code.

import type { Catalog } from '../catalog/types';
import { silentLogger, type Logger, type ToolInvoker } from '../ports';
import { resolveLimits } from './limits';
import { locateWorker, WorkerPool, type PooledWorker } from './host/pool';
import { ServerLimiter } from './host/rateLimit';
import { RunSession } from './host/runSession';
import { toolTableOf } from './host/toolTable';
import type { RunError, RunLimits, RunOptions, RunResult, RunStats } from './types';
import { runError } from './runErrors';

export interface SandboxOptions {
  /** Warm worker threads (runs in parallel). Default 2 (1 on single-core machines). */
  poolSize?: number;
  logger?: Logger;
  /** Path of dist/sandboxWorker.js; default: next to the running bundle (see locateWorker). */
  workerPath?: string;
  /** The guest memory (MiB) runs will ask for (RunLimits.memoryMb); each worker prepares its first spare engine at
   *  this size, so the first run does not throw the spare away and rebuild. Default: DEFAULT_LIMITS.memoryMb. */
  memoryMb?: number;
}

/** What a run needs besides the source: the catalog (names and schemas only enter the guest),
 *  the invoker that makes real calls, and the run options. */
export type RunContext = { catalog: Catalog; invoker: ToolInvoker } & RunOptions;

export interface Sandbox {
  /**
   * Runs `source`: the body of an async function (top-level await; its `return` value is the
   * result, undefined without one; the last expression is NOT the value). TypeScript types are
   * stripped unless `language` is 'js'. Never rejects.
   */
  run(source: string, ctx: RunContext): Promise<RunResult>;
  /** Stops the workers; safe to call twice. Runs in progress end as sandbox_crashed. */
  dispose(): Promise<void>;
}

/** Creates a sandbox and starts its workers (they are unref'd while idle). */
export function createSandbox(opts: SandboxOptions = {}): Sandbox {
  const logger = opts.logger ?? silentLogger;
  const pool = new WorkerPool({
    size: Math.max(1, Math.floor(opts.poolSize ?? 2)),
    logger,
    workerPath: locateWorker(opts.workerPath),
    spareMemoryMb: resolveLimits({ memoryMb: opts.memoryMb }).memoryMb,
  });
  const limiter = new ServerLimiter();
  let nextRunId = 1;
  pool.start();

  async function run(source: string, ctx: RunContext): Promise<RunResult> {
    const startPerf = performance.now();
    const limits = resolveLimits(ctx.limits);
    const fail = (error: RunError, limitHit?: keyof RunLimits): RunResult => ({
      ok: false,
      error,
      logs: [],
      stats: emptyStats(performance.now() - startPerf, limitHit),
    });
    if (typeof source !== 'string') {
      return fail(runError('syntax_error', 'The script must be a string of TypeScript or JavaScript.', { name: 'TypeError' }));
    }
    const bytes = Buffer.byteLength(source);
    if (bytes > limits.maxSourceBytes) {
      return fail(
        runError('source_too_large', `The script is ${bytes} bytes, over the ${limits.maxSourceBytes}-byte limit. Shorten it, or raise maxSourceBytes.`),
        'maxSourceBytes',
      );
    }
    const cancelled = (): RunResult => fail(runError('cancelled', 'The run was cancelled before the script started.'));
    if (ctx.signal?.aborted) return cancelled();
    const table = toolTableOf(ctx.catalog, (m) => logger.warn(m));
    let pooled: PooledWorker | 'aborted';
    const acquiring = pool.acquire();
    const abort = ctx.signal ? onAbort(ctx.signal) : undefined;
    try {
      pooled = await (abort ? Promise.race([acquiring, abort.promise]) : acquiring);
    } catch (err) {
      return fail(runError('sandbox_crashed', `The sandbox is not available: ${err instanceof Error ? err.message : String(err)}`));
    } finally {
      abort?.dispose();
    }
    // Cancelled while every worker was busy: give the worker back when it comes.
    if (pooled === 'aborted' || ctx.signal?.aborted) {
      void acquiring.then((w) => pool.release(w), () => undefined);
      return cancelled();
    }
    const runId = nextRunId++;
    const session = new RunSession({
      pool,
      pooled,
      table,
      catalog: ctx.catalog,
      invoker: ctx.invoker,
      options: ctx,
      limiter,
      logger,
      startPerf,
      req: {
        type: 'run',
        runId,
        source,
        language: ctx.language ?? 'ts',
        limits,
        layout: table.layout,
        startEpochMs: performance.timeOrigin + startPerf,
        ...(ctx.prologue !== undefined ? { prologue: ctx.prologue } : {}),
      },
    });
    session.start();
    return session.result;
  }

  return {
    async run(source, ctx) {
      try {
        return await run(source, ctx);
      } catch (err) {
        // Only a bug in our own code gets here; the contract still holds.
        logger.error(`Sandbox bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return {
          ok: false,
          error: runError('sandbox_crashed', `The sandbox failed (a bug in ToolWeaver): ${String(err)}`),
          logs: [],
          stats: emptyStats(0),
        };
      }
    },
    async dispose() {
      limiter.dispose();
      await pool.dispose();
    },
  };
}

/** A promise of the signal's abort, with a dispose that removes the listener (signals may be
 *  long-lived and shared by many runs). */
function onAbort(signal: AbortSignal): { promise: Promise<'aborted'>; dispose(): void } {
  let listener = (): void => undefined;
  const promise = new Promise<'aborted'>((resolve) => {
    listener = () => resolve('aborted');
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', listener, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', listener) };
}

function emptyStats(durationMs: number, limitHit?: keyof RunLimits): RunStats {
  const stats: RunStats = { durationMs, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 };
  if (limitHit) stats.limitHit = limitHit;
  return stats;
}
