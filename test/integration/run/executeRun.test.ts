import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { executeRun, type ExecuteRunOptions } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { TraceSchema, type Trace } from '../../../src/core/trace/schema';
import { createTraceStore } from '../../../src/core/trace/store';
import { loadDefaultTokenizer, whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import { API_SECRET, createRunInvoker, runCatalog } from './fixtures';

const sandbox = createSandbox({ poolSize: 1 });
afterAll(() => sandbox.dispose());
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-run-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

function run(source: string, extra: Partial<ExecuteRunOptions> = {}) {
  return executeRun({
    source,
    catalog: runCatalog,
    invoker: createRunInvoker(),
    secrets: { values: [API_SECRET] },
    sandbox,
    traceDir: dir,
    tokenizer: whitespaceTokenizer,
    origin: 'test',
    ...extra,
  });
}

/** Exactly one trace file in the store, final, valid, and equal to what executeRun returned. */
function onlyTraceFile(trace: Trace, traceFile: string): Trace {
  const files = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'index.json');
  expect(files).toEqual([`${trace.id}.json`]);
  expect(traceFile).toBe(path.join(dir, `${trace.id}.json`));
  const text = readFileSync(traceFile, 'utf8');
  expect(text).not.toContain(API_SECRET);
  const onDisk = TraceSchema.parse(JSON.parse(text));
  expect(onDisk).toEqual(trace);
  expect(onDisk.status).not.toBe('running');
  expect(onDisk.spans.every((s) => s.status !== 'running')).toBe(true);
  return onDisk;
}

