// `node dist/cli.js demo-server` as users run it: the same tools and data over stdio and over
// Streamable HTTP on 127.0.0.1, sessions of one HTTP process sharing one store.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../../src/core/demo/demoServer';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

async function inProcess(): Promise<Client> {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'cli-test', version: '1.0.0' });
  await Promise.all([createDemoServer().connect(b), client.connect(a)]);
  cleanups.push(() => client.close());
  return client;
}

async function callStructured(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(r.isError).toBeFalsy();
  return r.structuredContent as Record<string, unknown>;
}

describe('demo-server command', () => {
  it('serves the same tools and records over stdio as in-process', async () => {
    const client = new Client({ name: 'cli-test', version: '1.0.0' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'demo-server'], stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await client.connect(transport);
    cleanups.push(() => client.close());
    const local = await inProcess();
    const [remoteTools, localTools] = [(await client.listTools()).tools, (await local.listTools()).tools];
    expect(remoteTools).toHaveLength(15);
    expect(remoteTools).toEqual(localTools);
    const args = { status: ['open'], priority: ['urgent', 'high'], limit: 100 };
    const remote = await callStructured(client, 'list_tickets', args);
    expect(remote.tickets).toHaveLength(100);
    expect(remote).toEqual(await callStructured(local, 'list_tickets', args));
    expect(stderr).toMatch(/demo MCP server \(15 tools\) on stdio/);
  });

  it('serves Streamable HTTP on 127.0.0.1, shares state across sessions and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'demo-server', '--http', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`demo-server exited ${code}: ${stderr}`)));
    });
    const connect = async (): Promise<Client> => {
      const c = new Client({ name: 'cli-test', version: '1.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(url)));
      cleanups.push(() => c.close().catch(() => undefined));
      return c;
    };
    const [a, b] = [await connect(), await connect()];
    expect((await a.listTools()).tools).toHaveLength(15);
    await callStructured(a, 'delete_ticket', { ticketId: 'tkt_00005' });
    const gone = (await b.callTool({ name: 'get_ticket', arguments: { ticketId: 'tkt_00005' } })) as CallToolResult;
    expect(gone.isError).toBe(true);
    // DNS-rebinding protection: a foreign Host header is refused.
    const initialize = JSON.stringify({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'rebind', version: '1' } },
    });
    // fetch drops a custom Host header, so speak node:http directly.
    const post = (host: string): Promise<number> => new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(initialize);
    });
    expect(await post('evil.example')).toBe(403);
    expect(await post(new URL(url).host)).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe('');
  });

  it('rejects a bad port with a usage error (exit 1)', async () => {
    const child = spawn(process.execPath, [CLI, 'demo-server', '--http', 'eighty'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/--http needs a port number/);
  });
});
