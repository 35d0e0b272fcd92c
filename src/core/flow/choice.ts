// fallback and race: pick one outcome among alternatives. Invariant: fallback tries alternatives
// strictly in order and starts none after cancellation; race settles like the first to settle.

import { afterFailure, allFailed, checkCancelled, checkFunction, errorInfo, invalid } from './errors';
import { inChild, withSpan } from './spans';
import type { FlowRuntime } from './types';

export function makeFallback(rt: FlowRuntime) {
  return function fallback<T>(...fns: Array<() => T | PromiseLike<T>>): Promise<Awaited<T>> {
    return withSpan(rt, 'fallback', { count: fns.length }, async (span, end) => {
      if (fns.length === 0) throw invalid('fallback() needs at least one function.');
      fns.forEach((f, i) => checkFunction(`fallback: argument ${i + 1}`, f));
      const errors: unknown[] = [];
      for (let index = 0; index < fns.length; index++) {
        checkCancelled(rt);
        try {
          const value = await inChild(rt, span, 'attempt', { index }, fns[index] as () => T);
          end.winner = index;
          return value;
        } catch (err) {
          checkCancelled(rt, err);
          errors.push(err);
        }
      }
      const reasons = errors.map((e, i) => `#${i + 1}: ${errorInfo(e).message}`).join('; ');
      throw allFailed(errors, `fallback: all ${fns.length} alternatives failed (${reasons}).`);
    });
  };
}

export function makeRace(rt: FlowRuntime) {
  return function race<T>(...contenders: Array<(() => T | PromiseLike<T>) | PromiseLike<T>>): Promise<Awaited<T>> {
    return withSpan(rt, 'race', { count: contenders.length }, async (span, end) => {
      if (contenders.length === 0) throw invalid('race() needs at least one function or promise.');
      checkCancelled(rt);
      const running = contenders.map((c, index) =>
        inChild(rt, span, 'attempt', { index }, () => (typeof c === 'function' ? c() : c)).then(
          (value) => ({ index, ok: true as const, value }),
          (error: unknown) => ({ index, ok: false as const, error }),
        ),
      );
      const first = await Promise.race(running);
      end.winner = first.index;
      if (first.ok) return first.value;
      throw afterFailure(rt, first.error);
    });
  };
}
