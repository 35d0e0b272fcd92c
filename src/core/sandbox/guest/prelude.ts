// The guest prelude: runs inside QuickJS when a worker prepares an engine (bundled by esbuild into
// dist/sandboxPrelude.js). It takes the host API off the global object and installs `console`,
// `sleep`, `ToolError` and the flow helpers; `configure` adds `tools` at the start of a run.
// Invariants: promises live on the guest side and tool calls are queued here (no host call per
// call; the worker drains the queue once per turn); values leave only as JSON text made here;
// every intrinsic used after user code starts is captured first, so a script that patches
// globals can break only its own run.

import { createFlowHelpers } from '../../flow/helpers';
import type { FlowRuntime, FlowSpan, FlowTimer } from '../../flow/types';
import type { HelperName } from '../types';
import type { GuestHostApi, GuestConfig } from './hostApi';

type Settler = [resolve: (v: unknown) => void, reject: (e: unknown) => void, line: number | null];

const g = globalThis as unknown as Record<string, unknown>;
const host = g.__tw as GuestHostApi;
delete g.__tw;
let config: GuestConfig = { layout: [], maxResultBytes: 0, maxLogBytes: 0, maxToolCalls: 0, captureLines: true };

const stringify = JSON.stringify;
const parse = JSON.parse;
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const freeze = Object.freeze;
const create = Object.create;
const isArray = Array.isArray;
const dateNow = Date.now;
const mathRandom = Math.random;
const StringCtor = String;
const ErrorCtor = Error;
const regexpExec = RegExp.prototype.exec;
const stringReplace = String.prototype.replace;
const arrayJoin = Array.prototype.join;
const keysOf = Object.keys;
const weakSetHas = WeakSet.prototype.has;
const weakSetAdd = WeakSet.prototype.add;
const LINE_RE = /script\.ts:(\d+)/;
/** Calls per run whose script line is captured (see callTool). */
const LINE_CALLS = 100;

const pending: Record<number, Settler | undefined> = create(null) as Record<number, Settler | undefined>;
let seq = 0;
let callCount = 0;
/** Calls issued since the worker last drained: `header\u0001payload` records. */
let queued: string[] = [];
let currentParent: string | null = null;
let spanSeq = 0;

function newPending(line: number | null = null): [number, Promise<unknown>] {
  const id = ++seq;
  const p = new PromiseCtor<unknown>((res, rej) => {
    pending[id] = [res, rej, line];
  });
  return [id, p];
}

function safeMessage(e: unknown): string {
  try {
    if (e !== null && typeof e === 'object') return StringCtor((e as { message?: unknown }).message);
    return StringCtor(e);
  } catch {
    return 'an error that could not be described';
  }
}

const toolErrors = new WeakSet<object>();

/** A failed tool call as the script sees it: catchable, with code, server and tool. */
class ToolError extends ErrorCtor {
  code: string;
  server: string;
  tool: string;
  field?: string;
  constructor(info: { code: string; message: string; server: string; tool: string; field?: string }) {
    super(info.message);
    this.name = 'ToolError';
    this.code = info.code;
    this.server = info.server;
    this.tool = info.tool;
    if (info.field !== undefined) this.field = info.field;
    apply(weakSetAdd, toolErrors, [this]);
  }
}

