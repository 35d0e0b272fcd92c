// The guest prelude: runs inside QuickJS when a worker prepares an engine (bundled by esbuild into
// dist/sandboxPrelude.js). It takes the host API off the global object and installs `console`,
// `sleep`, `ToolError`, the flow and aggregation helpers, `llm` and `toolweaver`; `configure`
// adds `tools` at the start of a run.
// Invariants: promises live on the guest side and tool calls are queued here (no host call per
// call; the worker drains the queue once per turn); values leave only as JSON text made here;
// every intrinsic used after user code starts is captured first, so a script that patches
// globals can break only its own run.

import { bestBy, collect, majorityVote } from '../../flow/aggregate';
import { closestNames } from '../../editing/closestName';
import { createFlowHelpers } from '../../flow/helpers';
import type { FlowRuntime, FlowSpan, FlowTimer } from '../../flow/types';
import type { HelperName } from '../../flow/types';
import { createConsole } from './console';
import { describe, ToolError } from './errors';
import type { GuestHostApi, GuestConfig } from './hostApi';
import type { ServerLayoutInfo } from '../protocol';
import {
  apply,
  arrayJoin,
  create,
  dateNow,
  defineProperty,
  ErrorCtor,
  freeze,
  isArray,
  keysOf,
  mathRandom,
  parse,
  PromiseCtor,
  promiseThen,
  ProxyCtor,
  regexpExec,
  safeMessage,
  stringify,
  stringReplace,
} from './intrinsics';

type Settler = [resolve: (v: unknown) => void, reject: (e: unknown) => void, line: number | null];

const g = globalThis as unknown as Record<string, unknown>;
const host = g.__tw as GuestHostApi;
delete g.__tw;
let config: GuestConfig = { layout: [], maxResultBytes: 0, maxLogBytes: 0, maxToolCalls: 0, captureLines: true };

const LINE_RE = /script\.ts:(\d+)/;
/** Calls per run whose script line is captured (see callTool). */
const LINE_CALLS = 100;

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
let spanSeq = 0;

