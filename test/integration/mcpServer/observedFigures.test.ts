// search_tools and describe_tool of the real `toolweaver mcp` (stdio, embedded demo catalog) show the
// figures this folder's traces observed: runs that called demo tools (a tool failing half its calls,
// a cached pair) change what the next search and describe say, outside the untrusted frame. The
// ranking formula itself has unit tests (test/unit/discovery/observed.test.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, texts, type Reply } from './replies';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-mcp-observed-'));
const traceDir = path.join(cwd, 'traces');
let client: Client;
const call = (name: string, args: Record<string, unknown>): Promise<Reply> => callTool(client, name, args);

beforeAll(async () => {
  client = new Client({ name: 'observed-test', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-typecheck', '--trace-dir', traceDir], cwd, stderr: 'ignore' }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('toolweaver mcp: observed figures', () => {
  it('before any run: no figures, and nothing is written', async () => {
    const r = await call('search_tools', { query: 'get ticket' });
    expect(texts(r).join('\n')).not.toContain('observed:');
    expect(existsSync(traceDir)).toBe(false);
  });

  it('after runs: search_tools shows and ranks by them, describe_tool adds one line', async () => {
    const script = `
      const a = await tools.demo.get_ticket({ ticketId: 'tkt_00001' });
      const b = await tools.demo.get_ticket({ ticketId: 'tkt_00001' });
      let failed = 0;
      for (const k of ['x1', 'x1', 'x2', 'x2']) { try { await tools.demo.flaky_lookup({ key: k, failures: 1 }); } catch { failed++; } }
      return failed;`;
    for (let i = 0; i < 2; i++) {
      const r = await call('run_code', { code: script.replaceAll("'x", `'r${i}x`), language: 'js' });
      expect(r.isError, texts(r).join('\n')).toBeUndefined();
    }
    const search = texts(await call('search_tools', { query: 'get ticket' })).join('\n');
    const section = search.slice(search.indexOf('From the traces of past runs'));
    expect(section).toMatch(/^From the traces of past runs \(ranked by relevance, then observed reliability and cost\):/);
    // 2 runs × 2 calls, the second of each run answered from the run's cache.
    expect(section, section).toMatch(/- tools\.demo\.get_ticket: observed: 4 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 0 % failed, ~[\d.]+k? tokens per result, 50 % from cache/);
    // The figures are our words: after the frame's close, never inside it.
    expect(search.indexOf('From the traces of past runs')).toBeGreaterThan(search.indexOf('<<<end-untrusted-data'));
    expect(search.indexOf('<<<end-untrusted-data')).toBeGreaterThan(0);

    const lookup = texts(await call('search_tools', { query: 'flaky lookup' })).join('\n');
    expect(lookup).toMatch(/- tools\.demo\.flaky_lookup: observed: 8 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 50 % failed/);

    const describe = texts(await call('describe_tool', { name: 'demo.flaky_lookup' })).join('\n');
    expect(describe).toMatch(/tools\.demo\.flaky_lookup in past runs: observed: 8 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 50 % failed/);

    // Inside a script, tools.describe() ends the stub with the same line.
    const inScript = await call('run_code', { code: "return (await tools.describe('demo.flaky_lookup')).split('\\n').at(-1);", language: 'js' });
    expect(texts(inScript).join('\n')).toMatch(/\/\/ observed: 8 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 50 % failed/);
  }, 120_000);
});
