// Checkpoints of a trace in progress: the recorder's snapshot rewritten while the run goes on, so a
// host that dies mid-run leaves the events so far on disk. Invariant: at most one write in flight,
// at most one per interval, a trailing write after the last change, and none starts after stop().
import { describeCause } from '../errors';
import type { Logger } from '../ports';

export interface CheckpointOptions {
  /** Writes the current snapshot (e.g. `store.put(recorder.snapshot())`). */
  write(): Promise<unknown>;
  /** Least time between two writes; 0 (or less) = never write. */
  intervalMs: number;
  /** Told when a write fails (the run goes on; the next change tries again). */
  logger: Logger;
  /** Names the trace in that warning. */
  traceId: string;
  /** Milliseconds; default Date.now. */
  now?: () => number;
}

export interface Checkpoints {
  /** Something changed: write it within `intervalMs` of the previous write. */
  touch(): void;
  /** No more writes; resolves when the write in flight (if any) has settled. Never rejects. */
  stop(): Promise<void>;
}

/** A checkpoint scheduler for one run's trace. */
export function createCheckpoints(opts: CheckpointOptions): Checkpoints {
  const now = opts.now ?? Date.now;
  let last = now();
  let writing = false;
  let dirty = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writes: Promise<void> = Promise.resolve();

  const flush = (): void => {
    timer = undefined;
    if (stopped || !dirty) return;
    dirty = false;
    writing = true;
    writes = writes
      .then(() => opts.write())
      .then(
        () => undefined,
        (err: unknown) => opts.logger.warn(`Could not checkpoint trace ${opts.traceId}: ${describeCause(err)}`),
      )
      .finally(() => {
        writing = false;
        last = now();
        if (dirty) touch();
      });
  };
  const touch = (): void => {
    if (opts.intervalMs <= 0 || stopped) return;
    dirty = true;
    if (writing || timer) return;
    timer = setTimeout(flush, Math.max(0, last + opts.intervalMs - now()));
  };
  return {
    touch,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await writes;
    },
  };
}