/** Registers a pending settlement and returns its promise. */
function newPending(id: number, line: number | null): Promise<unknown> {
  return new PromiseCtor<unknown>((res, rej) => {
    if (id < 0) sleepsPending[-id] = [res, rej, line];
    else pending[id] = [res, rej, line];
  });
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

const CONTROL_RE = /[\u0000-\u0002]/g;

/** Host functions (tools.search, tools.describe, llm): queued like tool calls with a negative
 *  index and the JSON array of their (already sanitized) arguments; not counted as tool calls. */
function callHost(fn: number, args: unknown[]): Promise<unknown> {
  const line = config.captureLines ? callerLine() : null;
  const p = newPending(++callSeq, line);
  queued[queued.length] = `${-fn},${line ?? ''},${currentParent ?? ''},a`;
  queued[queued.length] = stringify(args) as string;
  return p;
}

/** A string argument, or a rejection the script can catch (never a host-side conversion). */
function text(v: unknown, what: string, tool: string): string | Error {
  if (typeof v === 'string') return v;
  return new ToolError({ code: 'invalid_arguments', message: `${what} must be a string, not ${typeName(v)}.`, server: 'toolweaver', tool });
}

function rejected(e: Error): Promise<never> {
  return new PromiseCtor<never>((_, rej) => rej(e));
}

function searchTools(query: unknown, limit?: unknown): Promise<unknown> {
  const q = text(query, 'tools.search(query): the query', 'search');
  if (typeof q !== 'string') return rejected(q);
  return callHost(HOST_SEARCH, typeof limit === 'number' ? [q, limit] : [q]);
}

function describeTool(name: unknown): Promise<unknown> {
  const n = text(name, 'tools.describe(name): the name', 'describe');
  if (typeof n !== 'string') return rejected(n);
  return callHost(HOST_DESCRIBE, [n]);
}

function llm(prompt: unknown, opts?: unknown): Promise<unknown> {
  const p = text(prompt, 'llm(prompt): the prompt', 'llm');
  if (typeof p !== 'string') return rejected(p);
  const o: Record<string, string> = create(null) as Record<string, string>;
  if (opts !== null && typeof opts === 'object') {
    try {
      const model: unknown = (opts as Record<string, unknown>).model;
      const system: unknown = (opts as Record<string, unknown>).system;
      if (typeof model === 'string') o.model = model;
      if (typeof system === 'string') o.system = system;
    } catch (e) {
      return rejected(new ToolError({ code: 'invalid_arguments', message: `llm(): the options could not be read: ${safeMessage(e)}`, server: 'llm', tool: 'llm' }));
    }
  }
  return callHost(HOST_LLM, [p, o]);
}

// Same numbers as HOST_FN in ../protocol.ts (kept literal: the prelude bundles no host code).
const HOST_SEARCH = 1;
const HOST_DESCRIBE = 2;
const HOST_LLM = 3;

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

function installGlobal(name: string, value: unknown): void {
  defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
}
const guestConsole = createConsole(host);
installGlobal('console', guestConsole.console);
installGlobal('ToolError', ToolError);
const helpers = createFlowHelpers(runtime) as unknown as Record<string, unknown>;
for (const name of keysOf(helpers)) installGlobal(name, helpers[name]);
installGlobal('collect', collect);
installGlobal('majorityVote', majorityVote);
installGlobal('bestBy', bestBy);
installGlobal('llm', llm);
installGlobal('toolweaver', freeze({ search: searchTools, describe: describeTool }));

/** Called by the worker at the start of a run, before the script: limits and `tools`. */
function configure(json: string): void {
  config = parse(json) as GuestConfig;
  guestConsole.budget.left = config.maxLogBytes;
  const toolsObject = create(null) as Record<string, unknown>;
  plainHeaders = [];
  for (const [serverIdent, list, info] of config.layout) {
    for (const [, index] of list) plainHeaders[index] = `${index},,,a`;
    const server = create(null) as Record<string, unknown>;
    for (const [toolIdent, index] of list) {
      defineProperty(server, toolIdent, { value: (input?: unknown) => callTool(index, input), enumerable: true });
    }
    defineProperty(toolsObject, serverIdent, { value: serverObject(freeze(server), serverIdent, info), enumerable: true });
  }
  // Progressive disclosure: non-enumerable, and a server whose identifier is `search` or
  // `describe` shadows them (toolweaver.search / toolweaver.describe always work).
  if (!('search' in toolsObject)) defineProperty(toolsObject, 'search', { value: searchTools, enumerable: false });
  if (!('describe' in toolsObject)) defineProperty(toolsObject, 'describe', { value: describeTool, enumerable: false });
  installGlobal('tools', toolsProxy(freeze(toolsObject)));
}

/** `tools`: a server name that is not in the catalog reads as a server whose every tool rejects
 *  with a ToolError naming it (and the closest server), instead of `undefined` and "cannot read
 *  property". `in` and Object.keys stay exact, so `'github' in tools` probes an optional server. */
function toolsProxy(toolsObject: Record<string, unknown>): Record<string, unknown> {
  return new ProxyCtor(toolsObject, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'then' || key === 'toJSON') return target[key as string];
      return new ProxyCtor(freeze(create(null)) as Record<string, unknown>, {
        get(_t, tool) {
          if (typeof tool !== 'string' || tool === 'then' || tool === 'toJSON') return undefined;
          return (): Promise<never> => rejected(missingServer(target, key, tool));
        },
      });
    },
  });
}

