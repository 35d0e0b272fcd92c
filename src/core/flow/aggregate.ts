// Aggregation helpers for llm() fan-out (collect, majorityVote, bestBy). Pure and import-free so
// they can also go into the sandbox's guest prelude like the flow helpers.

export interface Collected<T> {
  values: T[];
  /** One message per failed item, with its index. */
  errors: Array<{ index: number; message: string }>;
}

/** Splits settled results (from Promise.allSettled, or plain values) into values and errors. */
export function collect<T>(results: ReadonlyArray<PromiseSettledResult<T> | T>): Collected<T> {
  const out: Collected<T> = { values: [], errors: [] };
  results.forEach((r, index) => {
    const settled = r as PromiseSettledResult<T>;
    if (typeof r === 'object' && r !== null && (settled.status === 'fulfilled' || settled.status === 'rejected')) {
      if (settled.status === 'fulfilled') out.values.push(settled.value);
      else out.errors.push({ index, message: settled.reason instanceof Error ? settled.reason.message : String(settled.reason) });
    } else out.values.push(r as T);
  });
  return out;
}

export interface Vote<T> {
  /** The most frequent answer (first seen wins a tie); undefined for no votes. */
  winner: T | undefined;
  count: number;
  total: number;
  /** True when another answer had as many votes. */
  tie: boolean;
}

/** Majority vote; answers are compared by `key` (default: trimmed, lowercased text of the value). */
export function majorityVote<T>(values: readonly T[], key: (v: T) => string = defaultKey): Vote<T> {
  const counts = new Map<string, { first: T; count: number; order: number }>();
  values.forEach((v, order) => {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { first: v, count: 1, order });
  });
  let best: { first: T; count: number; order: number } | undefined;
  let tie = false;
  for (const c of counts.values()) {
    if (!best || c.count > best.count) {
      best = c;
      tie = false;
    } else if (c.count === best.count) tie = true;
  }
  return { winner: best?.first, count: best?.count ?? 0, total: values.length, tie };
}

function defaultKey(v: unknown): string {
  return (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)).trim().toLowerCase();
}

/** The value with the highest score (first wins a tie); undefined for an empty list. */
export function bestBy<T>(values: readonly T[], score: (v: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const v of values) {
    const s = score(v);
    if (best === undefined || s > bestScore) {
      best = v;
      bestScore = s;
    }
  }
  return best;
}
