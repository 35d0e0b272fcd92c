// The hostile-script suite: real QuickJS in real worker threads. Every script must end with its
// typed outcome within its timeout + 0.5 s, the host's memory must stay bounded, and the next run
// must work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import type { RunErrorCode, RunLimits, RunResult } from '../../../src/core/sandbox/types';
import type { Catalog } from '../../../src/core/catalog/types';
import { createTestInvoker, testCatalog } from './fixtures';

const warnings: string[] = [];
const sandbox = createSandbox({
  poolSize: 2,
  logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
});
const TIMEOUT_MS = 1500;
const base: Partial<RunLimits> = { timeoutMs: TIMEOUT_MS, memoryMb: 16 };
let memoryBefore: NodeJS.MemoryUsage;

beforeAll(async () => {
  await sandbox.run('return 1', { catalog: testCatalog, invoker: createTestInvoker() });
  memoryBefore = process.memoryUsage();
});
afterAll(() => sandbox.dispose());

interface Case {
  name: string;
  source: string;
  code?: RunErrorCode;
  value?: unknown;
  limits?: Partial<RunLimits>;
  check?: (r: RunResult) => void;
}

async function runCase(c: Case): Promise<RunResult> {
  const invoker = createTestInvoker();
  const limits = { ...base, ...c.limits };
  const t0 = performance.now();
  const r = await sandbox.run(c.source, { catalog: testCatalog, invoker, limits, language: 'js' });
  const elapsed = performance.now() - t0;
  if (c.code) {
    expect(r.ok, JSON.stringify(r).slice(0, 600)).toBe(false);
    if (!r.ok) expect(r.error.code, r.error.message).toBe(c.code);
    if (!r.ok) expect(Buffer.byteLength(r.error.message)).toBeLessThanOrEqual(4096);
  } else {
    expect(r, JSON.stringify(r).slice(0, 600)).toMatchObject({ ok: true });
    if (r.ok && 'value' in c) expect(r.value).toEqual(c.value);
  }
  expect(elapsed).toBeLessThan((limits.timeoutMs ?? TIMEOUT_MS) + 500);
  c.check?.(r);
  const next = await sandbox.run('return [1 + 1, typeof Object.prototype.polluted]', { catalog: testCatalog, invoker, language: 'js' });
  expect(next).toMatchObject({ ok: true, value: [2, 'undefined'] });
  return r;
}

