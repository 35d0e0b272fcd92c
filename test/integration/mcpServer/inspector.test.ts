// `toolweaver mcp` checked by an MCP client this project did not write: the MCP Inspector CLI 2.x
// (installed with Node 22 into a cache dir by scripts/ensureInspector.mjs), over stdio and HTTP.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
let node22 = '';
let inspector = '';
let work = '';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function inspect(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(node22, [inspector, '--cli', ...args], { cwd: work, env: { ...process.env, HOME: work }, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const stdioServer = ['node', CLI, 'mcp', '--no-skills'];

beforeAll(() => {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensureInspector.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  ({ node: node22, inspector } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { node: string; inspector: string });
  // An empty folder: no .vscode/mcp.json, so `toolweaver mcp` serves the embedded demo catalog.
  work = mkdtempSync(path.join(os.tmpdir(), 'tw-inspector-'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('toolweaver mcp with the MCP Inspector CLI (stdio)', () => {
  it('tools/list lists the four tools, exit 0', async () => {
    const r = await inspect([...stdioServer, '--method', 'tools/list']);
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name)).toEqual(['run_code', 'search_tools', 'describe_tool', 'read_value']);
  }, 120_000);

  it('tools/call run_code returns the script value, exit 0', async () => {
    const code = 'const r = await tools.demo.list_customers({ limit: 3 }); return { n: r.customers.length, total: r.total };';
    const r = await inspect([...stdioServer, '--method', 'tools/call', '--tool-name', 'run_code', '--tool-arg', `code=${code}`]);
    expect(r.code, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout) as { content: Array<{ text: string }>; structuredContent?: unknown };
    const texts = reply.content.map((c) => c.text);
    // The value is a block of its own between its frame lines, and structuredContent; then the token line and the trace.
    expect(texts[1]).toMatch(/^<<<untrusted-data id=[0-9a-f]{16} label="run_code value">>>$/);
    expect(texts[2]).toBe('{"n":3,"total":2000}');
    expect(reply.structuredContent).toEqual({ n: 3, total: 2000 });
    expect(texts.at(-2)).toMatch(/^tokens: [\d,]+ with code mode vs [\d,]+ with direct tool calls \([^)]+\) \(1 tool call, \d+ ms\)\nconversation \(1 run\): [\d,]+ with code mode vs [\d,]+ with direct tool calls \([^)]+\)$/);
    const text = texts.at(-1) ?? '';
    expect(text).toMatch(/^Trace: (\S+)$/);
    // The run went through executeRun: its trace is in the working folder.
    const traceId = /Trace: (\S+)$/.exec(text)?.[1] ?? '';
    expect(readdirSync(path.join(work, '.toolweaver', 'traces')).some((f) => f.includes(traceId))).toBe(true);
  }, 120_000);

  it('a bad call fails with a non-zero exit: type error in run_code, unknown tool', async () => {
    const typeError = await inspect([...stdioServer, '--method', 'tools/call', '--tool-name', 'run_code', '--tool-arg', 'code=return tools.demo.no_such_tool();']);
    expect(typeError.code).not.toBe(0);
    expect(typeError.stdout).toContain("Property 'no_such_tool' does not exist");
    const unknown = await inspect([...stdioServer, '--method', 'tools/call', '--tool-name', 'no_such_tool']);
    expect(unknown.code).not.toBe(0);
  }, 180_000);

  it('calls that may change things are denied unless --allow names them', async () => {
    const code = "code=await tools.demo.add_note({ ticketId: 'tkt_00003', body: 'from the inspector' }); return 'noted';";
    const denied = await inspect([...stdioServer, '--method', 'tools/call', '--tool-name', 'run_code', '--tool-arg', code]);
    expect(denied.code).not.toBe(0);
    expect(denied.stdout).toContain("this MCP client cannot ask its user (it did not declare the elicitation capability), so the call was denied. To allow it, give toolweaver --allow 'demo/add_note'");
    const allowed = await inspect(['node', CLI, 'mcp', '--allow', 'demo/add_*', '--method', 'tools/call', '--tool-name', 'run_code', '--tool-arg', code]);
    expect(allowed.code, allowed.stdout).toBe(0);
    expect((JSON.parse(allowed.stdout) as { content: Array<{ text: string }> }).content[2]?.text).toBe('"noted"');
  }, 180_000);

  it('search_tools answers with signatures', async () => {
    const r = await inspect([...stdioServer, '--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=customer orders', 'limit=2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tools.demo.');
  }, 120_000);
});

describe('toolweaver mcp --http with the MCP Inspector CLI', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    if (server?.pid) process.kill(server.pid, 'SIGTERM');
  });

  it('serves Streamable HTTP on 127.0.0.1 and lists the tools to a client that sends the token', async () => {
    const token = 'inspector-test-token-0123456789';
    server = spawn(process.execPath, [CLI, 'mcp', '--http', '0', '--no-skills'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TOOLWEAVER_MCP_TOKEN: token } });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`no URL in 30 s: ${err}`)), 30_000);
      server!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const refused = await inspect([url, '--transport', 'http', '--method', 'tools/list']);
    expect(refused.code).not.toBe(0);
    const r = await inspect([url, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, '--method', 'tools/list']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { tools: Array<{ name: string }> }).tools).toHaveLength(4);
  }, 120_000);
});
