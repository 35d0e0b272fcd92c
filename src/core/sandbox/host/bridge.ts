// The host half of the tool bridge: takes the guest's calls, checks them, applies the run's quota,
// concurrency cap, cache and server limits, calls the ToolInvoker and batches results per turn.
// Invariant: every accepted call is answered exactly once (or abandoned when the run ends).

import type { Catalog } from '../../catalog/types';
import { ToolError } from '../../errors';
import type { ToolCallRequest, ToolInvoker } from '../../ports';
import { callHostFunction, hostFunctionName, type HostCallResult } from './hostFunctions';
import { canonicalJson, maxJsonDepth } from '../json';
import { ApprovalPause } from './approvalPause';
import { CallClock } from './callClock';
import { Deadlines } from './deadlines';
import type { IdempotencyKeys, SpanStart } from './idempotency';
import { checkArgs, encodeReply, errorInfo, info, parseCall, parseHostArgs, type Outcome } from './guestCalls';
import type { GuestCall, GuestToolErrorInfo } from '../protocol';
import type { ServerLimiter, Release } from './rateLimit';
import type { ToolEntry, ToolTable } from './toolTable';
import type { ServerLimits } from '../../catalog/types';
import type { LlmHook, RunEvent, RunLimits, ToolDiscovery } from '../types';

export interface BridgeDeps {
  table: ToolTable;
  invoker: ToolInvoker;
  limits: RunLimits;
  cache: boolean;
  limiter: ServerLimiter;
  /** Per server name; wins over the catalog servers' own `limits`. */
  serverLimits?: Record<string, ServerLimits>;
  /** Milliseconds since the run started. */
  now(): number;
  emit?: (event: RunEvent) => void;
  /** Delivers settled calls to the guest: JSON text of `[[id, 1, value] | [id, 0, info]]`. */
  send(batch: string, count: number): void;
  /** The run made more calls than maxToolCalls: the run must end. */
  onQuota(): void;
  /** The run's catalog (its servers' `limits`). */
  catalog?: Catalog;
  /** Backs tools.search / tools.describe in the guest (RunOptions.discovery). */
  discovery?: ToolDiscovery;
  /** Backs llm() in the guest; absent = llm() rejects with LLM_UNAVAILABLE_MESSAGE. */
  llm?: LlmHook;
  /** Stops (true) / restarts (false) the run's wall clock while approval prompts are open. */
  pause?(paused: boolean): void;
  /** Most total pause per run (ms); 0 = never pause. */
  maxPauseMs?: number;
  /** Assigns each call its idempotency key; fed every helper span through `observe`. */
  keys: IdempotencyKeys;
}

interface Queued {
  id: number;
  entry: ToolEntry;
  args: Record<string, unknown>;
  line: number | null;
  idempotencyKey: string;
  done: (o: Outcome) => void;
}

export class ToolBridge {
  readonly stats = { toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0 };
  private closed = false;
  /** Ids of guest calls: 1, 2, 3… in issue order, as the prelude numbers them. */
  private callIds = 0;
  private running = 0;
  private invoking = 0;
  private readonly queue: Queued[] = [];
  private readonly active = new Set<AbortController>();
  private readonly cache = new Map<string, Promise<Outcome>>();
  private out: string[] = [];
  private flushScheduled = false;
  private readonly maxDepth: number;
  /** One FIFO of deadlines per distinct per-call timeout (the run's, and servers' own). */
  private readonly deadlines = new Map<number, Deadlines>();
  private readonly approvalPause: ApprovalPause;
  /** Limits by server name, from the catalog and RunOptions.serverLimits (a Map: names are data). */
  private readonly serverLimits = new Map<string, ServerLimits>();

  constructor(private readonly deps: BridgeDeps) {
    this.maxDepth = maxJsonDepth(deps.limits.stackKb);
    this.approvalPause = new ApprovalPause(deps.pause, deps.maxPauseMs ?? 0);
    for (const s of deps.catalog?.servers ?? []) if (s.limits) this.serverLimits.set(s.name, s.limits);
    for (const [name, limits] of Object.entries(deps.serverLimits ?? {})) this.serverLimits.set(name, limits);
  }

  private deadlinesFor(ms: number): Deadlines {
    let d = this.deadlines.get(ms);
    if (!d) {
      d = new Deadlines(ms);
      this.deadlines.set(ms, d);
    }
    return d;
  }

