// The code-mode tools — run_code, search_tools, describe_tool, read_value — declared once: name per
// surface, description, zod input schema and defaults. Invariant: the MCP server, the VS Code LM tools
// (and package.json's languageModelTools, which test/unit/codeMode/packageJson.test.ts keeps equal) and
// the token account all derive from the values here; nothing else states these shapes.
import { z } from 'zod';
import { DEFAULT_PREVIEW_CHARS, MIN_PREVIEW_CHARS } from '../preview/previewValue';
import { groupDigits } from '../preview/words';

/** Where the tools are served: `toolweaver mcp` (plain names) or VS Code's LM tools (prefixed names). */
export type CodeModeSurface = 'mcp' | 'lm';
export type CodeModeToolKey = 'runCode' | 'searchTools' | 'describeTool' | 'readValue';
export type CodeModeToolNames = Readonly<Record<CodeModeToolKey, string>>;

/** The tool names on each surface; descriptions name the other tools with the same surface's names. */
export const CODE_MODE_TOOL_NAMES: Readonly<Record<CodeModeSurface, CodeModeToolNames>> = {
  mcp: { runCode: 'run_code', searchTools: 'search_tools', describeTool: 'describe_tool', readValue: 'read_value' },
  lm: { runCode: 'toolweaver_run_code', searchTools: 'toolweaver_search_tools', describeTool: 'toolweaver_describe_tool', readValue: 'toolweaver_read_value' },
};

/** search_tools returns this many matches when the call gives no limit. */
export const DEFAULT_SEARCH_LIMIT = 8;
/** The most matches one search_tools call may ask for. */
export const MAX_SEARCH_LIMIT = 50;
/** Largest page read_value may ask for; bigger values are paged. */
export const MAX_READ_CHARS = 50_000;

const runCodeInput = z
  .object({
    code: z.string().min(1).describe('The script: a TypeScript function body (top-level await and return allowed). Code fences are stripped.'),
    language: z.enum(['ts', 'js']).optional().describe("'ts' (default) or 'js'."),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Wall-clock limit of the run in milliseconds. The default is also the maximum (the host\'s run limit); larger values are capped.'),
  })
  .strict();

const searchToolsInput = z
  .object({
    query: z.string().describe('What you need, in a few words, e.g. "create issue" or "list files in a folder". An empty query lists tools.'),
    limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe(`Most results (default ${DEFAULT_SEARCH_LIMIT}).`),
  })
  .strict();

const describeToolInput = z.object({ name: z.string().min(1).describe('e.g. "demo.listTickets" or "tools.demo.listTickets".') }).strict();

const readValueInput = z
  .object({
    path: z
      .string()
      .min(1)
      .max(4096)
      .describe('Path into the value, as in the markers: $ (whole value), $.customers, $.customers[12].notes, $["key with spaces"].'),
    offset: z.number().int().min(0).optional().describe('First item (array), key (object) or character (string) to return; the offset a marker or "Next" names. Default 0.'),
    limit: z.number().int().min(1).optional().describe('Most items/keys/characters to return. Default: as many as fit.'),
    runId: z.string().min(1).max(200).optional().describe('The run whose value to read. Default: the last run.'),
    maxChars: z
      .number()
      .int()
      .min(MIN_PREVIEW_CHARS)
      .max(MAX_READ_CHARS)
      .optional()
      .describe(`Most characters of the page (default ${groupDigits(DEFAULT_PREVIEW_CHARS)}).`),
  })
  .strict();

export type RunCodeInput = z.infer<typeof runCodeInput>;
export type SearchToolsInput = z.infer<typeof searchToolsInput>;
export type DescribeToolInput = z.infer<typeof describeToolInput>;
/** What read_value accepts, after validation. */
export type ReadValueInput = z.infer<typeof readValueInput>;

/** One code-mode tool: everything a surface needs to declare it. */
export interface CodeModeTool<S extends z.ZodObject = z.ZodObject> {
  key: CodeModeToolKey;
  title: string;
  /** The model-facing description; it names the other tools as the surface does. */
  description(names: CodeModeToolNames): string;
  /** Validates a call's input (VS Code does not validate LM tool input; the MCP SDK does). */
  inputSchema: S;
  annotations: { readOnlyHint: boolean; openWorldHint: boolean };
}

export const RUN_CODE_TOOL: CodeModeTool<typeof runCodeInput> = {
  key: 'runCode',
  title: 'Run code against the tools',
  description: (n) =>
    [
      'Run one TypeScript (or JavaScript) script in a sandbox that can call every catalog tool as `await tools.<server>.<tool>(input)`.',
      'Use one script for many calls instead of calling tools one at a time: loop, filter, join and aggregate in code and `return` only what you need (top-level await and return work; console.log output is returned too).',
      'Helpers: retry, map(items, fn, { concurrency }), parallel, timeout, sleep, poll, fallback, race, batch, dag, pipe.',
      `The script is type-checked against the tool stubs first: type errors come back with line numbers and nothing runs. Find tools with ${n.searchTools} and read their exact input/output types with ${n.describeTool} before writing the script.`,
      `The value comes back as JSON with the logs; a large one is cut to a valid-JSON preview with markers, and ${n.readValue} reads the rest. Tool data in replies is framed as untrusted data.`,
      'Calls to tools that may change things can be denied by the user; a denied call throws a ToolError the script can catch.',
    ].join('\n'),
  inputSchema: runCodeInput,
  annotations: { readOnlyHint: false, openWorldHint: true },
};

