// One script run inside a worker: a fresh QuickJS runtime and context on a fresh module, the host
// API for the prelude, and the pump that settles tool results. Invariants: every handle is
// disposed before the context (leaks abort dispose); after a host-side exception or a WASM abort
// the module is abandoned, never disposed or reused; the run reports exactly one outcome.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { jsonDepth } from './json';
import { MAX_EVENT_DEPTH, MAX_MESSAGE_BYTES, MAX_VALUE_DEPTH } from './limits';
import { classifyThrown, stopError, type GuestDescription } from './outcome';
import type { DoneMessage, GuestCall, GuestOutcome, RunRequest, WorkerToHost } from './protocol';
import { prepareSource, SCRIPT_FILE, scriptColumn, syntaxError } from './source';
import type { LogEntry, LogLevel, RunEvent } from './types';
import type { GuestConfig } from './guest/hostApi';

const LEVELS = new Set<LogLevel>(['log', 'info', 'warn', 'error', 'debug']);
/** Time a thrown value's description may take (its getters are guest code). */
const DESCRIBE_MS = 200;

export interface GuestRunDeps {
  module: QuickJSWASMModule;
  /** Set by the worker's fixed memory when malloc asked for more than there is. */
  heap: { exhausted: boolean };
  prelude: string;
  control: Int32Array;
  post(msg: WorkerToHost): void;
}

export class GuestRun {
  /** True when the module was never touched (a syntax error): it may serve the next run. */
  moduleUnused = true;
  /** True after a host-side exception: the module must be dropped without dispose. */
  broken = false;
  private rt?: QuickJSRuntime;
  private ctx?: QuickJSContext;
  private handles: QuickJSHandle[] = [];
  private settleFn?: QuickJSHandle;
  private startFn?: QuickJSHandle;
  private describeFn?: QuickJSHandle;
  private thrown?: QuickJSHandle;
  private outcome?: GuestOutcome;
  private finishing = false;
  private describeUntil = 0;
  private stopReason: 'timeout' | 'cancelled' | 'quota' | null = null;
  private callCount = 0;
  private done = false;
  private readonly deadline: number;
  private readonly startPerf: number;
  private timer?: NodeJS.Timeout;
  private inflight = 0;
  private readonly sleeps = new Map<number, NodeJS.Timeout>();
  private localSettled: string[] = [];
  private hostBatches: string[] = [];
  private calls: GuestCall[] = [];
  private logs: LogEntry[] = [];
  private events: RunEvent[] = [];
  private logBytes = 0;
  private logBytesDropped = 0;
  private readonly warnings: string[] = [];
  private jobError?: string;

  constructor(
    private readonly req: RunRequest,
    private readonly deps: GuestRunDeps,
    private readonly onDone: (run: GuestRun) => void,
  ) {
    this.startPerf = req.startEpochMs - performance.timeOrigin;
    // The script's clock starts now, not when the host asked: waiting for a cold worker or a
    // module is not the script's time. The host's backstop restarts on the 'started' message.
    this.deadline = performance.now() + req.limits.timeoutMs;
  }

  get runId(): number {
    return this.req.runId;
  }

  /** Compiles and starts the script; later progress comes from `results`, `cancel` and timers. */
  start(): void {
    if (Atomics.load(this.deps.control, 0) === this.req.runId) return this.complete(stopError('cancelled', this.req.limits));
    const prepared = prepareSource(this.req.source, this.req.language);
    if (!prepared.ok) return this.complete({ ok: false, error: prepared.error });
    this.moduleUnused = false;
    this.deps.post({ type: 'started', runId: this.req.runId });
    try {
      this.boot(prepared.code);
    } catch (err) {
      // The clock or a cancel can interrupt the prelude itself; that is not an engine fault.
      if (this.stopReason) return this.finish();
      this.hostFault(err);
      return;
    }
    const remaining = this.deadline - performance.now();
    this.timer = setTimeout(() => this.stop('timeout'), Math.max(0, remaining));
    this.pump();
  }

  /** Tool results from the host. */
  results(batch: string, count: number): void {
    if (this.done) return;
    this.inflight -= count;
    this.hostBatches.push(batch);
    this.pump();
  }

  /** Ends the run now (the host's cancel message, or the wall clock while the guest is idle). */
  stop(reason: 'timeout' | 'cancelled'): void {
    if (this.done) return;
    if (!this.finishing) this.stopReason ??= reason;
    this.finish();
  }

