// Per-call timeouts of one run with a single timer: every call of a run has the same timeout, so
// deadlines arrive in FIFO order. Invariant: a deadline fires at most once, never after `done`
// is set or after `clear`.

export interface Deadline {
  /** Set when the call settled; the deadline is then skipped. */
  done: boolean;
}

interface Entry extends Deadline {
  at: number;
  fire: () => void;
}

export class Deadlines {
  private entries: Entry[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ms: number) {}

  /** Calls `fire` after the timeout unless the returned deadline is marked done first. */
  add(fire: () => void): Deadline {
    const e: Entry = { at: performance.now() + this.ms, fire, done: false };
    this.entries.push(e);
    if (!this.timer) this.arm();
    return e;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let i = this.head; i < this.entries.length; i++) (this.entries[i] as Entry).done = true;
    this.entries = [];
    this.head = 0;
  }

  private arm(): void {
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).done) this.head++;
    if (this.head >= this.entries.length) {
      this.entries = [];
      this.head = 0;
      this.timer = undefined;
      return;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    const next = this.entries[this.head] as Entry;
    this.timer = setTimeout(() => this.expire(), Math.max(0, next.at - performance.now()));
  }

  private expire(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.head < this.entries.length) {
      const e = this.entries[this.head] as Entry;
      if (!e.done && e.at > now) break;
      this.head++;
      if (!e.done) {
        e.done = true;
        e.fire();
      }
    }
    if (!this.timer) this.arm();
  }
}
