// The token account of a finished run, counted into its trace within a time budget: what code mode
// cost against direct tool calls (src/core/tokens). Invariant: counting never fails the run (a
// failure is a warning and the trace goes without `tokens`); a large count starts only after the
// trace holds the run's real outcome on disk.
import type { Catalog } from '../catalog/types';
import { describeTool } from '../discovery/toolSearch';
import { describeCause } from '../errors';
import type { Logger } from '../ports';
import type { RunResult } from '../sandbox/types';
import { countTokenAccount } from '../account/account';
import type { ConversationAccount, RunAccountContext } from '../account/conversation';
import { resolvePricing, type Pricing } from '../account/prices';
import { servedCodeModeDefinitions } from '../discovery/servedTools';
import type { ToolDefinition } from '../codeMode/tools';
import type { Tokenizer } from '../tokens/tokenizer';
import type { Trace, Withheld } from '../trace/schema';
import type { TraceStore } from '../trace/store';
import { formatLogs, formatRunReply, MAX_LOG_CHARS } from './runReply';
import type { RunView } from './runView';

/** Time the account always gets, even after a run that used its whole timeout. */
export const MIN_ACCOUNT_BUDGET_MS = 100;
/** Above this much text to count, the trace is written before the account is counted (so a host
 *  killed while counting keeps the run's real outcome); below it, one write is enough. */
export const PREWRITE_ACCOUNT_CHARS = 256 * 1024;

/** Stands in for the token line while the account that fills it is being counted (same shape and
 *  about the same tokens as the real line, so the reply is counted within a few tokens). */
export const TOKEN_LINE_STAND_IN = 'tokens: 12,345 with code mode vs 123,456 with direct tool calls (90.0 % saved; 80.0 % of dollars, warm cache)';
/** Stands in for the conversation line a run in a conversation adds to its token line. */
export const CONVERSATION_LINE_STAND_IN = 'conversation (12 runs): 12,345 with code mode vs 123,456 with direct tool calls (90.0 % saved; 80.0 % of dollars, warm cache)';

/** Default docs: describe_tool output for each distinct tool the trace called. */
export function docsForCalledTools(catalog: Catalog, trace: Pick<Trace, 'spans'>): string[] {
  const seen = new Set<string>();
  const docs: string[] = [];
  for (const s of trace.spans) {
    if (s.kind !== 'tool' || seen.has(`${s.server}\u0000${s.tool}`)) continue;
    seen.add(`${s.server}\u0000${s.tool}`);
    const server = catalog.servers.find((x) => x.name === s.server);
    const tool = server?.tools.find((t) => t.name === s.tool);
    if (!server || !tool) continue;
    try {
      docs.push(describeTool(catalog, `${server.ident}.${tool.ident}`));
    } catch {
      docs.push(`${server.ident}.${tool.ident}: ${tool.description ?? ''}\n${JSON.stringify(tool.inputSchema)}`);
    }
  }
  return docs;
}

export interface RunAccountInput {
  /** The finished trace; gets `tokens`, and `tokens` on its tool spans. */
  trace: Trace;
  catalog: Catalog;
  source: string;
  tokenizer: Tokenizer;
  /** Full texts of the tool spans (TraceRecorder.toolTexts, read before finish). */
  toolTexts: ReadonlyMap<string, { args: string; result: string }>;
  /** The real result, and the model-facing copy and what it withheld when a firewall ran. */
  result: RunResult;
  model?: { result: RunResult; withheld: Withheld };
  /** The view the run_code reply is made of. */
  view: RunView;
  docsRead?: readonly string[];
  /** The definitions served on the surface used; default: the MCP surface's (servedTools.ts). */
  codeModeToolDefs?: readonly ToolDefinition[];
  /** The run's conversation: what it served and the model read since the last run (taken by the
   *  caller before the run, `context`), and where the account is added (`account.conversation`). */
  conversation?: { account: ConversationAccount; context: RunAccountContext };
  /** The model whose prices the dollar figures use (resolvePricing); default DEFAULT_MODEL. */
  pricing?: Pricing;
  /** Explicit budget (ms); default: what is left of the run's timeout, at least MIN_ACCOUNT_BUDGET_MS. */
  budgetMs?: number;
  /** Date.now() when the run started, and its timeout (ms): the default budget ends with the run's deadline. */
  runStartedAt: number;
  timeoutMs: number;
  store: TraceStore;
  logger: Logger;
}

/** Counts the run's token account into `input.trace` (see the file's invariant). */
export async function countRunAccount(input: RunAccountInput): Promise<void> {
  const { trace, model, view, logger } = input;
  let chars = input.source.length + (trace.value?.bytes ?? 0);
  for (const t of input.toolTexts.values()) chars += t.args.length + t.result.length;
  if (chars > PREWRITE_ACCOUNT_CHARS) {
    try {
      await input.store.put(trace);
    } catch (err) {
      logger.warn(`Could not write trace ${trace.id} before counting its tokens: ${describeCause(err)}`);
    }
  }
  const timeLeft = input.runStartedAt + input.timeoutMs - Date.now();
  const ctx = input.conversation?.context;
  const surface = ctx?.surface;
  const pricing = input.pricing ?? resolvePricing(undefined);
  const tokenLine = input.conversation ? `${TOKEN_LINE_STAND_IN}\n${CONVERSATION_LINE_STAND_IN}` : TOKEN_LINE_STAND_IN;
  const sentResult = model?.result ?? input.result;
  // The model saw less than the run produced: the value cut to a preview, logs cut or dropped.
  const logsCut = formatLogs(sentResult.logs, Number.POSITIVE_INFINITY).length > MAX_LOG_CHARS;
  const truncated = view.preview?.complete === false || logsCut || sentResult.stats.logBytesDropped > 0;
  try {
    const counted = await countTokenAccount(
      {
        trace,
        catalog: input.catalog,
        script: input.source,
        tokenizer: input.tokenizer,
        docsRead: ctx?.docsRead ?? input.docsRead ?? docsForCalledTools(input.catalog, trace),
        codeModeToolDefs: surface?.definitions ?? input.codeModeToolDefs ?? servedCodeModeDefinitions(input.catalog, 'mcp', input.timeoutMs),
        ...(surface?.prompt !== undefined ? { codeModePrompt: surface.prompt } : {}),
        ...(surface?.scriptAs ? { scriptAs: surface.scriptAs } : {}),
        ...(ctx?.attempts.length ? { attempts: ctx.attempts } : {}),
        ...(ctx?.carried ? { carried: ctx.carried } : {}),
        pricing,
        result: input.result,
        sent: {
          text: formatRunReply({ result: sentResult, traceId: trace.id, tokenSummary: tokenLine, ...(model ? { withheld: model.withheld } : {}) }, view).text,
          truncated,
        },
        toolTexts: input.toolTexts,
      },
      input.budgetMs !== undefined ? { budgetMs: input.budgetMs } : { maxBudgetMs: Math.max(MIN_ACCOUNT_BUDGET_MS, timeLeft) },
    );
    for (const span of trace.spans) {
      const t = span.kind === 'tool' ? counted.spanTokens.get(span.id) : undefined;
      if (span.kind === 'tool' && t) span.tokens = t;
    }
    trace.tokens = counted.account;
    if (input.conversation) trace.tokens.conversation = input.conversation.account.record(counted.account, pricing.price);
  } catch (err) {
    logger.warn(`Could not compute the token account: ${describeCause(err)}`);
  }
}
