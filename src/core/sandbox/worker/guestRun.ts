// One script run inside a worker, on an Engine prepared for it: configures the prelude, compiles
// and starts the script, then pumps (settle results → run jobs → drain new calls) until the guest
// finishes, the clock runs out, the host cancels or nothing can settle. Invariants: the run
// reports exactly one outcome; the guest never continues past its deadline (every wake-up, result
// delivery and finish checks it, so nothing ends `ok` late); after a host-side exception the engine
// is abandoned (never disposed or reused); otherwise every handle is disposed after the outcome is
// posted.

import type { QuickJSHandle } from 'quickjs-emscripten-core';
import type { Engine, EngineTarget } from './engine';
import { GuestOutput } from './guestOutput';
import { jsonDepth } from '../json';
import { MAX_MESSAGE_BYTES, MAX_TIMER_MS, MAX_VALUE_DEPTH } from '../limits';
import { classifyThrown, stopError, type GuestDescription } from '../outcome';
import type { GuestOutcome, RunRequest, WorkerToHost } from '../protocol';
import { SCRIPT_FILE, scriptColumn, syntaxError } from '../source';
import type { GuestConfig } from '../guestApi';
import { runError } from '../runErrors';

/** Why the guest was stopped: see stopError. */
type StopReason = 'timeout' | 'cancelled' | 'quota' | 'sleeps';

/** Time a thrown value's description may take (its getters are guest code). */
const DESCRIBE_MS = 200;
/** While the guest runs without yielding, logs and events go to the host this often (from the
 *  interrupt handler), so a host that answers a timeout before the worker reports has them. */
const OUT_FLUSH_MS = 50;

export interface GuestRunDeps {
  engine: Engine;
  /** The script already wrapped and stripped (see prepareSource). */
  code: string;
  control: Int32Array;
  post(msg: WorkerToHost): void;
}

export class GuestRun implements EngineTarget {
  private thrown?: QuickJSHandle;
  private script?: QuickJSHandle;
  private outcome?: GuestOutcome;
  private finishing = false;
  private describeUntil = 0;
  private stopReason: StopReason | null = null;
  private done = false;
  private broken = false;
  /** performance.now() when the wall clock runs out; moves later after a pause. */
  private deadline: number;
  /** performance.now() when the host paused the clock (an approval prompt is open). */
  private pausedAt: number | null = null;
  private readonly startPerf: number;
  /** performance.now() when the script's clock started (the run's durationMs counts from here). */
  private readonly clockStart: number;
  private timer?: NodeJS.Timeout;
  private inflight = 0;
  private readonly sleeps = new Map<number, NodeJS.Timeout>();
  private localSettled: string[] = [];
  private lastFlush = 0;
  /** When finish() decided the outcome (the run's end, for durationMs). */
  private endedAt?: number;
  private hostBatches: string[] = [];
  private readonly out: GuestOutput;

  constructor(
    private readonly req: RunRequest,
    private readonly deps: GuestRunDeps,
    private readonly onDone: () => void,
  ) {
    this.startPerf = req.startEpochMs - performance.timeOrigin;
    // The script's clock starts now, not when the host asked: waiting for a cold worker or an
    // engine is not the script's time. The host's backstop restarts on the 'started' message.
    this.clockStart = performance.now();
    this.deadline = this.clockStart + req.limits.timeoutMs;
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
    if (Atomics.load(this.deps.control, 0) === this.req.runId) return this.complete(stopError('cancelled', this.req.limits));
    try {
      this.boot();
    } catch (err) {
      if (this.stopReason) return this.finish();
      return this.hostFault(err);
    }
    if (this.pausedAt === null) this.armClock();
    this.pump();
  }

  /** Tool results from the host. */
  results(batch: string, count: number): void {
    if (this.done) return;
    this.inflight -= count;
    this.hostBatches.push(batch);
    this.pump();
  }

  /** Stops or restarts the wall clock (the host bounds how long it stays stopped). */
  pause(paused: boolean): void {
    if (this.done) return;
    if (paused) {
      if (this.pausedAt !== null) return;
      this.pausedAt = performance.now();
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.pausedAt === null) return;
    this.deadline += performance.now() - this.pausedAt;
    this.pausedAt = null;
    this.armClock();
  }

  private armClock(): void {
    clearTimeout(this.timer);
    // Node computes a timer's expiry from the event loop's cached time, so it can fire a little
    // early: re-arm for the rest rather than end the run before its deadline.
    this.timer = setTimeout(() => (this.expired() ? this.stop('timeout') : this.armClock()), Math.max(0, this.deadline - performance.now()));
  }

  /** The wall clock ran out (never while paused). */
  private expired(): boolean {
    return this.pausedAt === null && performance.now() >= this.deadline;
  }

  /** Ends the run now (the host's cancel message, or the wall clock while the guest is idle). */
  stop(reason: 'timeout' | 'cancelled'): void {
    if (this.done) return;
    if (!this.finishing) this.stopReason ??= reason;
    this.finish();
  }