describe('executeRun: one trace per outcome', () => {
  it('ok: records calls, redacts secrets, computes the token account', async () => {
    const { result, trace, traceFile } = await run(
      'const all = await tools.crm.listUsers({});\n' +
        'const [a, b] = await Promise.all([tools.crm.getUser({ id: 1 }), tools.crm.getUser({ id: 2 })]);\n' +
        'console.log("key", a.apiKey);\n' +
        'return { count: all.length, top: all.reduce((m, u) => Math.max(m, u.score), 0), names: [a.name, b.name] };',
      // A real tokenizer: whitespace words count the 500-record JSON as ~500 tokens but every word of
      // the code-mode definitions and the reply's untrusted-data note in full, which is not the trade-off.
      { tokenizer: await loadDefaultTokenizer() },
    );
    expect(result.ok).toBe(true);
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('ok');
    expect(t.value?.value).toEqual({ count: 500, top: 3500, names: ['User 1', 'User 2'] });
    const tools = t.spans.filter((s) => s.kind === 'tool');
    expect(tools.map((s) => s.tool)).toEqual(['list_users', 'get_user', 'get_user']);
    expect(tools.every((s) => s.status === 'ok' && s.endMs !== undefined)).toBe(true);
    expect(tools[1]?.line).toBe(2);
    expect(tools[0]?.kind === 'tool' && tools[0].result?.truncated).toBe(true);
    expect(t.truncations.some((x) => x.path === 'spans[0].result' && x.originalBytes > 16 * 1024)).toBe(true);
    expect(t.logs[0]?.text).toBe('key [REDACTED:configured_secret]');
    expect(t.redactions).toBeGreaterThan(500);
    expect(t.origin).toBe('test');
    // account: 3 calls in 1 wave: the gets' ids are written in the script, so a classic agent needs
    // nothing from the list to make them (dependency waves); full list result counted
    expect(t.tokens?.classic).toMatchObject({ toolCalls: 3, waves: 1, requests: 2 });
    // o200k: thousands of tokens in the full 500-record list, read in the one request after the wave
    expect(t.tokens!.classic.breakdown.intermediateResults).toBeGreaterThan(2 * 500);
    expect(t.tokens!.codeModeCostMore).toBe(false);
    expect(t.tokens!.approximate).toBe(false);
    expect(t.tokens!.codeMode.breakdown.docs).toBeGreaterThan(0);
  });

  it('guest error: failed with the error code and line', async () => {
    const { trace, traceFile } = await run('await tools.crm.getUser({ id: 1 });\nthrow new TypeError("bad " + "' + API_SECRET + '");');
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('failed');
    expect(t.error).toMatchObject({ code: 'guest_error', name: 'TypeError', line: 2 });
    expect(t.error?.message).toContain('[REDACTED:configured_secret]');
    expect(t.tokens).toBeDefined();
  });

  it('syntax error and an oversize source: failed before anything ran', async () => {
    const syntax = await run('return (;');
    expect(onlyTraceFile(syntax.trace, syntax.traceFile)).toMatchObject({ status: 'failed', error: { code: 'syntax_error' }, spans: [] });
    rmSync(syntax.traceFile);
    const big = await run('return 1;' + ' '.repeat(2000), { limits: { maxSourceBytes: 1000 } });
    expect(onlyTraceFile(big.trace, big.traceFile)).toMatchObject({ status: 'failed', error: { code: 'source_too_large' } });
  });

  it('tool error: the failing span keeps its error', async () => {
    const { trace, traceFile } = await run('return await tools.crm.fail({});');
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('failed');
    expect(t.error?.code).toBe('tool_error');
    expect(t.spans[0]).toMatchObject({ kind: 'tool', status: 'error', error: { code: 'tool_failed' } });
  });

  it('timeout: timed_out, the open call closed as timed_out', async () => {
    const { trace, traceFile } = await run('await tools.crm.slow({ ms: 10000 });', { limits: { timeoutMs: 1000 } });
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('timed_out');
    expect(t.error?.code).toBe('timeout');
    expect(['timed_out', 'error']).toContain(t.spans[0]?.status);
  });

  it('timeout of a busy loop', async () => {
    const { trace, traceFile } = await run('while (true) {}', { limits: { timeoutMs: 300 } });
    expect(onlyTraceFile(trace, traceFile).status).toBe('timed_out');
  });

  it('cancelled: cancelled status', async () => {
    const ac = new AbortController();
    // abort once the call is in flight (a fixed delay is flaky on a loaded machine)
    const onEvent = (e: { type: string }) => {
      if (e.type === 'tool.start') setTimeout(() => ac.abort(), 20);
    };
    const { trace, traceFile } = await run('await tools.crm.slow({ ms: 10000 });', { signal: ac.signal, onEvent });
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('cancelled');
    expect(['cancelled', 'error']).toContain(t.spans[0]?.status);
  });

  it('crash: a sandbox that dies mid-run leaves a crashed trace', async () => {
    const doomed = createSandbox({ poolSize: 1 });
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const pending = run('await tools.crm.slow({ ms: 10000 });', { sandbox: doomed, onEvent: (e) => e.type === 'tool.start' && started() });
    await inFlight;
    await doomed.dispose();
    const { trace, traceFile } = await pending;
    const t = onlyTraceFile(trace, traceFile);
    expect(t.status).toBe('crashed');
    expect(t.error?.code).toBe('sandbox_crashed');
  });

  it('checkpoints the running trace while the run goes on', async () => {
    const store = createTraceStore({ dir });
    let slowStarted!: () => void;
    const inFlight = new Promise<void>((r) => (slowStarted = r));
    const pending = run('await tools.crm.getUser({ id: 3 });\nawait tools.crm.slow({ ms: 1500 });\nawait tools.crm.getUser({ id: 4 });', {
      store,
      checkpointMs: 1,
      onEvent: (e) => e.type === 'tool.start' && e.tool === 'slow' && slowStarted(),
    });
    await inFlight;
    let seen: Trace | undefined;
    for (let i = 0; i < 100 && !seen?.spans.some((s) => s.kind === 'tool' && s.tool === 'slow'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      const id = (await store.list()).traces[0]?.id;
      seen = id ? await store.read(id) : undefined;
    }
    const { trace } = await pending;
    expect(seen?.status).toBe('running');
    expect(seen?.spans.map((s) => s.status)).toEqual(['ok', 'running']);
    expect((await store.read(trace.id)).status).toBe('ok');
  });
});
