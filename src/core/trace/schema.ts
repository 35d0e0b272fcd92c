// The versioned trace format (zod = wire format, validation and type): one file per run. The
// extension panel consumes `Trace`, so after version 1 changes are additions of optional fields only.
import { z } from 'zod';
import { InjectionReportSchema } from '../untrusted/report';
import { TokenAccountSchema } from '../tokens/schema';

export const TRACE_VERSION = 1 as const;

/** `YYYYMMDD-HHMMSS-mmm-<10 hex>` (UTC): filename-safe, sorts by start time, never from user text. */
export const TRACE_ID_PATTERN = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{10}$/;
export const TraceIdSchema = z.string().regex(TRACE_ID_PATTERN);

/** Terminal statuses, plus `running` for the in-progress file written at start. */
export const TraceStatusSchema = z.enum([
  'running',
  'ok',
  'failed', // script threw / a tool error escaped / a limit other than time was hit (see error.code)
  'timed_out',
  'cancelled',
  'crashed', // the sandbox worker died
  'interrupted', // the host process died mid-run; finalised on the next store open
]);
export type TraceStatus = z.infer<typeof TraceStatusSchema>;

/** A span's outcome; spans still open when the run ended take the run's terminal status. */
export const SpanStatusSchema = z.enum([
  'running',
  'ok',
  'error',
  'timed_out',
  'cancelled',
  'crashed',
  'interrupted',
  'abandoned', // still open when the run ended normally (e.g. a call nobody awaited)
]);
export type SpanStatus = z.infer<typeof SpanStatusSchema>;

/**
 * A JSON value as stored: `value` when its JSON text fits the size limit, otherwise `preview`
 * (the first bytes of the JSON text). Neither = `undefined`. Already redacted.
 */