  private boot(code: string): void {
    const { module, prelude } = this.deps;
    const { limits } = this.req;
    const rt = (this.rt = module.newRuntime());
    rt.setMaxStackSize(limits.stackKb * 1024);
    // No setMemoryLimit: QuickJS's malloc accounting is wrong in this build (no
    // malloc_usable_size); the fixed WebAssembly.Memory is the cap.
    rt.setInterruptHandler(() => this.shouldInterrupt());
    const ctx = (this.ctx = rt.newContext());
    this.installHostApi(ctx);
    const preludeResult = ctx.evalCode(prelude, 'prelude.js');
    if (preludeResult.error) {
      const text = this.describeHandle(preludeResult.error);
      preludeResult.error.dispose();
      throw new Error(`The sandbox prelude failed: ${text}`);
    }
    preludeResult.value.dispose();
    if (!this.startFn || !this.settleFn || !this.describeFn) throw new Error('The sandbox prelude did not register.');
    const compiled = ctx.evalCode(code, SCRIPT_FILE);
    if (compiled.error) {
      const err = compiled.error;
      this.thrown = err;
      return;
    }
    this.handles.push(compiled.value);
    const started = ctx.callFunction(this.startFn, ctx.undefined, compiled.value);
    if (started.error) this.recordJobError(started.error);
    else started.value.dispose();
  }

  private installHostApi(ctx: QuickJSContext): void {
    const api = ctx.newObject();
    const fn = (name: string, impl: (...args: QuickJSHandle[]) => QuickJSHandle | undefined) => {
      const h = ctx.newFunction(name, (...args) => {
        try {
          return impl(...args);
        } catch (err) {
          this.warnings.push(`host function ${name} failed: ${String(err)}`);
          return undefined;
        }
      });
      ctx.setProp(api, name, h);
      h.dispose();
    };
    fn('call', (header, payload) => {
      if (this.finishing || !header || !payload) return undefined;
      this.pushCall(ctx.getString(header), ctx.getString(payload));
      return undefined;
    });
    fn('sleep', (id, ms) => {
      if (this.finishing || !id || !ms) return undefined;
      this.sleep(ctx.getNumber(id), ctx.getNumber(ms));
      return undefined;
    });
    fn('cancelSleep', (id) => {
      if (id) this.cancelSleep(ctx.getNumber(id));
      return undefined;
    });
    fn('log', (level, text, full) => {
      if (level && text && full) this.log(ctx.getString(level), ctx.getString(text), ctx.getNumber(full));
      return undefined;
    });
    fn('event', (json) => {
      if (json && !this.finishing) this.event(ctx.getString(json));
      return undefined;
    });
    fn('finish', (kind, a, b) => {
      if (this.finishing || !kind) return undefined;
      this.guestFinished(ctx, ctx.getNumber(kind), a, b);
      return undefined;
    });
    fn('cancelled', () => (this.stopReason || Atomics.load(this.deps.control, 0) === this.req.runId ? ctx.true : ctx.false));
    fn('register', (settle, start, describe) => {
      if (this.startFn || !settle || !start || !describe) return undefined;
      this.settleFn = settle.dup();
      this.startFn = start.dup();
      this.describeFn = describe.dup();
      return undefined;
    });
    ctx.setProp(ctx.global, '__tw', api);
    api.dispose();
    const config: GuestConfig = {
      layout: this.req.layout,
      maxResultBytes: this.req.limits.maxResultBytes,
      maxLogBytes: this.req.limits.maxLogBytes,
      captureLines: true,
    };
    const configHandle = ctx.newString(JSON.stringify(config));
    ctx.setProp(ctx.global, '__tw_config', configHandle);
    configHandle.dispose();
  }

  private shouldInterrupt(): boolean {
    if (this.finishing) return performance.now() > this.describeUntil;
    if (Atomics.load(this.deps.control, 0) === this.req.runId) this.stopReason ??= 'cancelled';
    else if (performance.now() > this.deadline) this.stopReason ??= 'timeout';
    return this.stopReason !== null;
  }

  private now(): number {
    return Math.round((performance.now() - this.startPerf) * 1000) / 1000;
  }

  private pushCall(header: string, payload: string): void {
    // Also enforced by the host bridge; here it stops a storm of calls that never yields.
    if (++this.callCount > this.req.limits.maxToolCalls) {
      this.stopReason ??= 'quota';
      return;
    }
    const [id, index, line, parent, kind] = header.split(',');
    const call: GuestCall = [
      Number(id),
      Number(index),
      kind === 'a' ? payload : null,
      parent ? parent : null,
      line ? Number(line) : null,
      kind === 'a' ? null : payload,
    ];
    this.calls.push(call);
    this.inflight++;
  }

