// One script run inside a worker: starts the script on a prepared Engine, then pumps (settle → jobs
// → drain) until it ends. Invariants: one outcome per run, through the states of runState.ts; the
// guest never continues past its deadline; after a host fault the engine is abandoned, else disposed.

import type { QuickJSHandle } from 'quickjs-emscripten-core';
import { stopError } from '../outcome';
import type { GuestOutcome, RunRequest, WorkerToHost } from '../protocol';
import type { ResultReceiver } from '../resultChannel';
import type { CallSender } from '../callChannel';
import { runError } from '../runErrors';
import type { GuestConfig } from '../guestApi';
import type { Engine, EngineTarget } from './engine';
import { describeThrown, returnedOutcome } from './guestResult';
import { GuestOutput } from './guestOutput';
import { GuestSleeps } from './guestSleeps';
import { RunClock } from './runClock';
import { isOver, moveTo, stopReasonOf, type RunState, type StopReason } from './runState';

/** Time a thrown value's description may take (its getters are guest code). */
const DESCRIBE_MS = 200;
/** While the guest runs without yielding, logs and events go to the host this often (from the
 *  interrupt handler), so a host that answers a timeout before the worker reports has them. */
const OUT_FLUSH_MS = 50;
/** Longest the worker blocks on the result slot at a time (then it waits in its event loop). */
const BLOCK_MS = 250;
/** The block ends this long before the run's deadline, so the clock's timer decides the end. */
const BLOCK_MARGIN_MS = 5;

export interface GuestRunDeps {
  engine: Engine;
  /** The script already wrapped and stripped (see prepareSource). */
  code: string;
  control: Int32Array;
  post(msg: WorkerToHost): void;
  /** The shared slot tool results take while the run blocks on them (see resultChannel.ts). */
  results: Pick<ResultReceiver, 'arm' | 'wait'>;
  /** The shared slot drained calls take when the run blocks on them (see callChannel.ts). */
  calls: Pick<CallSender, 'offer'>;
}

export class GuestRun implements EngineTarget {
  private state: RunState = { kind: 'running' };
  private thrown?: QuickJSHandle;
  private script?: QuickJSHandle;
  /** The outcome the guest's own `finish` decided (a stop reason still overrides it). */
  private outcome?: GuestOutcome;
  private readonly clock: RunClock;
  private readonly startPerf: number;
  /** performance.now() when the script's clock started (the run's durationMs counts from here). */
  private readonly clockStart: number;
  private inflight = 0;
  private readonly sleeps: GuestSleeps;
  private localSettled: string[] = [];
  private lastFlush = 0;
  /** When finish() decided the outcome (the run's end, for durationMs). */
  private endedAt?: number;
  private hostBatches: string[] = [];
  private readonly out: GuestOutput;

  constructor(
    private readonly req: RunRequest,
    private readonly deps: GuestRunDeps,
    /** `reusable`: the engine was reset after a clean end and can serve the next run. */
    private readonly onDone: (reusable: boolean) => void,
  ) {
    this.startPerf = req.startEpochMs - performance.timeOrigin;
    // The script's clock starts now, not when the host asked: waiting for a cold worker or an
    // engine is not the script's time. The host's backstop restarts on the 'started' message.
    this.clockStart = performance.now();
    this.clock = new RunClock(this.clockStart + req.limits.timeoutMs, () => this.stop('timeout'));
    this.sleeps = new GuestSleeps((id, woke) => {
      this.localSettled.push(`[${id},2]`);
      if (woke) this.pump();
    });
    this.out = new GuestOutput(req.limits.maxLogBytes);
  }

  get runId(): number {
    return this.req.runId;
  }

  /** Configures the engine and starts the script; later progress comes from messages and timers. */
  start(): void {
    const { engine } = this.deps;
    engine.used = true;
    engine.target = this;
    this.deps.post({ type: 'started', runId: this.req.runId, clockStartEpochMs: performance.timeOrigin + this.clockStart });
    if (this.hostCancelled()) return this.complete(stopError('cancelled', this.req.limits));
    try {
      const { limits, layout } = this.req;
      const config: GuestConfig = { layout, maxResultBytes: limits.maxResultBytes, maxLogBytes: limits.maxLogBytes, maxToolCalls: limits.maxToolCalls, captureLines: true, prologue: this.req.prologue !== undefined };
      const started = engine.startScript(config, limits.stackKb, this.deps.code, this.req.prologue);
      this.script = started.script;
      if (started.thrown) this.recordJobError(started.thrown);
    } catch (err) {
      if (stopReasonOf(this.state)) return this.finish();
      return this.hostFault(err);
    }
    this.clock.arm();
    this.pump();
  }

  /** Tool results from the host. */
  results(batch: string, count: number): void {
    if (isOver(this.state)) return;
    this.inflight -= count;
    this.hostBatches.push(batch);
    this.pump();
  }

