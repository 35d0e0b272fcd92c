// Safe defaults outside VS Code, as users get them (dist/cli.js in a child process): `toolweaver run`
// denies a tool that may change things unless --allow, --allow-all or --policy allow it, and the
// denial says exactly how; `toolweaver mcp` over stdio asks a client that declared elicitation and
// obeys its answer, and denies for a client that did not.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-approvals-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const DELETE = "const r = await tools.demo.delete_ticket({ ticketId: 'tkt_00001' });\nreturn r.deleted ?? r;\n";
writeFileSync(path.join(cwd, 'delete.ts'), DELETE);

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The pre-run type check has its own test (cli/typecheck.test.ts); it costs ~2 s of CPU per run, so these runs skip it.
    execFile(process.execPath, [CLI, 'run', '--no-typecheck', ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('toolweaver run: approvals by default', () => {
  it('denies demo/delete_ticket without a flag: exit 3 and a message that says how to allow it', async () => {
    const r = await run(['delete.ts']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "ToolError (tool_error) (line 1) [demo.delete_ticket: denied]: demo/delete_ticket is marked destructive. It needs approval, but toolweaver run cannot ask anyone (it is non-interactive), so the call was denied. To allow it, give toolweaver --allow 'demo/delete_ticket' (or --allow 'demo/*' for every tool of \"demo\", or --allow-all for every tool), or add { \"match\": \"demo/delete_ticket\", \"action\": \"allow\" } to the rules of a --policy FILE.",
    );
    const json = await run(['delete.ts', '--json']);
    expect(json.code).toBe(3);
    const out = JSON.parse(json.stdout) as { ok: boolean; error: { code: string; cause: string; tool: string }; approvals: Array<Record<string, unknown>> };
    expect(out).toMatchObject({ ok: false, error: { code: 'tool_error', cause: 'denied', tool: 'delete_ticket' } });
    expect(out.approvals).toEqual([expect.objectContaining({ server: 'demo', tool: 'delete_ticket', action: 'denied', source: 'non_interactive', line: 1 })]);
  });

  it('runs it with --allow GLOB, --allow-all or a --policy file', async () => {
    writeFileSync(path.join(cwd, 'policy.json'), JSON.stringify({ rules: [{ match: 'demo/delete_ticket', action: 'allow' }] }));
    for (const flags of [['--allow', 'demo/delete_ticket'], ['--allow-all'], ['--policy', 'policy.json']]) {
      const r = await run(['delete.ts', '--json', ...flags]);
      expect(r.code, `${flags.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout) as { ok: boolean; value: unknown; approvals: Array<Record<string, unknown>> };
      expect(out.value).toBe(true);
      expect(out.approvals).toEqual([expect.objectContaining({ tool: 'delete_ticket', action: 'allowed', source: flags[0] === '--allow-all' ? 'annotations' : 'rule' })]);
    }
  }, 90_000);

  it('a policy file can deny what the defaults allow, and a bad one is refused with its file and field (exit 2)', async () => {
    writeFileSync(path.join(cwd, 'strict.json'), '{ "readOnly": "deny" }');
    writeFileSync(path.join(cwd, 'read.ts'), 'return (await tools.demo.list_agents({})).agents.length;');
    const strict = await run(['read.ts', '--policy', 'strict.json']);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain("The call to demo/list_agents was denied by the approval policy's \"readOnly\" (read-only tools). To allow it, give toolweaver --allow 'demo/list_agents'");
    writeFileSync(path.join(cwd, 'bad.json'), '{ "rules": [{ "match": "demo/*", "action": "yes" }] }');
    const bad = await run(['read.ts', '--policy', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`The policy file ${path.join(cwd, 'bad.json')} is invalid at "rules.0.action"`);
    expect((await run(['read.ts', '--policy', 'missing.json'])).code).toBe(2);
  });
});

type Answer = ElicitResult | 'hang';

/** `toolweaver mcp` over stdio with the SDK client; `answers` given = the client declares elicitation. */
async function mcpClient(flags: string[], answers?: Answer[]): Promise<{ client: Client; asked: ElicitRequest['params'][] }> {
  const asked: ElicitRequest['params'][] = [];
  const client = new Client({ name: 'approvals-test', version: '1' }, answers ? { capabilities: { elicitation: { form: {} } } } : {});
  if (answers) {
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(req.params);
      const a = answers.shift() ?? { action: 'cancel' };
      return a === 'hang' ? new Promise<ElicitResult>(() => {}) : a;
    });
  }
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-typecheck', ...flags], cwd, stderr: 'ignore' }));
  return { client, asked };
}

async function runCode(client: Client, code: string): Promise<{ text: string; isError: boolean }> {
  const r = (await client.callTool({ name: 'run_code', arguments: { code, language: 'js' } }, undefined, { timeout: 60_000 })) as { content: Array<{ text: string }>; isError?: boolean };
  return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true };
}

const TWO_WRITES = [
  'const out = [];',
  "for (const body of ['first', 'second']) {",
  "  try { await tools.demo.add_note({ ticketId: 'tkt_00002', body }); out.push(body + ': added'); }",
  "  catch (e) { out.push(body + ': ' + e.code); }",
  '}',
  'return out;',
].join('\n');

describe('toolweaver mcp (stdio): approvals through elicitation', () => {
  it('asks a client that supports elicitation and obeys each answer', async () => {
    const { client, asked } = await mcpClient([], [{ action: 'accept', content: { decision: 'once' } }, { action: 'accept', content: { decision: 'deny' } }]);
    try {
      const r = await runCode(client, TWO_WRITES);
      expect(r.isError).toBe(false);
      expect(r.text).toContain('"first: added"');
      expect(r.text).toContain('"second: denied"');
      expect(asked).toHaveLength(2);
      expect(asked[0]?.message).toMatch(/^A ToolWeaver script wants to call demo\/add_note \(script line 3\)\.\ndemo\/add_note is not marked read-only, so it may change things\.\nArguments:\n/);
      // Read-only tools are not asked about.
      const read = await runCode(client, 'return (await tools.demo.list_agents({})).agents.length;');
      expect(read.isError).toBe(false);
      expect(asked).toHaveLength(2);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('"allow for this run" covers the rest of the run; a declined prompt denies', async () => {
    const { client, asked } = await mcpClient([], [{ action: 'accept', content: { decision: 'run' } }, { action: 'decline' }]);
    try {
      expect((await runCode(client, TWO_WRITES)).text).toContain('["first: added","second: added"]'); // the value block is compact JSON
      expect(asked).toHaveLength(1);
      // A new run asks again; this time the user declines.
      expect((await runCode(client, TWO_WRITES)).text).toContain('"first: denied"');
    } finally {
      await client.close();
    }
  }, 120_000);

  it('denies for a client without the elicitation capability, saying why and how to allow it', async () => {
    const { client } = await mcpClient([]);
    try {
      const r = await runCode(client, "await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'x' }); return 'noted';");
      expect(r.isError).toBe(true);
      expect(r.text).toContain("demo/add_note is not marked read-only, so it may change things. It needs approval, but this MCP client cannot ask its user (it did not declare the elicitation capability), so the call was denied. To allow it, give toolweaver --allow 'demo/add_note'");
    } finally {
      await client.close();
    }
    const allowed = await mcpClient(['--allow', 'demo/add_note']);
    try {
      const r = await runCode(allowed.client, "await tools.demo.add_note({ ticketId: 'tkt_00002', body: 'x' }); return 'noted';");
      expect(r.isError).toBe(false);
      expect(r.text.split('\n')).toContain('"noted"'); // the value block holds only the value's JSON
    } finally {
      await allowed.client.close();
    }
  }, 120_000);
});
