// Messages between the host (host/, behind sandbox.ts) and a sandbox worker (worker/worker.ts). Invariant: guest values
// cross only as JSON text produced by the guest's own JSON.stringify; nothing here carries handles,
// functions or secrets (the guest learns tool identifiers and indexes, never servers' settings).

import type { LogEntry, RunError, RunEvent, RunLimits } from './types';

/** Host functions a guest call may name instead of a tool: the header's index is negative
 *  (`-HOST_FN.search` …) and the payload is the JSON array of the function's arguments. */
export const HOST_FN = { search: 1, describe: 2, llm: 3 } as const;

/** `tools.<serverIdent>.<toolIdent>` → index into the host's tool table, with the server's
 *  configured name and, for a server that is not connected, why (for the ToolError a call to one
 *  of its tools gets instead of "not a function"). */
export type ToolLayout = Array<[serverIdent: string, tools: Array<[toolIdent: string, index: number]>, server: ServerLayoutInfo]>;

/** What the guest learns about a server besides its tools. */
export interface ServerLayoutInfo {
  name: string;
  /** Set when the server is down: its error, as the catalog reported it. */
  down?: string;
}

/** Data handed to a worker when it starts (workerData). */
export interface WorkerInit {
  /** The QuickJS WebAssembly module, compiled once by the host and shared by every worker. */
  wasmModule: WebAssembly.Module;
  /** Int32Array over a SharedArrayBuffer: [0] holds the id of a run the host wants stopped. */
  control: SharedArrayBuffer;
  /** The slot tool results take while the worker blocks on them (see resultChannel.ts). */
  results: SharedArrayBuffer;
  /** The slot drained calls take while the worker blocks on their results (see callChannel.ts). */
  calls: SharedArrayBuffer;
  /** Guest memory of the module kept ready for the next run. */
  spareMemoryMb: number;
  /** Path of the bundled guest prelude (dist/sandboxPrelude.js). */
  preludePath: string;
}

export interface RunRequest {
  type: 'run';
  runId: number;
  source: string;
  language: 'ts' | 'js';
  limits: RunLimits;
  layout: ToolLayout;
  /** Epoch milliseconds (timeOrigin + now) when the host started the run; event times are relative. */
  startEpochMs: number;
  /** RunOptions.prologue: JS evaluated before the script. */
  prologue?: string;
}

/** Settles tool calls: `batch` is JSON text `[[callId, 1, value] | [callId, 0, errorInfo], ...]`. */
export interface ResultsMessage {
  type: 'results';
  runId: number;
  batch: string;
  count: number;
}

export interface CancelMessage {
  type: 'cancel';
  runId: number;
}

/** Stops (paused: true) or restarts the run's wall clock: the host pauses it while a person
 *  decides an approval prompt, and bounds the total pause itself. */
export interface PauseMessage {
  type: 'pause';
  runId: number;
  paused: boolean;
}

export type HostToWorker = RunRequest | ResultsMessage | CancelMessage | PauseMessage;

/**
 * One tool call issued by the guest: its id (unique within the run), the tool's index in the
 * layout, the arguments as JSON text (null when the guest could not serialize them, with the
 * reason in argsError), the enclosing helper span and the script line, when known.
 */
export type GuestCall = [
  callId: number,
  toolIndex: number,
  argsJson: string | null,
  parentId: string | null,
  line: number | null,
  argsError: string | null,
];

/** What the guest did since the last message. */
export interface OutMessage {
  type: 'out';
  runId: number;
  /** The guest's calls as drained (see GuestConfig): one string is far cheaper to post than
   *  thousands of small arrays. Parsed by the host bridge into GuestCalls. */
  calls: string;
  logs: LogEntry[];
  /** helper.start / helper.end only; the host emits tool and log events itself. */
  events: RunEvent[];
  /** Console bytes dropped so far (the host may answer a timeout before the final count). */
  logBytesDropped: number;
}

export type GuestOutcome = { ok: true; valueJson?: string } | { ok: false; error: RunError; limitHit?: keyof RunLimits };

export interface DoneMessage {
  type: 'done';
  runId: number;
  outcome: GuestOutcome;
  /** Last logs/events, flushed with the outcome (calls issued after the end are never made). */
  logs: LogEntry[];
  events: RunEvent[];
  logBytesDropped: number;
  /** From the clock's start to the moment the outcome was decided (not when the host reads it). */
  durationMs: number;
  /** Problems in our own code, logged by the host. */
  warnings: string[];
}

/** The worker began executing the run: the run's wall clock starts here. */
export interface StartedMessage {
  type: 'started';
  runId: number;
  /** Epoch milliseconds (timeOrigin + now) when the script's clock started. */
  clockStartEpochMs: number;
}

/** A problem in our own code (e.g. a handle leak that made dispose fail): logged by the host. */
export interface WarningMessage {
  type: 'warning';
  message: string;
}

export interface ReadyMessage {
  type: 'ready';
}

/** The worker failed to start (e.g. the prelude file is missing). */
export interface FatalMessage {
  type: 'fatal';
  message: string;
}

export type WorkerToHost = OutMessage | DoneMessage | StartedMessage | WarningMessage | ReadyMessage | FatalMessage;

/** JSON shape of a ToolError sent into the guest (second element of a `[id, 0, info]` entry). */
export interface GuestToolErrorInfo {
  code: string;
  message: string;
  server: string;
  tool: string;
  field?: string;
  /** false: retry() must not repeat the call unless its retryOn says so (the tool is not annotated
   *  read-only or idempotent, so a second try could repeat a side effect). */
  retryable?: false;
}
