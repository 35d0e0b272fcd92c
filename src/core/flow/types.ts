// The seam between the control-flow helpers and whatever runs them. The helpers are pure code with
// no Node, DOM or QuickJS imports: they run inside the QuickJS guest (bundled into its prelude)
// and in plain Node for unit tests, each time over a FlowRuntime.

/** Helper names that produce helper spans (flow helpers, and the sandbox's host functions). */
export type HelperName =
  | 'retry'
  | 'map'
  | 'parallel'
  | 'timeout'
  | 'poll'
  | 'fallback'
  | 'race'
  | 'batch'
  | 'dag'
  | 'pipe'
  | 'attempt' // one try of retry / one branch of fallback / race / parallel
  | 'item' // one item of map / batch
  | 'level' // one level of dag
  | 'step' // one step of dag / pipe
  | 'llm' // one llm() call (host function)
  | 'search' // tools.search() inside the script (host function)
  | 'describe' // tools.describe() inside the script (host function)
  | 'skill'; // one skills.<name>() call (src/core/skills/, through RunOptions.prologue)

export interface FlowSpan {
  readonly id: string;
  /** Runs `fn` with this span as the parent of every tool call and helper started synchronously
   *  inside it (the guest has no async context, so the parent is captured at issue time). */
  enter<T>(fn: () => T): T;
  end(ok: boolean, attrs?: Record<string, unknown>, error?: { code: string; message: string }): void;
}

/** Filled in by a runtime that can clear a pending sleep early (see FlowRuntime.sleep). */
export interface FlowTimer {
  cancel?: () => void;
}

export interface FlowRuntime {
  /** Resolves after `ms`; rejects with a CancelledError-like error once the run is cancelled.
   *  Optional: when `timer` is passed, a runtime may set `timer.cancel` to a function that clears
   *  the host timer and resolves the sleep at once (timeout() calls it when the work wins, so no
   *  host timer outlives the race). Runtimes that ignore `timer` stay correct. */
  sleep(ms: number, timer?: FlowTimer): Promise<void>;
  now(): number;
  /** In [0, 1): for jitter. */
  random(): number;
  /** True once the run is cancelled or timed out: helpers must not retry or start new work. */
  isCancelled(): boolean;
  startSpan(helper: HelperName, attrs: Record<string, unknown>): FlowSpan;
}
