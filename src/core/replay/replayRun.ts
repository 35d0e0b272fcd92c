// A replay: the recorded script (or an edited one) re-run in the sandbox against the recorded tool
// results of a trace, through executeRun, so it leaves its own trace (spans marked replayed or live,
// `replayOf` with the divergences). Invariant: without `live`, no call leaves the process, and the
// first divergence stops the run with an error naming the script line, the recorded call and the new one.
import type { ApprovalSetup } from '../approvals/approvals';
import { approvingInvoker } from '../approvals/approvals';
import type { Catalog, ConfigSecrets } from '../catalog/types';
import { silentLogger, type Clock, type Logger, type ToolInvoker } from '../ports';
import { executeRun, type ExecuteRunResult } from '../run/executeRun';
import type { Sandbox } from '../sandbox/sandbox';
import { runError } from '../sandbox/runErrors';
import type { RunLimits, RunResult } from '../sandbox/types';
import type { Tokenizer } from '../tokens/tokenizer';
import type { Divergence, ReplayRecord, Trace } from '../trace/schema';
import type { TraceStore } from '../trace/store';
import { canonicalJson } from '../catalog/wire';
import { replayCatalog } from './replayCatalog';
import { createReplayInvoker } from './replayInvoker';
import { createTape } from './tape';
import { createRawTapeStore } from '../trace/rawTape';

/** The name of the error a divergence stops a replay with. */
export const REPLAY_DIVERGENCE_ERROR = 'ReplayDivergenceError';

/** Where divergent calls may go (--live-on-divergence): a live catalog and its invoker. */
export interface LiveFallback {
  catalog: Catalog;
  invoker: ToolInvoker;
  /** Approvals apply to the live calls only (replayed calls have no side effect). */
  approvals?: ApprovalSetup;
  secrets?: ConfigSecrets;
}

export interface ReplayOptions {
  /** The recorded trace (a finished one). */
  trace: Trace;
  /** The script to replay; default the trace's own source (see replaySource). */
  source: string;
  scriptPath?: string;
  language?: 'ts' | 'js';
  store: TraceStore;
  live?: LiveFallback;
  sandbox?: Sandbox;
  /** Default: the recorded run's limits. */
  limits?: Partial<RunLimits>;
  signal?: AbortSignal;
  origin?: string;
  /** Default false: a replay's point is speed; pass one to count its account. */
  tokenizer?: Tokenizer | false;
  clock?: Clock;
  logger?: Logger;
  /** Answer from the recorded run's raw tape when it kept one (trace/rawTape.ts). Default true;
   *  false replays from the trace's stored (redacted, cut) values alone. */
  useRawTape?: boolean;
}

export interface ReplayResult extends ExecuteRunResult {
  replay: ReplayRecord;
  /** The replay's value equals the recorded one (both as the traces store them, redacted); false
   *  when either run failed or a value was cut. */
  sameValue: boolean;
}

/** The recorded script of `trace`, or why it cannot be replayed without --script. */
export function replaySource(trace: Trace): { ok: true; source: string; language: 'ts' | 'js' } | { ok: false; message: string } {
  const source = trace.script.source;
  if (source === undefined) return { ok: false, message: `Trace ${trace.id} holds no script source. Pass --script FILE with the script to replay.` };
  if (trace.truncations.some((t) => t.path === 'source')) return { ok: false, message: `The script source in trace ${trace.id} was cut to the trace's size limit. Pass --script FILE with the full script.` };
  if (source.includes('[REDACTED')) return { ok: false, message: `The script source in trace ${trace.id} had a secret redacted, so it is not the script that ran. Pass --script FILE with the script.` };
  return { ok: true, source, language: trace.script.language };
}

/** True when two runs' stored values are the same. */
export function sameStoredValue(a: Trace, b: Trace): boolean {
  if (a.status !== 'ok' || b.status !== 'ok') return false;
  if (!a.value || !b.value) return a.value === b.value || (!a.value?.bytes && !b.value?.bytes);
  if (a.value.truncated || b.value.truncated) return false;
  return canonicalJson(a.value.value) === canonicalJson(b.value.value);
}