  /** Stops or restarts the wall clock (the host bounds how long it stays stopped). */
  pause(paused: boolean): void {
    if (!isOver(this.state)) this.clock.pause(paused);
  }

  /** Ends the run now (the host's cancel message, or the wall clock while the guest is idle). */
  stop(reason: 'timeout' | 'cancelled'): void {
    if (isOver(this.state)) return;
    this.requestStop(reason);
    this.finish();
  }

  /** running → stopping; the first reason wins, and a run already finishing keeps its outcome. */
  private requestStop(reason: StopReason): void {
    if (this.state.kind === 'running') this.state = moveTo(this.state, { kind: 'stopping', reason });
  }

  private hostCancelled(): boolean {
    return Atomics.load(this.deps.control, 0) === this.req.runId;
  }

  shouldInterrupt(): boolean {
    const { state } = this;
    if (state.kind === 'finishing') return performance.now() > state.describeUntil;
    if (isOver(state)) return true;
    const now = performance.now();
    // Only logs and events: drained calls wait for the pump (it never runs inside the guest).
    if (now - this.lastFlush > OUT_FLUSH_MS && (this.out.logs.length || this.out.events.length) && !this.out.calls.length) this.flush();
    if (this.hostCancelled()) this.requestStop('cancelled');
    else if (this.clock.expired(now)) this.requestStop('timeout');
    return this.state.kind === 'stopping';
  }

  isCancelled(): boolean {
    return stopReasonOf(this.state) !== null || this.hostCancelled();
  }

  onQuota(): void {
    // Also enforced by the host bridge; here it stops a storm of calls that never yields.
    this.requestStop('quota');
  }

  private now(): number {
    return Math.round((performance.now() - this.startPerf) * 1000) / 1000;
  }

  /** Calls queued by the guest since the last drain (see GuestConfig for the format). */
  private drain(): void {
    const { ctx, fns } = this.deps.engine;
    if (!fns || this.state.kind !== 'running') return;
    const r = ctx.callFunction(fns.drain, ctx.undefined);
    if (r.error) return this.recordJobError(r.error);
    const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : '';
    r.value.dispose();
    if (!text) return;
    this.inflight += this.out.addCalls(text);
  }

  onSleep(id: number, ms: number): void {
    if (this.state.kind !== 'running') return;
    // Each pending sleep holds a host timer: their number is a limit, so host memory is bounded.
    if (this.sleeps.size >= this.req.limits.maxPendingSleeps) return this.requestStop('sleeps');
    this.sleeps.add(id, ms);
  }

  onCancelSleep(id: number): void {
    this.sleeps.cancel(id);
  }

  onLog(level: string, text: string, fullLength: number): void {
    this.out.log(level, text, fullLength, this.now());
  }

  onEvent(json: string): void {
    if (this.state.kind === 'running' || this.state.kind === 'stopping') this.out.event(json, this.now());
  }

  onFinish(kind: number, value: string | undefined, message: string | undefined, thrown: QuickJSHandle | undefined): void {
    const { state } = this;
    if (state.kind !== 'running' && state.kind !== 'stopping') {
      thrown?.dispose();
      return;
    }
    if (kind === 1 && thrown) this.thrown = thrown;
    else this.outcome = returnedOutcome(kind, value, message, this.req.limits);
    this.state = moveTo(state, { kind: 'finishing', reason: stopReasonOf(state), describeUntil: 0 });
  }

  /** Pumps until the run waits on something other than tool results it can block for. */
  private pump(): void {
    while (this.pumpOnce());
  }

  /** Settles what arrived, runs the guest's jobs, drains new calls; then reports or finishes.
   *  True when it got a batch from the result slot (the caller pumps again). */
  private pumpOnce(): boolean {
    if (isOver(this.state)) return false;
    const { rt, ctx, fns } = this.deps.engine;
    if (!fns) {
      this.finish();
      return false;
    }
    // Whatever woke us (a result, a sleep), the guest does not go on after its deadline.
    if (this.clock.expired()) this.requestStop('timeout');
    try {
      // Settling can queue more settlements (a cancelled sleep), so loop until nothing is left.
      while (this.state.kind === 'running') {
        for (const batch of this.takeBatches()) {
          const h = ctx.newString(batch);
          const r = ctx.callFunction(fns.settle, ctx.undefined, h);
          h.dispose();
          if (r.error) this.recordJobError(r.error);
          else r.value.dispose();
        }
        const jobs = rt.executePendingJobs(-1);
        if (jobs.error) this.recordJobError(jobs.error);
        this.drain();
        if (!this.localSettled.length && !this.hostBatches.length) break;
      }
    } catch (err) {
      this.hostFault(err);
      return false;
    }
    if (this.state.kind !== 'running' || this.thrown) {
      this.finish();
      return false;
    }
    if (this.inflight <= 0 && this.sleeps.size === 0 && this.localSettled.length === 0) {
      this.finish(true);
      return false;
    }
    return this.blockForResults();
  }

