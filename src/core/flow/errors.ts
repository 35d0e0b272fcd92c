// Errors thrown by the flow helpers. Each has a literal `name` and a stable `code` that scripts and
// the sandbox branch on; nothing here imports outside src/core/flow (it runs in the QuickJS guest).

import type { FlowRuntime } from './types';

/** Codes of errors the helpers themselves throw (tool errors pass through unchanged). */
export type FlowErrorCode =
  | 'timeout'
  | 'cancelled'
  | 'dag_cycle'
  | 'dag_unknown_dependency'
  | 'all_failed'
  | 'invalid_argument';

/** An error raised by a flow helper: `name` e.g. 'TimeoutError', `code` e.g. 'timeout'. */
export class FlowError extends Error {
  override readonly name: string;
  readonly code: FlowErrorCode;
  constructor(name: string, code: FlowErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code;
  }
}

/** The AggregateError of fallback/race-style helpers, with code 'all_failed' and every error. */
export function allFailed(errors: unknown[], message: string): AggregateError & { code: 'all_failed' } {
  const err = new AggregateError(errors, message) as AggregateError & { code: 'all_failed' };
  err.code = 'all_failed';
  return err;
}

export function invalid(message: string): FlowError {
  return new FlowError('TypeError', 'invalid_argument', message);
}

/** Throws a CancelledError if the run is cancelled: call before starting any new work. */
export function checkCancelled(rt: FlowRuntime, cause?: unknown): void {
  if (rt.isCancelled()) {
    throw new FlowError('CancelledError', 'cancelled', 'The run was cancelled; no further work is started.', cause);
  }
}

/** After a failure: a CancelledError if the run has been cancelled meanwhile, else the error itself. */
export function afterFailure(rt: FlowRuntime, err: unknown): unknown {
  if (!rt.isCancelled() || codeOf(err) === 'cancelled') return err;
  return new FlowError('CancelledError', 'cancelled', 'The run was cancelled; no further work is started.', err);
}

export function codeOf(err: unknown): string | undefined {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** `{ code, message }` of any thrown value, for span ends (never throws, even on hostile getters). */
export function errorInfo(err: unknown): { code: string; message: string } {
  try {
    const message = err instanceof Error ? err.message : String(err);
    return { code: codeOf(err) ?? 'guest_error', message: message.slice(0, 500) };
  } catch {
    return { code: 'guest_error', message: 'An unprintable value was thrown.' };
  }
}

/** Validates a duration-like option: a finite number ≥ 0 (or Infinity when allowed). */
export function checkMs(what: string, ms: unknown, allowInfinity = false): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0 || (!allowInfinity && !Number.isFinite(ms))) {
    throw invalid(`${what} must be a number of milliseconds ≥ 0, got ${String(ms)}.`);
  }
  return ms;
}

/** Validates a concurrency option: an integer ≥ 1 or Infinity. */
export function checkConcurrency(what: string, n: unknown): number {
  if (typeof n !== 'number' || !(n === Infinity || (Number.isInteger(n) && n >= 1))) {
    throw invalid(`${what} must be an integer ≥ 1 (or Infinity), got ${String(n)}.`);
  }
  return n;
}

export function checkFunction(what: string, fn: unknown): void {
  if (typeof fn !== 'function') throw invalid(`${what} must be a function, got ${typeof fn}.`);
}
