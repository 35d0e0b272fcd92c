// The per-call timeout of one dispatched tool call: a deadline in the run's FIFO that stops while a
// person decides an approval and starts afresh on progress or once the call may go on. Invariant:
// after `stop` (the call settled) or after the run closed, the timeout never fires.

import type { ApprovalPause } from './approvalPause';
import type { Deadline, Deadlines } from './deadlines';

export class CallClock {
  private deadline: Deadline;
  private stopped = false;
  /** An approval prompt for this call is open: no deadline runs. */
  private waiting = false;

  constructor(
    private readonly deadlines: Deadlines,
    private readonly onTimeout: () => void,
    private readonly approvalPause: ApprovalPause,
    private readonly isClosed: () => boolean,
  ) {
    this.deadline = deadlines.add(onTimeout);
  }

  /** The invoker's approval hook: 'pending' stops the timer (and the run's clock), 'settled' restarts it. */
  readonly onApproval = (state: 'pending' | 'settled'): void => {
    if (state === 'pending' ? this.waiting : !this.waiting) return;
    this.waiting = state === 'pending';
    this.approvalPause.update(state);
    if (this.stopped || this.isClosed()) return;
    if (this.waiting) this.deadline.done = true;
    else this.deadline = this.deadlines.add(this.onTimeout);
  };

  /** A progress notification means the tool is working: its timeout starts afresh. */
  readonly onProgress = (): void => {
    if (this.stopped || this.waiting || this.isClosed()) return;
    this.deadline.done = true;
    this.deadline = this.deadlines.add(this.onTimeout);
  };

  /** The call settled; returns false when it had already (settle exactly once). */
  stop(): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    this.deadline.done = true;
    return true;
  }
}
