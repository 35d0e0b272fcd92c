// The functions the worker installs as `globalThis.__tw` for the prelude (and only the prelude: it
// removes them before the script runs). Keep in sync with installHostApi in ../guestRun.ts.

import type { ToolLayout } from '../protocol';

export interface GuestHostApi {
  /** Queues one tool call; results come back through `settle`. `header` is
   *  `id,toolIndex,line,parentId,kind` (empty fields when unknown); kind `a`: payload is the
   *  arguments' JSON text, `e`: payload says why the arguments could not be serialized. */
  call(header: string, payload: string): void;
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
  register(settle: (batch: string) => void, start: (fn: () => Promise<unknown>) => void, describe: (e: unknown) => string): void;
}

/** JSON text in `globalThis.__tw_config`. */
export interface GuestConfig {
  layout: ToolLayout;
  maxResultBytes: number;
  maxLogBytes: number;
  /** Read the script line of each tool call from a guest stack (costs a few µs per call). */
  captureLines: boolean;
}
