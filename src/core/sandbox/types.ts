// The sandbox's public contract: limits in, outcome and events out. A run never throws for what
// the script does; everything it did is in RunResult and in the RunEvent stream (traces build on it).

import type { ServerLimits } from '../catalog/types';
import type { HelperName } from '../flow/types';

/** Configurable hard limits of one run. */
export interface RunLimits {
  /** Wall clock for the whole run: CPU work and waiting on tools. */
  timeoutMs: number;
  /** Size of the guest's WebAssembly memory (a real cap). */
  memoryMb: number;
  /** Guest stack. */
  stackKb: number;
  maxToolCalls: number;
  /** In-flight tool calls; further calls queue. */
  maxConcurrency: number;
  toolCallTimeoutMs: number;
  maxSourceBytes: number;
  /** JSON text of the final value. */
  maxResultBytes: number;
  /** Total bytes of console output kept; the rest is dropped and counted. */
  maxLogBytes: number;
  /** sleep() calls (and flow-helper timers, which are sleeps) pending at once. Each holds a host
   *  timer outside the guest's memory cap, so their number is bounded; one more ends the run with
   *  quota_exceeded (limitHit 'maxPendingSleeps'). */
  maxPendingSleeps: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: 30_000,
  memoryMb: 64,
  stackKb: 512,
  maxToolCalls: 256,
  maxConcurrency: 32,
  toolCallTimeoutMs: 15_000,
  maxSourceBytes: 256 * 1024,
  maxResultBytes: 1024 * 1024,
  maxLogBytes: 256 * 1024,
  maxPendingSleeps: 10_000,
};

export type RunErrorCode =
  | 'timeout'
  | 'out_of_memory'
  | 'stack_overflow'
  | 'quota_exceeded'
  | 'not_serializable'
  | 'result_too_large'
  | 'source_too_large'
  | 'never_settles'
  | 'tool_error'
  | 'cancelled'
  | 'sandbox_crashed'
  | 'guest_error'
  | 'syntax_error';

export interface RunError {
  /** e.g. 'TypeError', 'ToolError', 'TimeoutError'. */
  name: string;
  code: RunErrorCode;
  /** At most 4 KiB. */
  message: string;
  /** 1-based line in the user's script, when known (guest and syntax errors). */
  line?: number;
  column?: number;
  stack?: string;
  /** For tool_error. */
  server?: string;
  tool?: string;
  /** ToolErrorCode of the underlying tool failure, for tool_error. */
  cause?: string;
  /** Thrown inside a skill: its name and the skill file's line (set by the run layer, core/skills/skillErrorLocation.ts). */
  skill?: { name: string; file: string; line: number; column?: number };
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  level: LogLevel;
  /** Milliseconds since the run started. */
  t: number;
  text: string;
}

export interface RunStats {
  /** Wall clock of the script, from the moment its clock started (a worker and an engine were
   *  ready) to its outcome: the span timeoutMs limits. Waiting for a free worker is not in it (a
   *  trace's startedAt/endedAt cover the caller's whole wait). */
  durationMs: number;
  toolCalls: number;
  /** Calls answered from the per-run cache of read-only, idempotent tools. */
  cachedCalls: number;
  failedToolCalls: number;
  /** Highest number of tool calls in flight at once. */
  peakConcurrency: number;
  logBytesDropped: number;
  /** Which limit stopped the run, if one did (a RunLimits key). */
  limitHit?: keyof RunLimits;
}

export type RunResult =
  | { ok: true; value: unknown; logs: LogEntry[]; stats: RunStats }
  | { ok: false; error: RunError; logs: LogEntry[]; stats: RunStats };

/**
 * What happened during a run, in order. Times are milliseconds since the run started.
 * Span ids are unique within a run; `parentId` is the enclosing helper span when the call or helper
 * was issued inside one (undefined = the run itself).
 * Arguments/results are JSON-compatible values as they crossed the boundary (not yet truncated or
 * redacted; the trace recorder does that).
 */
