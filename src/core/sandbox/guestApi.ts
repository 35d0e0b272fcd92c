// The functions the worker installs as `globalThis.__tw` for the prelude (and only the prelude: it
// removes them before the script runs). Keep in sync with installHostApi in ./worker/engine.ts.

import type { ToolLayout } from './protocol';

export interface GuestHostApi {
  /** Settles pending id `id` with undefined after `ms` (clamped to the run's clock). */
  sleep(id: number, ms: number): void;
  /** Clears a pending sleep and settles it now. */
  cancelSleep(id: number): void;
  /** `text` is what fits the budget; `fullLength` the length before cutting (the rest is dropped). */
  log(level: string, text: string, fullLength: number): void;
  /** helper.start / helper.end as JSON text; the worker adds the time. */
  event(json: string): void;
  /** 0: value (JSON text or undefined); 1: thrown value; 2: limit code, message (and the error). */
  finish(kind: 0 | 1 | 2, a?: unknown, b?: unknown, c?: unknown): void;
  cancelled(): boolean;
  /** The script exceeded maxToolCalls: the run ends with quota_exceeded. */
  quota(): void;
  register(
    settle: (batch: string) => void,
    start: (fn: () => Promise<unknown>) => void,
    describe: (e: unknown) => string,
    configure: (configJson: string) => void,
    drain: () => string,
  ): void;
}

/** Passed (as JSON text) to the prelude's `configure` at the start of a run. Tool calls are not
 *  host calls: the prelude queues them and the worker takes them with `drain` after each turn, as
 *  strings joined by \u0001: header, payload, header, payload… The header is
 *  `toolIndex,line,parentId,kind` (empty fields when unknown); kind `a`: the payload is the
 *  arguments' JSON text, `e`: why they could not be serialized. Call ids are implicit: 1, 2, 3…
 *  in order (the host counts them). */
export interface GuestConfig {
  layout: ToolLayout;
  maxResultBytes: number;
  maxLogBytes: number;
  maxToolCalls: number;
  /** Read the script line of each tool call from a guest stack (costs a few µs per call). */
  captureLines: boolean;
  /** A prologue follows configure (RunOptions.prologue): install its one-shot `__twPrologue`. */
  prologue?: boolean;
}
