// Shares a fixed number of run slots between sessions (MCP clients, chat requests): when every slot
// is busy, a freed slot goes to the waiting session with the fewest runs in progress, then to the one
// served least recently (round robin), FIFO within a session; so one busy or runaway session cannot
// starve the others.
// Invariant: at most `concurrency` slots are held at once; a waiter whose signal aborts never gets one.

/** Gives a slot back; safe to call twice. */
export type ReleaseSlot = () => void;

export interface FairScheduler {
  /** Waits for a slot for session `key`; undefined when `signal` aborted first (nothing to release). */
  acquire(key: string, signal?: AbortSignal): Promise<ReleaseSlot | undefined>;
  /** Slots held now. */
  readonly running: number;
  /** Waiters, all sessions together. */
  readonly queued: number;
  readonly concurrency: number;
}

interface Waiter {
  key: string;
  seq: number;
  grant(release: ReleaseSlot): void;
}

/** Creates a scheduler with `concurrency` slots (at least 1). */
export function createFairScheduler(concurrency: number): FairScheduler {
  const slots = Math.max(1, Math.floor(concurrency));
  const runningByKey = new Map<string, number>();
  /** Grant number of each session's latest slot; forgotten when the session is idle. */
  const lastGrant = new Map<string, number>();
  let grants = 0;
  const waiting: Waiter[] = [];
  let running = 0;
  let seq = 0;

  const take = (key: string): ReleaseSlot => {
    running++;
    lastGrant.set(key, grants++);
    runningByKey.set(key, (runningByKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running--;
      const left = (runningByKey.get(key) ?? 1) - 1;
      if (left > 0) runningByKey.set(key, left);
      else runningByKey.delete(key);
      next();
      if (!runningByKey.has(key) && !waiting.some((w) => w.key === key)) lastGrant.delete(key);
    };
  };

  /** Orders waiters: fewest slots held by the session, then the session served longest ago, then the
   *  oldest waiter (so within one session runs keep their order). */
  const before = (w: Waiter, b: Waiter): boolean => {
    const wr = runningByKey.get(w.key) ?? 0;
    const br = runningByKey.get(b.key) ?? 0;
    if (wr !== br) return wr < br;
    const wg = lastGrant.get(w.key) ?? -1;
    const bg = lastGrant.get(b.key) ?? -1;
    if (wg !== bg) return wg < bg;
    return w.seq < b.seq;
  };

  const next = (): void => {
    while (running < slots && waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < waiting.length; i++) if (before(waiting[i] as Waiter, waiting[best] as Waiter)) best = i;
      const [w] = waiting.splice(best, 1) as [Waiter];
      w.grant(take(w.key));
    }
  };

  return {
    acquire(key, signal) {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (running < slots && waiting.length === 0) return Promise.resolve(take(key));
      return new Promise((resolve) => {
        const onAbort = (): void => {
          const i = waiting.indexOf(waiter);
          if (i !== -1) waiting.splice(i, 1);
          resolve(undefined);
        };
        const waiter: Waiter = {
          key,
          seq: seq++,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        waiting.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
    concurrency: slots,
  };
}