export type RunEvent =
  | {
      type: 'tool.start';
      spanId: string;
      parentId?: string;
      t: number;
      server: string;
      tool: string;
      args: unknown;
      /** 1-based script line that made the call, when known. */
      line?: number;
      /** Shared by the attempts of one retry(); see ToolCallOptions.idempotencyKey. */
      idempotencyKey?: string;
    }
  | {
      type: 'tool.end';
      spanId: string;
      t: number;
      ok: boolean;
      result?: unknown;
      error?: { code: string; message: string };
      cached: boolean;
    }
  | {
      type: 'helper.start';
      spanId: string;
      parentId?: string;
      t: number;
      helper: HelperName;
      /** Structure: e.g. { attempts: 3 } for retry, { items: 40, concurrency: 4 } for map,
       *  { level: 1, steps: ['a','b'] } for a dag level, { name: 'fetch' } for a step. */
      attrs: Record<string, unknown>;
    }
  | {
      type: 'helper.end';
      spanId: string;
      t: number;
      ok: boolean;
      attrs?: Record<string, unknown>;
      error?: { code: string; message: string };
    }
  | { type: 'log'; entry: LogEntry };

export interface RunOptions {
  /** 'ts' strips types first; default: 'ts' (plain JS is valid TS for our purposes). */
  language?: 'ts' | 'js';
  limits?: Partial<RunLimits>;
  signal?: AbortSignal;
  /** Receives every event as it happens (synchronously, on the host). */
  onEvent?: (event: RunEvent) => void;
  /** Per-run cache of identical calls to tools annotated readOnlyHint AND idempotentHint.
   *  Default true; false disables it. */
  cache?: boolean;
  /** Per-server throttling, keyed by the server's configured name (CatalogServer.name). The
   *  limiter state is shared by every run of one Sandbox; the latest run's settings apply. */
  serverLimits?: Record<string, ServerLimits>;
  /** Backs the guest's `llm(prompt, { model, system })`. Without it, `llm()` rejects with a
   *  ToolError ('server_unreachable') whose message is LLM_UNAVAILABLE_MESSAGE. The hook enforces
   *  its own quotas and per-call timeout (see createLlmBridge); the signal aborts when the run ends. */
  llm?: LlmHook;
  /** Backs `tools.search` / `tools.describe` in the script; the caller builds it over the run's
   *  catalog (discoveryOf in src/core/discovery/toolSearch.ts), so the sandbox holds no search
   *  code. Without it, search finds nothing and describe rejects with 'unknown_tool'. */
  discovery?: ToolDiscovery;
  /** Most time per run the wall clock stays paused while approval prompts are open (the person
   *  deciding is not the script's time). Default DEFAULT_APPROVAL_PAUSE_MS; 0 = never pause. */
  maxApprovalPauseMs?: number;
  /** Prefix of the run's idempotency keys (`${runKey}:${n}`); executeRun passes the trace id.
   *  Default: a random UUID per run. */
  runKey?: string;
  /** Plain JS the caller adds to the run, evaluated in the run's context after \`tools\` is installed and
   *  before the script (file name \`skills.js\` in stacks): the run layer's \`skills\` object
   *  (src/core/skills/guestSkills.ts). It finds \`globalThis.__twPrologue\` (\`span(attrs)\` opens a
   *  'skill' span, \`parent()\` is the span tool calls nest under now) and must delete it. A throw
   *  ends the run as a guest error. */
  prologue?: string;
}

/** Default of RunOptions.maxApprovalPauseMs: the approval prompt's own default timeout. */
export const DEFAULT_APPROVAL_PAUSE_MS = 120_000;

/** A tools.search hit as the guest receives it. */
export interface ToolDiscoveryHit {
  server: string;
  tool: string;
  /** Identifier path under `tools`, e.g. `github.createIssue`. */
  ident: string;
  /** Compact TypeScript signature. */
  signature: string;
}

/** What `tools.search` / `tools.describe` in a script call on the host (synchronously). */
export interface ToolDiscovery {
  /** At most `limit` tools for `query`, best first. */
  search(query: string, limit: number): ToolDiscoveryHit[];
  /** The tool's full stub; throws ToolError 'unknown_tool' (naming close tools) for no such tool. */
  describe(name: string): string;
}

/** What `llm()` in a script calls on the host. A string reply, or the text with token counts
 *  (recorded on the llm span). Rejections become ToolErrors the script can catch. */
export type LlmHook = (
  prompt: string,
  opts: { model?: string; system?: string },
  signal: AbortSignal,
) => Promise<string | { text: string; inputTokens?: number; outputTokens?: number }>;

