// ToolWeaver as an MCP server: run_code, search_tools, describe_tool and read_value in front of a
// catalog, so any MCP client can use every catalog tool through code. Invariant: failures come back as
// tool results with isError and text a model can act on; handlers never throw to the transport; a
// run_code value block holds only JSON (structuredContent holds the same value).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Catalog } from '../catalog/types';
import { describeCause } from '../errors';
import { mcpManifest, servedCodeModeDefinitions } from '../discovery/servedTools';
import { createConversationAccount, type ConversationAccount } from '../account/conversation';
import { randomUUID } from 'node:crypto';
import { readValueReply } from '../run/readValueReply';
import type { RunCode } from '../agents/runFeedback';
import { formatRunReply, viewOf } from '../run/runReply';
import { DESCRIBE_TOOL_TOOL, READ_VALUE_TOOL, RUN_CODE_TOOL, SEARCH_TOOLS_TOOL, servedRunCodeDescription, toolDescription, toolName, type CodeModeTool } from '../codeMode/tools';
import { createValueStore, type ValueStore } from '../preview/valueStore';
import { describeToolReply, searchToolsReply } from '../discovery/catalogReplies';
import type { ToolFigures } from '../discovery/observed';
import { formatDiagnostics, type TypeDiagnostic } from '../agents/typeCheck';
import { DEFAULT_LIMITS } from '../sandbox/types';
import { createElicitationBroker } from './elicitationBroker';
import { skillCallScript, type Skill } from '../skills/skillSet';
import { describeWithSkillsReply, searchWithSkillsReply } from '../skills/skillSearch';
import { skillInputZod, skillToolDefinitions, skillToolDescription, skillToolName } from '../skills/skillTools';

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
  /** The token account of this session's conversation; default a new one (one per server, and the CLI
   *  makes one server per MCP session), counting the definitions this server serves. */
  conversation?: ConversationAccount;
  /** The workspace's skills, each served as a tool of its own (\`skill_<name>\`, its input schema);
   *  \`runCode\` must know them too (createExecuteRunCode's \`skills\`). */
  skills?: readonly Skill[];
  /** Observed figures of past runs (trace/toolFigures.ts): search_tools ranks by them and shows them,
   *  describe_tool adds one line. Asked once per request; undefined or a failure = no figures. */
  observed?: () => Promise<ToolFigures | undefined>;
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

/** The run_code description `toolweaver mcp` serves for this catalog and run limit. */
export function runCodeDescription(catalog: Catalog, maxTimeoutMs = DEFAULT_LIMITS.timeoutMs): string {
  return servedRunCodeDescription('mcp', { manifest: mcpManifest(catalog), maxTimeoutMs });
}

/** The declaration fields every tool registers from its one definition. */
function declared(tool: CodeModeTool): { title: string; description: string; annotations: CodeModeTool['annotations'] } {
  return { title: tool.title, description: toolDescription(tool, 'mcp'), annotations: tool.annotations };
}

