// ToolWeaver as an MCP server: run_code, search_tools, describe_tool and read_value in front of a
// catalog, so any MCP client can use every catalog tool through code. Invariant: failures come back as
// tool results with isError and text a model can act on; handlers never throw to the transport; a
// run_code value block holds only JSON (structuredContent holds the same value).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Catalog } from '../catalog/types';
import { describeCause } from '../errors';
import { buildManifest, MANIFEST_NAME_LIMIT } from '../agents/agentPrompt';
import { randomUUID } from 'node:crypto';
import { readValueReply } from '../run/readValueReply';
import type { RunCode } from '../agents/runFeedback';
import { formatRunReply, viewOf } from '../run/runReply';
import { READ_VALUE_TOOL } from '../preview/readValueTool';
import { createValueStore, type ValueStore } from '../preview/valueStore';
import { describeToolReply, searchToolsReply } from '../discovery/catalogReplies';
import { formatDiagnostics, type TypeDiagnostic } from '../agents/typeCheck';
import { DEFAULT_LIMITS } from '../sandbox/types';
import { createElicitationBroker } from './elicitationBroker';

export const TOOLWEAVER_MCP_TOOLS = ['run_code', 'search_tools', 'describe_tool', 'read_value'] as const;

export interface ToolWeaverMcpServerOptions {
  catalog: Catalog;
  /** Runs one script (executeRun in the CLI; the extension passes its own). */
  runCode: RunCode;
  /** Pre-run type check; errors are returned instead of running. */
  typeCheck?: (code: string, language: 'ts' | 'js') => Promise<TypeDiagnostic[]>;
  /** Ask the client's user for approvals through elicitation when it supports it; default true. */
  elicitApprovals?: boolean;
  /** Longest run a client may ask for with run_code's `timeoutMs` (larger values are capped);
   *  also the timeout of a call that gives none. Default DEFAULT_LIMITS.timeoutMs. */
  maxTimeoutMs?: number;
  /** The values of this session's last runs, for read_value; default a new store (one per server,
   *  and the CLI makes one server per MCP session). */
  valueStore?: ValueStore;
  /** serverInfo; defaults to toolweaver / 0.1.0. */
  name?: string;
  version?: string;
}

function text(t: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: 'text', text: t }], isError: true } : { content: [{ type: 'text', text: t }] };
}

/** A reply of several text blocks, with structuredContent when there is a value. */
function blocks(parts: readonly string[], isError: boolean, structured?: Record<string, unknown>): CallToolResult {
  return {
    content: parts.map((t) => ({ type: 'text' as const, text: t })),
    ...(structured !== undefined ? { structuredContent: structured } : {}),
    ...(isError ? { isError: true } : {}),
  };
}

/** The run_code description: what a script can do plus a manifest sized to the catalog. */
export function runCodeDescription(catalog: Catalog): string {
  const total = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  return [
    'Run a TypeScript (or JavaScript) script that calls MCP tools as `await tools.<server>.<tool>(input)` and returns a value.',
    'Top-level await and `return` work; console.log output is returned too. Helpers: retry, map(items, fn, { concurrency }), parallel, timeout, sleep, poll, fallback, race, batch, dag, pipe.',
    'Use one script for many calls (loops, filtering, joining results) instead of calling tools one by one; return only what you need.',
    'The script is type-checked against the tool stubs first; use search_tools and describe_tool to find tools and their exact types.',
    'The value comes back as JSON (also as structuredContent); a large one is cut to a valid-JSON preview with markers, and read_value reads the rest. Tool data in replies is framed as untrusted data.',
    '',
    total <= MANIFEST_NAME_LIMIT ? buildManifest(catalog) : `${buildManifest(catalog)}\n(Use search_tools to find tools.)`,
  ].join('\n');
}

