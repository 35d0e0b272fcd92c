// `toolweaver mcp` (the real CLI over stdio) serves the code-mode tools from their one definition
// (src/core/codeMode/tools.ts): the same names, descriptions, titles, annotations and input schemas.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_MODE_TOOLS, inputJsonSchema, RUN_CODE_TOOL, toolDescription, toolName } from '../../../src/core/codeMode/tools';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-mcp-schemas-'));
const client = new Client({ name: 'schemas-test', version: '0' });

beforeAll(async () => {
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-typecheck', '--no-skills', '--max-timeout-ms', '12345'], cwd, stderr: 'ignore' }));
}, 30_000);
afterAll(async () => {
  await client.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** What the SDK's zod conversion adds to ours: a `$schema` and ±2^53 bounds on integers. */
function withoutSdkExtras(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, ...rest } = schema;
  const properties = Object.fromEntries(
    Object.entries(rest.properties as Record<string, Record<string, unknown>>).map(([k, p]) => {
      const { ...q } = p;
      if (q.maximum === Number.MAX_SAFE_INTEGER) delete q.maximum;
      if (q.minimum === Number.MIN_SAFE_INTEGER) delete q.minimum;
      return [k, q];
    }),
  );
  return { ...rest, properties };
}

describe('toolweaver mcp tools/list', () => {
  it('serves the four tools from the one definition', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(CODE_MODE_TOOLS.map((t) => toolName(t, 'mcp')));
    for (const def of CODE_MODE_TOOLS) {
      const served = tools.find((t) => t.name === toolName(def, 'mcp'));
      expect(withoutSdkExtras(served?.inputSchema as Record<string, unknown>), def.key).toEqual(inputJsonSchema(def));
      expect(served?.title).toBe(def.title);
      expect(served?.annotations).toMatchObject(def.annotations);
      if (def !== RUN_CODE_TOOL) expect(served?.description).toBe(toolDescription(def, 'mcp'));
    }
  });

  it("serves run_code's description as the static part, the run limit and the demo catalog's manifest", async () => {
    const { tools } = await client.listTools();
    const runCode = tools.find((t) => t.name === 'run_code');
    expect(runCode?.description?.startsWith(`${toolDescription(RUN_CODE_TOOL, 'mcp')}\nA run stops after 12,345 ms at most.\n\n`)).toBe(true);
    expect(runCode?.description).toMatch(/\n\d+ tools on \d+ servers:\n- /);
  });
});
