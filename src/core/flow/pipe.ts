// pipe(input, ...fns): a value flows through steps in order. Invariant: each step starts only
// after the previous one resolved, and none starts after cancellation.

import { checkCancelled, checkFunction } from './errors';
import { inChild, withSpan } from './spans';
import type { FlowRuntime } from './types';

export type PipeStep = (value: unknown) => unknown;

export function makePipe(rt: FlowRuntime) {
  return function pipe(input: unknown, ...fns: PipeStep[]): Promise<unknown> {
    return withSpan(rt, 'pipe', { steps: fns.length }, async (span) => {
      fns.forEach((f, i) => checkFunction(`pipe: step ${i + 1}`, f));
      let value = await input;
      for (let index = 0; index < fns.length; index++) {
        checkCancelled(rt);
        const f = fns[index] as PipeStep;
        value = await inChild(rt, span, 'step', { index, name: f.name || undefined }, () => f(value));
      }
      return value;
    });
  };
}