function divergenceResult(result: RunResult, d: Divergence): RunResult {
  const error = runError('tool_error', d.message, { name: REPLAY_DIVERGENCE_ERROR, server: d.server, tool: d.tool, cause: 'replay_divergence', ...(d.line !== undefined ? { line: d.line } : {}) });
  return { ok: false, error, logs: result.logs, stats: result.stats };
}

/** Replays `opts.source` against `opts.trace`. Never throws for what the script or the tape does. */
export async function replayRun(opts: ReplayOptions): Promise<ReplayResult> {
  const logger = opts.logger ?? silentLogger;
  const original = opts.trace;
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(opts.signal?.reason);
  if (opts.signal?.aborted) abort.abort(opts.signal.reason);
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let stoppedBy: Divergence | undefined;
  const catalog = replayCatalog(original, opts.live?.catalog);
  const live = opts.live ? (opts.live.approvals ? approvingInvoker(opts.live.invoker, opts.live.approvals, catalog, `replay-of-${original.id}`) : opts.live.invoker) : undefined;
  const invoker = createReplayInvoker({
    tape: createTape(original, { raw: opts.useRawTape === false ? undefined : await createRawTapeStore({ traceDir: opts.store.dir, logger }).read(original.id) }),
    live,
    onDivergence: (d) => {
      stoppedBy ??= d;
      abort.abort();
    },
  });
  const record = (): ReplayRecord => ({
    traceId: original.id,
    replayed: invoker.calls.filter((c) => c.mode === 'replayed').length,
    live: invoker.calls.filter((c) => c.mode === 'live').length,
    divergences: [...invoker.divergences],
  });
  const { limits: recordedLimits } = original;
  const limits: Partial<RunLimits> = opts.limits ?? {
    timeoutMs: recordedLimits.timeoutMs,
    memoryMb: recordedLimits.memoryMb,
    stackKb: recordedLimits.stackKb,
    maxToolCalls: recordedLimits.maxToolCalls,
    maxConcurrency: recordedLimits.maxConcurrency,
    toolCallTimeoutMs: recordedLimits.toolCallTimeoutMs,
    maxResultBytes: recordedLimits.maxResultBytes,
    maxLogBytes: recordedLimits.maxLogBytes,
  };
  try {
    const ran = await executeRun({
      source: opts.source,
      scriptPath: opts.scriptPath ?? original.script.path,
      language: opts.language ?? original.script.language,
      catalog,
      invoker,
      secrets: opts.live?.secrets,
      limits,
      signal: abort.signal,
      sandbox: opts.sandbox,
      store: opts.store,
      tokenizer: opts.tokenizer ?? false,
      origin: opts.origin ?? 'replay',
      clock: opts.clock,
      logger,
      checkpointMs: 0,
      annotateTrace: (trace) => {
        // Spans and calls pair up by idempotency key and order: the bridge invokes in span start order.
        const byKey = new Map<string, Array<'replayed' | 'live' | 'diverged'>>();
        for (const c of invoker.calls) byKey.set(c.idempotencyKey ?? '', [...(byKey.get(c.idempotencyKey ?? '') ?? []), c.mode]);
        for (const s of [...trace.spans].sort((a, b) => a.startMs - b.startMs)) {
          if (s.kind !== 'tool' || s.cached) continue;
          const mode = byKey.get(s.idempotencyKey ?? '')?.shift();
          if (mode === 'replayed' || mode === 'live') s.replay = mode;
        }
        trace.replayOf = record();
        if (stoppedBy) {
          trace.status = 'failed';
          trace.error = { name: REPLAY_DIVERGENCE_ERROR, code: 'tool_error', message: stoppedBy.message, server: stoppedBy.server, tool: stoppedBy.tool, cause: 'replay_divergence', ...(stoppedBy.line !== undefined ? { line: stoppedBy.line } : {}) };
          delete trace.value;
        }
      },
    });
    const result = stoppedBy ? divergenceResult(ran.result, stoppedBy) : ran.result;
    return { ...ran, result, replay: record(), sameValue: sameStoredValue(original, ran.trace) };
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}
