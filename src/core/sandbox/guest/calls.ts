// The guest side of the tool bridge: calls are queued with their pending promises (the worker
// drains the queue once per turn and settles them from JSON batches; sleeps settle the same way).
// Invariant: every call id settles at most once; values leave only as JSON text made here.

import type { GuestConfig, GuestHostApi } from '../guestApi';
import { ToolError } from './errors';
import { apply, arrayJoin, create, ErrorCtor, isArray, parse, PromiseCtor, regexpExec, safeMessage, stringify, stringReplace } from './intrinsics';
import type { FlowTimer } from '../../flow/types';

type Settler = [resolve: (v: unknown) => void, reject: (e: unknown) => void, line: number | null];

const CONTROL_RE = /[\u0000-\u0002]/g;
const LINE_RE = /script\.ts:(\d+)/;
/** Calls per run whose script line is captured (see callTool). */
const LINE_CALLS = 100;

export function typeName(v: unknown): string {
  return v === null ? 'null' : isArray(v) ? 'an array' : typeof v;
}

export function rejected(e: Error): Promise<never> {
  return new PromiseCtor<never>((_, rej) => rej(e));
}

/** The script line of the code that called into the prelude (from a fresh stack), or null. */
export function callerLine(): number | null {
  try {
    const stack = new ErrorCtor().stack;
    const m = typeof stack === 'string' ? (apply(regexpExec, LINE_RE, [stack]) as RegExpExecArray | null) : null;
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The call queue of one engine (the prelude makes one). `config` is read on every call: the
 *  worker replaces it at the start of each run (see setConfig). */
export function createGuestCalls(host: GuestHostApi) {
  let config: GuestConfig = { layout: [], maxResultBytes: 0, maxLogBytes: 0, maxToolCalls: 0, captureLines: true };
  const pending: Record<number, Settler | undefined> = create(null) as Record<number, Settler | undefined>;
  /** Sleeps, keyed by -id: QuickJS keeps small non-negative integer keys as tagged ints, while a
   *  negative key would intern a new string atom per sleep. */
  const sleepsPending: Record<number, Settler | undefined> = create(null) as Record<number, Settler | undefined>;
  /** Call ids run 1, 2, 3… in issue order (the host counts them the same way); sleeps use -1, -2… */
  let callSeq = 0;
  let sleepSeq = 0;
  let callCount = 0;
  /** Calls issued since the worker last drained: header, payload, header, payload… */
  let queued: string[] = [];
  /** Per tool index, the header of a call without line or parent span (the common case). */
  let plainHeaders: string[] = [];
  let currentParent: string | null = null;

  /** Registers a pending settlement and returns its promise. */
  function newPending(id: number, line: number | null): Promise<unknown> {
    return new PromiseCtor<unknown>((res, rej) => {
      if (id < 0) sleepsPending[-id] = [res, rej, line];
      else pending[id] = [res, rej, line];
    });
  }

  function callTool(index: number, input: unknown): Promise<unknown> {
    let argsJson: string | null = null;
    let argsError: string | null = null;
    if (input === undefined) argsJson = '{}';
    else if (input === null || typeof input !== 'object' || isArray(input)) {
      argsError = `Tool arguments must be an object, not ${typeName(input)}.`;
    } else {
      try {
        const text: unknown = stringify(input);
        if (typeof text === 'string') argsJson = text;
        else argsError = 'Tool arguments could not be converted to JSON.';
      } catch (e) {
        argsError = `Tool arguments are not JSON-serializable: ${safeMessage(e)}`;
      }
    }
    if (++callCount > config.maxToolCalls) {
      host.quota();
      return new PromiseCtor<unknown>(() => undefined);
    }
    // A guest stack costs more than the rest of a call: lines for the first calls only (a fan-out
    // issues its calls from one line anyway).
    const line = config.captureLines && callCount <= LINE_CALLS ? callerLine() : null;
    const p = newPending(++callSeq, line);
    if (argsJson !== null && line === null && currentParent === null) {
      queued[queued.length] = plainHeaders[index] as string;
      queued[queued.length] = argsJson;
    } else {
      queued[queued.length] = `${index},${line ?? ''},${currentParent ?? ''},${argsJson === null ? 'e' : 'a'}`;
      // JSON text never holds raw control characters; an error message might.
      queued[queued.length] = argsJson ?? (apply(stringReplace, argsError ?? 'Tool arguments are invalid.', [CONTROL_RE, ' ']) as string);
    }
    return p;
  }

  /** Host functions (tools.search, tools.describe, llm): queued like tool calls with a negative
   *  index and the JSON array of their (already sanitized) arguments; not counted as tool calls. */
  function callHost(fn: number, args: unknown[]): Promise<unknown> {
    const line = config.captureLines ? callerLine() : null;
    const p = newPending(++callSeq, line);
    queued[queued.length] = `${-fn},${line ?? ''},${currentParent ?? ''},a`;
    queued[queued.length] = stringify(args) as string;
    return p;
  }

  /** Called by the worker after each turn: every queued call, in order, as one string (header and
   *  payload strings joined by \u0001). */
  function drain(): string {
    if (queued.length === 0) return '';
    const text = apply(arrayJoin, queued, ['\u0001']) as string;
    queued = [];
    return text;
  }

  /** Called by the worker with a JSON batch `[[id, 1, value] | [id, 0, errorInfo] | [id, 2]]`. */
  function settle(batchText: string): void {
    const batch = parse(batchText) as Array<[number, number, unknown]>;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i] as [number, number, unknown];
      const id = item[0];
      const table = id < 0 ? sleepsPending : pending;
      const key = id < 0 ? -id : id;
      const s = table[key];
      if (!s) continue;
      delete table[key];
      if (item[1] === 1) s[0](item[2]);
      else if (item[1] === 2) s[0](undefined);
      else {
        const err = new ToolError(item[2] as ConstructorParameters<typeof ToolError>[0]);
        // Built here, its own stack would point into the prelude: point at the calling line.
        if (s[2] !== null) {
          const fn = err.server === 'llm' ? 'llm' : err.server === 'toolweaver' ? `tools.${err.tool}` : `tools.${err.server}.${err.tool}`;
          err.stack = `    at ${fn} (script.ts:${s[2]})\n`;
        }
        s[1](err);
      }
    }
  }

  function sleepFor(ms: number, timer?: FlowTimer): Promise<void> {
    let wait = Number(ms);
    if (!(wait >= 0)) wait = 0;
    const id = -++sleepSeq;
    const p = newPending(id, null);
    host.sleep(id, wait);
    if (timer) timer.cancel = () => host.cancelSleep(id);
    return p as Promise<void>;
  }

  return {
    callTool,
    callHost,
    drain,
    settle,
    sleepFor,
    /** The run's limits and layout (tools' headers are precomputed per index). */
    setConfig(c: GuestConfig): void {
      config = c;
      plainHeaders = [];
      for (const [, list] of c.layout) for (const [, index] of list) plainHeaders[index] = `${index},,,a`;
    },
    get config(): GuestConfig {
      return config;
    },
    /** The helper span new calls are made under (null: none). */
    get parent(): string | null {
      return currentParent;
    },
    set parent(id: string | null) {
      currentParent = id;
    },
  };
}

export type GuestCalls = ReturnType<typeof createGuestCalls>;
