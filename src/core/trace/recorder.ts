// Builds a Trace from a run's RunEvents and its RunResult. Values are redacted and cut as they are
// stored (each once: the redaction count stays exact across snapshots); the FULL arguments and
// results stay readable (toolTexts, for the token account) until finish drops them.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../ports';
import { systemClock } from '../ports';
import type { Redactor } from '../redact/redactor';
import { DEFAULT_LIMITS, type LogEntry, type RunEvent, type RunLimits, type RunResult } from '../sandbox/types';
import { toolCallText, toolResultParts } from '../tokens/text';
import { closeOpenSpans, newTraceId, statusOf } from './lifecycle';
import type { Span, StoredValue, TerminalTraceStatus, Trace, TraceError } from './schema';
import { TRACE_VERSION } from './schema';
import { DEFAULT_MAX_VALUE_BYTES, storeText, storeValue } from './values';

/** One tool span's full texts as the token account counts them (account/account.ts). */
export interface ToolText {
  /** The call as the model writes it (tokens/text.ts toolCallText). */
  args: string;
  /** The result's text as a client sends it (toolResultParts: images left out, see imageTokens). */
  result: string;
  /** The arguments as the script passed them (for the dependency waves, account/waves.ts). */
  argsValue?: unknown;
  /** Tokens of the result's image blocks, counted by size (absent: none). */
  imageTokens?: number;
}

export interface TraceRecorderOptions {
  /** Default: a fresh id (newTraceId). */
  id?: string;
  source: string;
  scriptPath?: string;
  language?: 'ts' | 'js';
  catalogId: string;
  limits?: Partial<RunLimits>;
  origin?: string;
  clock?: Clock;
  /** Budget per stored value (args, results, final value, log line). Default 16 KiB. */
  maxValueBytes?: number;
  /** Budget for the stored source. Default 64 KiB. */
  maxSourceBytes?: number;
  redactor?: Redactor;
  /** Default: this process. */
  host?: { pid: number; hostname?: string };
}

export interface TraceRecorder {
  readonly id: string;
  onEvent(event: RunEvent): void;
  /** The trace so far, status `running` (for the in-progress file and live views). */
  snapshot(): Trace;
  /** Sets the run's start to now: call right before Sandbox.run, whose event times count from
   *  its own start (the in-progress write before it would otherwise shift every span). */
  markStarted(): void;
  /** The full (unredacted, uncut) text of each tool span's arguments and result, as the token account
   *  counts them, by span id. Only before finish, which drops the raw values. */
  toolTexts(): Map<string, ToolText>;
  /** The finished trace. `status` overrides the one derived from the result. */
  finish(result: RunResult, opts?: { status?: TerminalTraceStatus }): Trace;
}

