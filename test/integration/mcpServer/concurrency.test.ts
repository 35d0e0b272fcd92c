// `toolweaver mcp --http` (the real CLI) serves sessions concurrently: a script that loops until its
// timeout holds one sandbox worker, never another session's; run_code's timeoutMs lowers the limit
// and is capped by --max-timeout-ms; when every worker is busy, sessions take turns.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startMcpHttp } from '../../fixtures/mcpHttp';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-mcp-conc-'));
const TOKEN = 'concurrency-test-token-0123456789';
const servers: ChildProcess[] = [];
const clients: Client[] = [];
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const s of servers) s.kill('SIGTERM');
  rmSync(cwd, { recursive: true, force: true });
});

/** Starts `toolweaver mcp --http 0` over the embedded demo catalog and returns its URL. */
function startServer(flags: string[]): Promise<URL> {
  const { child, ready } = startMcpHttp(CLI, ['--no-typecheck', ...flags], { cwd, env: { TOOLWEAVER_MCP_TOKEN: TOKEN } });
  servers.push(child);
  return ready;
}

async function session(url: URL): Promise<Client> {
  const client = new Client({ name: 'conc-test', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  clients.push(client);
  return client;
}

interface Ran {
  text: string;
  isError: boolean;
  ms: number;
}

async function runCode(client: Client, code: string, timeoutMs?: number): Promise<Ran> {
  const started = performance.now();
  const r = (await client.callTool({ name: 'run_code', arguments: { code, language: 'js', ...(timeoutMs ? { timeoutMs } : {}) } }, undefined, { timeout: 120_000 })) as {
    content: Array<{ text: string }>;
    isError?: boolean;
  };
  return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true, ms: performance.now() - started };
}

describe('toolweaver mcp --http under concurrent sessions', () => {
  it('one session looping does not delay another; timeoutMs ends the loop early', async () => {
    const url = await startServer(['--concurrency', '2', '--max-timeout-ms', '20000']);
    const [a, b] = await Promise.all([session(url), session(url)]);
    const tools = await a.listTools();
    const runCodeTool = tools.tools.find((t) => t.name === 'run_code');
    expect(Object.keys(runCodeTool?.inputSchema.properties ?? {})).toEqual(['code', 'language', 'timeoutMs']);
    await runCode(b, 'return 0'); // warm: the first run loads the tokenizer
    const runaway = runCode(a, 'while (true) {}', 3000);
    await new Promise((r) => setTimeout(r, 300)); // the loop is running
    const quick = await runCode(b, 'return 1');
    expect(quick.isError).toBe(false);
    expect(quick.text).toMatch(/label="run_code value">>>\n1\n<<<end-untrusted-data/);
    // Was 29.7 s on a single worker; generous margin for a loaded 2-core machine.
    expect(quick.ms).toBeLessThan(1500);
    const looped = await runaway;
    expect(looped.isError).toBe(true);
    expect(looped.text).toContain('(timeout)');
    expect(looped.ms).toBeLessThan(10_000); // its own 3 s, not the server's 20 s
  }, 90_000);

  it('caps timeoutMs at --max-timeout-ms, and sessions take turns when the pool is full', async () => {
    const url = await startServer(['--concurrency', '1', '--max-timeout-ms', '1500']);
    const [busy, other] = await Promise.all([session(url), session(url)]);
    await runCode(other, 'return 0');
    const capped = await runCode(busy, 'while (true) {}', 600_000);
    expect(capped.isError).toBe(true);
    expect(capped.text).toContain('(timeout)');
    expect(capped.ms).toBeLessThan(8_000);
    // Four loops from one session queue up on the one worker; a later call from another session
    // runs after at most the one in progress (FIFO would put it behind all four: ≥ 6 s).
    const loops = [1, 2, 3, 4].map(() => runCode(busy, 'while (true) {}'));
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const quick = await runCode(other, 'return 2');
    const waited = performance.now() - started;
    expect(quick.text).toMatch(/label="run_code value">>>\n2\n<<<end-untrusted-data/);
    const ends = await Promise.all(loops);
    expect(ends.every((e) => e.isError && e.text.includes('(timeout)'))).toBe(true);
    expect(waited).toBeLessThan(4_500);
    // The last loop of `busy` ended after `other`'s call: it really waited its turn.
    expect(Math.max(...ends.map((e) => e.ms))).toBeGreaterThan(waited);
  }, 120_000);
});