const cases: Case[] = [
  // Loops and storms
  { name: 'sync infinite loop', source: 'while (true) {}', code: 'timeout' },
  { name: 'async infinite loop', source: 'while (true) { await null; }', code: 'timeout' },
  { name: 'sleep(0) loop', source: 'while (true) { await sleep(0); }', code: 'timeout' },
  {
    name: 'a million pending sleeps',
    source: 'for (let i = 0; i < 1e6; i++) sleep(1e9);\nawait sleep(1);',
    code: 'quota_exceeded',
    limits: { memoryMb: 64, timeoutMs: 10_000 },
    check: (r) => expect(r.stats.limitHit).toBe('maxPendingSleeps'),
  },
  { name: 'pending sleeps under the limit', source: 'await Promise.all(Array.from({ length: 50 }, () => sleep(5)));\nreturn 1;', value: 1, limits: { maxPendingSleeps: 50 } },
  { name: 'one sleep over the limit', source: 'await Promise.all(Array.from({ length: 51 }, () => sleep(5)));\nreturn 1;', code: 'quota_exceeded', limits: { maxPendingSleeps: 50 } },
  { name: 'microtask storm', source: 'function f() { Promise.resolve().then(f); }\nf();\nawait new Promise(() => {});', code: 'timeout' },
  { name: 'microtask storm after return', source: 'function f() { Promise.resolve().then(f); }\nf();\nreturn "done";', value: 'done' },
  { name: 'ReDoS', source: 'return /^(a+)+$/.test("a".repeat(40) + "b");', code: 'timeout' },
  // Memory bombs
  { name: 'string doubling', source: 'let s = "x"; while (true) s += s;', code: 'guest_error', check: (r) => !r.ok && expect(r.error.message).toMatch(/string too long/) },
  { name: 'string bomb', source: 'const a = []; while (true) a.push("x".repeat(1e6) + a.length);', code: 'out_of_memory' },
  { name: 'array bomb', source: 'const a = []; while (true) a.push([1, 2, 3, { x: a.length }]);', code: 'out_of_memory' },
  { name: 'ArrayBuffer bomb', source: 'const a = []; while (true) a.push(new ArrayBuffer(1 << 20));', code: 'out_of_memory' },
  // Throughput cases (the expected end is not a timeout): a roomy limit, as the machine is shared.
  { name: 'Map bomb', source: 'const m = new Map(); let i = 0; while (true) m.set(i++, "v" + i);', code: 'out_of_memory', limits: { timeoutMs: 10_000 } },
  { name: 'one huge allocation', source: 'return new Uint8Array(2 ** 30).length;', code: 'out_of_memory' },
  { name: 'caught OOM, then recovers', source: 'let a = []; try { while (true) a.push(new ArrayBuffer(1 << 20)); } catch (e) { a = null; }\nreturn "survived";', value: 'survived' },
  // The memory starts small and grows on demand; its maximum is the cap.
  { name: 'grows past its first 16 MiB, within the cap', source: 'const a = []; for (let i = 0; i < 90; i++) a.push(new Uint8Array(1 << 20).fill(1));\nreturn a.length;', value: 90, limits: { memoryMb: 128 } },
  { name: 'allocating past the cap of a grown memory', source: 'const a = []; for (let i = 0; i < 140; i++) a.push(new Uint8Array(1 << 20).fill(1));\nreturn a.length;', code: 'out_of_memory', limits: { memoryMb: 128 } },
  { name: 'OOM with default memory', source: 'const a = []; while (true) a.push(new ArrayBuffer(1 << 20));', code: 'out_of_memory', limits: { memoryMb: 64 } },
  // Stack
  { name: 'deep recursion', source: 'function f(n) { return f(n + 1) + 1; }\nreturn f(0);', code: 'stack_overflow', check: (r) => !r.ok && expect(r.error.line).toBe(1) },
  { name: 'caught recursion', source: 'function f(n) { try { return f(n + 1); } catch { return n; } }\nreturn f(0) > 100;', value: true },
  { name: 'deeply nested JSON.parse', source: 'return JSON.parse("[".repeat(1e6));', code: 'stack_overflow' },
  { name: 'deeply nested result', source: 'let a = []; for (let i = 0; i < 2000; i++) a = [a];\nreturn a;', code: 'not_serializable' },
  { name: 'stringify of a very deep result that outlives the clock', source: 'let a = []; for (let i = 0; i < 2e4; i++) a = [a];\nreturn a;', code: 'timeout', limits: { timeoutMs: 300 } },
  { name: 'deeply nested arguments', source: 'let a = []; for (let i = 0; i < 2000; i++) a = [a];\ntry { await tools.test.any({ a }); } catch (e) { return e.code; }', value: 'invalid_arguments' },
  { name: 'deeply nested tool reply', source: 'try { await tools.test.deep({ depth: 5000 }); } catch (e) { return e.code; }', value: 'malformed_reply' },
  { name: 'deep recursion with a large stack', source: 'function f(n) { return f(n + 1) + 1; }\nreturn f(0);', code: 'stack_overflow', limits: { stackKb: 1024 } },
  // Escapes
  {
    name: 'no ambient globals',
    source:
      'return [typeof process, typeof require, typeof std, typeof os, typeof __tw, typeof __tw_config, typeof setTimeout, typeof fetch, typeof WebAssembly, typeof module, typeof exports, typeof importScripts, typeof print, typeof scriptArgs].join()',
    value: Array(14).fill('undefined').join(),
  },
  { name: 'Function constructor', source: 'return Function("return typeof process + typeof require")();', value: 'undefinedundefined' },
  {
    name: 'constructor.constructor',
    source: 'const g = (() => {}).constructor.constructor("return this")();\nreturn Object.getOwnPropertyNames(g).filter((n) => /process|require|std|os|__tw/.test(n));',
    value: [],
  },
  { name: 'tool function constructor', source: 'return tools.test.echo.constructor("return typeof process")();', value: 'undefined' },
  { name: 'dynamic import', source: 'return await import("fs");', code: 'guest_error' },
  { name: 'eval', source: 'return eval("typeof require + typeof process");', value: 'undefinedundefined' },
  { name: 'tools object is frozen', source: '"use strict"; tools.test.echo = () => "evil"; return 1;', code: 'guest_error' },
  // Prototype pollution
  {
    name: 'prototype pollution stays in the run',
    source: 'Object.prototype.polluted = "yes"; Array.prototype.push = null; JSON.parse = () => 1; Promise.prototype.then = null;\nreturn ({}).polluted;',
    value: 'yes',
    check: () => expect(({} as Record<string, unknown>).polluted).toBeUndefined(),
  },
  {
    name: '__proto__ keys in tool arguments',
    source: 'const args = JSON.parse(\'{"__proto__": {"polluted": 1}}\');\nreturn await tools.test.any(args);',
    check: (r) => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(r.ok && JSON.stringify(r.value)).toContain('__proto__');
    },
  },
  // Tool-call storms
  { name: 'sync tool-call storm', source: 'while (true) tools.test.add({ a: 1, b: 2 });', code: 'quota_exceeded', check: (r) => expect(r.stats.limitHit).toBe('maxToolCalls') },
  { name: 'async tool-call storm', source: 'for (;;) await tools.test.add({ a: 1, b: 2 });', code: 'quota_exceeded', limits: { timeoutMs: 10_000 }, check: (r) => expect(r.stats.toolCalls).toBeLessThanOrEqual(257) },
  { name: 'caught quota errors do not continue', source: 'for (;;) { try { await tools.test.add({ a: 1, b: 2 }); } catch {} }', code: 'quota_exceeded', limits: { timeoutMs: 10_000 } },
  // Hostile arguments
  { name: 'cyclic arguments', source: 'const o = {}; o.self = o;\nawait tools.test.any(o);', code: 'tool_error', check: (r) => !r.ok && expect(r.error).toMatchObject({ cause: 'invalid_arguments', server: 'test server', tool: 'any', line: 2 }) },
  { name: 'BigInt arguments', source: 'try { await tools.test.any({ n: 1n }); } catch (e) { return [e.name, e.code, e instanceof ToolError]; }', value: ['ToolError', 'invalid_arguments', true] },
  { name: 'Proxy arguments', source: 'try { await tools.test.any(new Proxy({}, { ownKeys() { throw new Error("trap"); } })); } catch (e) { return e.code; }', value: 'invalid_arguments' },
  { name: 'throwing getter arguments', source: 'try { await tools.test.any({ get x() { throw new Error("getter"); } }); } catch (e) { return e.code; }', value: 'invalid_arguments' },
  { name: 'looping getter arguments', source: 'await tools.test.any({ get x() { while (true) {} } });', code: 'timeout' },
  { name: 'toJSON returning an array', source: 'try { await tools.test.any({ toJSON() { return [1]; } }); } catch (e) { return e.code; }', value: 'invalid_arguments' },
  { name: 'non-object arguments', source: 'try { await tools.test.any("x"); } catch (e) { return e.code; }', value: 'invalid_arguments' },
  // Names
  {
    name: 'unicode and NUL in a tool name',
    source: 'return await tools.test.weird_name({ s: "a\\u0000b😀" });',
    check: (r) => expect(r.ok && r.value).toEqual({ tool: 'we\u0000ird 😀 name', args: { s: 'a\u0000b😀' } }),
  },
  {
    name: 'unknown tool name',
    source: 'return await tools.test["no\\u0000such"]({});',
    code: 'tool_error',
    check: (r) => !r.ok && expect(r.error).toMatchObject({ cause: 'unknown_tool', server: 'test server', tool: 'no\u0000such', line: 1 }),
  },
  {
    name: 'misspelt tool name',
    source: 'try { await tools.test.ecko({ message: "x" }); } catch (e) { return [e instanceof ToolError, e.code, e.server, e.tool, e.message]; }',
    value: [true, 'unknown_tool', 'test server', 'ecko', 'The server "test server" has no tool tools.test.ecko. Did you mean tools.test.echo?'],
  },
  {
    name: 'unknown server name',
    source: 'try { await tools.tset.echo({ message: "x" }); } catch (e) { return [e instanceof ToolError, e.code, e.server, e.tool, e.message]; }',
    value: [true, 'unknown_tool', 'tset', 'echo', 'No server "tset" is in the catalog, so tools.tset.echo cannot be called. Did you mean tools.test?'],
  },
  {
    name: 'unknown server, uncaught: a tool error with the script line',
    source: '\nreturn await tools.nosuch_server_at_all.x({});',
    code: 'tool_error',
    check: (r) => !r.ok && expect(r.error).toMatchObject({ cause: 'unknown_tool', server: 'nosuch_server_at_all', tool: 'x', line: 2 }),
  },
  { name: 'unknown server names keep `in`, keys and then exact', source: 'return ["nope" in tools, Object.keys(tools), typeof tools.then];', value: [false, ['test'], 'undefined'] },
  { name: 'unknown tool names keep `in`, keys and then exact', source: 'return ["nope" in tools.test, Object.keys(tools.test).length, typeof tools.test.then];', value: [false, 8, 'undefined'] },
  // Promises
  { name: 'promise that never settles', source: 'await new Promise(() => {});', code: 'never_settles', check: (r) => expect(r.stats.durationMs).toBeLessThan(TIMEOUT_MS) },
  { name: 'resolver that is never called', source: 'let r; const p = new Promise((res) => { r = res; });\nawait tools.test.add({ a: 1, b: 1 });\nawait p;', code: 'never_settles' },
  // Console
  {
    name: 'endless console flood',
    source: 'while (true) console.log("x".repeat(1000));',
    code: 'timeout',
    limits: { maxLogBytes: 10_000 },
    check: (r) => {
      expect(r.logs.reduce((n, l) => n + Buffer.byteLength(l.text), 0)).toBeLessThanOrEqual(10_000);
      expect(r.stats.logBytesDropped).toBeGreaterThan(0);
    },
  },
  {
    name: 'finite console flood',
    source: 'for (let i = 0; i < 20000; i++) console.error("y".repeat(100), i);\nreturn 1;',
    value: 1,
    // 20,000 console calls: a throughput case, not a timing one (the machine is shared).
    limits: { maxLogBytes: 50_000, timeoutMs: 8000 },
    check: (r) => {
      expect(r.logs.reduce((n, l) => n + Buffer.byteLength(l.text), 0)).toBeLessThanOrEqual(50_000);
      expect(r.stats.logBytesDropped).toBeGreaterThan(1_000_000);
      expect(r.logs[0]).toMatchObject({ level: 'error', text: `${'y'.repeat(100)} 0` });
    },
  },
  { name: 'NUL in console output', source: 'console.log("a\\u0000b"); return 1;', value: 1, check: (r) => expect(r.logs[0]?.text).toBe('a\\u0000b') },
  // Results
  { name: 'huge result', source: 'return "x".repeat(2e6);', code: 'result_too_large', check: (r) => expect(r.stats.limitHit).toBe('maxResultBytes') },
  { name: 'huge multibyte result', source: 'return "😀".repeat(300000);', code: 'result_too_large' },
  { name: '30 MB string result', source: 'return "x".repeat(30e6);', code: 'result_too_large', limits: { memoryMb: 64, timeoutMs: 10_000 }, check: (r) => expect(r.stats.limitHit).toBe('maxResultBytes') },
  { name: '30 MB result inside an array', source: 'return ["x".repeat(30e6)];', code: 'result_too_large', limits: { memoryMb: 64, timeoutMs: 10_000 } },
  { name: 'cyclic result', source: 'const o = {}; o.o = o; return o;', code: 'not_serializable' },
  { name: 'symbol result', source: 'return Symbol("s");', code: 'not_serializable' },
  { name: 'function result', source: 'return () => 1;', code: 'not_serializable' },
  { name: 'BigInt result', source: 'return 10n;', code: 'not_serializable' },
  { name: 'throwing toJSON result', source: 'return { toJSON() { throw new Error("no"); } };', code: 'not_serializable' },
  { name: 'looping toJSON result', source: 'return { toJSON() { while (true) {} } };', code: 'timeout' },
  { name: 'NUL in the result', source: 'return "a\\u0000b";', value: 'a\u0000b' },
  { name: 'undefined result', source: 'const x = 1;', value: undefined },
  // Thrown non-errors
  { name: 'throw a string', source: 'throw "boom";', code: 'guest_error', check: (r) => !r.ok && expect(r.error.message).toContain('boom') },
  { name: 'throw null', source: 'throw null;', code: 'guest_error' },
  { name: 'throw a symbol', source: 'throw Symbol("s");', code: 'guest_error' },
  { name: 'throw hostile getters', source: 'throw { get message() { throw new Error("no"); }, get name() { throw 1; }, get stack() { throw 2; } };', code: 'guest_error' },
  { name: 'throw a hostile Proxy', source: 'throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw 1; } });', code: 'guest_error' },
  { name: 'throw a looping getter', source: 'throw { get message() { while (true) {} } };', code: 'guest_error' },
  { name: 'throw a huge message', source: 'throw new Error("m".repeat(1e6));', code: 'guest_error', check: (r) => !r.ok && expect(Buffer.byteLength(r.error.message)).toBeLessThanOrEqual(4096) },
];

