// The tool bridge and the run contract against an in-process invoker, through the real worker
// pool: cancellation, timeouts, quotas, concurrency, server limits, cache, validation, events,
// TypeScript line numbers and crash recovery.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/ports';
import { WorkerPool } from '../../../src/core/sandbox/host/pool';
import { createSandbox, type RunContext } from '../../../src/core/sandbox/sandbox';
import type { RunEvent, RunResult } from '../../../src/core/sandbox/types';
import { createTestInvoker, testCatalog } from './fixtures';

const sandbox = createSandbox({ poolSize: 2 });
afterAll(() => sandbox.dispose());

function ctx(extra: Partial<RunContext> = {}) {
  const invoker = createTestInvoker();
  return { invoker, ctx: { catalog: testCatalog, invoker, ...extra } as RunContext };
}

function errorOf(r: RunResult) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('scripts', () => {
  it('strips TypeScript and keeps line numbers in errors', async () => {
    const source = [
      'interface Point { x: number; y: number }', // 1
      'type Id = string;', // 2
      'const p: Point = { x: 1, y: 2 };', // 3
      'function twice<T>(v: T): T[] { return [v, v]; }', // 4
      'const ids: Id[] = twice<Id>("a");', // 5
      'console.log(ids as unknown as string);', // 6
      'throw new RangeError(`bad ${p.x}`);', // 7
    ].join('\n');
    const e = errorOf(await sandbox.run(source, ctx().ctx));
    expect(e).toMatchObject({ code: 'guest_error', name: 'RangeError', message: 'bad 1', line: 7 });
  });

  it('reports syntax errors with their line, from sucrase and from QuickJS', async () => {
    expect(errorOf(await sandbox.run('const a = 1;\nconst b: = 2;\n', ctx().ctx))).toMatchObject({ code: 'syntax_error', line: 2 });
    expect(errorOf(await sandbox.run('const a = 1;\n\nlet b = ;\n', { ...ctx().ctx, language: 'js' }))).toMatchObject({ code: 'syntax_error', line: 3 });
    expect(errorOf(await sandbox.run('import fs from "fs";\nreturn fs.readFileSync("/etc/passwd");', ctx().ctx)).message).toMatch(/import and other exports are not available/);
  });

  it('strips markdown fences and supports top-level await', async () => {
    const r = await sandbox.run('Here you go:\n```ts\nconst v = await tools.test.add({ a: 2, b: 3 });\nreturn v * 2;\n```\n', ctx().ctx);
    expect(r).toMatchObject({ ok: true, value: 10 });
  });

  it('captures console output by level with times', async () => {
    const r = await sandbox.run('console.info("i"); console.warn({ a: 1 }); console.debug(new Error("e").message); return 0;', ctx().ctx);
    expect(r.logs.map((l) => [l.level, l.text])).toEqual([
      ['info', 'i'],
      ['warn', '{"a":1}'],
      ['debug', 'e'],
    ]);
    expect(r.logs[0]?.t).toBeGreaterThanOrEqual(0);
  });

  it('has sleep and the flow helpers as globals', async () => {
    const r = await sandbox.run(
      'const t0 = Date.now(); await sleep(60);\nreturn [Date.now() - t0 >= 50, ["retry","map","parallel","timeout","poll","fallback","race","batch","dag","pipe"].map((n) => typeof globalThis[n])];',
      ctx().ctx,
    );
    expect(r).toMatchObject({ ok: true, value: [true, Array(10).fill('function')] });
  });
});