/** Creates the server; connect it to stdio, Streamable HTTP or an in-memory transport. */
export function createToolWeaverMcpServer(opts: ToolWeaverMcpServerOptions): McpServer {
  const { catalog } = opts;
  const maxTimeoutMs = opts.maxTimeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const store = opts.valueStore ?? createValueStore();
  const server = new McpServer(
    { name: opts.name ?? 'toolweaver', version: opts.version ?? '0.1.0' },
    { instructions: 'ToolWeaver runs scripts against a catalog of MCP tools. Find tools with search_tools, read exact types with describe_tool, then do the whole task in one run_code script; read_value pages through a value run_code had to cut.' },
  );

  server.registerTool(
    'run_code',
    {
      title: 'Run code against the tools',
      description: runCodeDescription(catalog),
      inputSchema: {
        code: z.string().min(1).describe('The script: a TypeScript function body (top-level await and return allowed). Code fences are stripped.'),
        language: z.enum(['ts', 'js']).optional().describe("'ts' (default) or 'js'."),
        // Keep in sync with RUN_CODE_TOOL (src/core/tokens/codeModeTools.ts), the LM tool
        // (src/extension/agents/lmTools.ts) and contributes.languageModelTools in package.json.
        timeoutMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(`Wall-clock limit of the run in milliseconds (default and maximum ${maxTimeoutMs}; larger values are capped).`),
      },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async ({ code, language, timeoutMs }, extra): Promise<CallToolResult> => {
      const lang = language ?? 'ts';
      try {
        if (opts.typeCheck) {
          const diags = await opts.typeCheck(code, lang);
          if (diags.length) {
            return text(`The script did not type-check, so it was not run. Fix these and call run_code again:\n${formatDiagnostics(diags)}\n(Use describe_tool to see a tool's exact input type.)`, true);
          }
        }
        const approvalBroker = opts.elicitApprovals === false ? undefined : createElicitationBroker(server.server);
        const outcome = await opts.runCode(code, { signal: extra.signal, language: lang, approvalBroker, timeoutMs: Math.min(timeoutMs ?? maxTimeoutMs, maxTimeoutMs) });
        // The store's key is the trace id (named in the preview's note); a runner without traces gets one.
        const runId = outcome.view?.runId ?? outcome.traceId ?? randomUUID();
        // firewall: the view is made of the model-facing value, so read_value never shows more than this reply.
        const view = viewOf(outcome, { runId });
        if (outcome.result.ok) store.put(runId, view.value);
        const reply = formatRunReply(outcome, view);
        return blocks(reply.blocks, !outcome.result.ok, reply.structured);
      } catch (err) {
        return text(`ToolWeaver could not run the script: ${describeCause(err)}`, true);
      }
    },
  );

  server.registerTool(
    'search_tools',
    {
      title: 'Search tools',
      description: 'Find catalog tools by what they do (words from names, descriptions and parameters). Returns the best matches as compact TypeScript signatures to use in run_code.',
      inputSchema: {
        query: z.string().describe('What you need, e.g. "create issue" or "list files in a folder".'),
        limit: z.number().int().min(1).max(50).optional().describe('Most results (default 8).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, limit }): CallToolResult => text(searchToolsReply(catalog, query, { limit }).text),
  );

  server.registerTool(
    'describe_tool',
    {
      title: 'Describe a tool',
      description: 'The full TypeScript stub of one tool: documentation, input and output types. Name it as server.tool (e.g. "github.createIssue", as in the signatures) or by its original MCP name.',
      inputSchema: { name: z.string().min(1).describe('e.g. "github.createIssue" or "tools.github.createIssue".') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ name }): CallToolResult => {
      try {
        return text(describeToolReply(catalog, name));
      } catch (err) {
        return text(describeCause(err), true);
      }
    },
  );

  server.registerTool(
    READ_VALUE_TOOL.name,
    {
      title: READ_VALUE_TOOL.title,
      description: READ_VALUE_TOOL.description,
      inputSchema: READ_VALUE_TOOL.inputShape,
      annotations: READ_VALUE_TOOL.annotations,
    },
    (input): CallToolResult => {
      try {
        const reply = readValueReply(store, input);
        return blocks(reply.blocks, reply.isError, reply.structured);
      } catch (err) {
        return text(`ToolWeaver could not read the value: ${describeCause(err)}`, true);
      }
    },
  );

  return server;
}