interface ToolState {
  kind: 'tool';
  ev: Extract<RunEvent, { type: 'tool.start' }>;
  end?: Extract<RunEvent, { type: 'tool.end' }>;
  args?: StoredValue;
  result?: StoredValue;
  error?: { code: string; message: string };
}
interface HelperState {
  kind: 'helper';
  ev: Extract<RunEvent, { type: 'helper.start' }>;
  end?: Extract<RunEvent, { type: 'helper.end' }>;
  startAttrs?: Record<string, unknown>;
  attrs?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** Creates a recorder; feed it every RunEvent (RunOptions.onEvent) and then the result. */
export function createTraceRecorder(opts: TraceRecorderOptions): TraceRecorder {
  const clock = opts.clock ?? systemClock;
  let startedAtMs = clock.now();
  const id = opts.id ?? newTraceId(startedAtMs);
  const maxValue = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  const redactor = opts.redactor;
  const redactionsAtStart = redactor?.count ?? 0;
  const spans = new Map<string, ToolState | HelperState>();
  const logs: { entry: LogEntry; stored?: { text: string; bytes: number; truncated: boolean } }[] = [];
  const truncations: Trace['truncations'] = [];
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const source = storeText(opts.source, opts.maxSourceBytes ?? 64 * 1024, redactor);
  if (source.truncated) truncations.push({ path: 'script.source', originalBytes: source.bytes, keptBytes: Buffer.byteLength(source.text) });
  const host = opts.host ?? { pid: process.pid, hostname: hostname() };

  function note(path: string, v: StoredValue): StoredValue {
    if (v.truncated) truncations.push({ path, originalBytes: v.bytes, keptBytes: Buffer.byteLength(v.preview ?? '') });
    return v;
  }

  // Each attrs object, error and value is redacted exactly once (memoised on the span state), so
  // snapshots never inflate the redaction count.
  function storeAttrs(attrs: Record<string, unknown>): Record<string, unknown> {
    const stored = storeValue(attrs, maxValue, redactor);
    return stored.value !== undefined && typeof stored.value === 'object' && stored.value !== null
      ? (stored.value as Record<string, unknown>)
      : { truncated: true, preview: stored.preview ?? '' };
  }

  function attrsOf(s: HelperState): Record<string, unknown> {
    if (s.end) return (s.attrs ??= storeAttrs({ ...s.ev.attrs, ...(s.end.attrs ?? {}) }));
    return (s.startAttrs ??= storeAttrs(s.ev.attrs));
  }

  function errorOf(s: ToolState | HelperState): { code: string; message: string } | undefined {
    const e = s.end?.error;
    if (!e) return undefined;
    return (s.error ??= { code: e.code, message: storeText(e.message, 4096, redactor).text });
  }

  function attemptOf(parentId: string | undefined): number {
    for (let p = parentId, depth = 0; p !== undefined && depth < 100; depth++) {
      const s = spans.get(p);
      if (!s || s.kind !== 'helper') break;
      if (s.ev.helper === 'attempt') {
        // retry/poll attempts carry { attempt } (1-based); fallback/race/parallel branches carry
        // { index } and are different calls, not repeats, so they stay attempt 1.
        const a = s.ev.attrs['attempt'];
        return typeof a === 'number' && a >= 1 ? Math.floor(a) : 1;
      }
      p = s.ev.parentId;
    }
    return 1;
  }

  function buildSpans(index: { i: number }): Span[] {
    const out: Span[] = [];
    for (const s of spans.values()) {
      const i = index.i++;
      // What both span kinds share; the kind-specific fields follow.
      const base = {
        id: s.ev.spanId,
        parentId: s.ev.parentId,
        startMs: s.ev.t,
        endMs: s.end?.t,
        status: s.end ? (s.end.ok ? 'ok' : 'error') : 'running',
        error: errorOf(s),
      } as const;
      if (s.kind === 'tool') {
        s.args ??= note(`spans[${i}].args`, storeValue(s.ev.args, maxValue, redactor));
        if (s.end && s.end.ok && s.result === undefined) s.result = note(`spans[${i}].result`, storeValue(s.end.result, maxValue, redactor));
        out.push({
          kind: 'tool',
          ...base,
          server: s.ev.server,
          tool: s.ev.tool,
          args: s.args,
          result: s.end?.ok ? s.result : undefined,
          attempt: attemptOf(s.ev.parentId),
          cached: s.end?.cached ?? false,
          line: s.ev.line !== undefined && s.ev.line >= 1 ? s.ev.line : undefined,
          idempotencyKey: s.ev.idempotencyKey,
        });
      } else {
        out.push({
          kind: 'helper',
          ...base,
          helper: s.ev.helper,
          attrs: attrsOf(s),
        });
      }
    }
    return out;
  }

  function buildLogs(): Trace['logs'] {
    return logs.map((l, i) => {
      if (!l.stored) {
        l.stored = storeText(l.entry.text, maxValue, redactor);
        if (l.stored.truncated) truncations.push({ path: `logs[${i}]`, originalBytes: l.stored.bytes, keptBytes: Buffer.byteLength(l.stored.text) });
      }
      return { level: l.entry.level, t: Math.max(0, l.entry.t), text: l.stored.text };
    });
  }

  function base(status: Trace['status']): Trace {
    const spanList = buildSpans({ i: 0 });
    const logList = buildLogs();
    return {
      version: TRACE_VERSION,
      id,
      origin: opts.origin,
      script: {
        path: opts.scriptPath,
        sha256: createHash('sha256').update(opts.source).digest('hex'),
        bytes: Buffer.byteLength(opts.source),
        language: opts.language ?? 'ts',
        source: source.text,
      },
      catalogId: opts.catalogId,
      limits,
      startedAt: new Date(startedAtMs).toISOString(),
      startedAtMs,
      status,
      logs: logList,
      spans: spanList,
      truncations: [...truncations],
      redactions: (redactor?.count ?? 0) - redactionsAtStart,
      stats: {
        durationMs: Math.max(0, clock.now() - startedAtMs),
        toolCalls: spanList.filter((s) => s.kind === 'tool').length,
        cachedCalls: spanList.filter((s) => s.kind === 'tool' && s.cached).length,
        failedToolCalls: spanList.filter((s) => s.kind === 'tool' && s.status === 'error').length,
        peakConcurrency: 0,
        logBytesDropped: 0,
      },
      host,
    };
  }

  return {
    id,
    onEvent(e) {
      switch (e.type) {
        case 'tool.start':
          spans.set(e.spanId, { kind: 'tool', ev: e });
          return;
        case 'helper.start':
          spans.set(e.spanId, { kind: 'helper', ev: e });
          return;
        case 'tool.end':
        case 'helper.end': {
          const s = spans.get(e.spanId);
          if (s && !s.end && s.kind === (e.type === 'tool.end' ? 'tool' : 'helper')) s.end = e as never;
          return;
        }
        case 'log':
          logs.push({ entry: e.entry });
          return;
      }
    },
    snapshot: () => base('running'),
    toolTexts() {
      const out = new Map<string, ToolText>();
      for (const s of spans.values()) {
        if (s.kind !== 'tool') continue;
        const parts = s.end ? toolResultParts(s.end.result, s.end.ok ? undefined : s.end.error) : undefined;
        out.set(s.ev.spanId, {
          args: toolCallText(s.ev.server, s.ev.tool, s.ev.args),
          result: parts?.text ?? '',
          argsValue: s.ev.args,
          ...(parts && parts.imageTokens > 0 ? { imageTokens: parts.imageTokens } : {}),
        });
      }
      return out;
    },
    markStarted() {
      startedAtMs = clock.now();
    },
    finish(result, o) {
      const status = o?.status ?? statusOf(result);
      const endedAtMs = clock.now();
      // Sandbox logs are authoritative (they include lines emitted without an event).
      if (result.logs.length >= logs.length) {
        const seen = logs.splice(0);
        result.logs.forEach((entry, i) => {
          const prev = seen[i];
          logs.push(prev && prev.entry.text === entry.text ? prev : { entry });
        });
      }
      const t = base(status);
      const endMs = Math.max(result.stats.durationMs, endedAtMs - startedAtMs);
      t.spans = closeOpenSpans(t.spans, status, endMs);
      if (result.ok) {
        t.value = storeValue(result.value, maxValue, redactor);
        if (t.value.truncated) t.truncations.push({ path: 'value', originalBytes: t.value.bytes, keptBytes: Buffer.byteLength(t.value.preview ?? '') });
      } else {
        t.error = redactError(result.error, redactor);
      }
      t.endedAtMs = endedAtMs;
      t.endedAt = new Date(endedAtMs).toISOString();
      t.stats = { ...result.stats, limitHit: result.stats.limitHit };
      t.redactions = (redactor?.count ?? 0) - redactionsAtStart;
      for (const s of spans.values()) {
        // drop raw values: only the stored copies are needed from here on
        if (s.kind !== 'tool') continue;
        s.ev = { ...s.ev, args: undefined };
        if (s.end) s.end = { ...s.end, result: undefined };
      }
      return t;
    },
  };
}

function redactError(e: Extract<RunResult, { ok: false }>['error'], redactor?: Redactor): TraceError {
  const r = (x: string | undefined, max: number) => (x === undefined ? undefined : storeText(x, max, redactor).text);
  return {
    name: e.name,
    code: e.code,
    message: r(e.message, 4096) ?? '',
    line: e.line,
    column: e.column,
    stack: r(e.stack, 8192),
    server: e.server,
    tool: e.tool,
    cause: e.cause,
    ...(e.skill ? { skill: { ...e.skill, file: r(e.skill.file, 1024) ?? '' } } : {}),
  };
}
