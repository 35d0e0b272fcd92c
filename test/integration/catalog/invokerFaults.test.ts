// The MCP invoker under server faults (raw stdio fixture + server-everything over HTTP): every
// fault becomes the right ToolError quickly, and the next call works again where it can.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { ToolError, type ToolErrorCode } from '../../../src/core/errors';
import { NODE, RAW_SERVER, signal, startEverythingHttp, tempDir } from './helpers';

const dir = tempDir();
const log = path.join(dir, 'raw.log');
let loaded: LoadedCatalog;

beforeAll(async () => {
  loaded = await loadCatalog({ cwd: dir, servers: { raw: { command: NODE, args: [RAW_SERVER, 'ok'], env: { RAW_LOG: log } } } });
});
afterAll(() => loaded?.close());

async function call(tool: string, opts: { timeoutMs?: number; signal?: AbortSignal; args?: Record<string, unknown> } = {}): Promise<unknown> {
  return loaded.invoker.callTool({ server: 'raw', tool, args: opts.args ?? {} }, { signal: opts.signal ?? signal(), timeoutMs: opts.timeoutMs ?? 3000 });
}

async function failure(p: Promise<unknown>, code: ToolErrorCode): Promise<{ err: ToolError; ms: number }> {
  const started = Date.now();
  const err = await p.then(
    (v) => {
      throw new Error(`expected ToolError ${code}, got value ${JSON.stringify(v).slice(0, 100)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolError);
  expect((err as ToolError).code).toBe(code);
  expect((err as ToolError).server).toBeTruthy();
  expect((err as ToolError).tool).toBeTruthy();
  return { err: err as ToolError, ms: Date.now() - started };
}

const logLines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('invoker faults over stdio', () => {
  it('isError → tool_failed with the content text', async () => {
    const { err } = await failure(call('fail'), 'tool_failed');
    expect(err.message).toContain('quota exhausted for project X');
  });

  it('hang → timeout, and notifications/cancelled is sent', async () => {
    const { ms } = await failure(call('hang', { timeoutMs: 300 }), 'timeout');
    expect(ms).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(logLines().some((l) => l.startsWith('notifications/cancelled'))).toBe(true);
  });

  it('caller abort → cancelled promptly, cancellation sent', async () => {
    const ac = new AbortController();
    const before = logLines().filter((l) => l.startsWith('notifications/cancelled')).length;
    setTimeout(() => ac.abort(), 100);
    const { ms } = await failure(call('hang', { signal: ac.signal, timeoutMs: 10_000 }), 'cancelled');
    expect(ms).toBeLessThan(600);
    await new Promise((r) => setTimeout(r, 100));
    expect(logLines().filter((l) => l.startsWith('notifications/cancelled')).length).toBe(before + 1);
    const pre = new AbortController();
    pre.abort();
    await failure(call('echo', { signal: pre.signal }), 'cancelled');
  });

  it('malformed result → malformed_reply naming the field; invalid JSON-RPC reply → malformed_reply at once', async () => {
    const { err } = await failure(call('malformed'), 'malformed_reply');
    expect(err.message).toContain('content');
    const r = await failure(call('malformed-rpc', { timeoutMs: 5000 }), 'malformed_reply');
    expect(r.ms).toBeLessThan(1000);
    expect(await call('echo', { args: { still: 'works' } })).toEqual({ echoed: { still: 'works' } });
  });

  it('oversize reply → reply_too_large, then the connection is re-established', async () => {
    const { ms } = await failure(call('oversize', { timeoutMs: 10_000 }), 'reply_too_large');
    expect(ms).toBeLessThan(5000);
    expect(await call('echo', { args: { n: 1 } })).toEqual({ echoed: { n: 1 } });
  });

  it('crash mid-call → server_crashed quickly; in-flight siblings fail too; next call restarts', async () => {
    const sibling = call('slow', { args: { ms: 2000 }, timeoutMs: 5000 });
    const { ms, err } = await failure(call('crash', { timeoutMs: 10_000 }), 'server_crashed');
    expect(ms).toBeLessThan(1000);
    expect(err.message).toContain('exited with code 1');
    await failure(sibling, 'server_crashed');
    expect(await call('slow', { args: { ms: 10 } })).toBe('done');
  });

  it('100 parallel calls all answer', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => call('echo', { args: { i } })));
    expect(results.map((r) => (r as { echoed: { i: number } }).echoed.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('reconnects', () => {
  it('a restart that hangs is bounded by the call timeout, not the connect timeout', async () => {
    const marker = path.join(tempDir(), 'started');
    const l = await loadCatalog({ cwd: dir, connectTimeoutMs: 10_000, servers: { once: { command: NODE, args: [RAW_SERVER, 'once', marker] } } });
    try {
      const c = (tool: string, timeoutMs: number): Promise<unknown> => l.invoker.callTool({ server: 'once', tool, args: {} }, { signal: signal(), timeoutMs });
      await failure(c('crash', 5000), 'server_crashed');
      const { ms } = await failure(c('echo', 500), 'timeout');
      expect(ms).toBeLessThan(1500);
    } finally {
      await l.close();
    }
  });
});

describe('invoker faults over HTTP', () => {
  it('a server that dies mid-call is detected in seconds, then calls fail fast', async () => {
    const http = await startEverythingHttp();
    const l = await loadCatalog({ cwd: dir, servers: { web: { type: 'http', url: http.url } } });
    try {
      expect(l.catalog.servers[0]?.status).toEqual({ state: 'connected' });
      const started = Date.now();
      const pending = l.invoker.callTool(
        { server: 'web', tool: 'trigger-long-running-operation', args: { duration: 30, steps: 3 } },
        { signal: signal(), timeoutMs: 60_000 },
      );
      setTimeout(() => void http.kill(), 300);
      const err = await pending.then(() => undefined, (e: unknown) => e);
      const ms = Date.now() - started;
      expect(ToolError.is(err)).toBe(true);
      expect(['server_crashed', 'server_unreachable']).toContain((err as ToolError).code);
      expect(ms).toBeLessThan(5000);
      const next = await l.invoker.callTool({ server: 'web', tool: 'echo', args: { message: 'x' } }, { signal: signal(), timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(ToolError.is(next, 'server_unreachable')).toBe(true);
    } finally {
      await l.close();
      await http.kill();
    }
  });
});
