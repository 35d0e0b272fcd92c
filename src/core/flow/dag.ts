// dag(nodes): named steps with dependencies, run level by level. Invariant: the graph is validated
// (unknown dependencies, cycles) before any step runs, and a level starts only when every step of
// the previous level has finished, so each step sees all of its dependencies' results.

import { checkConcurrency, checkFunction, FlowError, invalid } from './errors';
import { runPool } from './pool';
import { inChild, withSpan } from './spans';
import type { FlowRuntime } from './types';

/** A step: a function (no dependencies) or `{ deps, run }`; `run` receives `{ [dep]: result }`. */
export type DagNode = ((deps: Record<string, unknown>) => unknown) | {
  deps?: readonly string[];
  run: (deps: Record<string, unknown>) => unknown;
};

export interface DagOptions {
  /** Steps of one level in flight at once. Default Infinity. */
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

export function makeDag(rt: FlowRuntime) {
  return function dag<N extends Record<string, DagNode>>(nodes: N, options: DagOptions = {}): Promise<Record<keyof N, unknown>> {
    const concurrency = options.concurrency ?? Infinity;
    return withSpan(rt, 'dag', { steps: nodes && typeof nodes === 'object' ? Object.keys(nodes).length : undefined }, async (span, end) => {
      checkConcurrency('dag: concurrency', concurrency);
      const all = normalize(nodes);
      const levels = planLevels(all);
      end.levels = levels.length;
      const results = new Map<string, unknown>();
      for (let l = 0; l < levels.length; l++) {
        const steps = levels[l] as Step[];
        const names = steps.map((s) => s.name);
        await inChild(rt, span, 'level', { level: l, steps: names }, (levelSpan) =>
          runPool(rt, steps.length, concurrency, async (i) => {
            const s = steps[i] as Step;
            const deps = Object.fromEntries(s.deps.map((d) => [d, results.get(d)]));
            results.set(s.name, await inChild(rt, levelSpan, 'step', { name: s.name, level: l }, () => s.run(deps)));
          }),
        );
      }
      return Object.fromEntries(all.map((s) => [s.name, results.get(s.name)])) as Record<keyof N, unknown>;
    });
  };
}