function missingServer(toolsObject: Record<string, unknown>, ident: string, tool: string): Error {
  const shownServer = ident.length > 100 ? `${ident.slice(0, 100)}…` : ident;
  const shownTool = tool.length > 100 ? `${tool.slice(0, 100)}…` : tool;
  const known = keysOf(toolsObject);
  const near = closestNames(ident, known, 1)[0];
  const hint = near !== undefined ? ` Did you mean tools.${near}?` : known.length ? ` Servers: ${apply(arrayJoin, known.slice(0, 20), [', '])}${known.length > 20 ? ', …' : ''}.` : ' The catalog has no servers: configure one in .vscode/mcp.json.';
  const err = new ToolError({ code: 'unknown_tool', message: `No server "${shownServer}" is in the catalog, so tools.${shownServer}.${shownTool} cannot be called.${hint}`, server: ident, tool });
  const line = callerLine();
  if (line !== null) err.stack = `    at tools.${shownServer}.${shownTool} (script.ts:${line})\n`;
  return err;
}

/** A server's tools; any other name reads as a tool that rejects with a ToolError naming the
 *  server and the tool (the server's error when it is down, the closest name when one is near),
 *  instead of `undefined` and "not a function". `in`, Object.keys and `then` stay exact. */
function serverObject(server: Record<string, unknown>, ident: string, info: ServerLayoutInfo | undefined): Record<string, unknown> {
  return new ProxyCtor(server, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'then' || key === 'toJSON') return target[key as string];
      return (): Promise<never> => rejected(missingTool(target, ident, info, key));
    },
  });
}

function missingTool(server: Record<string, unknown>, ident: string, info: ServerLayoutInfo | undefined, key: string): Error {
  const name = info?.name ?? ident;
  const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
  let err: ToolError;
  if (info?.down !== undefined) {
    err = new ToolError({
      code: 'server_unreachable',
      message: `The server "${name}" is not connected, so tools.${ident}.${shown} cannot be called: ${info.down}. Fix the server (its command, URL or log), then reload the catalog.`,
      server: name,
      tool: key,
    });
  } else {
    const known = keysOf(server);
    const near = closestNames(key, known, 1)[0];
    const hint = near !== undefined ? ` Did you mean tools.${ident}.${near}?` : known.length ? ` Its tools: ${apply(arrayJoin, known.slice(0, 20), [', '])}${known.length > 20 ? ', …' : ''}.` : ' It has no tools.';
    err = new ToolError({ code: 'unknown_tool', message: `The server "${name}" has no tool tools.${ident}.${shown}.${hint}`, server: name, tool: key });
  }
  const line = callerLine();
  if (line !== null) err.stack = `    at tools.${ident}.${shown} (script.ts:${line})\n`;
  return err;
}

const OOM_RE = /out of memory/i;

function finishValue(v: unknown): void {
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
    host.finish(2, 'not_serializable', `The script returned a ${typeof v}, which cannot cross as JSON. Return JSON-compatible data (objects, arrays, strings, numbers, booleans, null).`);
    return;
  }
  if (v === undefined) {
    host.finish(0, undefined);
    return;
  }
  // A string's JSON is at least as long as the string: no need to build text the memory may not hold.
  if (typeof v === 'string' && v.length > config.maxResultBytes) {
    host.finish(2, 'result_too_large', `The script's return value is a string of ${v.length} characters, over the ${config.maxResultBytes}-byte limit for its JSON. Return a summary or raise maxResultBytes.`);
    return;
  }
  let json: unknown;
  try {
    json = stringify(v);
  } catch (e) {
    // The JSON text did not fit in the sandbox's memory: far over the result limit in practice.
    if (e === null || apply(regexpExec, OOM_RE, [safeMessage(e)]) !== null) {
      host.finish(2, 'result_too_large', `The script's return value is too large to convert to JSON in the sandbox's memory (the limit for its JSON is ${config.maxResultBytes} bytes). Return a summary or raise maxResultBytes.`);
      return;
    }
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
  void apply(promiseThen, p, [finishValue, (e: unknown) => host.finish(1, e)]);
}

host.register(settle, start, describe, configure, drain);