const downCatalog: Catalog = {
  id: 'sandbox-test-catalog-down',
  servers: [...testCatalog.servers, { name: 'git hub', ident: 'github', source: 'mcp', status: { state: 'error', code: 'connect_failed', message: 'spawn gh-mcp ENOENT' }, tools: [] }],
};

/** Overshoot of the reported duration and of the caller's wall time over the limit. */
async function timed(source: string, limits: Partial<RunLimits>, invoker = createTestInvoker()): Promise<{ r: RunResult; over: number; wallOver: number }> {
  const t0 = performance.now();
  const r = await sandbox.run(source, { catalog: testCatalog, invoker, limits: { ...base, ...limits }, language: 'js' });
  const timeoutMs = limits.timeoutMs ?? TIMEOUT_MS;
  return { r, over: r.stats.durationMs - timeoutMs, wallOver: performance.now() - t0 - timeoutMs };
}

describe('the deadline is the deadline', () => {
  // Margins are generous (the machine is shared); the 50 ms goal is measured by `npm run bench -- timeouts`.
  it('a sleep past the deadline never ends the run ok', async () => {
    for (let i = 0; i < 10; i++) {
      const { r, over } = await timed('await sleep(1e9);\nreturn "woke";', { timeoutMs: 200 });
      expect(r, JSON.stringify(r)).toMatchObject({ ok: false, error: { code: 'timeout' }, stats: { limitHit: 'timeoutMs' } });
      expect(over).toBeGreaterThanOrEqual(0);
      expect(over).toBeLessThan(250);
    }
  }, 60_000);

  it('a sleep that wakes at the deadline ends ok only before it', async () => {
    for (let i = 0; i < 10; i++) {
      const { r, over } = await timed('await sleep(200);\nreturn "woke";', { timeoutMs: 200 });
      if (r.ok) expect(over).toBeLessThanOrEqual(0);
      else expect(r.error.code).toBe('timeout');
    }
  }, 60_000);

  it('makes no tool call after a sleep that outlives the deadline', async () => {
    const invoker = createTestInvoker();
    const { r } = await timed('await sleep(1e9);\nawait tools.test.add({ a: 1, b: 2 });\nreturn 1;', { timeoutMs: 200 }, invoker);
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(invoker.calls).toEqual([]);
  });

  for (const [label, source] of [
    ['a CPU loop', 'while (true) {}'],
    ['a wait on a hung tool', 'await tools.test.slow({ ms: 1e7 });'],
    ['a long sleep', 'await sleep(1e9);'],
  ] as const) {
    it(`ends ${label} close to the deadline`, async () => {
      for (let i = 0; i < 3; i++) {
        const { r, over, wallOver } = await timed(source, { timeoutMs: 300 });
        expect(r).toMatchObject({ ok: false, error: { code: 'timeout' } });
        expect(over).toBeGreaterThanOrEqual(0);
        expect(over).toBeLessThan(250);
        // The caller's wall time also holds the engine's preparation before the clock starts.
        expect(wallOver).toBeLessThan(1000);
      }
    }, 30_000);
  }

  it('answers on time when the worker is stuck in native code past the deadline', async () => {
    // JSON.parse of a large text runs to its end without polling the interrupt handler.
    const { r, over } = await timed('const s = "[" + "1,".repeat(3e6) + "1]";\nawait sleep(200);\nreturn JSON.parse(s).length;', { timeoutMs: 300, memoryMb: 256 });
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(over).toBeLessThan(200);
    const next = await sandbox.run('return 2', { catalog: testCatalog, invoker: createTestInvoker() });
    expect(next).toMatchObject({ ok: true, value: 2 });
  }, 30_000);
});

