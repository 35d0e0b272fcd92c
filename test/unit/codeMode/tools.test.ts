import { describe, expect, it } from 'vitest';
import {
  CODE_MODE_TOOL_DEFS,
  codeModeToolDefinitions,
  DEFAULT_SEARCH_LIMIT,
  DESCRIBE_TOOL_TOOL,
  inputJsonSchema,
  READ_VALUE_TOOL,
  RUN_CODE_TOOL,
  SEARCH_TOOLS_TOOL,
  servedRunCodeDescription,
  toolDescription,
} from '../../../src/core/codeMode/tools';

describe('the code-mode tools', () => {
  it('validate what a model sends', () => {
    expect(RUN_CODE_TOOL.inputSchema.parse({ code: 'return 1', timeoutMs: 500 })).toEqual({ code: 'return 1', timeoutMs: 500 });
    for (const bad of [{}, { code: '' }, { code: 'x', language: 'py' }, { code: 'x', timeoutMs: 0 }, { code: 'x', timeoutMs: 1.5 }, { code: 'x', extra: 1 }]) {
      expect(RUN_CODE_TOOL.inputSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(SEARCH_TOOLS_TOOL.inputSchema.parse({ query: '' })).toEqual({ query: '' });
    for (const bad of [{}, { query: 'x', limit: 0 }, { query: 'x', limit: 51 }]) expect(SEARCH_TOOLS_TOOL.inputSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(DESCRIBE_TOOL_TOOL.inputSchema.safeParse({ name: '' }).success).toBe(false);
    expect(DESCRIBE_TOOL_TOOL.inputSchema.safeParse({ paths: ['a.b'] }).success).toBe(false);
    expect(READ_VALUE_TOOL.inputSchema.parse({ path: '$.a', offset: 20 })).toEqual({ path: '$.a', offset: 20 });
    for (const bad of [{}, { path: '' }, { path: '$', offset: -1 }, { path: '$', offset: 1.5 }, { path: '$', maxChars: 10 }, { path: '$', extra: 1 }]) {
      expect(READ_VALUE_TOOL.inputSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('have compact JSON Schemas (no $schema, no ±2^53 integer bounds)', () => {
    expect(inputJsonSchema(RUN_CODE_TOOL)).toEqual({
      type: 'object',
      properties: {
        code: { type: 'string', minLength: 1, description: 'The script: a TypeScript function body (top-level await and return allowed). Code fences are stripped.' },
        language: { description: "'ts' (default) or 'js'.", type: 'string', enum: ['ts', 'js'] },
        timeoutMs: {
          description: "Wall-clock limit of the run in milliseconds. The default is also the maximum (the host's run limit); larger values are capped.",
          type: 'integer',
          minimum: 1,
        },
      },
      required: ['code'],
      additionalProperties: false,
    });
    const rv = inputJsonSchema(READ_VALUE_TOOL);
    expect(rv.required).toEqual(['path']);
    expect(Object.keys(rv.properties as object)).toEqual(['path', 'offset', 'limit', 'runId', 'maxChars']);
    for (const def of CODE_MODE_TOOL_DEFS) expect(JSON.stringify(def.inputSchema), def.name).not.toMatch(/9007199254740991|\$schema/);
  });

  it('state the search default once, in the schema the model reads', () => {
    expect(DEFAULT_SEARCH_LIMIT).toBe(8);
    expect(JSON.stringify(inputJsonSchema(SEARCH_TOOLS_TOOL))).toContain('Most results (default 8).');
  });

  it('name the other tools as the surface does', () => {
    expect(toolDescription(READ_VALUE_TOOL, 'mcp')).toContain('read_value $.customers offset 20');
    expect(toolDescription(READ_VALUE_TOOL, 'lm')).toContain('toolweaver_read_value $.customers offset 20');
    expect(toolDescription(RUN_CODE_TOOL, 'mcp')).toContain('Find tools with search_tools and read their exact input/output types with describe_tool');
  });

  it('build the served run_code description from the static part, the run limit and the manifest', () => {
    const served = servedRunCodeDescription('mcp', { manifest: '2 tools on 1 servers:\n- tools.a.b()', maxTimeoutMs: 30_000 });
    expect(served).toBe(`${toolDescription(RUN_CODE_TOOL, 'mcp')}\nA run stops after 30,000 ms at most.\n\n2 tools on 1 servers:\n- tools.a.b()`);
    expect(servedRunCodeDescription('mcp')).toBe(toolDescription(RUN_CODE_TOOL, 'mcp'));
    const defs = codeModeToolDefinitions('mcp', { manifest: 'M' });
    expect(defs.map((d) => d.name)).toEqual(['run_code', 'search_tools', 'describe_tool', 'read_value']);
    expect(defs[0]?.description.endsWith('\n\nM')).toBe(true);
    expect(codeModeToolDefinitions('lm').map((d) => d.name)).toEqual(['toolweaver_run_code', 'toolweaver_search_tools', 'toolweaver_describe_tool', 'toolweaver_read_value']);
  });
});
