// Stops a run's wall clock while approval prompts are open, so a person deciding does not eat the
// script's time budget. Invariant: the total pause per run never exceeds its cap; after the cap the
// clock runs even with a prompt open.

export class ApprovalPause {
  /** Prompts open (or queued) right now. */
  private prompts = 0;
  private pausedSince: number | null = null;
  private pausedTotal = 0;
  private cap?: NodeJS.Timeout;
  private closed = false;

  /**
   * @param pause stops (true) / restarts (false) the run's clock; absent = never pause.
   * @param maxPauseMs most total pause per run; 0 = never pause.
   */
  constructor(
    private readonly pause: ((paused: boolean) => void) | undefined,
    private readonly maxPauseMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** An approval prompt opened ('pending') or closed ('settled') for some call of the run. */
  update(state: 'pending' | 'settled'): void {
    if (state === 'pending') {
      if (++this.prompts === 1) this.start();
    } else if (this.prompts > 0 && --this.prompts === 0) this.end();
  }

  /** Total milliseconds the clock has stood still so far. */
  get totalMs(): number {
    return this.pausedTotal + (this.pausedSince === null ? 0 : this.now() - this.pausedSince);
  }

  /** The run is over: no more pausing; the clock is not restarted. */
  close(): void {
    this.closed = true;
    clearTimeout(this.cap);
  }

  private start(): void {
    const left = this.maxPauseMs - this.pausedTotal;
    if (this.closed || left <= 0 || !this.pause || this.pausedSince !== null) return;
    this.pausedSince = this.now();
    this.pause(true);
    this.cap = setTimeout(() => this.end(), left);
  }

  private end(): void {
    if (this.pausedSince === null) return;
    clearTimeout(this.cap);
    this.pausedTotal += this.now() - this.pausedSince;
    this.pausedSince = null;
    if (!this.closed) this.pause?.(false);
  }
}
