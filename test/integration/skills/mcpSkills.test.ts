// `toolweaver mcp` serves each skill as a tool of its own (skill_<name>, its input schema): from a fresh
// folder (the embedded demo) the demo's account_review, called by the SDK's client and by the MCP
// Inspector CLI (a client this project did not write); run_code scripts call skills.* too.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedCodeModeDefinitions } from '../../../src/core/discovery/servedTools';
import { skillToolDescription } from '../../../src/core/skills/skillTools';
import { DEMO_SKILL } from '../../../src/core/demo/demoSkill';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'tw-mcp-skills-'));
const client = new Client({ name: 'skills-test', version: '0' });

type Reply = { content: Array<{ type: string; text: string }>; isError?: boolean; structuredContent?: unknown };

beforeAll(async () => {
  mkdirSync(path.join(cwd, '.toolweaver', 'skills'), { recursive: true });
  writeFileSync(
    path.join(cwd, '.toolweaver', 'skills', 'agent_count.ts'),
    `export const skill = defineSkill({
  name: 'agent_count',
  description: 'How many support agents there are, optionally of one team.',
  input: { type: 'object', properties: { team: { type: 'string' } } },
  run: async (input: { team?: string }) => {
    const r = await tools.demo.list_agents({});
    return r.agents.filter((a) => !input.team || a.team === input.team).length;
  },
});
`,
  );
  writeFileSync(path.join(cwd, '.toolweaver', 'skills', 'broken.ts'), 'export const skill = defineSkill({ name: 42 });\n');
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-typecheck'], cwd, stderr: 'ignore' }));
}, 60_000);
afterAll(async () => {
  await client.close();
  rmSync(cwd, { recursive: true, force: true });
});

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Reply;

describe('toolweaver mcp serves skills as tools', () => {
  it('lists skill_<name> after the code-mode tools, with the skill\'s input schema; a broken file is left out', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['run_code', 'search_tools', 'describe_tool', 'read_value', 'skill_account_review', 'skill_agent_count']);
    const review = tools.find((t) => t.name === 'skill_account_review');
    expect(review?.description).toBe(skillToolDescription({ name: 'account_review', description: 'Reviews the most valuable active customers of a region and segment: open and urgent tickets, recent orders, who needs attention.' }));
    expect(review?.inputSchema).toMatchObject({ type: 'object', required: ['region'], properties: { region: { enum: ['north_america', 'emea', 'apac', 'latam'] } } });
    expect(DEMO_SKILL).toContain("name: 'account_review'");
  });

  it('calls the demo skill as one tool and returns its value', async () => {
    const r = await call('skill_account_review', { region: 'emea', limit: 3 });
    expect(r.isError).toBeUndefined();
    const value = r.structuredContent as { reviewed: number; accounts: Array<{ id: string }> };
    expect(value.reviewed).toBe(3);
    expect(value.accounts.map((a) => a.id)).toHaveLength(3);
    expect(r.content.map((c) => c.text).join('\n')).toMatch(/trace/i);
  });

  it('refuses input that does not match the schema, naming the field', async () => {
    const r = await call('skill_account_review', { region: 'mars' });
    expect(r.isError).toBe(true);
    expect(r.content.map((c) => c.text).join('\n')).toMatch(/region/);
  });

  it('run_code scripts call skills.* inside the same run', async () => {
    const r = await call('run_code', { code: 'const a = await skills.agent_count({});\nconst b = await skills.account_review({ region: "apac", limit: 2 });\nreturn { a, reviewed: b.reviewed };' });
    expect(r.isError, r.content.map((c) => c.text).join('\n')).toBeUndefined();
    expect(r.structuredContent).toMatchObject({ reviewed: 2 });
    expect((r.structuredContent as { a: number }).a).toBeGreaterThan(0);
  });

  it('search_tools ranks a skill that covers the query above the tools; describe_tool shows its signature', async () => {
    const found = (await call('search_tools', { query: 'review valuable customers region' })).content[0]?.text ?? '';
    expect(found.indexOf('skills.account_review(')).toBeGreaterThan(-1);
    expect(found.indexOf('skills.account_review(')).toBeLessThan(found.indexOf('search_customers'));
    const described = (await call('describe_tool', { name: 'skills.account_review' })).content[0]?.text ?? '';
    expect(described).toContain('skills.account_review(input: { region: "north_america" | "emea" | "apac" | "latam"');
    expect(described).toContain('Promise<{ reviewed: number');
    expect(described).toMatch(/version [0-9a-f]{12}/);
  });

  it('serves no skills with --no-skills (the four code-mode tools only)', async () => {
    const other = new Client({ name: 'skills-test-2', version: '0' });
    await other.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-typecheck', '--no-skills'], cwd, stderr: 'ignore' }));
    try {
      const { tools } = await other.listTools();
      expect(tools.map((t) => t.name)).toEqual(servedCodeModeDefinitions({ id: 'x', servers: [] }, 'mcp').map((d) => d.name));
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('toolweaver mcp skills with the MCP Inspector CLI', () => {
  let node22 = '';
  let inspector = '';
  beforeAll(() => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensureInspector.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    ({ node: node22, inspector } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { node: string; inspector: string });
  }, 300_000);

  it('tools/call skill_account_review from a fresh folder returns the review, exit 0', async () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'tw-inspector-skill-'));
    try {
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(node22, [inspector, '--cli', 'node', CLI, 'mcp', '--method', 'tools/call', '--tool-name', 'skill_account_review', '--tool-arg', 'region=latam', '--tool-arg', 'limit=2'], { cwd: fresh, env: { ...process.env, HOME: fresh }, timeout: 90_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
      expect(r.code, r.stderr).toBe(0);
      const reply = JSON.parse(r.stdout) as Reply;
      expect(reply.isError).toBeUndefined();
      expect(reply.structuredContent).toMatchObject({ reviewed: 2 });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);
});
