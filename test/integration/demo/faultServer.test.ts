// The fault fixture really produces each fault, over stdio and Streamable HTTP, as seen by the SDK's
// own Client: these are the conditions the tool bridge must turn into typed ToolErrors.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { connectFault, type ConnectedFault } from '../../fixtures/fault/harness';

const started: ConnectedFault[] = [];
async function start(mode: 'stdio' | 'http', flags: Parameters<typeof connectFault>[1] = {}): Promise<ConnectedFault> {
  const f = await connectFault(mode, flags);
  started.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

async function call(f: ConnectedFault, name: string, args: Record<string, unknown> = {}, timeout = 5000): Promise<CallToolResult> {
  return (await f.client.callTool({ name, arguments: args }, undefined, { timeout })) as CallToolResult;
}
const firstText = (r: CallToolResult): string => (r.content[0]?.type === 'text' ? r.content[0].text : '');
const cancellationsSchema = z.object({
  cancellations: z.array(z.object({ requestId: z.union([z.string(), z.number()]), tool: z.string().nullable(), reason: z.string().nullable() })),
  pendingHangs: z.number(),
});

describe.each(['stdio', 'http'] as const)('fault server over %s', (mode) => {
  it('lists its tools and echoes with ok', async () => {
    const f = await start(mode);
    const { tools } = await f.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['bad_output', 'cancellations', 'count', 'crash', 'flaky', 'hang', 'is_error', 'malformed', 'meta_crash_once', 'meta_echo', 'meta_flaky', 'ok', 'oversize', 'progress', 'rpc_error', 'slow'].sort());
    expect((await call(f, 'ok', { a: [1, 'two'] })).structuredContent).toEqual({ echo: { a: [1, 'two'] } });
  });

  it('answers is_error, flaky, slow and count as documented', async () => {
    const f = await start(mode);
    const err = await call(f, 'is_error', { message: 'Quota exhausted.' });
    expect(err.isError).toBe(true);
    expect(firstText(err)).toBe('Quota exhausted.');
    expect((await call(f, 'flaky', { key: 'a', failures: 2 })).isError).toBe(true);
    expect((await call(f, 'flaky', { key: 'a', failures: 2 })).isError).toBe(true);
    expect((await call(f, 'flaky', { key: 'a', failures: 2 })).structuredContent).toEqual({ key: 'a', attempt: 3 });
    expect((await call(f, 'flaky', { key: 'b', failures: 1 })).isError).toBe(true);
    const t0 = Date.now();
    const slow = await call(f, 'slow', { ms: 300 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(slow.structuredContent).toMatchObject({ requestedMs: 300 });
    expect((await call(f, 'count', { key: 'k' })).structuredContent).toMatchObject({ key: 'k', count: 1 });
    expect((await call(f, 'count', { key: 'k' })).structuredContent).toMatchObject({ key: 'k', count: 2 });
    expect((await call(f, 'count', { key: 'other' })).structuredContent).toMatchObject({ key: 'other', count: 1 });
  });

  it('delivers a reply that violates CallToolResult: callTool rejects, a raw request sees the bad shape', async () => {
    const f = await start(mode);
    await expect(call(f, 'malformed')).rejects.toThrow(/expected array/);
    const raw = await f.client.request({ method: 'tools/call', params: { name: 'malformed', arguments: {} } }, z.unknown());
    expect(raw).toMatchObject({ content: 'content must be an array, this is a string' });
    const item = await f.client.request({ method: 'tools/call', params: { name: 'malformed', arguments: { kind: 'bad_content_item' } } }, z.unknown());
    expect(item).toMatchObject({ content: [{ type: 'text', text: 42 }, { kind: 'banana' }], isError: 'no' });
    // A result that is not even an object never matches its request: only a timeout ends the call.
    await expect(call(f, 'malformed', { kind: 'result_not_object' }, 500)).rejects.toThrow(/timed out/);
    expect((await call(f, 'ok', { still: 'alive' })).structuredContent).toEqual({ echo: { still: 'alive' } });
  });

  it('hang never answers and records the MCP cancellation the client sends', async () => {
    const f = await start(mode);
    const ac = new AbortController();
    setTimeout(() => ac.abort('user pressed stop'), 200);
    await expect(f.client.callTool({ name: 'hang', arguments: {} }, undefined, { signal: ac.signal })).rejects.toThrow(/user pressed stop/);
    await expect(call(f, 'hang', {}, 300)).rejects.toThrow(/timed out/);
    await new Promise((r) => setTimeout(r, 100));
    const seen = cancellationsSchema.parse((await call(f, 'cancellations')).structuredContent);
    expect(seen.cancellations.map((c) => c.tool)).toEqual(['hang', 'hang']);
    expect(seen.cancellations[0]?.reason).toMatch(/user pressed stop/);
    expect(seen.pendingHangs).toBe(2); // without --honor-cancel the handlers keep waiting
  });

  it('with --honor-cancel a cancelled hang stops waiting', async () => {
    const f = await start(mode, { honorCancel: true });
    await expect(call(f, 'hang', {}, 200)).rejects.toThrow(/timed out/);
    await new Promise((r) => setTimeout(r, 100));
    const seen = cancellationsSchema.parse((await call(f, 'cancellations')).structuredContent);
    expect(seen.cancellations).toHaveLength(1);
    expect(seen.pendingHangs).toBe(0);
  });

  it('rpc_error answers a JSON-RPC error with the exact code and message; bad_output breaks its outputSchema', async () => {
    const f = await start(mode);
    const err = await f.client.request({ method: 'tools/call', params: { name: 'rpc_error', arguments: { message: 'Database is locked.' } } }, z.unknown()).then(
      () => undefined,
      (e: unknown) => e as { code?: unknown; message?: unknown },
    );
    expect(err).toMatchObject({ code: -32000, message: 'MCP error -32000: Database is locked.' });
    const bad = await f.client.request({ method: 'tools/call', params: { name: 'bad_output', arguments: {} } }, z.unknown());
    expect(bad).toMatchObject({ structuredContent: { total: 'not a number' } });
    expect((await call(f, 'ok', { still: 'up' })).structuredContent).toEqual({ echo: { still: 'up' } });
  });

  it('slow start delays the initialize handshake', async () => {
    const t0 = Date.now();
    const f = await start(mode, { slowStartMs: 800 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
    expect((await call(f, 'ok')).isError).toBeFalsy();
  });
});

describe('fault server: crash and oversize', () => {
  it('stdio: crash rejects the pending call within a second', async () => {
    const f = await start('stdio');
    const t0 = Date.now();
    await expect(call(f, 'crash', {}, 10_000)).rejects.toThrow(/Connection closed/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('http: crash ends the process; the SDK client only notices at its timeout', async () => {
    const f = await start('http');
    await expect(call(f, 'crash', { exitCode: 7 }, 1500)).rejects.toThrow(/timed out/);
    expect(await f.http?.exited).toBe(7);
  });

  it('stdio: an 11 MiB reply breaks the connection (SDK 10 MiB limit)', async () => {
    const f = await start('stdio');
    // Depending on timing the SDK closes the connection or lets the call time out; never a reply.
    await expect(call(f, 'oversize', {}, 15_000)).rejects.toThrow(/Connection closed|timed out/);
    await vi.waitFor(() => expect(f.errors.join('\n')).toMatch(/ReadBuffer exceeded maximum size of 10485760/), { timeout: 5000, interval: 50 });
    await expect(call(f, 'ok', {}, 1000)).rejects.toThrow(/Not connected/);
  });

  it('http: the oversize reply arrives whole and is over 10 MiB; size is configurable', async () => {
    const f = await start('http');
    const big = await call(f, 'oversize', {}, 20_000);
    expect(firstText(big).length).toBe(11 * 1024 * 1024);
    expect(firstText(await call(f, 'oversize', { bytes: 1000 })).length).toBe(1000);
  });
});
