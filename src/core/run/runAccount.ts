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
import type { Pricing } from '../account/prices';
import type { ToolDefinition } from '../codeMode/tools';
import type { Tokenizer } from '../tokens/tokenizer';
import type { Trace, Withheld } from '../trace/schema';
import type { TraceStore } from '../trace/store';
import { formatRunReply } from './runReply';
import type { RunView } from './runView';

/** Time the account always gets, even after a run that used its whole timeout. */
export const MIN_ACCOUNT_BUDGET_MS = 100;
/** Above this much text to count, the trace is written before the account is counted (so a host
 *  killed while counting keeps the run's real outcome); below it, one write is enough. */
export const PREWRITE_ACCOUNT_CHARS = 256 * 1024;

/** Stands in for the token line while the account that fills it is being counted (same shape and
 *  about the same tokens as the real line, so the reply is counted within a few tokens). */
export const TOKEN_LINE_STAND_IN = 'tokens: 12,345 with code mode vs 123,456 with direct tool calls (90.0 % saved; 80.0 % of dollars, warm cache)';

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
  codeModeToolDefs?: readonly ToolDefinition[];
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
  try {
    const counted = await countTokenAccount(
      {
        trace,
        catalog: input.catalog,
        script: input.source,
        tokenizer: input.tokenizer,
        docsRead: input.docsRead ?? docsForCalledTools(input.catalog, trace),
        codeModeToolDefs: input.codeModeToolDefs,
        ...(input.pricing ? { pricing: input.pricing } : {}),
        result: input.result,
        sent: {
          text: formatRunReply({ result: model?.result ?? input.result, traceId: trace.id, tokenSummary: TOKEN_LINE_STAND_IN, ...(model ? { withheld: model.withheld } : {}) }, view).text,
          truncated: view.preview?.complete === false,
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
  } catch (err) {
    logger.warn(`Could not compute the token account: ${describeCause(err)}`);
  }
}
