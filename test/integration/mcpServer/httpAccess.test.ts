// `toolweaver mcp --http` access control, with the real CLI: a bearer token (generated and printed,
// or from TOOLWEAVER_MCP_TOKEN) is required unless --no-auth; a foreign Origin is refused (403) even
// with the token; loopback Origins and --allow-origin get CORS; the OAuth discovery path says auth
// is a static token.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, type CliIo } from '../../../src/cli/command';
import { runCli } from '../../../src/cli/main';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-mcp-access-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(cwd, { recursive: true, force: true });
});

/** Starts `toolweaver mcp --http 0 ...flags`; resolves with its URL and what it printed on stderr by then. */
async function start(flags: string[], env: Record<string, string> = {}): Promise<{ url: URL; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, 'mcp', '--http', '0', '--no-typecheck', '--no-skills', ...flags], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TOOLWEAVER_MCP_TOKEN: '', ...env } });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += String(d)));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcp --http did not start: ${err}`)), 30_000);
    const check = (): void => {
      // Wait for the line after "listening": the token line.
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp).*\n.*\n/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(new URL(m[1]));
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`mcp --http exited with ${code}: ${err}`)));
  });
  return { url, stderr: () => err };
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });

function post(url: URL, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: INIT });
}

async function errorOf(r: Response): Promise<{ code: number; message: string }> {
  return ((await r.json()) as { error: { code: number; message: string } }).error;
}

async function listTools(url: URL, token?: string): Promise<string[]> {
  const client = new Client({ name: 'access-test', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(url, token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('toolweaver mcp --http: bearer token and Origin', () => {
  it('generates a token, prints it on stderr, and refuses requests without it or with a wrong one (401)', async () => {
    const { url, stderr } = await start([]);
    const token = /Authorization: Bearer ([A-Za-z0-9_-]{43})"/.exec(stderr())?.[1];
    expect(token, stderr()).toBeDefined();

    const none = await post(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="toolweaver"/);
    const noneError = await errorOf(none);
    expect(noneError.code).toBe(-32001);
    expect(noneError.message).toContain('Send the header "Authorization: Bearer <token>" with every request');
    expect(noneError.message).toContain('static bearer token, not OAuth');

    const wrong = await post(url, { authorization: `Bearer ${token!.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await errorOf(wrong)).message).toMatch(/^Unauthorized: the bearer token is wrong\./);
    expect((await post(url, { authorization: `Basic ${token}` })).status).toBe(401);

    // The right token: a real SDK client gets the tools; a raw initialize gets 200.
    expect(await listTools(url, token)).toEqual(['run_code', 'search_tools', 'describe_tool', 'read_value']);
    expect((await post(url, { authorization: `Bearer ${token}` })).status).toBe(200);
    await expect(listTools(url)).rejects.toThrow();

    // A foreign Origin is refused even with the token (DNS rebinding); loopback pages get CORS.
    const foreign = await post(url, { authorization: `Bearer ${token}`, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await errorOf(foreign)).message).toContain('Forbidden: requests from the Origin "http://evil.example" are refused (DNS-rebinding protection).');
    expect((await post(url, { authorization: `Bearer ${token}`, origin: 'null' })).status).toBe(403);
    const local = await post(url, { authorization: `Bearer ${token}`, origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    // Discovery: no OAuth here, and the answer says so (no token needed to read it).
    const meta = await fetch(new URL('/.well-known/oauth-protected-resource', url));
    expect(meta.status).toBe(404);
    expect((await errorOf(meta)).message).toContain('Not found: this server has no OAuth metadata. Send the header "Authorization: Bearer <token>"');
    expect((await fetch(new URL('/.well-known/oauth-authorization-server', url))).status).toBe(404);
  }, 120_000);

  it('takes the token from TOOLWEAVER_MCP_TOKEN and does not print it', async () => {
    const token = 'from-the-environment-0123456789';
    const { url, stderr } = await start([], { TOOLWEAVER_MCP_TOKEN: token });
    expect(stderr()).toContain('with the token from TOOLWEAVER_MCP_TOKEN');
    expect(stderr()).not.toContain(token);
    expect(await listTools(url, token)).toContain('run_code');
    expect((await post(url, { authorization: 'Bearer another-token-0123456789' })).status).toBe(401);
  }, 120_000);

  it('--no-auth is open to local programs, but still refuses foreign Origins; --allow-origin adds one', async () => {
    const { url, stderr } = await start(['--no-auth', '--allow-origin', 'vscode-webview://*']);
    expect(stderr()).toContain('Warning: --no-auth: any program on this machine can call these tools.');
    expect(await listTools(url)).toContain('run_code');
    expect((await post(url, { origin: 'http://attacker.test:8080' })).status).toBe(403);
    const webview = await post(url, { origin: 'vscode-webview://1a2b3c' });
    expect(webview.status).toBe(200);
    expect(webview.headers.get('access-control-allow-origin')).toBe('vscode-webview://1a2b3c');
  }, 120_000);
});

describe('toolweaver mcp: access flags are checked', () => {
  function io(env: NodeJS.ProcessEnv = {}): CliIo & { errText: string[] } {
    const errText: string[] = [];
    return { errText, out: () => undefined, err: (t) => errText.push(t), cwd, env };
  }

  it('refuses a weak token, --token with --no-auth, the HTTP flags without --http and a bad origin', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, string]> = [
      [['mcp', '--http', '0', '--token', 'short'], {}, 'The token from --token is too weak or malformed: it has 5 characters; use at least 16'],
      [['mcp', '--http', '0'], { TOOLWEAVER_MCP_TOKEN: 'has spaces in it, sixteen+' }, 'The token from TOOLWEAVER_MCP_TOKEN is too weak or malformed: it may hold only visible ASCII characters'],
      [['mcp', '--http', '0', '--no-auth', '--token', 'abcdefghijklmnopqrstuvwxyz'], {}, '--no-auth and --token contradict each other'],
      [['mcp', '--no-auth'], {}, '--no-auth applies to --http only'],
      [['mcp', '--http', '0', '--allow-origin', 'http://localhost:3000/path'], {}, '--allow-origin needs an origin such as http://127.0.0.1:5173'],
    ];
    for (const [argv, env, message] of cases) {
      const x = io(env);
      expect(await runCli(argv, x), argv.join(' ')).toBe(EXIT.usage);
      expect(x.errText.join('\n')).toContain(message);
    }
  });
});
