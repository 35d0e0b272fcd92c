// Protocol faults against real servers (the fault fixture over stdio and Streamable HTTP on
// 127.0.0.1, server-everything for progress): JSON-RPC error replies keep their meaning and the
// connection, every transport caps replies, 401 says it needs credentials, outputSchema is checked,
// a server called `__proto__` is a server, and per-server limits from mcp.json reach the bridge.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command';
import { runCli } from '../../../src/cli/main';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { ToolError } from '../../../src/core/errors';
import type { ToolInvoker } from '../../../src/core/ports';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { FAULT_SERVER_JS, faultStdioConfig, startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault/harness';
import { EVERYTHING, NODE, signal, startEverythingHttp, tempDir } from './helpers';

const dir = tempDir('tw-protocol-');

function caller(invoker: ToolInvoker, server: string) {
  return (tool: string, args: Record<string, unknown> = {}, timeoutMs = 5000): Promise<unknown> => invoker.callTool({ server, tool, args }, { signal: signal(), timeoutMs });
}

async function rejection(p: Promise<unknown>): Promise<ToolError> {
  const err = await p.then(
    (v) => new Error(`expected a ToolError, got ${JSON.stringify(v).slice(0, 120)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolError);
  return err as ToolError;
}

const starts = (file: string): number => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('a JSON-RPC error reply from a healthy server (stdio)', () => {
  const startsFile = path.join(dir, 'stdio-starts.txt');
  let loaded: LoadedCatalog;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    writeFileSync(startsFile, '');
    loaded = await loadCatalog({ cwd: dir, servers: { fault: faultStdioConfig({ startsFile }) } });
    call = caller(loaded.invoker, 'fault');
  });
  afterAll(() => loaded?.close());

  it('is a ToolError with the server code and message, and the server is not restarted', async () => {
    expect(await call('count', { key: 'k' })).toMatchObject({ count: 1 });
    for (let i = 0; i < 4; i++) {
      const err = await rejection(call('rpc_error', { message: `Database is locked (${i}).` }));
      expect(err.code).toBe('tool_failed');
      expect(err.rpcCode).toBe(-32000);
      expect(err.server).toBe('fault');
      expect(err.message).toContain(`Database is locked (${i}).`);
      expect(err.message).toContain('-32000');
    }
    // One process for all of it: its state (the count) survived, so a retry can succeed.
    expect(await call('count', { key: 'k' })).toMatchObject({ count: 2 });
    expect(starts(startsFile)).toBe(1);
  });

  it('keeps other codes too (-32603 internal error, -32601 method not found)', async () => {
    for (const code of [-32603, -32601, -32050]) {
      const err = await rejection(call('rpc_error', { code, message: `code ${code}` }));
      expect({ code: err.code, rpcCode: err.rpcCode }).toEqual({ code: 'tool_failed', rpcCode: code });
      expect(err.message).toContain(`code ${code}`);
    }
    expect(starts(startsFile)).toBe(1);
  });

  it('a real crash is still server_crashed, and the next call restarts the server', async () => {
    const err = await rejection(call('crash', { exitCode: 3 }));
    expect(err.code).toBe('server_crashed');
    expect(await call('ok', { after: 1 })).toEqual({ echo: { after: 1 } });
    expect(starts(startsFile)).toBe(2);
  });
});

describe('the fault server over Streamable HTTP', () => {
  let http: HttpFaultServer;
  let loaded: LoadedCatalog;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    http = await startHttpFaultServer();
    loaded = await loadCatalog({ cwd: dir, servers: { web: { type: 'http', url: http.url } } });
    expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
    call = caller(loaded.invoker, 'web');
  }, 20_000);
  afterAll(async () => {
    await loaded?.close();
    await http?.close();
  });

  it('a -32000 error reply is tool_failed with the message; the session stays usable', async () => {
    for (let i = 0; i < 3; i++) {
      const err = await rejection(call('rpc_error', { message: `Quota exhausted (${i}).` }));
      expect({ code: err.code, rpcCode: err.rpcCode }).toEqual({ code: 'tool_failed', rpcCode: -32000 });
      expect(err.message).toContain(`Quota exhausted (${i}).`);
    }
    expect(await call('ok', { h: 1 })).toEqual({ echo: { h: 1 } });
  });

  it('a 12 MB reply is reply_too_large (the 10 MiB cap, as on stdio), and the next call works', async () => {
    const t0 = Date.now();
    const err = await rejection(call('oversize', { bytes: 12_000_000 }, 20_000));
    expect(err.code).toBe('reply_too_large');
    expect(err.message).toContain('10 MiB');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await call('ok', { after: 'oversize' })).toEqual({ echo: { after: 'oversize' } });
  });

  it('a reply just under the cap still arrives whole', async () => {
    const value = await call('oversize', { bytes: 9 * 1024 * 1024 }, 20_000);
    expect(typeof value).toBe('string');
    expect((value as string).length).toBe(9 * 1024 * 1024);
  });
});

describe('per-server settings from the `toolweaver` key', () => {
  it('maxReplyBytes lowers the cap on HTTP and on stdio', async () => {
    const http = await startHttpFaultServer();
    const loaded = await loadCatalog({
      cwd: dir,
      servers: {
        web: { type: 'http', url: http.url, toolweaver: { maxReplyBytes: 1024 * 1024 } },
        local: { ...faultStdioConfig(), toolweaver: { maxReplyBytes: 1024 * 1024 } },
      },
    });
    try {
      for (const server of ['web', 'local']) {
        const call = caller(loaded.invoker, server);
        expect(((await call('oversize', { bytes: 900_000 })) as string).length).toBe(900_000);
        const err = await rejection(call('oversize', { bytes: 2_000_000 }, 10_000));
        expect(err.code).toBe('reply_too_large');
        expect(err.message).toContain('1 MiB');
        expect(await call('ok', { server })).toEqual({ echo: { server } });
      }
    } finally {
      await loaded.close();
      await http.close();
    }
  }, 30_000);

  it('maxConcurrency, rps and toolCallTimeoutMs apply to runs', async () => {
    const loaded = await loadCatalog({
      cwd: dir,
      servers: {
        one: { ...faultStdioConfig(), toolweaver: { maxConcurrency: 1 } },
        slowpoke: { ...faultStdioConfig(), toolweaver: { rps: 4, burst: 1 } },
        quick: { ...faultStdioConfig(), toolweaver: { toolCallTimeoutMs: 400 } },
      },
    });
    const sandbox = createSandbox({ poolSize: 1 });
    try {
      expect(loaded.catalog.servers.find((s) => s.name === 'one')?.limits).toEqual({ maxConcurrency: 1 });
      const ctx = { catalog: loaded.catalog, invoker: loaded.invoker, limits: { timeoutMs: 20_000 } };
      // Four 300 ms calls (distinct arguments: slow is cacheable) one at a time: ≥ 1.2 s, and never more than one in flight.
      const serial = await sandbox.run('const t = Date.now(); await Promise.all([1,2,3,4].map((i) => tools.one.slow({ ms: 300 + i }))); return Date.now() - t;', ctx);
      expect(serial.ok, JSON.stringify(serial)).toBe(true);
      expect((serial as { value: number }).value).toBeGreaterThanOrEqual(1150);
      expect(serial.stats.peakConcurrency).toBe(1);
      // 4 per second with a burst of 1: five calls take ≥ 1 s.
      const paced = await sandbox.run('const t = Date.now(); await Promise.all([1,2,3,4,5].map((i) => tools.slowpoke.count({ key: "r" + i }))); return Date.now() - t;', ctx);
      expect(paced.ok, JSON.stringify(paced)).toBe(true);
      expect((paced as { value: number }).value).toBeGreaterThanOrEqual(950);
      // The server's own timeout (400 ms) wins over the run's (15 s default) and is named.
      const cut = await sandbox.run('try { await tools.quick.slow({ ms: 3000 }); return "answered"; } catch (e) { return [e.code, e.message]; }', ctx);
      expect(cut.ok, JSON.stringify(cut)).toBe(true);
      const [code, message] = (cut as { value: [string, string] }).value;
      expect(code).toBe('timeout');
      expect(message).toContain('400 ms');
      // The bridge's timer and the connection's fire together; either names the server's knob.
      expect(message).toContain('toolCallTimeoutMs');
      expect(message).toMatch(/toolweaver\.toolCallTimeoutMs of server "quick"|"toolweaver": \{ "toolCallTimeoutMs"/);
    } finally {
      await sandbox.dispose();
      await loaded.close();
    }
  }, 60_000);
});

describe('progress notifications extend a long call', () => {
  it("server-everything's trigger-long-running-operation (6 s) completes under a 2.5 s tool timeout", async () => {
    const loaded = await loadCatalog({ cwd: dir, servers: { everything: { type: 'stdio', command: NODE, args: [EVERYTHING] } } });
    const sandbox = createSandbox({ poolSize: 1 });
    try {
      const r = await sandbox.run('return await tools.everything.trigger_long_running_operation({ duration: 6, steps: 6 });', {
        catalog: loaded.catalog,
        invoker: loaded.invoker,
        limits: { toolCallTimeoutMs: 2500, timeoutMs: 20_000 },
      });
      expect(r.ok, JSON.stringify(r).slice(0, 400)).toBe(true);
      expect(JSON.stringify(r)).toContain('Long running operation completed');
    } finally {
      await sandbox.dispose();
      await loaded.close();
    }
  }, 30_000);

  it('the invoker sends a progressToken and tells onProgress; a silent slow tool still times out', async () => {
    const loaded = await loadCatalog({ cwd: dir, servers: { fault: faultStdioConfig() } });
    try {
      const seen: number[] = [];
      const value = await loaded.invoker.callTool(
        { server: 'fault', tool: 'progress', args: { steps: 5, intervalMs: 300 } },
        { signal: signal(), timeoutMs: 1000, onProgress: (p) => seen.push(p.progress) },
      );
      expect(value).toMatchObject({ steps: 5 });
      expect((value as { progressToken: unknown }).progressToken).not.toBeNull();
      // The SDK handles notifications a microtask late: the last one may land after the reply.
      expect(seen.slice(0, 4)).toEqual([1, 2, 3, 4]);
      const err = await rejection(loaded.invoker.callTool({ server: 'fault', tool: 'slow', args: { ms: 1500 } }, { signal: signal(), timeoutMs: 1000 }));
      expect(err.code).toBe('timeout');
    } finally {
      await loaded.close();
    }
  }, 30_000);
});

describe('outputSchema', () => {
  let loaded: LoadedCatalog;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    loaded = await loadCatalog({ cwd: dir, servers: { fault: faultStdioConfig() } });
    call = caller(loaded.invoker, 'fault');
  });
  afterAll(() => loaded?.close());

  it('a result that breaks the declared schema is malformed_reply naming the field', async () => {
    const err = await rejection(call('bad_output'));
    expect(err.code).toBe('malformed_reply');
    expect(err.field).toBe('structuredContent.total');
    expect(err.message).toContain('outputSchema');
  });

  it('a missing structuredContent is malformed_reply; a conforming one passes', async () => {
    const err = await rejection(call('bad_output', { omit: true }));
    expect({ code: err.code, field: err.field }).toEqual({ code: 'malformed_reply', field: 'structuredContent' });
    expect(await call('bad_output', { valid: true })).toEqual({ total: 3 });
  });
});

describe('a server named __proto__', () => {
  it('is listed and callable like any other', async () => {
    const file = path.join(dir, 'proto-mcp.json');
    const entry = JSON.stringify({ command: NODE, args: [FAULT_SERVER_JS] });
    writeFileSync(file, `{ "servers": { "__proto__": ${entry}, "constructor": ${entry} } }`);
    const loaded = await loadCatalog({ cwd: dir, configFile: file });
    try {
      expect(loaded.catalog.servers.map((s) => [s.name, s.status.state]).sort()).toEqual([
        ['__proto__', 'connected'],
        ['constructor', 'connected'],
      ]);
      expect(await caller(loaded.invoker, '__proto__')('ok', { p: 1 })).toEqual({ echo: { p: 1 } });
    } finally {
      await loaded.close();
    }
  }, 20_000);
});

describe('an HTTP server that answers 401 with WWW-Authenticate', () => {
  it('is auth_required with the scheme and realm and how to give credentials', async () => {
    const http = await startHttpFaultServer({ authRequired: 'Bearer realm="fault-realm", error="invalid_token"' });
    try {
      const loaded = await loadCatalog({ cwd: dir, servers: { secured: { type: 'http', url: http.url } } });
      await loaded.close();
      const status = loaded.catalog.servers[0]?.status;
      expect(status).toMatchObject({ state: 'error', code: 'auth_required' });
      const message = (status as { message: string }).message;
      expect(message).toContain('needs authentication');
      expect(message).toContain('Bearer');
      expect(message).toContain('realm "fault-realm"');
      expect(message).toContain('"Authorization": "Bearer ${input:secured-token}"');
      expect(message).toContain('--input secured-token=VALUE');
      expect(message).not.toContain('check that the server is running');
    } finally {
      await http.close();
    }
  }, 20_000);
});

describe('the connect-timeout message', () => {
  it('names the knob the caller gives', async () => {
    const loaded = await loadCatalog({ cwd: dir, connectTimeoutMs: 500, connectTimeoutHint: '--connect-timeout-ms', servers: { slow: faultStdioConfig({ slowStartMs: 3000 }) } });
    await loaded.close();
    const status = loaded.catalog.servers[0]?.status as { code: string; message: string };
    expect(status.code).toBe('connect_timeout');
    expect(status.message).toContain('raise the connect timeout (--connect-timeout-ms)');
  });
});

describe('the connect-timeout hint on the command line', () => {
  it('`run` names --connect-timeout-ms, `catalog` names --timeout-ms', async () => {
    const ws = tempDir('tw-hint-');
    mkdirSync(path.join(ws, '.vscode'));
    writeFileSync(path.join(ws, '.vscode', 'mcp.json'), JSON.stringify({ servers: { slow: faultStdioConfig({ slowStartMs: 3000 }) } }));
    writeFileSync(path.join(ws, 'one.js'), 'return 1;');
    const cli = async (argv: string[]): Promise<string> => {
      const err: string[] = [];
      const io: CliIo = { out: () => undefined, err: (t) => err.push(t), cwd: ws, env: { PATH: process.env.PATH } };
      await runCli(argv, io);
      return err.join('\n');
    };
    const run = await cli(['run', 'one.js', '--connect-timeout-ms', '500']);
    expect(run).toContain('raise the connect timeout (--connect-timeout-ms)');
    const catalog = await cli(['catalog', '--timeout-ms', '500']);
    expect(catalog).toContain('raise the connect timeout (--timeout-ms)');
  }, 30_000);
});

describe('the reply cap over the legacy HTTP+SSE transport', () => {
  it('an oversize event on the shared stream is reply_too_large and the next call reconnects', async () => {
    const http = await startEverythingHttp('sse');
    const loaded = await loadCatalog({ cwd: dir, servers: { old: { type: 'sse', url: http.url, toolweaver: { maxReplyBytes: 64 * 1024 } } } });
    try {
      expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
      const call = caller(loaded.invoker, 'old');
      expect(JSON.stringify(await call('echo', { message: 'small' }))).toContain('small');
      const err = await rejection(call('echo', { message: 'z'.repeat(200_000) }));
      expect(err.code).toBe('reply_too_large');
      expect(err.message).toContain('64 KiB');
      expect(JSON.stringify(await call('echo', { message: 'again' }))).toContain('again');
    } finally {
      await loaded.close();
      await http.kill();
    }
  }, 30_000);
});