  private boot(): void {
    const { rt, ctx, fns } = this.deps.engine;
    if (!fns) throw new Error('The engine has no prelude functions.');
    const { limits, layout } = this.req;
    rt.setMaxStackSize(limits.stackKb * 1024);
    const config: GuestConfig = { layout, maxResultBytes: limits.maxResultBytes, maxLogBytes: limits.maxLogBytes, maxToolCalls: limits.maxToolCalls, captureLines: true };
    const cfg = ctx.newString(JSON.stringify(config));
    const configured = ctx.callFunction(fns.configure, ctx.undefined, cfg);
    cfg.dispose();
    if (configured.error) {
      configured.error.dispose();
      throw new Error('The sandbox prelude could not be configured.');
    }
    configured.value.dispose();
    const compiled = ctx.evalCode(this.deps.code, SCRIPT_FILE);
    if (compiled.error) {
      this.thrown = compiled.error;
      return;
    }
    this.script = compiled.value;
    const started = ctx.callFunction(fns.start, ctx.undefined, compiled.value);
    if (started.error) this.recordJobError(started.error);
    else started.value.dispose();
  }

  shouldInterrupt(): boolean {
    if (this.finishing) return performance.now() > this.describeUntil;
    const now = performance.now();
    // Only logs and events: drained calls wait for the pump (it never runs inside the guest).
    if (now - this.lastFlush > OUT_FLUSH_MS && (this.out.logs.length || this.out.events.length) && !this.out.calls.length) this.flush();
    if (Atomics.load(this.deps.control, 0) === this.req.runId) this.stopReason ??= 'cancelled';
    else if (this.pausedAt === null && now >= this.deadline) this.stopReason ??= 'timeout';
    return this.stopReason !== null;
  }

  isCancelled(): boolean {
    return this.stopReason !== null || Atomics.load(this.deps.control, 0) === this.req.runId;
  }

  onQuota(): void {
    // Also enforced by the host bridge; here it stops a storm of calls that never yields.
    if (!this.finishing) this.stopReason ??= 'quota';
  }

  private now(): number {
    return Math.round((performance.now() - this.startPerf) * 1000) / 1000;
  }

  /** Calls queued by the guest since the last drain (see GuestConfig for the format). */
  private drain(): void {
    const { ctx, fns } = this.deps.engine;
    if (!fns || this.finishing || this.stopReason) return;
    const r = ctx.callFunction(fns.drain, ctx.undefined);
    if (r.error) return this.recordJobError(r.error);
    const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : '';
    r.value.dispose();
    if (!text) return;
    this.out.calls.push(text);
    let parts = 1;
    for (let i = text.indexOf('\u0001'); i !== -1; i = text.indexOf('\u0001', i + 1)) parts++;
    this.inflight += parts >> 1;
  }

  onSleep(id: number, ms: number): void {
    if (this.finishing || this.stopReason) return;
    // Each pending sleep holds a host timer: their number is a limit, so host memory is bounded.
    if (this.sleeps.size >= this.req.limits.maxPendingSleeps) {
      this.stopReason = 'sleeps';
      return;
    }
    this.armSleep(id, performance.now() + Math.max(0, ms));
  }

  /** A sleep that would wake after the deadline is not clamped: the clock's own timer ends the run
   *  first, and a wake-up after the deadline never lets the guest continue (see pump). */
  private armSleep(id: number, wakeAt: number): void {
    const wait = Math.min(Math.max(0, wakeAt - performance.now()), MAX_TIMER_MS);
    this.sleeps.set(
      id,
      setTimeout(() => {
        if (!this.sleeps.has(id)) return;
        // Early (the loop's cached time) or cut at MAX_TIMER_MS: wait for the rest.
        if (performance.now() < wakeAt - 1) return this.armSleep(id, wakeAt);
        this.sleeps.delete(id);
        this.localSettled.push(`[${id},2]`);
        this.pump();
      }, wait),
    );
  }

  onCancelSleep(id: number): void {
    const t = this.sleeps.get(id);
    if (!t) return;
    clearTimeout(t);
    this.sleeps.delete(id);
    this.localSettled.push(`[${id},2]`);
  }

  onLog(level: string, text: string, fullLength: number): void {
    this.out.log(level, text, fullLength, this.now());
  }

  onEvent(json: string): void {
    if (!this.finishing) this.out.event(json, this.now());
  }

  onFinish(kind: number, value: string | undefined, message: string | undefined, thrown: QuickJSHandle | undefined): void {
    if (this.finishing) {
      thrown?.dispose();
      return;
    }
    const { maxResultBytes } = this.req.limits;
    if (kind === 0) {
      const bytes = value === undefined ? 0 : Buffer.byteLength(value);
      if (bytes > maxResultBytes) {
        this.outcome = stopError('result_too_large', this.req.limits, `The script's return value is ${bytes} bytes of JSON, over the ${maxResultBytes}-byte limit. Return a summary, or raise maxResultBytes.`);
      } else if (value !== undefined && jsonDepth(value) > MAX_VALUE_DEPTH) {
        this.outcome = stopError('not_serializable', this.req.limits, `The script's return value is nested more than ${MAX_VALUE_DEPTH} levels deep. Return flatter data.`);
      } else this.outcome = value === undefined ? { ok: true } : { ok: true, valueJson: value };
    } else if (kind === 1 && thrown) {
      this.thrown = thrown;
    } else {
      const code = value === 'result_too_large' ? 'result_too_large' : 'not_serializable';
      this.outcome = stopError(code, this.req.limits, message ?? 'The script\'s return value could not be converted to JSON.');
    }
    this.finishing = true;
    this.describeUntil = 0;
  }

