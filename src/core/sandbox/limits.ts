// Run limits: merging a caller's partial limits over DEFAULT_LIMITS and clamping them to what the
// engine can honour. Invariant: every limit that reaches a worker is a finite, positive number.

import { DEFAULT_LIMITS, type RunError, type RunLimits } from './types';

/** The QuickJS module declares 16 MiB of initial memory; a smaller fixed memory cannot link. */
export const MIN_MEMORY_MB = 16;
/** The module's own maximum (32,768 pages). */
export const MAX_MEMORY_MB = 2048;
/** V8 stack of each worker thread. QuickJS needs ~16× its own stack limit in native frames
 *  (JSON.stringify of nested arrays is the deepest), so stackKb is capped at 1/16 of this. */
export const WORKER_STACK_MB = 16;
export const MAX_STACK_KB = (WORKER_STACK_MB * 1024) / 16;
export const MIN_STACK_KB = 32;
/** After the wall clock (or a cancel), how long a worker may take to report before it is terminated.
 *  The caller does not wait for it: see REPLY_MARGIN_MS. */
export const GRACE_MS = 250;
/** How late after the deadline the host answers a timeout itself when the worker has not reported
 *  (its thread starved or stuck); the worker then still gets GRACE_MS to stop before it is
 *  terminated. Keeps the reported time within ~50 ms of timeoutMs. */
export const REPLY_MARGIN_MS = 25;
/** Longest Node timer (longer ones fire at once). */
export const MAX_TIMER_MS = 2_147_000_000;
/** RunError.message and stack are cut to this many UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 4096;
/** Arguments of one tool call, as JSON text. */
export const MAX_ARGS_BYTES = 4 * 1024 * 1024;
/** Nesting of a script's result and of tool arguments: deeper values would overflow the host's
 *  own (recursive) JSON.stringify later, in traces and printers. */
export const MAX_VALUE_DEPTH = 512;
/** Nesting of a helper event's attributes; deeper attributes are dropped. */
export const MAX_EVENT_DEPTH = 32;

/** Merges `partial` over the defaults; non-numbers, NaN and non-positive values fall back to the
 *  default, and values are clamped to the engine's bounds. */
export function resolveLimits(partial: Partial<RunLimits> | undefined): RunLimits {
  const out = { ...DEFAULT_LIMITS };
  if (partial) {
    for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof RunLimits>) {
      const v = partial[key];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[key] = v;
    }
  }
  out.memoryMb = clamp(Math.floor(out.memoryMb), MIN_MEMORY_MB, MAX_MEMORY_MB);
  out.stackKb = clamp(Math.floor(out.stackKb), MIN_STACK_KB, MAX_STACK_KB);
  out.maxToolCalls = Math.max(0, Math.floor(out.maxToolCalls));
  out.maxConcurrency = Math.max(1, Math.floor(out.maxConcurrency));
  out.maxPendingSleeps = Math.max(1, Math.floor(out.maxPendingSleeps));
  // Timers above 2^31-1 ms fire immediately in Node.
  out.timeoutMs = clamp(out.timeoutMs, 1, MAX_TIMER_MS);
  out.toolCallTimeoutMs = clamp(out.toolCallTimeoutMs, 1, MAX_TIMER_MS);
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Characters a secret token is made of; a cut inside a run of them would keep a token's prefix. */
const TOKEN_CHAR = /[A-Za-z0-9_\-+/=.~]/;
/** A split token longer than this is cut where it is (no secret pattern needs more context). */
const MAX_SPLIT_TOKEN_CHARS = 512;

/**
 * The first `maxBytes` UTF-8 bytes of `text`, never splitting a character, and never ending inside
 * a token: these cuts happen before redaction (in the sandbox), so a token cut in two would keep a
 * prefix (`ghp_16C7e42F29`) that no redaction pattern recognises. The split token is dropped whole.
 */
export function cutBeforeRedaction(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = Buffer.from(text).subarray(0, Math.max(0, maxBytes)).toString('utf8');
  // A split multi-byte character decodes to U+FFFD; drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return TOKEN_CHAR.test(text.charAt(cut.length)) ? dropSplitToken(cut) : cut;
}

/** `cut` (the start of a longer text, cut inside a token) without that token's prefix. */
export function dropSplitToken(cut: string): string {
  let start = cut.length;
  while (start > 0 && cut.length - start < MAX_SPLIT_TOKEN_CHARS && TOKEN_CHAR.test(cut.charAt(start - 1))) start--;
  return cut.slice(0, start);
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (cutBeforeRedaction), marking the cut. */
export function truncateBytes(text: string, maxBytes = MAX_MESSAGE_BYTES): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  const marker = '… [truncated]';
  return cutBeforeRedaction(text, maxBytes - Buffer.byteLength(marker)) + marker;
}

/** Applies the 4 KiB cap to a RunError's message and stack. */
export function capError(error: RunError): RunError {
  const out: RunError = { ...error, message: truncateBytes(error.message) };
  if (error.stack !== undefined) out.stack = truncateBytes(error.stack);
  return out;
}
