// package.json's languageModelTools are the LM surface of the one code-mode definition
// (src/core/codeMode/tools.ts): the same names, model descriptions and input schemas. VS Code reads
// package.json, not our module, so a drift here is what Copilot would see.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_MODE_TOOL_NAMES, CODE_MODE_TOOLS, inputJsonSchema, toolDescription, toolName } from '../../../src/core/codeMode/tools';

interface LmTool {
  name: string;
  modelDescription: string;
  inputSchema: unknown;
}

const declared = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { languageModelTools: LmTool[] } }).contributes.languageModelTools;

describe("package.json's languageModelTools", () => {
  it('declares exactly the four code-mode tools, in order, with their LM names', () => {
    expect(declared.map((t) => t.name)).toEqual(['toolweaver_run_code', 'toolweaver_search_tools', 'toolweaver_describe_tool', 'toolweaver_read_value']);
    expect(declared.map((t) => t.name)).toEqual(CODE_MODE_TOOLS.map((t) => toolName(t, 'lm')));
  });

  for (const tool of CODE_MODE_TOOLS) {
    const name = CODE_MODE_TOOL_NAMES.lm[tool.key];
    it(`${name}: modelDescription and inputSchema are the module's`, () => {
      const entry = declared.find((t) => t.name === name);
      expect(entry, `${name} is missing from package.json`).toBeDefined();
      // After a change to the module: node scripts/syncLmTools.mjs
      expect(entry?.modelDescription).toBe(toolDescription(tool, 'lm'));
      expect(entry?.inputSchema).toEqual(inputJsonSchema(tool));
    });
  }

  it('names only LM tools in the LM descriptions (no bare MCP names)', () => {
    for (const t of declared) expect(t.modelDescription, t.name).not.toMatch(/(?<!toolweaver_)\b(run_code|search_tools|describe_tool|read_value)\b/);
  });
});