  /** Calls the guest issued since the last message, in order (see GuestConfig for the format). */
  submit(drained: string): void {
    const parts = drained.split('\u0001');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      if (this.closed) return;
      const call = parseCall(++this.callIds, parts[i] as string, parts[i + 1] as string);
      if (call[1] < 0) this.acceptHost(call);
      else this.accept(call);
    }
  }

  /** A helper span started in the guest (before the calls it parents are submitted). */
  observe(e: SpanStart): void {
    this.deps.keys.observe(e);
  }

  /** The run is over: abort in-flight calls (their signals fire), drop queued ones, ignore late results. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    for (const d of this.deadlines.values()) d.clear();
    this.approvalPause.close();
    for (const ac of this.active) ac.abort(new ToolError('cancelled', 'The run ended before this tool call finished.', { server: '', tool: '' }));
    this.active.clear();
  }

  private accept([id, index, argsJson, parentId, line, argsError]: GuestCall): void {
    const { deps } = this;
    this.stats.toolCalls++;
    const entry = deps.table.entries[index];
    const server = entry?.server.name ?? '';
    const tool = entry?.tool.name ?? '';
    let args: unknown;
    let problem: GuestToolErrorInfo | undefined;
    if (this.stats.toolCalls > deps.limits.maxToolCalls) {
      deps.onQuota();
      problem = info('quota_exceeded', `The run reached its limit of ${deps.limits.maxToolCalls} tool calls; no further calls are made. Batch work into fewer calls, or raise maxToolCalls.`, server, tool);
    } else {
      const checked = checkArgs(entry, index, argsJson, argsError);
      args = checked.args;
      problem = checked.problem;
    }
    const spanId = `t${id}`;
    const idempotencyKey = deps.keys.keyFor(parentId, index);
    if (deps.emit) {
      const start: RunEvent = { type: 'tool.start', spanId, t: deps.now(), server, tool, args, idempotencyKey };
      if (parentId !== null) start.parentId = parentId;
      if (line !== null) start.line = line;
      deps.emit(start);
    }
    if (problem || !entry) return this.finish(id, { ok: false, info: problem ?? info('unknown_tool', 'Unknown tool.', server, tool) }, false);
    const record = args as Record<string, unknown>;
    // A failure of a tool not annotated read-only or idempotent tells retry() not to repeat it
    // (the promise of FLOW_DECLARATIONS' `retryable`); an explicit retryOn still can.
    const finish = entry.retrySafe
      ? (o: Outcome, cached: boolean) => this.finish(id, o, cached)
      : (o: Outcome, cached: boolean) => this.finish(id, o.ok ? o : { ok: false, info: { ...o.info, retryable: false } }, cached);
    if (deps.cache && entry.cacheable) {
      const key = `${index}\u0000${canonicalJson(record)}`;
      const hit = this.cache.get(key);
      if (hit) {
        this.stats.cachedCalls++;
        void hit.then((o) => finish(o, true));
        return;
      }
      const p = new Promise<Outcome>((resolve) => this.enqueue({ id, entry, args: record, line, idempotencyKey, done: resolve }));
      this.cache.set(key, p);
      void p.then((o) => {
        if (!o.ok) this.cache.delete(key);
        finish(o, false);
      });
      return;
    }
    this.enqueue({ id, entry, args: record, line, idempotencyKey, done: (o) => finish(o, false) });
  }

  /** A host function (tools.search, tools.describe, llm): a helper span, never a tool call
   *  (no quota, cache or approval; llm has its own quotas in the hook). */
  private acceptHost([id, index, argsJson, parentId, line]: GuestCall): void {
    const { deps } = this;
    const spanId = `x${id}`;
    const helper = hostFunctionName(-index);
    const args = parseHostArgs(argsJson);
    const ac = new AbortController();
    let call: HostCallResult;
    try {
      call = callHostFunction(-index, args, { discovery: deps.discovery, llm: deps.llm, signal: ac.signal });
    } catch (err) {
      call = { attrs: {}, result: Promise.resolve({ ok: false, info: errorInfo(err, 'toolweaver', helper) }) };
    }
    if (deps.emit) {
      const start: RunEvent = { type: 'helper.start', spanId, t: deps.now(), helper, attrs: { ...call.attrs, ...(line !== null ? { line } : {}) } };
      if (parentId !== null) start.parentId = parentId;
      deps.emit(start);
    }
    this.active.add(ac);
    void call.result.then((r) => {
      this.active.delete(ac);
      if (this.closed) return;
      const o: Outcome = r.ok ? encodeReply(this.maxDepth, this.deps.limits.stackKb, r.value, 'toolweaver', helper) : { ok: false, info: r.info };
      if (deps.emit) {
        const end: RunEvent = o.ok
          ? { type: 'helper.end', spanId, t: deps.now(), ok: true, attrs: r.ok ? r.attrs : {} }
          : { type: 'helper.end', spanId, t: deps.now(), ok: false, error: { code: o.info.code, message: o.info.message } };
        deps.emit(end);
      }
      this.deliver(id, o);
    });
  }

  private enqueue(q: Queued): void {
    this.queue.push(q);
    this.pumpQueue();
  }

  private pumpQueue(): void {
    while (!this.closed && this.running < this.deps.limits.maxConcurrency && this.queue.length) {
      const q = this.queue.shift() as Queued;
      this.running++;
      const ac = new AbortController();
      this.active.add(ac);
      const server = q.entry.server.name;
      const waiting = this.deps.limiter.acquire(server, this.serverLimits.get(server), ac.signal);
      if (!waiting) this.dispatch(q, ac, undefined);
      else {
        waiting.then(
          (release) => this.dispatch(q, ac, release),
          (err: unknown) => this.settle(q, ac, { ok: false, info: errorInfo(err, server, q.entry.tool.name) }),
        );
      }
    }
  }

  /** Calls the invoker under the per-call timeout; settles exactly once. */
  private dispatch(q: Queued, ac: AbortController, release: Release | undefined): void {
    const server = q.entry.server.name;
    const tool = q.entry.tool.name;
    if (this.closed) {
      release?.();
      return this.settle(q, ac, { ok: false, info: info('cancelled', 'The run ended before this tool call started.', server, tool) });
    }
    const own = this.serverLimits.get(server)?.toolCallTimeoutMs;
    const toolCallTimeoutMs = own ?? this.deps.limits.toolCallTimeoutMs;
    const deadlines = this.deadlinesFor(toolCallTimeoutMs);
    this.invoking++;
    if (this.invoking > this.stats.peakConcurrency) this.stats.peakConcurrency = this.invoking;
    const onTimeout = (): void => {
      const knob = own === undefined ? 'toolCallTimeoutMs (--tool-timeout-ms)' : `toolweaver.toolCallTimeoutMs of server "${server}"`;
      const message = `The tool ${server}.${tool} did not answer within ${toolCallTimeoutMs} ms (and sent no progress); the call was cancelled. Raise ${knob} if it needs longer.`;
      ac.abort(new ToolError('timeout', message, { server, tool }));
      done({ ok: false, info: info('timeout', message, server, tool) });
    };
    const clock = new CallClock(deadlines, () => onTimeout(), this.approvalPause, () => this.closed);
    const { onApproval, onProgress } = clock;
    const done = (o: Outcome): void => {
      if (!clock.stop()) return;
      this.invoking--;
      release?.();
      this.settle(q, ac, o);
    };
    let pending: Promise<unknown>;
    try {
      const req: ToolCallRequest = { server, tool, args: q.args };
      if (q.line !== null) req.line = q.line;
      pending = this.deps.invoker.callTool(req, { signal: ac.signal, timeoutMs: toolCallTimeoutMs, onApproval, onProgress, idempotencyKey: q.idempotencyKey });
    } catch (err) {
      return done({ ok: false, info: errorInfo(err, server, tool) });
    }
    if (typeof (pending as { then?: unknown } | undefined)?.then !== 'function') return done(encodeReply(this.maxDepth, this.deps.limits.stackKb, pending, server, tool));
    pending.then(
      (value) => done(encodeReply(this.maxDepth, this.deps.limits.stackKb, value, server, tool)),
      (err: unknown) => done({ ok: false, info: errorInfo(err, server, tool) }),
    );
  }

  private settle(q: Queued, ac: AbortController, o: Outcome): void {
    this.active.delete(ac);
    this.running--;
    q.done(o);
    this.pumpQueue();
  }

  private finish(id: number, o: Outcome, cached: boolean): void {
    if (this.closed) return;
    if (!o.ok) this.stats.failedToolCalls++;
    const { emit } = this.deps;
    if (emit) {
      const end: RunEvent = o.ok
        ? { type: 'tool.end', spanId: `t${id}`, t: this.deps.now(), ok: true, result: o.value, cached }
        : { type: 'tool.end', spanId: `t${id}`, t: this.deps.now(), ok: false, error: { code: o.info.code, message: o.info.message }, cached };
      emit(end);
    }
    this.deliver(id, o);
  }

  /** Queues one settlement for the guest; batches go out once per event-loop turn. */
  private deliver(id: number, o: Outcome): void {
    this.out.push(o.ok ? `[${id},1,${o.json}]` : `[${id},0,${JSON.stringify(o.info)}]`);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || !this.out.length) return;
    const parts = this.out;
    this.out = [];
    this.deps.send(`[${parts.join(',')}]`, parts.length);
  }
}