function callerLine(): number | null {
  try {
    const stack = new ErrorCtor().stack;
    const m = typeof stack === 'string' ? (apply(regexpExec, LINE_RE, [stack]) as RegExpExecArray | null) : null;
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function typeName(v: unknown): string {
  return v === null ? 'null' : isArray(v) ? 'an array' : typeof v;
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
  const [id, p] = newPending(line);
  const header = `${id},${index},${line ?? ''},${currentParent ?? ''},${argsJson === null ? 'e' : 'a'}`;
  // JSON text never holds raw control characters; an error message might.
  const payload = argsJson ?? (apply(stringReplace, argsError ?? 'Tool arguments are invalid.', [CONTROL_RE, ' ']) as string);
  queued[queued.length] = `${header}\u0001${payload}`;
  return p;
}

const CONTROL_RE = /[\u0001\u0002]/g;

/** Called by the worker after each turn: every queued call, in order, as one string. */
function drain(): string {
  if (queued.length === 0) return '';
  const text = apply(arrayJoin, queued, ['\u0002']) as string;
  queued = [];
  return text;
}

/** Called by the worker with a JSON batch `[[id, 1, value] | [id, 0, errorInfo] | [id, 2]]`. */
function settle(batchText: string): void {
  const batch = parse(batchText) as Array<[number, number, unknown]>;
  for (let i = 0; i < batch.length; i++) {
    const item = batch[i] as [number, number, unknown];
    const id = item[0];
    const s = pending[id];
    if (!s) continue;
    delete pending[id];
    if (item[1] === 1) s[0](item[2]);
    else if (item[1] === 2) s[0](undefined);
    else {
      const err = new ToolError(item[2] as ConstructorParameters<typeof ToolError>[0]);
      // Built here, its own stack would point into the prelude: point at the calling line.
      if (s[2] !== null) err.stack = `    at tools.${err.server}.${err.tool} (script.ts:${s[2]})\n`;
      s[1](err);
    }
  }
}

function sleepFor(ms: number, timer?: FlowTimer): Promise<void> {
  let wait = Number(ms);
  if (!(wait >= 0)) wait = 0;
  const [id, p] = newPending();
  host.sleep(id, wait);
  if (timer) timer.cancel = () => host.cancelSleep(id);
  return p as Promise<void>;
}

function emit(event: Record<string, unknown>): void {
  try {
    host.event(stringify(event));
  } catch {
    // Attributes that cannot be serialized are dropped with the event; the run goes on.
  }
}

const runtime: FlowRuntime = {
  sleep: sleepFor,
  now: () => dateNow(),
  random: () => mathRandom(),
  isCancelled: () => host.cancelled(),
  startSpan(helper: HelperName, attrs: Record<string, unknown>): FlowSpan {
    const id = `h${++spanSeq}`;
    emit({ type: 'helper.start', spanId: id, parentId: currentParent, helper, attrs });
    let ended = false;
    return {
      id,
      enter<T>(fn: () => T): T {
        const prev = currentParent;
        currentParent = id;
        try {
          return fn();
        } finally {
          currentParent = prev;
        }
      },
      end(ok, endAttrs, error) {
        if (ended) return;
        ended = true;
        emit({ type: 'helper.end', spanId: id, ok, attrs: endAttrs, error });
      },
    };
  },
};

function formatArg(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    if (v instanceof ErrorCtor) {
      const stack = typeof v.stack === 'string' && v.stack ? `\n${v.stack}` : '';
      return `${StringCtor(v.name)}: ${StringCtor(v.message)}${stack}`;
    }
    if (typeof v === 'object' && v !== null) {
      const text: unknown = stringify(v);
      if (typeof text === 'string') return text;
    }
    return StringCtor(v);
  } catch {
    try {
      return StringCtor(v);
    } catch {
      return '[unprintable]';
    }
  }
}

let logBudget = 0;
function makeLog(level: string): (...args: unknown[]) => void {
  return function log(...args: unknown[]): void {
    let text = '';
    for (let i = 0; i < args.length; i++) text += (i ? ' ' : '') + formatArg(args[i]);
    // The worker counts exact bytes; past the (char-approximate) budget only lengths cross.
    // getString stops at NUL: show it escaped.
    if (text.indexOf('\0') !== -1) text = text.split('\0').join('\\u0000');
    const kept = logBudget > 0 ? text.slice(0, logBudget) : '';
    logBudget -= kept.length;
    host.log(level, kept, text.length);
  };
}

const consoleObject = create(null) as Record<string, unknown>;
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) consoleObject[level] = makeLog(level);
consoleObject.trace = consoleObject.debug;
consoleObject.dir = consoleObject.log;
consoleObject.table = consoleObject.log;

