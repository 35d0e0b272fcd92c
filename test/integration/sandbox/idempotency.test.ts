// Idempotency keys end to end: the real sandbox, the guest's retry(), executeRun's trace and the
// fault fixture over stdio, which answers with the `_meta` it received. Every attempt of one retry
// sends the same key (also across a crash and the reconnect that follows); different calls get
// different keys; the trace records each call's key; a real server (server-everything) takes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import type { ToolSpan } from '../../../src/core/trace/schema';
import { faultStdioConfig } from '../../fixtures/fault/harness';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-idem-'));
const metaLog = path.join(dir, 'meta.log');
const everythingJs = path.resolve(__dirname, '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const sandbox = createSandbox({ poolSize: 1 });
let loaded: LoadedCatalog;

beforeAll(async () => {
  const fault = faultStdioConfig();
  loaded = await loadCatalog({
    cwd: dir,
    servers: {
      fault: { ...fault, args: [...fault.args, '--meta-log', metaLog] },
      everything: { type: 'stdio', command: process.execPath, args: [everythingJs] },
    },
  });
  for (const s of loaded.catalog.servers) expect(s.status.state, s.name).toBe('connected');
});
afterAll(async () => {
  await sandbox.dispose();
  await loaded?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(source: string) {
  const out = await executeRun({ source, language: 'js', catalog: loaded.catalog, invoker: loaded.invoker, sandbox, cwd: dir, tokenizer: false });
  expect(out.result.ok, JSON.stringify(out.result).slice(0, 800)).toBe(true);
  const toolSpans = out.trace.spans.filter((s): s is ToolSpan => s.kind === 'tool');
  return { value: (out.result as { value: unknown }).value, trace: out.trace, toolSpans };
}

describe('idempotency keys', () => {
  it('retry() sends one key on every attempt; another call gets another key; the trace records them', async () => {
    const { value, trace, toolSpans } = await run(`
      // meta_flaky has no idempotent annotation: repeating it takes an explicit retryOn.
      const a = await retry(() => tools.fault.meta_flaky({ key: 'a', failures: 2 }), { attempts: 3, baseMs: 1, jitter: false, retryOn: () => true });
      const b = await retry(() => tools.fault.meta_flaky({ key: 'b', failures: 1 }), { attempts: 3, baseMs: 1, jitter: false, retryOn: () => true });
      const e1 = await tools.fault.meta_echo({});
      const e2 = await tools.fault.meta_echo({});
      return { a: a.idempotencyKeys, b: b.idempotencyKeys, e1: e1.meta.idempotencyKey, e2: e2.meta.idempotencyKey };
    `);
    const v = value as { a: string[]; b: string[]; e1: string; e2: string };
    // What the server received: three attempts with one key, two with another.
    expect(v.a).toHaveLength(3);
    expect(new Set(v.a).size).toBe(1);
    expect(v.b).toHaveLength(2);
    expect(new Set(v.b).size).toBe(1);
    const all = [v.a[0], v.b[0], v.e1, v.e2];
    expect(new Set(all).size).toBe(4);
    // The format: `${traceId}:${n}`, n counting logical calls.
    expect(all).toEqual([`${trace.id}:1`, `${trace.id}:2`, `${trace.id}:3`, `${trace.id}:4`]);
    // The trace: every attempt's span carries the key the server saw.
    expect(toolSpans.map((s) => [s.tool, s.attempt, s.idempotencyKey])).toEqual([
      ['meta_flaky', 1, v.a[0]],
      ['meta_flaky', 2, v.a[0]],
      ['meta_flaky', 3, v.a[0]],
      ['meta_flaky', 1, v.b[0]],
      ['meta_flaky', 2, v.b[0]],
      ['meta_echo', 1, v.e1],
      ['meta_echo', 1, v.e2],
    ]);
  });

  it('calls in parallel inside one retry keep their own keys across attempts; each run has its own keys', async () => {
    const first = await run(`
      let n = 0;
      const out = await retry(async () => {
        n++;
        const [x, y] = await Promise.all([tools.fault.meta_echo({ x: 1 }), tools.fault.meta_echo({ y: 1 })]);
        if (n < 2) throw new ToolError({ code: 'tool_failed', message: 'again', server: 'test', tool: 'x' });
        return [x.meta.idempotencyKey, y.meta.idempotencyKey];
      }, { attempts: 2, baseMs: 1, jitter: false });
      return out;
    `);
    const keys = first.toolSpans.map((s) => s.idempotencyKey);
    expect(keys).toHaveLength(4);
    expect(keys[0]).not.toBe(keys[1]);
    expect([keys[2], keys[3]]).toEqual([keys[0], keys[1]]);
    expect(first.value).toEqual([keys[0], keys[1]]);
    const second = await run('return (await tools.fault.meta_echo({})).meta.idempotencyKey;');
    expect(second.value).toBe(`${second.trace.id}:1`);
    expect(second.trace.id).not.toBe(first.trace.id);
  });

  it('a call retried after the server crashed is re-sent with its key once the connection is back', async () => {
    const { value, toolSpans } = await run(`
      return await retry(() => tools.fault.meta_crash_once({ key: 'c' }), { attempts: 3, baseMs: 50, jitter: false, retryOn: () => true });
    `);
    const v = value as { idempotencyKeys: string[] };
    expect(toolSpans.map((s) => s.status)).toEqual(['error', 'ok']);
    expect(v.idempotencyKeys).toHaveLength(2);
    expect(v.idempotencyKeys[0]).toBeTruthy();
    expect(v.idempotencyKeys[1]).toBe(v.idempotencyKeys[0]);
    expect(toolSpans.map((s) => s.idempotencyKey)).toEqual(v.idempotencyKeys);
  });

  it('a real server takes the key in _meta without complaint (server-everything echo)', async () => {
    const { value, toolSpans } = await run("return await retry(() => tools.everything.echo({ message: 'hi' }));");
    expect(JSON.stringify(value)).toContain('hi');
    expect(toolSpans[0]?.idempotencyKey).toMatch(/:1$/);
  });
});

describe('idempotency keys: the documented limit', () => {
  it('a call issued after an await inside an attempt has lost its span, so each attempt sends a fresh key', async () => {
    const { toolSpans } = await run(`
      let n = 0;
      return await retry(async () => {
        await sleep(0);
        const r = await tools.fault.meta_echo({});
        if (++n < 2) throw new ToolError({ code: 'tool_failed', message: 'again', server: 'test', tool: 'x' });
        return r;
      }, { attempts: 2, baseMs: 1, jitter: false });
    `);
    const keys = toolSpans.map((s) => s.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });
});
