// Idempotency keys of a run's tool calls: `${runKey}:${n}`, n counting logical calls from 1. Every
// attempt of one retry() makes the same logical calls, so the k-th call of each attempt gets the
// key the k-th call of the first attempt got. Invariant: calls outside a retry never share a key.

/** The helper.start fields the keys need (the bridge feeds it every helper span it hears of). */
export interface SpanStart {
  spanId: string;
  parentId?: string;
  helper: string;
}

/** A span inside a retry (or a retry itself): its logical name and what it has issued so far. */
interface Scope {
  /** The same for every attempt of a retry, and for what each attempt starts in the same order. */
  name: string;
  /** The retry span itself (its attempt children take its name). */
  isRetry: boolean;
  calls: number;
  spans: number;
}

/**
 * Assigns keys. Spans are matched by the order in which each parent issues its children, which is
 * the same in every attempt when the attempt does the same work; a call issued after an `await`
 * inside an attempt has lost its parent span (the guest has no async context), so it gets a key of
 * its own per attempt, never a wrong shared one.
 */
export class IdempotencyKeys {
  private n = 0;
  /** Only spans inside a retry are kept; everything else gets unique keys without a lookup. */
  private readonly scopes = new Map<string, Scope>();
  private readonly logical = new Map<string, string>();

  constructor(private readonly runKey: string) {}

  /** Records a helper span as it starts (before any call it parents arrives). */
  observe(e: SpanStart): void {
    const parent = e.parentId === undefined ? undefined : this.scopes.get(e.parentId);
    if (e.helper === 'attempt' && parent?.isRetry) {
      // Every attempt of one retry: the retry's name, fresh counters.
      this.scopes.set(e.spanId, { name: parent.name, isRetry: false, calls: 0, spans: 0 });
      return;
    }
    const name = parent ? `${parent.name}.s${++parent.spans}` : e.helper === 'retry' ? `r${e.spanId}` : undefined;
    if (name !== undefined) this.scopes.set(e.spanId, { name, isRetry: e.helper === 'retry', calls: 0, spans: 0 });
  }

  /** The key of a call to tool `toolIndex` issued under span `parentId` (null = top level). */
  keyFor(parentId: string | null, toolIndex: number): string {
    const scope = parentId === null ? undefined : this.scopes.get(parentId);
    if (!scope) return `${this.runKey}:${++this.n}`;
    const logical = `${scope.name}.c${++scope.calls}:${toolIndex}`;
    let key = this.logical.get(logical);
    if (key === undefined) {
      key = `${this.runKey}:${++this.n}`;
      this.logical.set(logical, key);
    }
    return key;
  }
}