export const StoredValueSchema = z.object({
  value: z.unknown().optional(),
  preview: z.string().optional(),
  /** Size of the full JSON text in UTF-8 bytes, before truncation (after redaction). */
  bytes: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type StoredValue = z.infer<typeof StoredValueSchema>;

export const SpanErrorSchema = z.object({ code: z.string(), message: z.string() });

const SpanBaseSchema = z.object({
  /** Unique within the trace. */
  id: z.string(),
  /** Enclosing helper span; absent = the run itself. */
  parentId: z.string().optional(),
  /** Milliseconds since the run started. */
  startMs: z.number().nonnegative(),
  endMs: z.number().nonnegative().optional(),
  status: SpanStatusSchema,
  error: SpanErrorSchema.optional(),
});

export const ToolSpanSchema = SpanBaseSchema.extend({
  kind: z.literal('tool'),
  server: z.string(),
  tool: z.string(),
  args: StoredValueSchema,
  result: StoredValueSchema.optional(),
  /** 1 unless issued inside a retry/fallback attempt span (then that attempt's number). */
  attempt: z.number().int().positive(),
  cached: z.boolean(),
  /** 1-based line of the script that made the call, when known. */
  line: z.number().int().positive().optional(),
  /** Sent as `_meta.idempotencyKey`: the same on every attempt of one retry() (`${traceId}:${n}`).
   *  Optional: older traces lack it. */
  idempotencyKey: z.string().optional(),
  /** Tokens of the FULL (untruncated, unredacted) arguments and result, counted at record time. */
  tokens: z.object({ args: z.number().int().nonnegative(), result: z.number().int().nonnegative() }).optional(),
  /** In the trace of a replay (src/core/replay): answered from the recorded trace, or sent to the live server
   *  (a divergence under --live-on-divergence). Absent in ordinary runs. */
  replay: z.enum(['replayed', 'live']).optional(),
  /** Schema drift: where the result does not fit the tool's learned output type (src/core/learned);
   *  a flag for review, not an error. */
  drift: z.string().optional(),
  /** The tool's declared behaviour when it was called (trace/toolHints.ts): what retry() and the run's
   *  cache decided by. A replay gives its stand-in tool the same hints. Optional: older traces lack it. */
  hints: z
    .object({ readOnlyHint: z.boolean().optional(), idempotentHint: z.boolean().optional(), destructiveHint: z.boolean().optional() })
    .optional(),
});
export type ToolSpan = z.infer<typeof ToolSpanSchema>;

export const HelperSpanSchema = SpanBaseSchema.extend({
  kind: z.literal('helper'),
  /** HelperName of src/core/sandbox/types.ts (kept a string so new helpers don't break old readers). */
  helper: z.string(),
  /** Attributes at start merged with those at end (retry attempts, map items, dag levels/steps…). */
  attrs: z.record(z.string(), z.unknown()),
});
export type HelperSpan = z.infer<typeof HelperSpanSchema>;

export const SpanSchema = z.discriminatedUnion('kind', [ToolSpanSchema, HelperSpanSchema]);
export type Span = z.infer<typeof SpanSchema>;

export const TraceErrorSchema = z.object({
  name: z.string(),
  /** RunErrorCode of src/core/sandbox/types.ts, or `interrupted`. */
  code: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  stack: z.string().optional(),
  server: z.string().optional(),
  tool: z.string().optional(),
  cause: z.string().optional(),
  /** Thrown inside a skill: the skill file and line (RunError.skill). */
  skill: z.object({ name: z.string(), file: z.string(), line: z.number().int(), column: z.number().int().optional() }).optional(),
});
export type TraceError = z.infer<typeof TraceErrorSchema>;

export const TraceLogSchema = z.object({
  level: z.enum(['log', 'info', 'warn', 'error', 'debug']),
  t: z.number().nonnegative(),
  text: z.string(),
});

export const LimitsSchema = z.object({
  timeoutMs: z.number(),
  memoryMb: z.number(),
  stackKb: z.number(),
  maxToolCalls: z.number(),
  maxConcurrency: z.number(),
  toolCallTimeoutMs: z.number(),
  maxSourceBytes: z.number(),
  maxResultBytes: z.number(),
  maxLogBytes: z.number(),
  /** Added later: traces written before it lack the field. */
  maxPendingSleeps: z.number().optional(),
});

export const TraceStatsSchema = z.object({
  durationMs: z.number().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  cachedCalls: z.number().int().nonnegative(),
  failedToolCalls: z.number().int().nonnegative(),
  peakConcurrency: z.number().int().nonnegative(),
  logBytesDropped: z.number().int().nonnegative(),
  limitHit: z.string().optional(),
});

/** Where a value was cut: `path` like `spans[3].result`, `value`, `logs[2]`, `source`. */
export const TruncationSchema = z.object({
  path: z.string(),
  originalBytes: z.number().int().nonnegative(),
  keptBytes: z.number().int().nonnegative(),
});

/** One approval decision (src/core/approvals/approvals.ts ApprovalDecision), as the trace keeps it. */
export const ApprovalRecordSchema = z.object({
  /** Milliseconds since the run started when the decision was made. */
  t: z.number().nonnegative(),
  server: z.string(),
  tool: z.string(),
  /** 1-based script line of the call, when known. */
  line: z.number().int().positive().optional(),
  action: z.enum(['allowed', 'denied']),
  /** DecisionSource: 'rule', 'annotations', 'user', 'run', 'always', 'timeout', 'non_interactive', 'cancelled'. */
  source: z.string(),
  /** The person's answer ('once', 'run', 'always', 'deny'), when one was asked. */
  answer: z.string().optional(),
  /** The policy rule (glob) that decided, when one did. */
  rule: z.string().optional(),
  /** Time spent waiting for the person. */
  waitedMs: z.number().nonnegative().optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** What the privacy firewall (src/core/firewall) withheld from the model in a run: distinct values,
 *  by category ('secrets', 'emails', 'phones', 'cards', 'ids'). Counts and kinds, never values. */
export const WithheldSchema = z.object({
  total: z.number().int().nonnegative(),
  byKind: z.record(z.string(), z.number().int().nonnegative()),
});
export type Withheld = z.infer<typeof WithheldSchema>;

/** Why a replayed call had no recorded answer (src/core/replay/tape.ts). */
export const DivergenceReasonSchema = z.enum([
  'arguments_differ', // the tool's next recorded call had other arguments
  'no_recorded_call', // the trace holds no (further) call of this tool
  'not_replayable', // the recorded call matched, but its result was redacted, truncated or never arrived
]);
export type DivergenceReason = z.infer<typeof DivergenceReasonSchema>;

/** A call of a replay that the recorded trace could not answer. Values are redacted like any in a trace. */
export const DivergenceSchema = z.object({
  reason: DivergenceReasonSchema,
  /** 1-based line of the replayed script that made the call, when known. */
  line: z.number().int().positive().optional(),
  server: z.string(),
  tool: z.string(),
  args: StoredValueSchema,
  /** The recorded call it was compared with (absent for no_recorded_call). */
  recorded: z
    .object({ spanId: z.string(), line: z.number().int().positive().optional(), args: StoredValueSchema })
    .optional(),
  message: z.string(),
});
export type Divergence = z.infer<typeof DivergenceSchema>;

/** What a replay trace replays: the original trace and how its calls were answered. */
export const ReplayRecordSchema = z.object({
  traceId: TraceIdSchema,
  /** Calls answered from the recorded trace. */
  replayed: z.number().int().nonnegative(),
  /** Calls sent to the live server (divergences under --live-on-divergence). */
  live: z.number().int().nonnegative(),
  /** Every divergence, in order (the first one stops a replay without --live-on-divergence). */
  divergences: z.array(DivergenceSchema),
});
export type ReplayRecord = z.infer<typeof ReplayRecordSchema>;

export const TraceSchema = z.object({
  version: z.literal(TRACE_VERSION),
  id: TraceIdSchema,
  /** Who ran it: 'cli', 'extension', 'agent', 'bench', … */
  origin: z.string().optional(),
  script: z.object({
    /** Path of the script file, when it came from one. */
    path: z.string().optional(),
    /** sha256 hex of the source text. */
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    language: z.enum(['ts', 'js']),
    /** The source (redacted; truncated like any value, see `truncations`). */
    source: z.string().optional(),
  }),
  /** Catalog.id: the snapshot of servers and tools the run saw. */
  catalogId: z.string(),
  limits: LimitsSchema,
  startedAt: z.string(),
  startedAtMs: z.number(),
  endedAt: z.string().optional(),
  endedAtMs: z.number().optional(),
  status: TraceStatusSchema,
  error: TraceErrorSchema.optional(),
  /** The final value (ok runs). */
  value: StoredValueSchema.optional(),
  logs: z.array(TraceLogSchema),
  spans: z.array(SpanSchema),
  truncations: z.array(TruncationSchema),
  /** Number of secrets/PII replaced before the trace reached disk. */
  redactions: z.number().int().nonnegative(),
  tokens: TokenAccountSchema.optional(),
  /** Values the model was not shown (run outcome and llm() prompts); absent when no firewall ran
   *  (a person's own run from the editor). */
  withheld: WithheldSchema.optional(),
  /** Approval decisions of the run's tool calls, in order (absent when no approval policy ran). */
  approvals: z.array(ApprovalRecordSchema).optional(),
  /** Decisions left out of `approvals` beyond its cap (MAX_APPROVAL_RECORDS, trace/approvalRecords.ts). */
  approvalsDropped: z.number().int().nonnegative().optional(),
  /** What the heuristic injection check found in the reply sent to the model (value preview, logs,
   *  error); samples are redacted like any value. Absent: nothing found (which proves nothing). */
  injection: InjectionReportSchema.optional(),
  stats: TraceStatsSchema,
  /** Present when this run was a replay of another trace (src/core/replay). */
  replayOf: ReplayRecordSchema.optional(),
  /** The process that ran it: lets the store finalise traces of dead hosts as `interrupted`. */
  host: z.object({ pid: z.number().int(), hostname: z.string().optional() }).optional(),
});
export type Trace = z.infer<typeof TraceSchema>;

/** Statuses a finished run can have. */
export type TerminalTraceStatus = Exclude<TraceStatus, 'running'>;
