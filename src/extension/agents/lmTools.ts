// Language-model tools for Copilot agent mode and other chat participants: run_code (type-checked,
// run through RunService so it leaves a trace and asks for approvals), search_tools, describe_tool
// and read_value (pages of the last runs' values, one store per extension host). Names match
// contributes.languageModelTools in package.json. Every failure comes back as text a model can act
// on; nothing throws to the caller except cancellation.
import * as vscode from 'vscode';
import type { z } from 'zod';
import { readValueReply } from '../../core/run/readValueReply';
import { describeToolReply, searchToolsReply } from '../../core/discovery/catalogReplies';
import { describeWithSkillsReply, searchWithSkillsReply } from '../../core/skills/skillSearch';
import type { Skill } from '../../core/skills/skillSet';
import type { ToolFigures } from '../../core/discovery/observed';
import { createConversationAccount, type ConversationAccount } from '../../core/account/conversation';
import { servedCodeModeDefinitions } from '../../core/discovery/servedTools';
import { CODE_MODE_TOOL_NAMES, DESCRIBE_TOOL_TOOL, READ_VALUE_TOOL, RUN_CODE_TOOL, SEARCH_TOOLS_TOOL, type DescribeToolInput, type ReadValueInput, type RunCodeInput, type SearchToolsInput } from '../../core/codeMode/tools';
import { createValueStore, type ValueStore } from '../../core/preview/valueStore';
import { describeCause } from '../../core/errors';
import type { CatalogService } from '../catalogService';
import type { RunService } from '../runService';
import { readSettings } from '../settings';
import { runOutcomeText, typeErrorText } from './agentText';
import { extensionRunCode, RunNotStartedError } from './runCodeAdapter';
import type { TypeCheckService } from './typeCheckService';

/** The LM tool names (package.json's languageModelTools declares the same, checked by a test). */
const LM_TOOL_NAMES = CODE_MODE_TOOL_NAMES.lm;

const MAX_CONFIRM_CODE_CHARS = 6_000;
const CATALOG_WAIT_MS = 20_000;

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

function badInput(tool: string, error: z.ZodError): vscode.LanguageModelToolResult {
  const issues = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return textResult(`Invalid input for ${tool}: ${issues}.`);
}

function toSignal(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  const sub = token.onCancellationRequested(() => ac.abort());
  return { signal: ac.signal, dispose: () => sub.dispose() };
}

/** Waits (bounded) for a catalog refresh in progress, so a tool called right after startup sees tools. */
export async function settledCatalog(catalog: CatalogService, timeoutMs = CATALOG_WAIT_MS): Promise<void> {
  if (catalog.state !== 'loading') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const sub = catalog.onDidChange(() => {
      if (catalog.state !== 'loading') done();
    });
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

export interface LmToolDeps {
  catalog: CatalogService;
  runs: RunService;
  typeCheck: TypeCheckService;
  /** The workspace's skills: ranked beside the tools in toolweaver_search_tools, described by toolweaver_describe_tool. */
  skills?: () => readonly Skill[];
  /** The last runs' values for toolweaver_read_value; registerLmTools makes one per extension host. */
  values?: ValueStore;
  /** The token account of the LM-tool conversation (LM_TOOLS_CONVERSATION: one per extension host);
   *  registerLmTools makes one counting package.json's definitions. */
  conversation?: ConversationAccount;
  /** Observed figures of this folder's past runs, for search and describe (none when absent). */
  observed?: () => Promise<ToolFigures | undefined>;
}

/** The confirmation VS Code shows before a model's script runs (the code, in full up to a limit). */
export function runCodeConfirmation(input: RunCodeInput): vscode.PreparedToolInvocation {
  const lines = input.code.split('\n').length;
  const shown = input.code.length > MAX_CONFIRM_CODE_CHARS ? `${input.code.slice(0, MAX_CONFIRM_CODE_CHARS)}\n// … (${input.code.length - MAX_CONFIRM_CODE_CHARS} more characters)` : input.code;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`The model wants to run this ${input.language === 'js' ? 'JavaScript' : 'TypeScript'} script (${lines} line${lines === 1 ? '' : 's'}) in the ToolWeaver sandbox. It can call every tool in the catalog; calls to tools that may change things still ask for approval.\n\n`);
  md.appendCodeblock(shown, input.language === 'js' ? 'javascript' : 'typescript');
  return { invocationMessage: `Running a ToolWeaver script (${lines} lines)`, confirmationMessages: { title: 'Run a ToolWeaver script?', message: md } };
}

/** Type-checks (when enabled) and runs; the text is what the model reads. */
export async function runCodeForModel(deps: LmToolDeps, input: RunCodeInput, signal: AbortSignal): Promise<{ text: string; ok: boolean; traceId?: string }> {
  await settledCatalog(deps.catalog);
  const language = input.language ?? 'ts';
  const settings = readSettings(deps.catalog.folder?.uri);
  if (settings.typeCheck.enabled) {
    try {
      const diags = await deps.typeCheck.check(input.code, language);
      if (diags.length) {
        const text = typeErrorText(diags);
        deps.conversation?.rejected({ script: input.code, reply: text });
        return { text, ok: false };
      }
    } catch {
      // A broken checker must not block the model: run unchecked (the run reports real errors).
    }
  }
  try {
    const outcome = await extensionRunCode(deps.runs)(input.code, { signal, language, timeoutMs: input.timeoutMs, ...(deps.conversation ? { conversation: deps.conversation } : {}) });
    // firewall: the view (and so the stored value) is made of the model-facing value.
    const view = outcome.view;
    if (deps.values && outcome.result.ok && view?.runId) deps.values.put(view.runId, view.value);
    return { text: runOutcomeText(outcome), ok: outcome.result.ok, traceId: outcome.traceId };
  } catch (err) {
    if (err instanceof RunNotStartedError) return { text: `The script was not run: ${err.message}`, ok: false };
    return { text: `ToolWeaver could not run the script: ${describeCause(err)}`, ok: false };
  }
}

