// A FlowRuntime for unit tests: setTimeout-based sleep (drive it with vi.useFakeTimers()) that
// rejects on cancel, Date.now clock, seeded random, and a span recorder that keeps the span tree.

import type { FlowRuntime, FlowSpan, HelperName } from '../../../src/core/flow/types';
import { mulberry32 } from '../../../src/core/demo/random';

export interface RecordedSpan {
  id: string;
  helper: HelperName;
  attrs: Record<string, unknown>;
  parentId?: string;
  start: number;
  end?: number;
  ok?: boolean;
  endAttrs?: Record<string, unknown>;
  error?: { code: string; message: string };
  children: RecordedSpan[];
}

/** A compact tree for assertions: `helper(attrs)` with children, `!` marking a failed span. */
export interface SpanShape {
  helper: string;
  attrs?: Record<string, unknown>;
  ok?: boolean;
  children?: SpanShape[];
}

export interface TestRuntime extends FlowRuntime {
  spans: RecordedSpan[];
  roots: RecordedSpan[];
  sleeps: number[];
  cancel(): void;
  /** Sleeps started and not yet finished. */
  pending(): number;
  /** Span tree as `helper` names nested, e.g. for toEqual. */
  tree(pick?: (s: RecordedSpan) => Partial<SpanShape>): SpanShape[];
}

/** A seeded PRNG in [0, 1) (mulberry32). */
export const seeded = mulberry32;

export function createTestRuntime(opts: { random?: () => number; clearableSleep?: boolean } = {}): TestRuntime {
  let cancelled = false;
  let nextId = 1;
  const stack: string[] = [];
  const spans: RecordedSpan[] = [];
  const roots: RecordedSpan[] = [];
  const byId = new Map<string, RecordedSpan>();
  const waiting = new Set<{ timer: ReturnType<typeof setTimeout>; reject: (e: unknown) => void }>();
  const sleeps: number[] = [];
  const cancelError = () => Object.assign(new Error('The run was cancelled.'), { name: 'CancelledError', code: 'cancelled' });

  const rt: TestRuntime = {
    spans,
    roots,
    sleeps,
    sleep(ms, handle) {
      sleeps.push(ms);
      if (cancelled) return Promise.reject(cancelError());
      return new Promise<void>((resolve, reject) => {
        const entry = {
          timer: setTimeout(() => {
            waiting.delete(entry);
            resolve();
          }, ms),
          reject,
        };
        waiting.add(entry);
        if (handle && opts.clearableSleep !== false) {
          handle.cancel = () => {
            clearTimeout(entry.timer);
            waiting.delete(entry);
            resolve();
          };
        }
      });
    },
    now: () => Date.now(),
    random: opts.random ?? seeded(42),
    isCancelled: () => cancelled,
    startSpan(helper, attrs) {
      const parentId = stack[stack.length - 1];
      const rec: RecordedSpan = { id: `s${nextId++}`, helper, attrs, parentId, start: Date.now(), children: [] };
      spans.push(rec);
      byId.set(rec.id, rec);
      if (parentId) byId.get(parentId)?.children.push(rec);
      else roots.push(rec);
      const span: FlowSpan = {
        id: rec.id,
        enter(fn) {
          stack.push(rec.id);
          try {
            return fn();
          } finally {
            stack.pop();
          }
        },
        end(ok, endAttrs, error) {
          if (rec.end !== undefined) throw new Error(`span ${rec.id} (${helper}) ended twice`);
          rec.end = Date.now();
          rec.ok = ok;
          rec.endAttrs = endAttrs;
          rec.error = error;
        },
      };
      return span;
    },
    cancel() {
      cancelled = true;
      for (const w of waiting) {
        clearTimeout(w.timer);
        w.reject(cancelError());
      }
      waiting.clear();
    },
    pending: () => waiting.size,
    tree(pick = (s) => ({ attrs: s.attrs })) {
      const walk = (s: RecordedSpan): SpanShape => ({
        helper: s.helper,
        ...pick(s),
        ...(s.children.length ? { children: s.children.map(walk) } : {}),
      });
      return roots.map(walk);
    },
  };
  return rt;
}

/** Observes a promise without leaving it unhandled: `state` flips when it settles. */
export function track<T>(p: Promise<T>): { state: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } {
  const t: { state: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  p.then(
    (value) => Object.assign(t, { state: 'fulfilled', value }),
    (error: unknown) => Object.assign(t, { state: 'rejected', error }),
  );
  return t;
}

/** Random numbers from a fixed list (cycled), for exact jitter expectations. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

/** Counts work in flight and remembers the peak. */
export function inFlight(): { enter(): void; leave(): void; readonly now: number; readonly peak: number } {
  let now = 0;
  let peak = 0;
  return {
    enter() {
      now++;
      peak = Math.max(peak, now);
    },
    leave() {
      now--;
    },
    get now() {
      return now;
    },
    get peak() {
      return peak;
    },
  };
}
