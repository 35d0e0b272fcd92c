// Per-server throttling shared by every run of one Sandbox: a token bucket (rps with burst) and a
// concurrency cap. Invariant: a call waits for both, in FIFO order; an aborted waiter leaves the
// queue at once and never takes a slot.

import type { ServerLimits } from '../../catalog/types';

/** Gives back the concurrency slot; call exactly once. */
export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

interface ServerState {
  limits: ServerLimits;
  tokens: number;
  refilledAt: number;
  active: number;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

export class ServerLimiter {
  private readonly states = new Map<string, ServerState>();

  /**
   * Takes a token and a slot for `server`. Returns `undefined` synchronously when the server has
   * no limits (the fast path), else a promise of the release function.
   */
  acquire(server: string, limits: ServerLimits | undefined, signal: AbortSignal): Promise<Release> | undefined {
    if (!limits || (limits.rps === undefined && limits.maxConcurrency === undefined)) return undefined;
    const state = this.state(server, limits);
    return new Promise<Release>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = state.waiters.indexOf(waiter);
          if (i !== -1) state.waiters.splice(i, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      state.waiters.push(waiter);
      this.drain(state);
    });
  }

  /** Clears timers (the sandbox is being disposed). */
  dispose(): void {
    for (const s of this.states.values()) clearTimeout(s.timer);
    this.states.clear();
  }

  private state(server: string, limits: ServerLimits): ServerState {
    let s = this.states.get(server);
    if (!s) {
      s = { limits, tokens: burstOf(limits), refilledAt: performance.now(), active: 0, waiters: [] };
      this.states.set(server, s);
    } else if (!sameLimits(s.limits, limits)) {
      s.limits = limits;
      s.tokens = Math.min(s.tokens, burstOf(limits));
    }
    return s;
  }

  private drain(s: ServerState): void {
    const { rps, maxConcurrency } = s.limits;
    if (rps !== undefined && rps > 0) {
      const now = performance.now();
      s.tokens = Math.min(burstOf(s.limits), s.tokens + ((now - s.refilledAt) / 1000) * rps);
      s.refilledAt = now;
    }
    while (s.waiters.length) {
      if (maxConcurrency !== undefined && s.active >= Math.max(1, maxConcurrency)) return;
      if (rps !== undefined && rps > 0 && s.tokens < 1) {
        if (!s.timer) {
          const wait = ((1 - s.tokens) / rps) * 1000;
          s.timer = setTimeout(() => {
            s.timer = undefined;
            this.drain(s);
          }, Math.ceil(wait));
        }
        return;
      }
      const w = s.waiters.shift() as Waiter;
      w.signal.removeEventListener('abort', w.onAbort);
      if (rps !== undefined && rps > 0) s.tokens -= 1;
      s.active++;
      w.resolve(this.releaser(s));
    }
  }

  private releaser(s: ServerState): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      s.active--;
      this.drain(s);
    };
  }
}

function burstOf(limits: ServerLimits): number {
  return Math.max(1, limits.burst ?? limits.rps ?? 1);
}

function sameLimits(a: ServerLimits, b: ServerLimits): boolean {
  return a.rps === b.rps && a.burst === b.burst && a.maxConcurrency === b.maxConcurrency;
}
