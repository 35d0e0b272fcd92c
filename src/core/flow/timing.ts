// sleep, timeout and poll: everything that waits. Invariant: the only clock is the FlowRuntime
// (rt.sleep / rt.now), and no wait or new poll attempt starts after the run is cancelled.

import { afterFailure, checkCancelled, checkFunction, checkMs, FlowError } from './errors';
import { inChild, withSpan } from './spans';
import type { FlowRuntime, FlowTimer } from './types';

export interface PollOptions<T> {
  /** Done when this returns true for a value. Default: the value is truthy. */
  until?: (value: T, attempt: number) => boolean | PromiseLike<boolean>;
  /** Pause between attempts. Default 1000 ms. */
  intervalMs?: number;
  /** No attempt starts later than this after the first one. Default 30000 ms. */
  timeoutMs?: number;
}

/** A TimeoutError ('timeout'); poll's carries the last value it saw as `lastValue`. */
export class TimeoutError extends FlowError {
  readonly lastValue?: unknown;
  constructor(message: string, lastValue?: unknown) {
    super('TimeoutError', 'timeout', message);
    if (lastValue !== undefined) this.lastValue = lastValue;
  }
}

async function sleepOrCancel(rt: FlowRuntime, ms: number): Promise<void> {
  checkCancelled(rt);
  try {
    await rt.sleep(ms);
  } catch (err) {
    throw afterFailure(rt, err);
  }
}

export function makeSleep(rt: FlowRuntime) {
  // Not an async function: in the sandbox an interrupt (the deadline, a quota) that lands inside an
  // async function only rejects that function's promise, so a loop issuing sleeps would run on.
  // Here it unwinds into the caller. Bad input still rejects rather than throws.
  return function sleep(ms: number): Promise<void> {
    try {
      checkMs('sleep(ms): ms', ms);
      checkCancelled(rt);
    } catch (err) {
      return Promise.reject(err);
    }
    return rt.sleep(ms).then(undefined, (err: unknown) => {
      throw afterFailure(rt, err);
    });
  };
}

export function makeTimeout(rt: FlowRuntime) {
  return function timeout<T>(work: (() => T | PromiseLike<T>) | PromiseLike<T>, ms: number): Promise<Awaited<T>> {
    return withSpan(rt, 'timeout', { ms }, async (span) => {
      checkMs('timeout(work, ms): ms', ms, true);
      checkCancelled(rt);
      const running = Promise.resolve(typeof work === 'function' ? span.enter(work) : work) as Promise<Awaited<T>>;
      if (ms === Infinity) return running;
      const handle: FlowTimer = {};
      let settled = false;
      const timer = rt.sleep(ms, handle).then(() => {
        if (!settled) throw new TimeoutError(`timeout: the work did not finish within ${ms} ms. It may still be running; raise the limit or make it faster.`);
        return undefined as never;
      });
      try {
        return await Promise.race([running, timer]);
      } catch (err) {
        throw afterFailure(rt, err);
      } finally {
        // Clears the host timer when the runtime supports it; Promise.race handles a late settlement.
        settled = true;
        handle.cancel?.();
      }
    });
  };
}

export function makePoll(rt: FlowRuntime) {
  return function poll<T>(fn: (attempt: number) => T | PromiseLike<T>, options: PollOptions<Awaited<T>> = {}): Promise<Awaited<T>> {
    const intervalMs = options.intervalMs ?? 1000;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const until = options.until ?? ((v: Awaited<T>) => Boolean(v));
    return withSpan(rt, 'poll', { intervalMs, timeoutMs }, async (span, end) => {
      checkFunction('poll(fn): fn', fn);
      checkFunction('poll: until', until);
      checkMs('poll: intervalMs', intervalMs);
      checkMs('poll: timeoutMs', timeoutMs, true);
      const start = rt.now();
      for (let attempt = 1; ; attempt++) {
        checkCancelled(rt);
        end.attempts = attempt;
        const value = await inChild(rt, span, 'attempt', { attempt }, () => fn(attempt));
        if (await until(value, attempt)) return value;
        const elapsed = rt.now() - start;
        if (elapsed + intervalMs > timeoutMs) {
          throw new TimeoutError(
            `poll: the condition was not met after ${attempt} attempt(s) in ${elapsed} ms (timeoutMs ${timeoutMs}). Raise timeoutMs or check the condition.`,
            value,
          );
        }
        await sleepOrCancel(rt, intervalMs);
      }
    });
  };
}
