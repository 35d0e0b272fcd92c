// The tool definitions a model sees in code mode: one tool that runs a script, two that read the
// catalog on demand and one that reads more of a cut value. The MCP server and the LM tools expose
// exactly these; the token account counts them as the code-mode "definitions".
import type { JsonSchema } from '../catalog/types';
import { READ_VALUE_TOOL as READ_VALUE } from '../preview/readValueTool';

/** A tool definition as a function-calling API receives it. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export const RUN_CODE_TOOL: ToolDefinition = {
  name: 'run_code',
  description:
    'Run a TypeScript script in a sandbox. Call tools as `await tools.<server>.<tool>(args)`; they return ' +
    'the tool\'s result. Helpers: retry, map, parallel, timeout, sleep, poll, fallback, race, batch, dag, pipe. ' +
    'Process data in the script and `return` only what you need: the returned value and console output are ' +
    'all you get back. Use search_tools and describe_tool to find tools and their exact signatures first.',
  inputSchema: {
    type: 'object',
    // Keep in sync with run_code in src/core/mcpServer/toolWeaverServer.ts, the LM tool
    // (src/extension/agents/lmTools.ts) and contributes.languageModelTools in package.json.
    properties: {
      code: { type: 'string', description: 'The script. Top-level await is allowed.' },
      timeoutMs: { type: 'integer', minimum: 1, description: 'Wall-clock limit of the run in milliseconds; capped at the server maximum.' },
    },
    required: ['code'],
  },
};

export const SEARCH_TOOLS_TOOL: ToolDefinition = {
  name: 'search_tools',
  description: 'Search the available tools by keywords. Returns tool paths with one-line TypeScript signatures.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'Keywords, e.g. "list issues".' },
      limit: { type: 'number', description: 'Maximum results (default 10).' },
    },
    required: ['query'],
  },
};

export const DESCRIBE_TOOL_TOOL: ToolDefinition = {
  name: 'describe_tool',
  description: 'Show the full TypeScript declaration and documentation of tools, e.g. "github.listIssues".',
  inputSchema: {
    type: 'object',
    properties: { paths: { type: 'array', items: { type: 'string' }, description: 'Tool paths: server.tool' } },
    required: ['paths'],
  },
};

/** read_value, from its one declaration (src/core/preview/readValueTool.ts). */
export const READ_VALUE_TOOL: ToolDefinition = {
  name: READ_VALUE.name,
  description: READ_VALUE.description,
  inputSchema: READ_VALUE.inputJsonSchema() as JsonSchema,
};

/** Everything code mode sends with each request. */
export const CODE_MODE_TOOL_DEFS: readonly ToolDefinition[] = [RUN_CODE_TOOL, SEARCH_TOOLS_TOOL, DESCRIBE_TOOL_TOOL, READ_VALUE_TOOL];