/** Registers the four tools; the disposables go into context.subscriptions. */
export function registerLmTools(toolDeps: LmToolDeps): vscode.Disposable[] {
  const deps: LmToolDeps = {
    ...toolDeps,
    values: toolDeps.values ?? createValueStore(),
    conversation: toolDeps.conversation ?? createConversationAccount({ definitions: servedCodeModeDefinitions(toolDeps.catalog.catalog, 'lm'), tracksDocs: true }),
  };
  const read = (text: string): vscode.LanguageModelToolResult => {
    deps.conversation?.docRead(text);
    return textResult(text);
  };
  const values = deps.values as ValueStore;
  const runCode: vscode.LanguageModelTool<RunCodeInput> = {
    prepareInvocation(options) {
      const parsed = RUN_CODE_TOOL.inputSchema.safeParse(options.input);
      if (!parsed.success) return { invocationMessage: 'Checking the ToolWeaver script input' };
      const settings = readSettings(deps.catalog.folder?.uri);
      const prepared = runCodeConfirmation(parsed.data);
      return settings.agent.confirmRunCode ? prepared : { invocationMessage: prepared.invocationMessage };
    },
    async invoke(options, token) {
      const parsed = RUN_CODE_TOOL.inputSchema.safeParse(options.input);
      if (!parsed.success) return badInput(LM_TOOL_NAMES.runCode, parsed.error);
      const { signal, dispose } = toSignal(token);
      try {
        const { text } = await runCodeForModel(deps, parsed.data, signal);
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        return textResult(text);
      } finally {
        dispose();
      }
    },
  };

  const search: vscode.LanguageModelTool<SearchToolsInput> = {
    prepareInvocation: (options) => ({ invocationMessage: `Searching ToolWeaver tools for "${String((options.input as { query?: unknown }).query ?? '')}"` }),
    async invoke(options) {
      const parsed = SEARCH_TOOLS_TOOL.inputSchema.safeParse(options.input);
      if (!parsed.success) return badInput(LM_TOOL_NAMES.searchTools, parsed.error);
      await settledCatalog(deps.catalog);
      const catalog = deps.catalog.catalog;
      if (catalog.servers.length === 0) return textResult('The ToolWeaver catalog is empty: no MCP server is configured for this workspace.');
      const skills = deps.skills?.() ?? [];
      const observed = await deps.observed?.().catch(() => undefined);
      return read(skills.length ? searchWithSkillsReply(catalog, skills, parsed.data.query, { limit: parsed.data.limit, observed }) : searchToolsReply(catalog, parsed.data.query, { limit: parsed.data.limit, observed }).text);
    },
  };

  const describe: vscode.LanguageModelTool<DescribeToolInput> = {
    prepareInvocation: (options) => ({ invocationMessage: `Reading the ToolWeaver stub of ${String((options.input as { name?: unknown }).name ?? 'a tool')}` }),
    async invoke(options) {
      const parsed = DESCRIBE_TOOL_TOOL.inputSchema.safeParse(options.input);
      if (!parsed.success) return badInput(LM_TOOL_NAMES.describeTool, parsed.error);
      await settledCatalog(deps.catalog);
      const observed = await deps.observed?.().catch(() => undefined);
      try {
        const skills = deps.skills?.() ?? [];
        return read(skills.length ? describeWithSkillsReply(deps.catalog.catalog, skills, parsed.data.name, { detail: parsed.data.detail, observed }) : describeToolReply(deps.catalog.catalog, parsed.data.name, { detail: parsed.data.detail, observed }));
      } catch (err) {
        return read(describeCause(err));
      }
    },
  };

  const readValue: vscode.LanguageModelTool<ReadValueInput> = {
    prepareInvocation: (options) => ({ invocationMessage: `Reading ${String((options.input as { path?: unknown }).path ?? 'a value')} of a ToolWeaver run` }),
    invoke(options) {
      // VS Code does not validate the input against the schema in package.json.
      const parsed = READ_VALUE_TOOL.inputSchema.safeParse(options.input);
      if (!parsed.success) return badInput(LM_TOOL_NAMES.readValue, parsed.error);
      try {
        return textResult(readValueReply(values, parsed.data, { readTool: LM_TOOL_NAMES.readValue }).text);
      } catch (err) {
        return textResult(`ToolWeaver could not read the value: ${describeCause(err)}`);
      }
    },
  };

  return [
    vscode.lm.registerTool(LM_TOOL_NAMES.runCode, runCode),
    vscode.lm.registerTool(LM_TOOL_NAMES.searchTools, search),
    vscode.lm.registerTool(LM_TOOL_NAMES.describeTool, describe),
    vscode.lm.registerTool(LM_TOOL_NAMES.readValue, readValue),
  ];
}
