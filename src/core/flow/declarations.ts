// FLOW_DECLARATIONS: the TypeScript declarations of the flow helper globals, written into the
// generated tools.d.ts (script form: top-level `declare function`, no imports/exports).
// Keep in sync with the runtime in helpers.ts and its files; test/unit/flow/declarations.test.ts checks both.

/** Global names the sandbox installs; equal to the keys of createFlowHelpers(rt). */
export const FLOW_HELPER_NAMES = [
  'retry',
  'map',
  'parallel',
  'timeout',
  'sleep',
  'poll',
  'fallback',
  'race',
  'batch',
  'dag',
  'pipe',
] as const;

/** Declaration text of the flow helpers (ambient, for a non-module .d.ts). */
export const FLOW_DECLARATIONS = `// ---- Control-flow helpers (globals inside every ToolWeaver run) ----
// Every helper records its structure in the run's trace (attempts, items, levels, steps), and once
// the run is cancelled or times out none of them retries or starts new work: they reject with an
// error whose code is 'cancelled'.

/** An error thrown by a helper or a tool. Branch on \`code\`, never on the message. */
interface FlowError extends Error {
  /** e.g. 'timeout', 'cancelled', 'dag_cycle', 'dag_unknown_dependency', 'all_failed',
   *  'invalid_argument', or a tool error code ('tool_failed', 'invalid_arguments', …). */
  code: string;
  /** When false, retry() does not retry it unless retryOn says so (set by the sandbox for a tool that
   *  is not annotated read-only or idempotent). */
  retryable?: boolean;
}

/** Options of retry(). */
interface FlowRetryOptions {
  /** Total tries including the first. Default 3. */
  attempts?: number;
  /** Delay growth: exponential = baseMs·2^(n-1), linear = baseMs·n, fixed = baseMs. Default 'exponential'. */
  backoff?: 'exponential' | 'linear' | 'fixed';
  /** First delay in ms. Default 200. */
  baseMs?: number;
  /** Cap on any single delay in ms (before jitter). Default 5000. */
  maxMs?: number;
  /** Reduce each delay by a random fraction of up to this much (true = 0.5, false = 0). Default true. */
  jitter?: boolean | number;
  /** Decide whether to retry a failure (attempt is 1-based). Default: retry unless the error has
   *  \`retryable: false\` (a call to a tool not annotated read-only or idempotent: pass retryOn to
   *  repeat one on purpose) or code invalid_arguments / denied / cancelled / quota_exceeded /
   *  unknown_tool / invalid_argument. A cancelled run is never retried, whatever this says. */
  retryOn?: (error: FlowError, attempt: number) => boolean;
}

/** Options of map(), parallel() and batch(). */
interface FlowMapOptions {
  /** Units in flight at once. Default: map 8, parallel Infinity, batch 1. */
  concurrency?: number;
  /** Resolve with one FlowSettled per unit instead of rejecting on the first failure. Default false. */
  settle?: boolean;
}

/** The outcome of one unit when \`settle: true\`. */
type FlowSettled<T> = { ok: true; value: T } | { ok: false; error: FlowError };

/** Options of poll(). */
interface FlowPollOptions<T> {
  /** Done when this returns true. Default: the value is truthy. */
  until?: (value: T, attempt: number) => boolean | Promise<boolean>;
  /** Pause between attempts in ms. Default 1000. */
  intervalMs?: number;
  /** No attempt starts later than this many ms after the first one. Default 30000. */
  timeoutMs?: number;
}

/** One step of dag(): a function (no dependencies) or \`{ deps, run }\`. */
type FlowDagNode =
  | ((deps: Record<string, any>) => unknown)
  | { deps?: readonly string[]; run: (deps: Record<string, any>) => unknown };

/** Options of dag(). */
interface FlowDagOptions {
  /** Steps in flight at once. Default Infinity. */
  concurrency?: number;
}

/** The results of dag(), by step name. */
type FlowDagResults<N> = {
  [K in keyof N]: N[K] extends (...args: any[]) => infer R
    ? Awaited<R>
    : N[K] extends { run: (...args: any[]) => infer R }
      ? Awaited<R>
      : never;
};

/**
 * Calls \`fn\` until it succeeds, waiting between tries (exponential backoff with jitter by default).
 * Rethrows the last error when the tries are used up or the error is not retryable.
 * Never retries once the run is cancelled (throws code 'cancelled').
 * @example
 * const page = await retry((attempt) => tools.web.fetch({ url }), { attempts: 5, baseMs: 500 });
 */
declare function retry<T>(fn: (attempt: number) => T | Promise<T>, options?: FlowRetryOptions): Promise<Awaited<T>>;

/**
 * Runs \`fn\` over every item with at most \`concurrency\` (default 8) in flight; results keep input order.
 * Fail-fast: after the first failure no new item starts; it rejects with that error once the items
 * in flight have settled. With \`settle: true\` it never rejects for an item and returns
 * \`{ ok, value | error }\` per item.
 * @example
 * const issues = await map(ids, (id) => tools.github.get_issue({ id }), { concurrency: 4 });
 */
declare function map<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => R | Promise<R>, options: FlowMapOptions & { settle: true }): Promise<FlowSettled<Awaited<R>>[]>;
declare function map<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => R | Promise<R>, options?: FlowMapOptions): Promise<Awaited<R>[]>;

/**
 * Runs the functions concurrently (all at once unless \`concurrency\` is set); results keep order.
 * Fail-fast like map(); \`settle: true\` returns \`{ ok, value | error }\` per function.
 * @example
 * const [user, repos] = await parallel([() => tools.github.me({}), () => tools.github.repos({})]);
 */
declare function parallel<const F extends readonly (() => unknown)[]>(fns: F, options: FlowMapOptions & { settle: true }): Promise<{ -readonly [K in keyof F]: FlowSettled<Awaited<ReturnType<F[K]>>> }>;
declare function parallel<const F extends readonly (() => unknown)[]>(fns: F, options?: FlowMapOptions): Promise<{ -readonly [K in keyof F]: Awaited<ReturnType<F[K]>> }>;

/**
 * Resolves like \`work\` (a function, called now, or a promise) unless it takes longer than \`ms\`:
 * then rejects with a TimeoutError (code 'timeout'). The work itself is not stopped.
 * @example
 * const res = await timeout(() => tools.search.query({ q }), 5000);
 */
declare function timeout<T>(work: (() => T | Promise<T>) | Promise<T>, ms: number): Promise<Awaited<T>>;

/**
 * Waits \`ms\` milliseconds (the only timer in the sandbox). Rejects with code 'cancelled' if the run ends.
 * @example
 * await sleep(250);
 */
declare function sleep(ms: number): Promise<void>;

/**
 * Calls \`fn\` every \`intervalMs\` (default 1000) until \`until(value)\` is true (default: truthy value)
 * and returns that value. Throws a TimeoutError (code 'timeout', \`lastValue\` attached) when the next
 * attempt would start after \`timeoutMs\` (default 30000). Errors from \`fn\` are not retried.
 * @example
 * const job = await poll(() => tools.ci.get_job({ id }), { until: (j) => j.status === 'done', intervalMs: 2000 });
 */
declare function poll<T>(fn: (attempt: number) => T | Promise<T>, options?: FlowPollOptions<Awaited<T>>): Promise<Awaited<T>>;

/**
 * Tries the functions one after another and returns the first success. If all fail, throws an
 * AggregateError (code 'all_failed') whose \`errors\` holds every failure in order.
 * @example
 * const text = await fallback(() => tools.cache.get({ key }), () => tools.web.fetch({ url }));
 */
declare function fallback<T>(...fns: Array<() => T | Promise<T>>): Promise<Awaited<T>>;

/**
 * Starts all contenders (functions are called now) and settles like the first to settle, success
 * or failure (Promise.race semantics; use Promise.any for the first success). The others keep running.
 * @example
 * const fastest = await race(() => tools.mirrorA.get({ id }), () => tools.mirrorB.get({ id }));
 */
declare function race<T>(...contenders: Array<(() => T | Promise<T>) | Promise<T>>): Promise<Awaited<T>>;

/**
 * Splits \`items\` into chunks of \`size\` and calls \`fn(chunk, index)\` per chunk, one chunk at a time
 * unless \`concurrency\` is set; returns the per-chunk results in order. Fail-fast like map().
 * @example
 * await batch(rows, 50, (chunk) => tools.db.insert_many({ rows: chunk }));
 */
declare function batch<T, R>(items: Iterable<T> | ArrayLike<T>, size: number, fn: (chunk: T[], index: number) => R | Promise<R>, options: FlowMapOptions & { settle: true }): Promise<FlowSettled<Awaited<R>>[]>;
declare function batch<T, R>(items: Iterable<T> | ArrayLike<T>, size: number, fn: (chunk: T[], index: number) => R | Promise<R>, options?: FlowMapOptions): Promise<Awaited<R>[]>;

/**
 * Runs named steps with dependencies, each as soon as its own dependencies have succeeded (a step
 * that needs only a fast step does not wait for an unrelated slow one). Each step's \`run\` receives
 * \`{ [dep]: result }\` of its deps. Returns every result by name. Throws code 'dag_cycle' (message
 * names the cycle, e.g. \`a -> b -> a\`) or 'dag_unknown_dependency' before running anything; a
 * failing step rejects with its own error once the steps in flight settle, and no further step starts.
 * The trace records one span per step with its \`deps\`.
 * @example
 * const r = await dag({
 *   user: () => tools.github.me({}),
 *   repos: { deps: ['user'], run: ({ user }) => tools.github.repos({ owner: user.login }) },
 * });
 */
declare function dag<N extends Record<string, FlowDagNode>>(nodes: N, options?: FlowDagOptions): Promise<FlowDagResults<N>>;

/**
 * Passes \`input\` (awaited) through the steps in order: each step gets the previous result.
 * Returns a promise of the last result.
 * @example
 * const summary = await pipe({ q: 'quickjs' }, (a) => tools.search.query(a), (r) => r.items.slice(0, 3));
 */
declare function pipe<A>(input: A | Promise<A>): Promise<A>;
declare function pipe<A, B>(input: A | Promise<A>, f1: (a: A) => B | Promise<B>): Promise<Awaited<B>>;
declare function pipe<A, B, C>(input: A | Promise<A>, f1: (a: A) => B | Promise<B>, f2: (b: Awaited<B>) => C | Promise<C>): Promise<Awaited<C>>;
declare function pipe<A, B, C, D>(input: A | Promise<A>, f1: (a: A) => B | Promise<B>, f2: (b: Awaited<B>) => C | Promise<C>, f3: (c: Awaited<C>) => D | Promise<D>): Promise<Awaited<D>>;
declare function pipe<A, B, C, D, E>(input: A | Promise<A>, f1: (a: A) => B | Promise<B>, f2: (b: Awaited<B>) => C | Promise<C>, f3: (c: Awaited<C>) => D | Promise<D>, f4: (d: Awaited<D>) => E | Promise<E>): Promise<Awaited<E>>;
declare function pipe<A, B, C, D, E, F>(input: A | Promise<A>, f1: (a: A) => B | Promise<B>, f2: (b: Awaited<B>) => C | Promise<C>, f3: (c: Awaited<C>) => D | Promise<D>, f4: (d: Awaited<D>) => E | Promise<E>, f5: (e: Awaited<E>) => F | Promise<F>): Promise<Awaited<F>>;
declare function pipe(input: unknown, ...fns: Array<(value: any) => unknown>): Promise<any>;
`;
