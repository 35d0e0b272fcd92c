// dag(nodes): named steps with dependencies, each started as soon as its own dependencies have
// settled. Invariant: the graph is validated (unknown dependencies, cycles) before any step runs, a
// step sees all of its dependencies' results, and after a failure or cancellation no step starts.

import { checkCancelled, checkConcurrency, checkFunction, FlowError, invalid } from './errors';
import { inChild, withSpan } from './spans';
import type { FlowRuntime } from './types';

/** A step: a function (no dependencies) or `{ deps, run }`; `run` receives `{ [dep]: result }`. */
export type DagNode = ((deps: Record<string, unknown>) => unknown) | {
  deps?: readonly string[];
  run: (deps: Record<string, unknown>) => unknown;
};

export interface DagOptions {
  /** Steps in flight at once (ready steps wait in declaration order). Default Infinity. */
  concurrency?: number;
}

interface Step {
  name: string;
  deps: readonly string[];
  run: (deps: Record<string, unknown>) => unknown;
}

function normalize(nodes: Record<string, DagNode>): Step[] {
  if (nodes === null || typeof nodes !== 'object') throw invalid('dag(nodes): nodes must be an object of named steps.');
  return Object.keys(nodes).map((name) => {
    const node = nodes[name];
    if (typeof node === 'function') return { name, deps: [], run: node };
    if (node === null || typeof node !== 'object') throw invalid(`dag: step "${name}" must be a function or { deps, run }.`);
    checkFunction(`dag: step "${name}".run`, node.run);
    const deps = node.deps ?? [];
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) throw invalid(`dag: step "${name}".deps must be an array of step names.`);
    return { name, deps, run: node.run };
  });
}

/**
 * Groups steps into levels: level 0 has no dependencies, level k depends on something in level k-1.
 * Throws DagError('dag_unknown_dependency') or DagCycleError('dag_cycle', message naming the path).
 */
export function planLevels(steps: Step[]): Step[][] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  for (const s of steps) {
    for (const d of s.deps) {
      if (!byName.has(d)) {
        const known = steps.map((x) => x.name).join(', ');
        throw new FlowError('DagError', 'dag_unknown_dependency', `dag: step "${s.name}" depends on "${d}", which is not a step (steps: ${known}).`);
      }
    }
  }
  const level = new Map<string, number>();
  const visiting: string[] = [];
  const depth = (s: Step): number => {
    const known = level.get(s.name);
    if (known !== undefined) return known;
    const at = visiting.indexOf(s.name);
    if (at >= 0) {
      const cycle = [...visiting.slice(at), s.name];
      const err = new FlowError('DagCycleError', 'dag_cycle', `dag: dependency cycle ${cycle.join(' -> ')}. Remove one of these dependencies.`);
      throw Object.assign(err, { cycle });
    }
    visiting.push(s.name);
    let d = 0;
    for (const dep of s.deps) d = Math.max(d, depth(byName.get(dep) as Step) + 1);
    visiting.pop();
    level.set(s.name, d);
    return d;
  };
  const levels: Step[][] = [];
  for (const s of steps) (levels[depth(s)] ??= []).push(s);
  return levels;
}

/**
 * Runs every step once all of its dependencies have succeeded, at most `concurrency` at a time, ready
 * steps in the order they became ready (declaration order at the start). On the first failure (or
 * cancellation) no new step starts; the promise waits for the steps in flight and rejects with that
 * first error. `steps` must be acyclic with known dependencies (planLevels checks both).
 */
function runEager(rt: FlowRuntime, steps: Step[], concurrency: number, start: (s: Step) => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const waitingOn = new Map(steps.map((s) => [s.name, new Set(s.deps)]));
    const dependents = new Map<string, Step[]>(steps.map((s) => [s.name, []]));
    for (const s of steps) for (const d of new Set(s.deps)) dependents.get(d)?.push(s);
    const ready = steps.filter((s) => s.deps.length === 0);
    let running = 0;
    let succeeded = 0;
    let failed = false;
    let firstError: unknown;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      firstError = err;
    };
    const pump = (): void => {
      while (!failed && running < concurrency && ready.length) {
        const s = ready.shift() as Step;
        try {
          checkCancelled(rt);
        } catch (err) {
          fail(err);
          break;
        }
        running++;
        start(s).then(
          () => {
            running--;
            succeeded++;
            for (const next of dependents.get(s.name) ?? []) {
              const waits = waitingOn.get(next.name) as Set<string>;
              waits.delete(s.name);
              if (waits.size === 0) ready.push(next);
            }
            pump();
          },
          (err: unknown) => {
            running--;
            fail(err);
            pump();
          },
        );
      }
      if (running > 0) return;
      if (failed) reject(firstError);
      else if (succeeded === steps.length) resolve();
    };
    pump();
  });
}

export function makeDag(rt: FlowRuntime) {
  return function dag<N extends Record<string, DagNode>>(nodes: N, options: DagOptions = {}): Promise<Record<keyof N, unknown>> {
    const concurrency = options.concurrency ?? Infinity;
    return withSpan(rt, 'dag', { steps: nodes && typeof nodes === 'object' ? Object.keys(nodes).length : undefined }, async (span, end) => {
      checkConcurrency('dag: concurrency', concurrency);
      const all = normalize(nodes);
      const levels = planLevels(all);
      end.levels = levels.length;
      const levelOf = new Map<string, number>();
      levels.forEach((steps, l) => steps.forEach((s) => levelOf.set(s.name, l)));
      const results = new Map<string, unknown>();
      // Step spans carry their deps so a viewer can draw the graph; `level` is the longest path to it.
      await runEager(rt, all, concurrency, async (s) => {
        const deps = Object.fromEntries(s.deps.map((d) => [d, results.get(d)]));
        const attrs = { name: s.name, level: levelOf.get(s.name), deps: [...s.deps] };
        results.set(s.name, await inChild(rt, span, 'step', attrs, () => s.run(deps)));
      });
      return Object.fromEntries(all.map((s) => [s.name, results.get(s.name)])) as Record<keyof N, unknown>;
    });
  };
}