  private sleep(id: number, ms: number): void {
    const wait = Math.min(Math.max(0, ms), Math.max(0, this.deadline - performance.now()) + 1);
    this.sleeps.set(
      id,
      setTimeout(() => {
        if (!this.sleeps.delete(id)) return;
        this.localSettled.push(`[${id},2]`);
        this.pump();
      }, wait),
    );
  }

  private cancelSleep(id: number): void {
    const t = this.sleeps.get(id);
    if (!t) return;
    clearTimeout(t);
    this.sleeps.delete(id);
    this.localSettled.push(`[${id},2]`);
  }

  private log(level: string, text: string, fullLength: number): void {
    const lvl = LEVELS.has(level as LogLevel) ? (level as LogLevel) : 'log';
    const budget = this.req.limits.maxLogBytes - this.logBytes;
    let kept = text;
    let bytes = Buffer.byteLength(kept);
    if (bytes > budget) {
      kept = Buffer.from(kept).subarray(0, Math.max(0, budget)).toString('utf8').replace(/\uFFFD$/, '');
      bytes = Buffer.byteLength(kept);
    }
    this.logBytesDropped += Math.max(0, Buffer.byteLength(text) - bytes) + Math.max(0, fullLength - text.length);
    if (budget <= 0) return;
    this.logBytes += bytes;
    this.logs.push({ level: lvl, t: this.now(), text: kept });
  }