describe('tool calls', () => {
  it('makes ToolErrors catchable and reports uncaught ones with server, tool and cause', async () => {
    const caught = await sandbox.run('try { await tools.test.fail({ code: "x" }); } catch (e) { return [e instanceof ToolError, e.name, e.code, e.server, e.tool, e.message]; }', ctx().ctx);
    expect(caught).toMatchObject({ ok: true, value: [true, 'ToolError', 'tool_failed', 'test server', 'fail', 'The tool failed on purpose (x).'] });
    const e = errorOf(await sandbox.run('const a = 1;\nawait tools.test.fail({});', ctx().ctx));
    expect(e).toMatchObject({ code: 'tool_error', name: 'ToolError', server: 'test server', tool: 'fail', cause: 'tool_failed', line: 2 });
  });

  it('validates arguments against the input schema and names the field', async () => {
    const missing = await sandbox.run('try { await tools.test.add({ a: 1 }); } catch (e) { return [e.code, e.field, e.message]; }', ctx().ctx);
    expect(missing).toMatchObject({ ok: true, value: ['invalid_arguments', 'b', expect.stringContaining('b is required')] });
    const wrongType = await sandbox.run('try { await tools.test.add({ a: "x", b: 1 }); } catch (e) { return [e.code, e.field]; }', ctx().ctx);
    expect(wrongType).toMatchObject({ ok: true, value: ['invalid_arguments', 'a'] });
  });

  it('runs 1000 parallel calls and settles them in batches', async () => {
    const { invoker, ctx: c } = ctx({ limits: { maxToolCalls: 1000, maxConcurrency: 1000 } });
    const r = await sandbox.run('const r = await Promise.all(Array.from({ length: 1000 }, (_, i) => tools.test.add({ a: i, b: 1 })));\nreturn r.reduce((s, v) => s + v, 0);', c);
    expect(r).toMatchObject({ ok: true, value: 500500 });
    expect(r.stats.toolCalls).toBe(1000);
    expect(invoker.calls).toHaveLength(1000);
  });

  it('caps calls in flight and queues the rest', async () => {
    const { invoker, ctx: c } = ctx({ limits: { maxConcurrency: 4 } });
    const r = await sandbox.run('return (await Promise.all(Array.from({ length: 20 }, (_, i) => tools.test.slow({ ms: 20, value: i })))).length;', c);
    expect(r).toMatchObject({ ok: true, value: 20 });
    expect(r.stats.peakConcurrency).toBe(4);
    expect(invoker.maxInFlight).toBe(4);
  });

  it('applies per-server concurrency caps and rate limits', async () => {
    const capped = ctx({ serverLimits: { 'test server': { maxConcurrency: 2 } } });
    const r1 = await sandbox.run('await Promise.all(Array.from({ length: 8 }, () => tools.test.slow({ ms: 20 })));', capped.ctx);
    expect(r1.ok).toBe(true);
    expect(capped.invoker.maxInFlight).toBe(2);
    const rated = ctx({ serverLimits: { 'test server': { rps: 20, burst: 1 } } });
    const r2 = await sandbox.run('const t0 = Date.now(); await Promise.all(Array.from({ length: 5 }, (_, i) => tools.test.add({ a: i, b: 0 }))); return Date.now() - t0;', rated.ctx);
    expect(r2.ok && (r2.value as number)).toBeGreaterThanOrEqual(180);
  });

  it('stops the run when the call quota is exceeded', async () => {
    const { invoker, ctx: c } = ctx({ limits: { maxToolCalls: 5 } });
    const r = await sandbox.run('for (let i = 0; i < 10; i++) await tools.test.add({ a: i, b: 1 });\nreturn "not reached";', c);
    expect(errorOf(r)).toMatchObject({ code: 'quota_exceeded' });
    expect(r.stats.limitHit).toBe('maxToolCalls');
    expect(invoker.calls.length).toBeLessThanOrEqual(5);
  });

  it('times out one call, aborting its signal, and the script can go on', async () => {
    const { invoker, ctx: c } = ctx({ limits: { toolCallTimeoutMs: 100 } });
    const r = await sandbox.run('try { await tools.test.slow({ ms: 5000 }); } catch (e) { return [e.code, e.message]; }', c);
    expect(r).toMatchObject({ ok: true, value: ['timeout', expect.stringContaining('100 ms')] });
    expect(invoker.aborted).toEqual(['slow']);
    expect(r.stats.durationMs).toBeLessThan(1000);
  });

  it('caches identical calls to read-only idempotent tools, unless disabled', async () => {
    const events: RunEvent[] = [];
    const on = ctx({ onEvent: (e) => events.push(e) });
    const src = 'const a = await tools.test.echo({ message: "hi" });\nconst [b, c] = await Promise.all([tools.test.echo({ message: "hi" }), tools.test.echo({ message: "hi" })]);\nawait tools.test.add({ a: 1, b: 1 }); await tools.test.add({ a: 1, b: 1 });\nreturn [a, b, c];';
    const r = await sandbox.run(src, on.ctx);
    expect(r).toMatchObject({ ok: true, value: [{ echo: 'hi' }, { echo: 'hi' }, { echo: 'hi' }] });
    expect(r.stats).toMatchObject({ toolCalls: 5, cachedCalls: 2 });
    expect(on.invoker.calls.map((c) => c.tool)).toEqual(['echo', 'add', 'add']);
    expect(events.filter((e) => e.type === 'tool.end' && e.cached)).toHaveLength(2);
    const off = ctx({ cache: false });
    const r2 = await sandbox.run(src, off.ctx);
    expect(r2.stats.cachedCalls).toBe(0);
    expect(off.invoker.calls).toHaveLength(5);
  });

  it('emits tool and helper events with lines and parent spans', async () => {
    const events: RunEvent[] = [];
    const { ctx: c } = ctx({ onEvent: (e) => events.push(e) });
    const r = await sandbox.run('await tools.test.add({ a: 1, b: 2 });\nconst out = await map([1, 2], (x) =>\n  tools.test.add({ a: x, b: 1 }));\nconsole.log("done");\nreturn out;', c);
    expect(r).toMatchObject({ ok: true, value: [2, 3] });
    const starts = events.filter((e): e is Extract<RunEvent, { type: 'tool.start' }> => e.type === 'tool.start');
    expect(starts.map((s) => [s.tool, s.line])).toEqual([
      ['add', 1],
      ['add', 3],
      ['add', 3],
    ]);
    expect(starts[0]?.parentId).toBeUndefined();
    const helperIds = new Set(events.flatMap((e) => (e.type === 'helper.start' ? [e.spanId] : [])));
    expect(events.some((e) => e.type === 'helper.start' && e.helper === 'map')).toBe(true);
    expect(helperIds.has(starts[1]?.parentId ?? '')).toBe(true);
    expect(events.filter((e) => e.type === 'tool.end')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'helper.end')).toHaveLength(events.filter((e) => e.type === 'helper.start').length);
    expect(events.at(-1)).toMatchObject({ type: 'log', entry: { text: 'done' } });
  });
});

