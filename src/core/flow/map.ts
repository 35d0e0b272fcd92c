// map, parallel and batch: bounded-concurrency fan-out over a list. Invariant: results come back in
// input order, at most `concurrency` units are in flight, and nothing new starts after a failure or
// cancellation (fail-fast waits for the units in flight to settle, then rejects with the first error).

import { checkConcurrency, checkFunction, invalid } from './errors';
import { runPool } from './pool';
import { inChild, withSpan, type EndAttrs } from './spans';
import type { FlowRuntime, FlowSpan, HelperName } from './types';

/** One outcome of a settled unit (`settle: true`). */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface MapOptions {
  /** Units in flight at once. Default 8 for map, Infinity for parallel, 1 for batch. */
  concurrency?: number;
  /** Never reject for a unit's failure: resolve with `{ ok, value | error }` per unit. Default false. */
  settle?: boolean;
}

/** The shared engine: runs `run(i)` for i < n under `child` spans of a helper span. */
async function fanOut<R>(
  rt: FlowRuntime,
  span: FlowSpan,
  n: number,
  concurrency: number,
  settle: boolean,
  end: EndAttrs,
  child: HelperName,
  attrs: (i: number) => Record<string, unknown>,
  run: (i: number) => R | PromiseLike<R>,
): Promise<Array<Awaited<R>> | Array<Settled<Awaited<R>>>> {
  const out: unknown[] = new Array(n);
  let failed = 0;
  await runPool(rt, n, concurrency, async (i) => {
    try {
      const value = await inChild(rt, span, child, attrs(i), () => run(i));
      out[i] = settle ? { ok: true, value } : value;
    } catch (error) {
      end.failed = ++failed;
      if (!settle || rt.isCancelled()) throw error;
      out[i] = { ok: false, error };
    }
  });
  return out as Array<Awaited<R>>;
}

/** The items as an array, or undefined when they are not an array/iterable (reported in the body). */
function asArray<T>(items: Iterable<T> | ArrayLike<T>): T[] | undefined {
  if (Array.isArray(items)) return items;
  try {
    return items !== null && typeof items === 'object' ? Array.from(items) : undefined;
  } catch {
    return undefined;
  }
}

function checkList<T>(what: string, list: T[] | undefined): asserts list is T[] {
  if (!list) throw invalid(`${what} must be an array or iterable.`);
}

export function makeMap(rt: FlowRuntime) {
  function map<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => R | PromiseLike<R>, options: MapOptions & { settle: true }): Promise<Array<Settled<Awaited<R>>>>;
  function map<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => R | PromiseLike<R>, options?: MapOptions): Promise<Array<Awaited<R>>>;
  function map<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => R | PromiseLike<R>, options: MapOptions = {}) {
    const concurrency = options.concurrency ?? 8;
    const list = asArray(items);
    return withSpan(rt, 'map', { items: list?.length, concurrency }, async (span, end) => {
      checkList('map(items)', list);
      checkFunction('map(items, fn): fn', fn);
      checkConcurrency('map: concurrency', concurrency);
      return fanOut(rt, span, list.length, concurrency, options.settle === true, end, 'item', (index) => ({ index }), (i) => fn(list[i] as T, i));
    });
  }
  return map;
}

export function makeParallel(rt: FlowRuntime) {
  function parallel<R>(fns: ReadonlyArray<() => R | PromiseLike<R>>, options: MapOptions & { settle: true }): Promise<Array<Settled<Awaited<R>>>>;
  function parallel<R>(fns: ReadonlyArray<() => R | PromiseLike<R>>, options?: MapOptions): Promise<Array<Awaited<R>>>;
  function parallel<R>(fns: ReadonlyArray<() => R | PromiseLike<R>>, options: MapOptions = {}) {
    const concurrency = options.concurrency ?? Infinity;
    const list = asArray(fns);
    return withSpan(rt, 'parallel', { count: list?.length, concurrency }, async (span, end) => {
      checkList('parallel(fns)', list);
      list.forEach((f, i) => checkFunction(`parallel(fns): fns[${i}]`, f));
      checkConcurrency('parallel: concurrency', concurrency);
      return fanOut(rt, span, list.length, concurrency, options.settle === true, end, 'attempt', (index) => ({ index }), (i) => (list[i] as () => R)());
    });
  }
  return parallel;
}

export function makeBatch(rt: FlowRuntime) {
  function batch<T, R>(items: Iterable<T> | ArrayLike<T>, size: number, fn: (chunk: T[], index: number) => R | PromiseLike<R>, options: MapOptions & { settle: true }): Promise<Array<Settled<Awaited<R>>>>;
  function batch<T, R>(items: Iterable<T> | ArrayLike<T>, size: number, fn: (chunk: T[], index: number) => R | PromiseLike<R>, options?: MapOptions): Promise<Array<Awaited<R>>>;
  function batch<T, R>(items: Iterable<T> | ArrayLike<T>, size: number, fn: (chunk: T[], index: number) => R | PromiseLike<R>, options: MapOptions = {}) {
    const concurrency = options.concurrency ?? 1;
    const list = asArray(items);
    return withSpan(rt, 'batch', { items: list?.length, size, concurrency }, async (span, end) => {
      checkList('batch(items)', list);
      if (!Number.isInteger(size) || size < 1) throw invalid(`batch: size must be an integer ≥ 1, got ${String(size)}.`);
      checkFunction('batch(items, size, fn): fn', fn);
      checkConcurrency('batch: concurrency', concurrency);
      const chunks: T[][] = [];
      for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
      end.batches = chunks.length;
      return fanOut(rt, span, chunks.length, concurrency, options.settle === true, end, 'item', (index) => ({ index, size: chunks[index]?.length }), (i) => fn(chunks[i] as T[], i));
    });
  }
  return batch;
}
