// The MCP invoker against the project's fault-injection server (test/fixtures/faultServer.ts) over
// stdio and Streamable HTTP: every fault becomes its ToolError within seconds, never a hang.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { ToolError, type ToolErrorCode } from '../../../src/core/errors';
import type { ToolInvoker } from '../../../src/core/ports';
import { NODE, signal, tempDir } from './helpers';

const dir = tempDir('tw-fault-');
const bundle = path.join(dir, 'faultServer.js');

beforeAll(async () => {
  // Bundled here so the test does not depend on a fresh dist/.
  await build({ entryPoints: [path.resolve(__dirname, '../../fixtures/faultServer.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
}, 30_000);

async function expectFailure(p: Promise<unknown>, codes: ToolErrorCode[], maxMs: number): Promise<ToolError> {
  const started = Date.now();
  const err = await p.then(
    (v) => new Error(`expected a ToolError, got ${JSON.stringify(v).slice(0, 80)}`),
    (e: unknown) => e,
  );
  const ms = Date.now() - started;
  expect(err).toBeInstanceOf(ToolError);
  expect(codes).toContain((err as ToolError).code);
  expect(ms).toBeLessThan(maxMs);
  return err as ToolError;
}

function caller(invoker: ToolInvoker, server: string) {
  return (tool: string, args: Record<string, unknown> = {}, timeoutMs = 5000): Promise<unknown> =>
    invoker.callTool({ server, tool, args }, { signal: signal(), timeoutMs });
}

describe('fault server over stdio', () => {
  let loaded: LoadedCatalog;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    loaded = await loadCatalog({ cwd: dir, servers: { fault: { command: NODE, args: [bundle, '--honor-cancel'] } } });
    call = caller(loaded.invoker, 'fault');
  });
  afterAll(() => loaded?.close());

  it('lists the fault tools and answers ok with structuredContent', async () => {
    expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
    expect(loaded.catalog.servers[0]?.tools.map((t) => t.ident)).toContain('is_error');
    expect(await call('ok', { a: 1 })).toEqual({ echo: { a: 1 } });
  });

  it('is_error → tool_failed with the server message', async () => {
    const err = await expectFailure(call('is_error', { message: 'Disk quota exceeded.' }), ['tool_failed'], 2000);
    expect(err.message).toContain('Disk quota exceeded.');
  });

  it('hang → timeout and the server receives notifications/cancelled', async () => {
    await expectFailure(call('hang', {}, 300), ['timeout'], 1500);
    await new Promise((r) => setTimeout(r, 100));
    const seen = (await call('cancellations')) as { cancellations: { tool: string | null }[]; pendingHangs: number };
    expect(seen.cancellations.map((c) => c.tool)).toContain('hang');
    expect(seen.pendingHangs).toBe(0);
  });

  it.each(['content_not_array', 'bad_content_item', 'result_not_object'])('malformed %s → malformed_reply, promptly', async (kind) => {
    await expectFailure(call('malformed', { kind }, 5000), ['malformed_reply'], 1500);
  });

  it('oversize → reply_too_large, then the next call reconnects', async () => {
    await expectFailure(call('oversize', {}, 15_000), ['reply_too_large'], 8000);
    expect(await call('ok', { again: true })).toEqual({ echo: { again: true } });
  });

  it('crash mid-call → server_crashed fast, then a restarted server answers', async () => {
    await expectFailure(call('crash', { exitCode: 7 }, 10_000), ['server_crashed'], 1500);
    expect(await call('ok', { after: 'crash' })).toEqual({ echo: { after: 'crash' } });
  });
});

describe('fault server start-up', () => {
  it('slow start beyond the connect timeout → connect_timeout; within it → connected', async () => {
    const loaded = await loadCatalog({
      cwd: dir,
      connectTimeoutMs: 1200,
      servers: { slow: { command: NODE, args: [bundle, '--slow-start', '3000'] }, fine: { command: NODE, args: [bundle, '--slow-start', '200'] } },
    });
    try {
      const status = Object.fromEntries(loaded.catalog.servers.map((s) => [s.name, s.status]));
      expect(status.slow).toMatchObject({ state: 'error', code: 'connect_timeout' });
      expect(status.fine).toEqual({ state: 'connected' });
    } finally {
      await loaded.close();
    }
  });
});

describe('fault server over Streamable HTTP', () => {
  let child: ChildProcess;
  let url: string;
  let loaded: LoadedCatalog;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    child = spawn(NODE, [bundle, '--http', '0', '--honor-cancel'], { stdio: ['ignore', 'ignore', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr?.on('data', (c: Buffer) => {
        text += c.toString();
        const m = /listening on (\S+)/.exec(text);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`fault server exited: ${text}`)));
    });
    loaded = await loadCatalog({ cwd: dir, servers: { web: { type: 'http', url } } });
    call = caller(loaded.invoker, 'web');
  }, 20_000);
  afterAll(async () => {
    await loaded?.close();
    child?.kill('SIGKILL');
  });

  it('connects over HTTP and maps isError, hang and malformed', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
    expect(await call('ok', { h: 1 })).toEqual({ echo: { h: 1 } });
    await expectFailure(call('is_error'), ['tool_failed'], 2000);
    await expectFailure(call('hang', {}, 300), ['timeout'], 1500);
    await expectFailure(call('malformed', { kind: 'bad_content_item' }), ['malformed_reply'], 2000);
  });

  it('a crash mid-call is detected in seconds, not at the SDK 60 s default', async () => {
    const err = await expectFailure(call('crash', { delayMs: 100 }, 60_000), ['server_crashed', 'server_unreachable'], 6000);
    expect(err.server).toBe('web');
    await expectFailure(call('ok', {}, 5000), ['server_unreachable'], 6000);
  });
});
