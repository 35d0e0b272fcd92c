// The guest's pending sleep() calls, each held by one host timer. Invariants: a sleep settles at
// most once (woken or cancelled), never before its wake-up time; the number pending is bounded by
// the caller (maxPendingSleeps), so host memory is.

import { MAX_TIMER_MS } from '../limits';

export class GuestSleeps {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  /** @param onSettle Called with the id of a sleep that woke (after its timer) or was cancelled. */
  constructor(private readonly onSettle: (id: number, woke: boolean) => void) {}

  get size(): number {
    return this.timers.size;
  }

  /** A sleep that would wake after the run's deadline is not clamped: the run's clock ends the
   *  run first, and a wake-up after the deadline never lets the guest continue (see GuestRun.pump). */
  add(id: number, ms: number): void {
    this.arm(id, performance.now() + Math.max(0, ms));
  }

  private arm(id: number, wakeAt: number): void {
    const wait = Math.min(Math.max(0, wakeAt - performance.now()), MAX_TIMER_MS);
    this.timers.set(
      id,
      setTimeout(() => {
        if (!this.timers.has(id)) return;
        // Early (the loop's cached time) or cut at MAX_TIMER_MS: wait for the rest.
        if (performance.now() < wakeAt - 1) return this.arm(id, wakeAt);
        this.timers.delete(id);
        this.onSettle(id, true);
      }, wait),
    );
  }

  /** Settles sleep `id` now (the guest cancelled it); unknown ids are ignored. */
  cancel(id: number): void {
    const t = this.timers.get(id);
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(id);
    this.onSettle(id, false);
  }

  /** Drops every pending sleep without settling it (the run is over). */
  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
