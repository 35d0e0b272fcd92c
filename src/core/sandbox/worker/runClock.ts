// The wall clock of one guest run: a deadline that an approval prompt can hold (paused) and that
// moves later by the time it was held. Invariant: the clock never expires while paused, and its
// timer never ends the run before the deadline (Node's timers can fire a little early).

/** Whether the clock is ticking or held, and since when. */
export type ClockState = { kind: 'ticking' } | { kind: 'paused'; at: number };

export class RunClock {
  private state: ClockState = { kind: 'ticking' };
  private timer?: NodeJS.Timeout;

  /**
   * @param deadline performance.now() when the time runs out (moves later after a pause).
   * @param onExpire Called once the timer sees the deadline passed while ticking.
   */
  constructor(
    private deadline: number,
    private readonly onExpire: () => void,
  ) {}

  get paused(): boolean {
    return this.state.kind === 'paused';
  }

  /** The time ran out at `now` (never while paused). */
  expired(now = performance.now()): boolean {
    return this.state.kind === 'ticking' && now >= this.deadline;
  }

  /** Milliseconds until the deadline (Infinity while paused). */
  remaining(now = performance.now()): number {
    return this.state.kind === 'paused' ? Infinity : this.deadline - now;
  }

  /** Starts (or restarts) the timer for the rest of the time; a no-op while paused. */
  arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.state.kind === 'paused') return;
    // Node computes a timer's expiry from the event loop's cached time, so it can fire a little
    // early: re-arm for the rest rather than end the run before its deadline.
    this.timer = setTimeout(() => (this.expired() ? this.onExpire() : this.arm()), Math.max(0, this.deadline - performance.now()));
  }

  /** Holds the clock (true) or lets it tick again (false); repeated calls are no-ops. */
  pause(paused: boolean): void {
    if (paused) {
      if (this.state.kind === 'paused') return;
      this.state = { kind: 'paused', at: performance.now() };
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.state.kind === 'ticking') return;
    this.deadline += performance.now() - this.state.at;
    this.state = { kind: 'ticking' };
    this.arm();
  }

  /** Stops the timer for good (the run is over). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