describe('ending runs', () => {
  it('cancels promptly while waiting on a tool, aborting the call', async () => {
    const ac = new AbortController();
    const { invoker, ctx: c } = ctx({ signal: ac.signal });
    // Abort once the call is in flight (a cold first run may take longer than any fixed delay).
    const started = setInterval(() => {
      if (invoker.calls.length > 0) {
        clearInterval(started);
        ac.abort();
      }
    }, 5);
    const t0 = performance.now();
    const r = await sandbox.run('await tools.test.slow({ ms: 10000 });', c);
    clearInterval(started);
    expect(errorOf(r).code).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1500); // the tool would take 10 s
    expect(invoker.aborted).toEqual(['slow']);
  });

  it('cancels a script stuck in a loop', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 100);
    const r = await sandbox.run('while (true) {}', { ...ctx().ctx, signal: ac.signal });
    expect(errorOf(r).code).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(600);
  });

  it('cancels a run still waiting for a busy worker', async () => {
    const one = createSandbox({ poolSize: 1 });
    try {
      const busy = one.run('await sleep(300); return "first";', ctx().ctx);
      const ac = new AbortController();
      const queued = one.run('return "second";', { ...ctx().ctx, signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      const t0 = performance.now();
      expect(errorOf(await queued).code).toBe('cancelled');
      expect(performance.now() - t0).toBeLessThan(250);
      expect(await busy).toMatchObject({ ok: true, value: 'first' });
      expect(await one.run('return 3', ctx().ctx)).toMatchObject({ ok: true, value: 3 });
    } finally {
      await one.dispose();
    }
  });

  it('returns cancelled at once for an aborted signal', async () => {
    const r = await sandbox.run('return 1', { ...ctx().ctx, signal: AbortSignal.abort() });
    expect(errorOf(r).code).toBe('cancelled');
  });

  it('times out while waiting on a tool', async () => {
    const { invoker, ctx: c } = ctx({ limits: { timeoutMs: 300 } });
    const t0 = performance.now();
    const r = await sandbox.run('await tools.test.slow({ ms: 10000 });', c);
    expect(errorOf(r).code).toBe('timeout');
    expect(performance.now() - t0).toBeLessThan(800);
    expect(invoker.aborted).toEqual(['slow']);
  });

  it('rejects oversized sources', async () => {
    const r = await sandbox.run(`return "${'x'.repeat(2000)}";`, { ...ctx().ctx, limits: { maxSourceBytes: 1000 } });
    expect(errorOf(r).code).toBe('source_too_large');
  });

  it('reports a crashed worker as sandbox_crashed and the next run works', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-crash-'));
    const dist = path.resolve(__dirname, '../../../dist');
    for (const f of ['sandboxPrelude.js', 'quickjs.wasm']) symlinkSync(path.join(dist, f), path.join(dir, f));
    const worker = path.join(dir, 'sandboxWorker.js');
    writeFileSync(
      worker,
      `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => { if (m.type === 'run' && m.source.includes('CRASH_WORKER')) process.exit(7); });\nrequire(${JSON.stringify(path.join(dist, 'sandboxWorker.js'))});\n`,
    );
    const crashing = createSandbox({ poolSize: 1, workerPath: worker });
    try {
      const r = await crashing.run('// CRASH_WORKER\nreturn 1', ctx().ctx);
      expect(errorOf(r).code).toBe('sandbox_crashed');
      expect(await crashing.run('return 2', ctx().ctx)).toMatchObject({ ok: true, value: 2 });
    } finally {
      await crashing.dispose();
    }
  });

  it('replaces a crashed worker exactly once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-crash-'));
    const dist = path.resolve(__dirname, '../../../dist');
    for (const f of ['sandboxPrelude.js', 'quickjs.wasm']) symlinkSync(path.join(dist, f), path.join(dir, f));
    const worker = path.join(dir, 'sandboxWorker.js');
    writeFileSync(worker, `require('node:worker_threads').parentPort.on('message', (m) => { if (m.type === 'run') process.exit(9); });\nrequire(${JSON.stringify(path.join(dist, 'sandboxWorker.js'))});\n`);
    const pool = new WorkerPool({ size: 1, logger: silentLogger, workerPath: worker });
    try {
      pool.start();
      for (let i = 0; i < 3; i++) {
        const w = await pool.acquire();
        const exited = new Promise<void>((resolve) => (w.session = { runId: 0, onMessage() {}, onExit: () => resolve() }));
        w.worker.postMessage({ type: 'run' });
        await exited;
        pool.discard(w);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(pool.size).toBe(1);
    } finally {
      await pool.dispose();
    }
  });

  it('prepares each worker\'s first spare engine at the memory size the sandbox was told runs will ask', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-spare-'));
    const dist = path.resolve(__dirname, '../../../dist');
    for (const f of ['sandboxPrelude.js', 'quickjs.wasm']) symlinkSync(path.join(dist, f), path.join(dir, f));
    const worker = path.join(dir, 'sandboxWorker.js');
    // Reports the size the worker was started with as a warning (the pool logs warnings), then runs the real worker.
    writeFileSync(
      worker,
      `const { parentPort, workerData } = require('node:worker_threads');\nparentPort.postMessage({ type: 'warning', message: 'spare ' + workerData.spareMemoryMb });\nrequire(${JSON.stringify(path.join(dist, 'sandboxWorker.js'))});\n`,
    );
    const warnings: string[] = [];
    const sized = createSandbox({ poolSize: 1, workerPath: worker, memoryMb: 128, logger: { ...silentLogger, warn: (m: string) => void warnings.push(m) } });
    try {
      const r = await sized.run('return new Uint8Array(80 * 1024 * 1024).length', { ...ctx().ctx, limits: { memoryMb: 128 } });
      expect(r).toMatchObject({ ok: true, value: 80 * 1024 * 1024 });
      expect(warnings).toContain('spare 128');
    } finally {
      await sized.dispose();
    }
  });

  it('reports a missing worker bundle without hanging', async () => {
    const broken = createSandbox({ poolSize: 1, workerPath: path.join(tmpdir(), 'no-such-dir', 'sandboxWorker.js') });
    const r = await broken.run('return 1', ctx().ctx);
    expect(errorOf(r)).toMatchObject({ code: 'sandbox_crashed', message: expect.stringContaining('not found') });
    await broken.dispose();
  });
});