describe('tools of a server that is down', () => {
  it('reject with a ToolError naming the server, the tool and the server\'s error', async () => {
    const r = await sandbox.run('try { await tools.github.search_issues({ q: "x" }); } catch (e) { return [e instanceof ToolError, e.code, e.server, e.tool, e.message]; }', {
      catalog: downCatalog,
      invoker: createTestInvoker(),
      language: 'js',
    });
    expect(r.ok && r.value).toEqual([
      true,
      'server_unreachable',
      'git hub',
      'search_issues',
      'The server "git hub" is not connected, so tools.github.search_issues cannot be called: spawn gh-mcp ENOENT (connect_failed). Fix the server (its command, URL or log), then reload the catalog.',
    ]);
  });

  it('end an uncaught run as tool_error at the calling line', async () => {
    const r = await sandbox.run('const x = 1;\nawait tools.github.search_issues({});', { catalog: downCatalog, invoker: createTestInvoker(), language: 'js' });
    expect(r).toMatchObject({ ok: false, error: { code: 'tool_error', cause: 'server_unreachable', server: 'git hub', tool: 'search_issues', line: 2 } });
  });
});

describe('hostile scripts', () => {
  for (const c of cases) it(c.name, () => runCase(c).then(() => undefined), 20_000);

  it('keeps the host memory bounded and disposes every handle', () => {
    const now = process.memoryUsage();
    expect(now.heapUsed - memoryBefore.heapUsed).toBeLessThan(150 * 1024 * 1024);
    expect(now.rss - memoryBefore.rss).toBeLessThan(600 * 1024 * 1024);
    expect(warnings).toEqual([]);
  });
});
