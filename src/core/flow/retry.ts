// retry(fn, options): re-runs a failing async function with backoff. Invariant: never retries after
// the run is cancelled, and by default never retries errors that cannot succeed on a second try.

import { afterFailure, checkCancelled, checkFunction, checkMs, codeOf, invalid } from './errors';
import { inChild, withSpan } from './spans';
import type { FlowRuntime } from './types';

export interface RetryOptions {
  /** Total tries including the first. Default 3. */
  attempts?: number;
  /** Delay growth between tries. Default 'exponential'. */
  backoff?: 'exponential' | 'linear' | 'fixed';
  /** First delay. Default 200 ms. */
  baseMs?: number;
  /** Upper bound of any delay. Default 5000 ms. */
  maxMs?: number;
  /** true = 0.5: each delay is reduced by a random fraction of up to this much. Default true. */
  jitter?: boolean | number;
  /** Decides whether a failure is retried (cancellation is never retried). */
  retryOn?: (error: unknown, attempt: number) => boolean;
}

/** ToolError codes that a second identical try cannot fix (keep in sync with FLOW_DECLARATIONS). */
const NEVER_RETRY = new Set(['invalid_arguments', 'denied', 'cancelled', 'quota_exceeded', 'invalid_argument', 'unknown_tool']);

/** The default retry decision: the error's own `retryable` flag if it has one, else its code. */
export function isRetryable(err: unknown): boolean {
  const flag = err !== null && typeof err === 'object' ? (err as { retryable?: unknown }).retryable : undefined;
  if (typeof flag === 'boolean') return flag;
  return !NEVER_RETRY.has(codeOf(err) ?? '');
}

/** Delay in ms before try `attempt + 1` after try `attempt` (1-based) failed. */
export function backoffDelay(attempt: number, o: Required<Omit<RetryOptions, 'retryOn'>>, random: () => number): number {
  const raw = o.backoff === 'fixed' ? o.baseMs : o.backoff === 'linear' ? o.baseMs * attempt : o.baseMs * 2 ** (attempt - 1);
  const capped = Math.min(raw, o.maxMs);
  const j = o.jitter === true ? 0.5 : o.jitter === false ? 0 : o.jitter;
  return Math.round(capped * (1 - j * random()));
}

export function makeRetry(rt: FlowRuntime) {
  return function retry<T>(fn: (attempt: number) => T | PromiseLike<T>, options: RetryOptions = {}): Promise<Awaited<T>> {
    const o = {
      attempts: options.attempts ?? 3,
      backoff: options.backoff ?? 'exponential',
      baseMs: options.baseMs ?? 200,
      maxMs: options.maxMs ?? 5000,
      jitter: options.jitter ?? true,
    };
    return withSpan(rt, 'retry', { attempts: o.attempts, backoff: o.backoff }, async (span, end) => {
      checkFunction('retry(fn): fn', fn);
      if (!Number.isInteger(o.attempts) || o.attempts < 1) throw invalid(`retry: attempts must be an integer ≥ 1, got ${String(o.attempts)}.`);
      if (!['exponential', 'linear', 'fixed'].includes(o.backoff)) throw invalid(`retry: backoff must be 'exponential', 'linear' or 'fixed', got ${String(o.backoff)}.`);
      checkMs('retry: baseMs', o.baseMs);
      checkMs('retry: maxMs', o.maxMs, true);
      if (typeof o.jitter === 'number' && !(o.jitter >= 0 && o.jitter <= 1)) throw invalid(`retry: jitter must be true, false or a fraction in [0, 1], got ${o.jitter}.`);
      const delays: number[] = [];
      for (let attempt = 1; ; attempt++) {
        checkCancelled(rt);
        end.attempts = attempt;
        try {
          return await inChild(rt, span, 'attempt', { attempt }, () => fn(attempt));
        } catch (err) {
          checkCancelled(rt, err);
          if (attempt >= o.attempts) throw err;
          const again = options.retryOn ? options.retryOn(err, attempt) : isRetryable(err);
          if (!again) throw err;
          const delay = backoffDelay(attempt, o, () => rt.random());
          delays.push(delay);
          end.delaysMs = delays;
          try {
            await rt.sleep(delay);
          } catch (sleepErr) {
            throw afterFailure(rt, sleepErr);
          }
        }
      }
    });
  };
}