/** Creates the server; connect it to stdio, Streamable HTTP or an in-memory transport. */
export function createToolWeaverMcpServer(opts: ToolWeaverMcpServerOptions): McpServer {
  const { catalog } = opts;
  const maxTimeoutMs = opts.maxTimeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const store = opts.valueStore ?? createValueStore();
  // What this session's model reads between runs goes into the next run's account.
  const skills = opts.skills ?? [];
  const conversation =
    opts.conversation ?? createConversationAccount({ definitions: [...servedCodeModeDefinitions(catalog, 'mcp', maxTimeoutMs), ...skillToolDefinitions(skills)], tracksDocs: true });
  const observed = async (): Promise<ToolFigures | undefined> => (opts.observed ? opts.observed().catch(() => undefined) : undefined);
  const read = (reply: CallToolResult): CallToolResult => {
    for (const c of reply.content) if (c.type === 'text') conversation.docRead(c.text);
    return reply;
  };
  const server = new McpServer(
    { name: opts.name ?? 'toolweaver', version: opts.version ?? '0.1.0' },
    { instructions: 'ToolWeaver runs scripts against a catalog of MCP tools. Find tools with search_tools, read exact types with describe_tool, then do the whole task in one run_code script; read_value pages through a value run_code had to cut.' },
  );

  server.registerTool(
    toolName(RUN_CODE_TOOL, 'mcp'),
    { ...declared(RUN_CODE_TOOL), description: runCodeDescription(catalog, maxTimeoutMs), inputSchema: RUN_CODE_TOOL.inputSchema },
    async ({ code, language, timeoutMs }, extra): Promise<CallToolResult> => {
      const lang = language ?? 'ts';
      try {
        if (opts.typeCheck) {
          const diags = await opts.typeCheck(code, lang);
          if (diags.length) {
            const reply = `The script did not type-check, so it was not run. Fix these and call run_code again:\n${formatDiagnostics(diags)}\n(Use describe_tool to see a tool's exact input type.)`;
            conversation.rejected({ script: code, reply });
            return text(reply, true);
          }
        }
        return await runAndReply(code, lang, timeoutMs, extra.signal);
      } catch (err) {
        return text(`ToolWeaver could not run the script: ${describeCause(err)}`, true);
      }
    },
  );

  /** Runs a script and makes the run_code reply (the value stored for read_value). */
  async function runAndReply(code: string, lang: 'ts' | 'js', timeoutMs: number | undefined, signal: AbortSignal): Promise<CallToolResult> {
    const approvalBroker = opts.elicitApprovals === false ? undefined : createElicitationBroker(server.server);
    const outcome = await opts.runCode(code, { signal, language: lang, approvalBroker, timeoutMs: Math.min(timeoutMs ?? maxTimeoutMs, maxTimeoutMs), conversation });
    // The store's key is the trace id (named in the preview's note); a runner without traces gets one.
    const runId = outcome.view?.runId ?? outcome.traceId ?? randomUUID();
    // firewall: the view is made of the model-facing value, so read_value never shows more than this reply.
    const view = viewOf(outcome, { runId });
    if (outcome.result.ok) store.put(runId, view.value);
    const reply = formatRunReply(outcome, view);
    return blocks(reply.blocks, !outcome.result.ok, reply.structured);
  }

  server.registerTool(
    toolName(SEARCH_TOOLS_TOOL, 'mcp'),
    { ...declared(SEARCH_TOOLS_TOOL), inputSchema: SEARCH_TOOLS_TOOL.inputSchema },
    async ({ query, limit }): Promise<CallToolResult> => {
      const figures = await observed();
      return read(text(skills.length ? searchWithSkillsReply(catalog, skills, query, { limit, observed: figures }) : searchToolsReply(catalog, query, { limit, observed: figures }).text));
    },
  );

  server.registerTool(
    toolName(DESCRIBE_TOOL_TOOL, 'mcp'),
    { ...declared(DESCRIBE_TOOL_TOOL), inputSchema: DESCRIBE_TOOL_TOOL.inputSchema },
    async ({ name, detail }): Promise<CallToolResult> => {
      const figures = await observed();
      try {
        return read(text(skills.length ? describeWithSkillsReply(catalog, skills, name, { detail, observed: figures }) : describeToolReply(catalog, name, { detail, observed: figures })));
      } catch (err) {
        return read(text(describeCause(err), true));
      }
    },
  );

  server.registerTool(
    toolName(READ_VALUE_TOOL, 'mcp'),
    { ...declared(READ_VALUE_TOOL), inputSchema: READ_VALUE_TOOL.inputSchema },
    (input): CallToolResult => {
      try {
        const reply = readValueReply(store, input);
        return blocks(reply.blocks, reply.isError, reply.structured);
      } catch (err) {
        return text(`ToolWeaver could not read the value: ${describeCause(err)}`, true);
      }
    },
  );

  // Each skill is a tool of its own: a client calls a saved workflow in one call, with its schema.
  for (const skill of [...skills].sort((a, b) => a.name.localeCompare(b.name))) {
    server.registerTool(
      skillToolName(skill.name),
      { title: skill.name, description: skillToolDescription(skill), inputSchema: skillInputZod(skill), annotations: { openWorldHint: true } },
      async (input, extra): Promise<CallToolResult> => {
        try {
          return await runAndReply(skillCallScript(skill.name, input), 'js', undefined, extra.signal);
        } catch (err) {
          return text(`ToolWeaver could not run the skill ${skill.name}: ${describeCause(err)}`, true);
        }
      },
    );
  }

  return server;
}