  /** Settles what arrived, runs the guest's jobs, drains new calls; then reports or finishes. */
  private pump(): void {
    if (this.done) return;
    const { rt, ctx, fns } = this.deps.engine;
    if (!fns) return this.finish();
    // Whatever woke us (a result, a sleep), the guest does not go on after its deadline.
    if (!this.finishing && this.expired()) this.stopReason ??= 'timeout';
    try {
      // Settling can queue more settlements (a cancelled sleep), so loop until nothing is left.
      while (!this.finishing && !this.stopReason) {
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
      return this.hostFault(err);
    }
    if (this.finishing || this.stopReason || this.thrown) return this.finish();
    if (this.inflight <= 0 && this.sleeps.size === 0 && this.localSettled.length === 0) return this.finish(true);
    this.flush();
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
    if (!this.thrown && !this.finishing) this.thrown = h;
    else h.dispose();
  }

  private flush(): void {
    if (this.out.isEmpty()) return;
    this.lastFlush = performance.now();
    this.deps.post({ type: 'out', runId: this.req.runId, ...this.out.take(), logBytesDropped: this.out.logBytesDropped });
  }

  /** Decides the outcome (describing a thrown value in the guest if needed) and completes. */
  private finish(neverSettles = false): void {
    if (this.done) return;
    // An outcome reached after the deadline (the interrupt handler polls, timers run late) is a
    // timeout: nothing ends `ok` after its time.
    const at = performance.now();
    if (!this.stopReason && this.pausedAt === null && at >= this.deadline) this.stopReason = 'timeout';
    this.endedAt = at;
    this.finishing = true;
    let outcome = this.outcome;
    if (this.stopReason) outcome = stopError(this.stopReason, this.req.limits);
    else if (!outcome && this.thrown) outcome = this.describeThrown(this.thrown);
    else if (!outcome && neverSettles) outcome = stopError('never_settles', this.req.limits);
    outcome ??= { ok: false, error: runError('sandbox_crashed', 'The sandbox ended the run without an outcome (a bug in ToolWeaver).') };
    this.complete(outcome);
  }

  private describeThrown(h: QuickJSHandle): GuestOutcome {
    const { ctx, fns, heap } = this.deps.engine;
    if (!fns) return { ok: false, error: runError('guest_error', 'The script failed.') };
    try {
      this.describeUntil = performance.now() + DESCRIBE_MS;
      const r = ctx.callFunction(fns.describe, ctx.undefined, h);
      let desc: GuestDescription | undefined;
      if (r.error) r.error.dispose();
      else {
        const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : undefined;
        r.value.dispose();
        desc = text === undefined ? undefined : (JSON.parse(text) as GuestDescription);
      }
      // A compile error's stack is `at script.ts:L:C` without a function frame.
      if (desc?.name === 'SyntaxError' && desc.stack && !desc.stack.includes('(script.ts')) {
        const m = /script\.ts:(\d+):(\d+)/.exec(desc.stack);
        if (m) return { ok: false, error: syntaxError(this.req.source, desc.message ?? 'invalid syntax', Number(m[1]), scriptColumn(Number(m[1]), Number(m[2]))) };
      }
      return classifyThrown(desc, () => heap.exhausted, this.req.limits);
    } catch (err) {
      this.broken = true;
      return { ok: false, error: runError('sandbox_crashed', `The sandbox failed while reading the script's error: ${String(err).slice(0, MAX_MESSAGE_BYTES)}`) };
    }
  }

  private hostFault(err: unknown): void {
    this.broken = true;
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const overflow = err instanceof RangeError && /call stack/i.test(err.message);
    const error = overflow
      ? runError('stack_overflow', `The script recursed too deeply for the sandbox's stack (${this.req.limits.stackKb} KiB). Reduce the recursion depth.`)
      : runError('sandbox_crashed', `The sandbox engine failed: ${text.slice(0, 2000)}. The engine was discarded; the next run uses a fresh one.`);
    this.complete({ ok: false, error, ...(overflow ? { limitHit: 'stackKb' as const } : {}) });
  }

  private complete(outcome: GuestOutcome): void {
    if (this.done) return;
    this.done = true;
    this.finishing = true;
    const endPerf = this.endedAt ?? performance.now();
    clearTimeout(this.timer);
    for (const t of this.sleeps.values()) clearTimeout(t);
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
    // Disposal comes after the outcome is on its way (it is not the caller's time).
    const warning = this.broken ? undefined : this.deps.engine.dispose([this.thrown, this.script]);
    if (warning) this.deps.post({ type: 'warning', message: warning });
    this.onDone();
  }
}