  /** Only tool results can move the run on (no sleep, no paused clock): block on the result slot
   *  instead of a trip through the event loop. The host wakes the block for a cancel or a pause. */
  private blockForResults(): boolean {
    const ms = Math.min(BLOCK_MS, this.clock.remaining() - BLOCK_MARGIN_MS);
    if (this.sleeps.size > 0 || this.inflight <= 0 || this.clock.paused || ms <= 0) {
      this.flush();
      return false;
    }
    // The slot opens before the calls go out, so their results can take it.
    this.deps.results.arm();
    this.flushCalls();
    const got = this.deps.results.wait(ms);
    if (!got || got.runId !== this.req.runId || isOver(this.state)) return false;
    this.inflight -= got.count;
    this.hostBatches.push(got.batch);
    return true;
  }

  private takeBatches(): string[] {
    const out = this.hostBatches;
    this.hostBatches = [];
    if (this.localSettled.length) {
      out.push(`[${this.localSettled.join(',')}]`);
      this.localSettled = [];
    }
    return out;
  }

  private recordJobError(h: QuickJSHandle): void {
    if (!this.thrown && (this.state.kind === 'running' || this.state.kind === 'stopping')) this.thrown = h;
    else h.dispose();
  }

  /** Like flush, but calls alone go through the call slot (no message, one wake-up of the host). */
  private flushCalls(): void {
    const { out } = this;
    if (out.logs.length || out.events.length || !out.calls.length) return this.flush();
    this.lastFlush = performance.now();
    const { calls } = out.take();
    if (this.deps.calls.offer(this.req.runId, calls, out.logBytesDropped)) return;
    this.deps.post({ type: 'out', runId: this.req.runId, calls, logs: [], events: [], logBytesDropped: out.logBytesDropped });
  }

  private flush(): void {
    if (this.out.isEmpty()) return;
    this.lastFlush = performance.now();
    this.deps.post({ type: 'out', runId: this.req.runId, ...this.out.take(), logBytesDropped: this.out.logBytesDropped });
  }

  /** Decides the outcome (describing a thrown value in the guest if needed) and completes. */
  private finish(neverSettles = false): void {
    const { state } = this;
    if (isOver(state)) return;
    // An outcome reached after the deadline (the interrupt handler polls, timers run late) is a
    // timeout: nothing ends `ok` after its time.
    const at = performance.now();
    let reason = stopReasonOf(state);
    if (!reason && this.clock.expired(at)) reason = 'timeout';
    this.endedAt = at;
    this.state = moveTo(state, { kind: 'finishing', reason, describeUntil: 0 });
    let outcome = this.outcome;
    if (reason) outcome = stopError(reason, this.req.limits);
    else if (!outcome && this.thrown) {
      this.state = moveTo(this.state, { kind: 'finishing', reason, describeUntil: performance.now() + DESCRIBE_MS });
      const described = describeThrown(this.deps.engine, this.thrown, this.req);
      if (!described.engineOk) return this.complete(described.outcome, 'broken');
      outcome = described.outcome;
    } else if (!outcome && neverSettles) outcome = stopError('never_settles', this.req.limits);
    outcome ??= { ok: false, error: runError('sandbox_crashed', 'The sandbox ended the run without an outcome (a bug in ToolWeaver).') };
    this.complete(outcome);
  }

  private hostFault(err: unknown): void {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const overflow = err instanceof RangeError && /call stack/i.test(err.message);
    const error = overflow
      ? runError('stack_overflow', `The script recursed too deeply for the sandbox's stack (${this.req.limits.stackKb} KiB). Reduce the recursion depth.`)
      : runError('sandbox_crashed', `The sandbox engine failed: ${text.slice(0, 2000)}. The engine was discarded; the next run uses a fresh one.`);
    this.complete({ ok: false, error, ...(overflow ? { limitHit: 'stackKb' as const } : {}) }, 'broken');
  }

  /** Posts the outcome (→ done, or → broken when the engine must be abandoned), then disposes. */
  private complete(outcome: GuestOutcome, end: 'done' | 'broken' = 'done'): void {
    if (isOver(this.state)) return;
    this.state = moveTo(this.state, { kind: end });
    const endPerf = this.endedAt ?? performance.now();
    this.clock.clear();
    this.sleeps.clear();
    const rest = this.out.take();
    this.deps.post({
      type: 'done',
      runId: this.req.runId,
      outcome,
      durationMs: Math.round((endPerf - this.clockStart) * 1000) / 1000,
      logs: rest.logs,
      events: rest.events,
      logBytesDropped: this.out.logBytesDropped,
      warnings: [],
    });
    // Reset or disposal comes after the outcome is on its way (it is not the caller's time).
    // A broken engine is abandoned: nothing of it is touched again.
    const released = end === 'broken' ? { reusable: false } : this.deps.engine.release([this.thrown, this.script]);
    if (released.warning) this.deps.post({ type: 'warning', message: released.warning });
    this.onDone(released.reusable);
  }
}
