// Issue 11's leak over MCP, with real clients: `toolweaver mcp --input tok=supersecret123` in front of
// server-everything (MY_TOKEN=${input:tok}); run_code returning get_env must show the model
// «secret:MY_TOKEN» in the value and the logs, never the secret; a later run_code passing the
// placeholder to a tool must reach the tool with the real value; another session must not.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHttp } from '../../fixtures/mcpHttp';

/** The bearer token `mcp --http` requires (given through its environment variable). */
const HTTP_TOKEN = 'test-token-0123456789abcdef';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const EVERYTHING = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const SECRET = 'supersecret123';
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-fw-mcp-'));
const children: ChildProcess[] = [];
const clients: Client[] = [];

beforeAll(() => {
  mkdirSync(path.join(cwd, '.vscode'));
  const servers = { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { MY_TOKEN: '${input:tok}' } } };
  writeFileSync(path.join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers }));
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const c of children) c.kill('SIGTERM');
  rmSync(cwd, { recursive: true, force: true });
});

const GET_ENV = 'const env = await tools.everything.get_env({});\nconsole.log(JSON.stringify(env));\nreturn env;';
const ECHO_PLACEHOLDER =
  "const r = await tools.everything.echo({ message: 'token=«secret:MY_TOKEN»' });\nreturn { restored: JSON.stringify(r).includes('supersecret' + '123'), r };";

function textOf(res: unknown): string {
  return (res as { content: Array<{ type: string; text?: string }> }).content.map((c) => c.text ?? '').join('\n');
}

async function runCode(client: Client, code: string): Promise<string> {
  const res = await client.callTool({ name: 'run_code', arguments: { code, language: 'js' } });
  const text = textOf(res);
  expect((res as { isError?: boolean }).isError, text).toBeFalsy();
  return text;
}

function traceOf(text: string): { withheld?: { total: number; byKind: Record<string, number> } } {
  const id = /Trace: (\S+)/.exec(text)?.[1];
  expect(id).toBeDefined();
  return JSON.parse(readFileSync(path.join(cwd, '.toolweaver', 'traces', `${id}.json`), 'utf8')) as { withheld?: { total: number; byKind: Record<string, number> } };
}

describe('toolweaver mcp over stdio (one session = one conversation)', () => {
  it('run_code shows the model placeholders, never the secret; a later run_code restores the placeholder for the tool', async () => {
    const client = new Client({ name: 'fw-test', version: '1' });
    clients.push(client);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--input', `tok=${SECRET}`, '--no-typecheck'], cwd, stderr: 'ignore' }));

    const first = await runCode(client, GET_ENV);
    expect(first).not.toContain(SECRET);
    expect(first).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"'); // the value
    expect(first).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"'); // the logs
    expect(first).toContain('Privacy: 1 secret in this output was replaced by placeholders');
    expect(traceOf(first).withheld).toEqual({ total: 1, byKind: { secrets: 1 } });

    const second = await runCode(client, ECHO_PLACEHOLDER);
    expect(second).not.toContain(SECRET);
    expect(second).toContain('"restored":true');
    expect(second).toContain('Echo: token=«secret:MY_TOKEN»');
  }, 90_000);
});

/** Starts `toolweaver mcp --http 0` and returns its URL. */
function startHttp(): Promise<URL> {
  const { child, ready } = startMcpHttp(CLI, ['--no-typecheck', '--input', `tok=${SECRET}`], { cwd, env: { TOOLWEAVER_MCP_TOKEN: HTTP_TOKEN } });
  children.push(child);
  return ready;
}

describe('toolweaver mcp --http (one session = one conversation)', () => {
  it("a placeholder from one session restores in that session only, never in another's", async () => {
    const url = await startHttp();
    const a = new Client({ name: 'fw-a', version: '1' });
    const b = new Client({ name: 'fw-b', version: '1' });
    clients.push(a, b);
    const auth = { requestInit: { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } } };
    await a.connect(new StreamableHTTPClientTransport(url, auth));
    await b.connect(new StreamableHTTPClientTransport(url, auth));

    expect(await runCode(a, GET_ENV)).toContain('«secret:MY_TOKEN»');
    const other = await runCode(b, ECHO_PLACEHOLDER);
    expect(other).toContain('"restored":false');
    const same = await runCode(a, ECHO_PLACEHOLDER);
    expect(same).toContain('"restored":true');
    expect(same).not.toContain(SECRET);
  }, 90_000);
});