function installGlobal(name: string, value: unknown): void {
  defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
}
installGlobal('console', consoleObject);
installGlobal('ToolError', ToolError);
const helpers = createFlowHelpers(runtime) as unknown as Record<string, unknown>;
for (const name of keysOf(helpers)) installGlobal(name, helpers[name]);

/** Called by the worker at the start of a run, before the script: limits and `tools`. */
function configure(json: string): void {
  config = parse(json) as GuestConfig;
  logBudget = config.maxLogBytes;
  const toolsObject = create(null) as Record<string, unknown>;
  for (const [serverIdent, list] of config.layout) {
    const server = create(null) as Record<string, unknown>;
    for (const [toolIdent, index] of list) {
      defineProperty(server, toolIdent, { value: (input?: unknown) => callTool(index, input), enumerable: true });
    }
    defineProperty(toolsObject, serverIdent, { value: freeze(server), enumerable: true });
  }
  installGlobal('tools', freeze(toolsObject));
}

function finishValue(v: unknown): void {
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
    host.finish(2, 'not_serializable', `The script returned a ${typeof v}, which cannot cross as JSON. Return JSON-compatible data (objects, arrays, strings, numbers, booleans, null).`);
    return;
  }
  if (v === undefined) {
    host.finish(0, undefined);
    return;
  }
  let json: unknown;
  try {
    json = stringify(v);
  } catch (e) {
    host.finish(2, 'not_serializable', `The script's return value could not be converted to JSON: ${safeMessage(e)}. Return plain data without cycles, BigInt values or throwing getters.`, e);
    return;
  }
  if (typeof json !== 'string') {
    host.finish(2, 'not_serializable', 'The script\'s return value could not be converted to JSON. Return JSON-compatible data.');
    return;
  }
  if (json.length > config.maxResultBytes) {
    host.finish(2, 'result_too_large', `The script's return value is at least ${json.length} bytes of JSON, over the ${config.maxResultBytes}-byte limit. Return a summary or raise maxResultBytes.`);
    return;
  }
  host.finish(0, json);
}

/** Runs the script function and reports its outcome to the worker. */
function start(fn: () => Promise<unknown>): void {
  let p: Promise<unknown>;
  try {
    p = fn();
  } catch (e) {
    host.finish(1, e);
    return;
  }
  apply(promiseThen, p, [finishValue, (e: unknown) => host.finish(1, e)]);
}

function read(e: unknown, key: string): unknown {
  try {
    return (e as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function text(v: unknown, max: number): string | undefined {
  if (v === undefined) return undefined;
  try {
    const s = typeof v === 'string' ? v : StringCtor(v);
    return s.length > max ? s.slice(0, max) : s;
  } catch {
    return undefined;
  }
}

/** Describes a thrown value as JSON without trusting it (getters may throw or loop: the worker
 *  runs this under its own deadline). */
function describe(e: unknown): string {
  const out: Record<string, unknown> = { type: e === null ? 'null' : typeof e };
  if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
    let isTool = false;
    try {
      isTool = apply(weakSetHas, toolErrors, [e]) as boolean;
    } catch {
      isTool = false;
    }
    out.tool = isTool;
    out.name = text(read(e, 'name'), 200);
    out.message = text(read(e, 'message'), 4096);
    out.stack = text(read(e, 'stack'), 4096);
    out.code = text(read(e, 'code'), 200);
    if (isTool) {
      out.server = text(read(e, 'server'), 1000);
      out.toolName = text(read(e, 'tool'), 1000);
      out.field = text(read(e, 'field'), 1000);
    }
  } else {
    out.message = text(typeof e === 'symbol' ? (e as symbol).toString() : e, 4096);
  }
  return stringify(out);
}

host.register(settle, start, describe, configure, drain);
