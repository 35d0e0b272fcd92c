// A bounded worker pool over indices 0..n-1, shared by map, parallel and batch.
// Invariant: never more than `limit` tasks in flight, none started after a failure or cancellation.

import { checkCancelled } from './errors';
import type { FlowRuntime } from './types';

/**
 * Runs `task(i)` for i in 0..n-1 with at most `limit` in flight, in index order of start. The first
 * `min(limit, n)` tasks start synchronously. On the first failure no new task starts; the returned
 * promise waits for the tasks in flight to settle and then rejects with that first error (fail-fast
 * without orphaned work). Cancellation stops new starts the same way with a CancelledError.
 */
export async function runPool(
  rt: FlowRuntime,
  n: number,
  limit: number,
  task: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const fail = (err: unknown): void => {
    if (!failed) {
      failed = true;
      firstError = err;
    }
  };
  const worker = async (): Promise<void> => {
    while (next < n && !failed) {
      const i = next++;
      try {
        checkCancelled(rt);
        await task(i);
      } catch (err) {
        fail(err);
      }
    }
  };
  if (limit >= n) {
    // Everything starts now: one promise per task, no worker loops (parallel() over many fns).
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < n && !failed; i++) {
      try {
        checkCancelled(rt);
        all.push(task(i).catch(fail));
      } catch (err) {
        fail(err);
      }
    }
    await Promise.all(all);
    if (failed) throw firstError;
    return;
  }
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.min(limit, n); w++) workers.push(worker());
  await Promise.all(workers);
  if (failed) throw firstError;
}