export const SEARCH_TOOLS_TOOL: CodeModeTool<typeof searchToolsInput> = {
  key: 'searchTools',
  title: 'Search tools',
  description: (n) =>
    `Find catalog tools (all servers, any catalog size) by what they do: ranks tools by words from their names, descriptions and parameters and returns the best matches as compact TypeScript signatures (\`tools.<server>.<tool>(input)\`) to use in ${n.runCode}.`,
  inputSchema: searchToolsInput,
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const DESCRIBE_TOOL_TOOL: CodeModeTool<typeof describeToolInput> = {
  key: 'describeTool',
  title: 'Describe a tool',
  description: (n) =>
    `The full TypeScript stub of one catalog tool: its documentation and exact input and output types, as the type checker of ${n.runCode} sees them. Name it as in the signatures (e.g. "github.createIssue" or "tools.github.createIssue") or by its original MCP name.`,
  inputSchema: describeToolInput,
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const READ_VALUE_TOOL: CodeModeTool<typeof readValueInput> = {
  key: 'readValue',
  title: 'Read more of a value',
  // The marker examples must match what src/core/preview writes (it names the tool it is given as readTool).
  description: (n) =>
    `Read a part of a value that a previous ${n.runCode} reply cut to fit. A cut value is still valid JSON; each left-out part is ` +
    `a string marker like "«… 980 more items (1,000 in all): ${n.readValue} $.customers offset 20»" or ` +
    `"«… object, 12 keys: ${n.readValue} $.orders[3]»". Pass the marker's path and offset to get that part, in pages: ` +
    'arrays by items, objects by keys, strings by characters; each reply says how to get the next page. ' +
    'The values of the last runs are kept; the last run is read unless runId is given. ' +
    `Prefer returning only what you need from ${n.runCode}; use this to look at parts you did not expect to need.`,
  inputSchema: readValueInput,
  annotations: { readOnlyHint: true, openWorldHint: false },
};

/** The four tools in the order every surface lists them. */
export const CODE_MODE_TOOLS: readonly CodeModeTool[] = [RUN_CODE_TOOL, SEARCH_TOOLS_TOOL, DESCRIBE_TOOL_TOOL, READ_VALUE_TOOL];

/** A tool's name on a surface. */
export function toolName(tool: CodeModeTool, surface: CodeModeSurface): string {
  return CODE_MODE_TOOL_NAMES[surface][tool.key];
}

/** A tool's description on a surface (static: run_code without the catalog manifest). */
export function toolDescription(tool: CodeModeTool, surface: CodeModeSurface): string {
  return tool.description(CODE_MODE_TOOL_NAMES[surface]);
}

/**
 * The input's JSON Schema as package.json declares it and the token account counts it: zod's own
 * conversion of the input side, without `$schema` and the ±2^53 bounds zod adds to integers (they
 * only cost tokens). The MCP SDK serves the same schema plus those two (see the mcpServer tests).
 */
export function inputJsonSchema(tool: CodeModeTool): Record<string, unknown> {
  const { $schema: _schema, ...schema } = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as Record<string, unknown>;
  for (const prop of Object.values(schema.properties as Record<string, Record<string, unknown>>)) {
    if (prop.maximum === Number.MAX_SAFE_INTEGER) delete prop.maximum;
    if (prop.minimum === Number.MIN_SAFE_INTEGER) delete prop.minimum;
  }
  return schema;
}

export interface ServedRunCodeOptions {
  /** The catalog manifest the server appends (agents/agentPrompt's buildManifest plus any note). */
  manifest?: string;
  /** The server's run limit, stated so a model knows what timeoutMs may ask for. */
  maxTimeoutMs?: number;
}

/**
 * The run_code description exactly as a server serves it: the static part, the run limit and the
 * catalog manifest. `toolweaver mcp` serves this; the token account counts the same text.
 */
export function servedRunCodeDescription(surface: CodeModeSurface, opts: ServedRunCodeOptions = {}): string {
  const parts = [toolDescription(RUN_CODE_TOOL, surface)];
  if (opts.maxTimeoutMs !== undefined) parts.push(`A run stops after ${groupDigits(opts.maxTimeoutMs)} ms at most.`);
  if (opts.manifest) parts.push('', opts.manifest);
  return parts.join('\n');
}

/** A tool definition as a function-calling API receives it. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** The four definitions of a surface, run_code's description as served with `opts`. */
export function codeModeToolDefinitions(surface: CodeModeSurface, opts: ServedRunCodeOptions = {}): ToolDefinition[] {
  return CODE_MODE_TOOLS.map((tool) => ({
    name: toolName(tool, surface),
    description: tool === RUN_CODE_TOOL ? servedRunCodeDescription(surface, opts) : toolDescription(tool, surface),
    inputSchema: inputJsonSchema(tool),
  }));
}

/** The MCP surface's definitions without a catalog manifest: what the token account counts by default. */
export const CODE_MODE_TOOL_DEFS: readonly ToolDefinition[] = codeModeToolDefinitions('mcp');