  private event(json: string): void {
    if (jsonDepth(json) > MAX_EVENT_DEPTH) return;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(json) as Record<string, unknown>;
    } catch {
      return;
    }
    if ((e.type !== 'helper.start' && e.type !== 'helper.end') || typeof e.spanId !== 'string') return;
    if (e.parentId === null) delete e.parentId;
    e.t = this.now();
    this.events.push(e as unknown as RunEvent);
  }

  private guestFinished(ctx: QuickJSContext, kind: number, a?: QuickJSHandle, b?: QuickJSHandle): void {
    if (kind === 0) {
      const json = a && ctx.typeof(a) === 'string' ? ctx.getString(a) : undefined;
      if (json !== undefined && Buffer.byteLength(json) > this.req.limits.maxResultBytes) {
        const error = { name: 'ResultTooLargeError', code: 'result_too_large' as const, message: `The script's return value is ${Buffer.byteLength(json)} bytes of JSON, over the ${this.req.limits.maxResultBytes}-byte limit. Return a summary or raise maxResultBytes.` };
        this.outcome = { ok: false, error, limitHit: 'maxResultBytes' };
      } else if (json !== undefined && jsonDepth(json) > MAX_VALUE_DEPTH) {
        const error = { name: 'NotSerializableError', code: 'not_serializable' as const, message: `The script's return value is nested more than ${MAX_VALUE_DEPTH} levels deep. Return flatter data.` };
        this.outcome = { ok: false, error };
      } else this.outcome = json === undefined ? { ok: true } : { ok: true, valueJson: json };
    } else if (kind === 1) {
      this.thrown = a?.dup();
    } else {
      const code = a ? ctx.getString(a) : 'not_serializable';
      const message = b ? ctx.getString(b) : 'The script\'s return value could not be converted to JSON.';
      const c = code === 'result_too_large' ? 'result_too_large' : 'not_serializable';
      this.outcome = { ok: false, error: { name: c === 'result_too_large' ? 'ResultTooLargeError' : 'NotSerializableError', code: c, message }, ...(c === 'result_too_large' ? { limitHit: 'maxResultBytes' as const } : {}) };
    }
    this.finishing = true;
    this.describeUntil = 0;
  }

  /** Settles what arrived, runs the guest's jobs, then reports or finishes. */
  private pump(): void {
    if (this.done) return;
    const ctx = this.ctx;
    const rt = this.rt;
    if (!ctx || !rt || !this.settleFn) return this.finish();
    try {
      // Settling can queue more settlements (a cancelled sleep), so loop until nothing is left.
      while (!this.finishing && !this.stopReason) {
        for (const batch of this.takeBatches()) {
          const h = ctx.newString(batch);
          const r = ctx.callFunction(this.settleFn, ctx.undefined, h);
          h.dispose();
          if (r.error) this.recordJobError(r.error);
          else r.value.dispose();
        }
        const jobs = rt.executePendingJobs(-1);
        if (jobs.error) this.recordJobError(jobs.error);
        if (!this.localSettled.length && !this.hostBatches.length) break;
      }
    } catch (err) {
      this.hostFault(err);
      return;
    }
    if (this.finishing || this.stopReason || this.jobError !== undefined || this.thrown) return this.finish();
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
    this.jobError ??= 'job';
  }

  private flush(): void {
    if (!this.calls.length && !this.logs.length && !this.events.length) return;
    this.deps.post({ type: 'out', runId: this.req.runId, calls: this.calls, logs: this.logs, events: this.events });
    this.calls = [];
    this.logs = [];
    this.events = [];
  }

  /** Decides the outcome (describing a thrown value in the guest if needed) and completes. */
  private finish(neverSettles = false): void {
    if (this.done) return;
    this.finishing = true;
    let outcome = this.outcome;
    if (this.stopReason) outcome = stopError(this.stopReason, this.req.limits);
    else if (!outcome && this.thrown) outcome = this.describeThrown(this.thrown);
    else if (!outcome && neverSettles) outcome = stopError('never_settles', this.req.limits);
    outcome ??= { ok: false, error: { name: 'SandboxError', code: 'sandbox_crashed', message: 'The sandbox ended the run without an outcome (a bug in ToolWeaver).' } };
    this.complete(outcome);
  }

  private describeThrown(h: QuickJSHandle): GuestOutcome {
    const ctx = this.ctx;
    const rt = this.rt;
    if (!ctx || !rt || !this.describeFn) return { ok: false, error: { name: 'Error', code: 'guest_error', message: 'The script failed.' } };
    try {
      this.describeUntil = performance.now() + DESCRIBE_MS;
      const r = ctx.callFunction(this.describeFn, ctx.undefined, h);
      let desc: GuestDescription | undefined;
      if (r.error) r.error.dispose();
      else {
        const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : undefined;
        r.value.dispose();
        desc = text === undefined ? undefined : (JSON.parse(text) as GuestDescription);
      }
      if (desc?.name === 'SyntaxError' && desc.stack && !/\(script\.ts/.test(desc.stack)) {
        const m = /script\.ts:(\d+):(\d+)/.exec(desc.stack);
        const line = m ? Number(m[1]) : undefined;
        const col = m ? scriptColumn(Number(m[1]), Number(m[2])) : undefined;
        if (line !== undefined) return { ok: false, error: syntaxError(this.req.source, desc.message ?? 'invalid syntax', line, col) };
      }
      return classifyThrown(desc, () => this.memoryPressure(), this.req.limits);
    } catch (err) {
      this.broken = true;
      return { ok: false, error: { name: 'SandboxError', code: 'sandbox_crashed', message: `The sandbox failed while reading the script's error: ${String(err).slice(0, MAX_MESSAGE_BYTES)}` } };
    }
  }

  /** True when the guest's malloc ran out of memory during this run (a thrown `null` is then
   *  QuickJS failing to allocate its own out-of-memory error). */
  private memoryPressure(): boolean {
    return this.deps.heap.exhausted;
  }

  private describeHandle(h: QuickJSHandle): string {
    try {
      return JSON.stringify(this.ctx?.dump(h)).slice(0, 1000);
    } catch {
      return 'unknown error';
    }
  }

  private hostFault(err: unknown): void {
    this.broken = true;
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const overflow = err instanceof RangeError && /call stack/i.test(err.message);
    const error = overflow
      ? { name: 'StackOverflowError', code: 'stack_overflow' as const, message: `The script recursed too deeply for the sandbox's stack (${this.req.limits.stackKb} KiB). Reduce the recursion depth.` }
      : { name: 'SandboxError', code: 'sandbox_crashed' as const, message: `The sandbox engine failed: ${text.slice(0, 2000)}. The engine was discarded; the next run uses a fresh one.` };
    this.complete({ ok: false, error, ...(overflow ? { limitHit: 'stackKb' as const } : {}) });
  }

  private complete(outcome: GuestOutcome): void {
    if (this.done) return;
    this.done = true;
    this.finishing = true;
    clearTimeout(this.timer);
    for (const t of this.sleeps.values()) clearTimeout(t);
    this.sleeps.clear();
    if (!this.broken) this.dispose();
    const msg: DoneMessage = {
      type: 'done',
      runId: this.req.runId,
      outcome,
      calls: this.calls,
      logs: this.logs,
      events: this.events,
      logBytesDropped: this.logBytesDropped,
      warnings: this.warnings,
    };
    this.deps.post(msg);
    this.onDone(this);
  }

  private dispose(): void {
    try {
      for (const h of [this.thrown, this.settleFn, this.startFn, this.describeFn, ...this.handles]) {
        if (h?.alive) h.dispose();
      }
      this.ctx?.dispose();
      this.rt?.dispose();
    } catch (err) {
      this.broken = true;
      this.warnings.push(`QuickJS dispose failed (a handle leak in ToolWeaver): ${String(err)}`);
    }
  }
}

