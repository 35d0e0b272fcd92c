// createFlowHelpers(rt): the control-flow globals of a sandbox run (retry, map, dag, …). Pure ES2022
// over a FlowRuntime, no imports outside src/core/flow but types: it is bundled into the QuickJS
// guest prelude. The declared types of these globals live in declarations.ts (keep both in sync).

import { makeFallback, makeRace } from './choice';
import { makeDag } from './dag';
import { makeBatch, makeMap, makeParallel } from './map';
import { makePipe } from './pipe';
import { makeRetry } from './retry';
import { makePoll, makeSleep, makeTimeout } from './timing';
import type { FlowRuntime } from './types';

/** Builds the helpers over one run's runtime (clock, cancellation, spans). */
export function createFlowHelpers(rt: FlowRuntime) {
  return {
    retry: makeRetry(rt),
    map: makeMap(rt),
    parallel: makeParallel(rt),
    timeout: makeTimeout(rt),
    sleep: makeSleep(rt),
    poll: makePoll(rt),
    fallback: makeFallback(rt),
    race: makeRace(rt),
    batch: makeBatch(rt),
    dag: makeDag(rt),
    pipe: makePipe(rt),
  };
}

/** The helpers object; its keys are the global names (FLOW_HELPER_NAMES in declarations.ts). */
export type FlowHelpers = ReturnType<typeof createFlowHelpers>;
