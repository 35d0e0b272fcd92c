// The context-token account: what one run cost the model in code mode, against the counterfactual
// of classic tool calling over the same tool calls, in tokens and in dollars. Pure given a tokenizer.
// docs/tokens.md lists every assumption, its reason and which side it favours.
//
// Conversation models (user prompt, system prompt and the model's final answer are the same in both
// and left out):
// - classic: requests 0..W for W waves. Each request sends all catalog definitions plus every earlier
//   call's arguments and result; request i-1 outputs wave i's arguments. Waves follow data
//   dependencies (waves.ts): independent calls are one turn of parallel tool calls, whatever the
//   script's style. That is the conservative figure; `range.naive` is the same with one call per turn.
//   Cached repeats are left out. Results are counted as a client sends them (images as image blocks).
// - code mode: [one request reading docs, when any] + one request writing the script + one request
//   reading the run_code reply (the text really sent: the value's preview, its note, logs, token line,
//   when given as `sent`; else the value and logs). Each sends the code-mode definitions and what came before.
// - dollars (cost.ts): each request's prefix sent before is a cache read, the rest a cache write;
//   output at the output price; warm = the definitions were cached before the run.
// The texts are gathered first (plan) and counted in one pass, within a budget for finished runs.
import type { Catalog } from '../catalog/types';
import type { LogEntry, RunResult } from '../sandbox/types';
import type { ToolText } from '../trace/recorder';
import type { ToolSpan, Trace } from '../trace/schema';
import { CODE_MODE_TOOL_DEFS, type ToolDefinition } from '../codeMode/tools';
import type { Cost, TokenAccount, TokenBreakdown, TokenSide } from '../tokens/schema';
import { catalogDefinitions, definitionsText, toolCallText, toolResultParts, valueText } from '../tokens/text';
import { MAX_RUN_CHARS } from '../tokens/bpeCounter';
import { countBounded, type BoundedCountOptions, type BoundedCounts, type CountItem } from '../tokens/boundedCount';
import type { Tokenizer } from '../tokens/tokenizer';
import { billedTokens, costSides, dollars, reduction, type ModelRequest } from './cost';
import { resolvePricing, type Pricing } from './prices';
import { dependencyLevels, groupByLevel, type WaveCall } from './waves';

export interface TokenAccountInput {
  trace: Pick<Trace, 'spans' | 'status' | 'value' | 'logs' | 'error' | 'script'>;
  catalog: Catalog;
  /** The script text the model wrote (default: trace.script.source). */
  script?: string;
  /** Default: CODE_MODE_TOOL_DEFS. */
  codeModeToolDefs?: readonly ToolDefinition[];
  tokenizer: Tokenizer;
  /** Tool docs the model read through search_tools/describe_tool before writing the script. */
  docsRead?: readonly string[];
  /** The full run result: its value and logs are counted instead of the (truncated) trace copy. */
  result?: RunResult;
  /** The run_code reply as sent to the model (runReply.ts: preview, note, frames, logs, token line):
   *  counted as the final output instead of `result` or the trace's value and logs. */
  sent?: { text: string; /** The value was cut to a preview (the account says so: `truncated`). */ truncated: boolean };
  /** Full texts of tool spans by span id (TraceRecorder.toolTexts), counted instead of span.tokens
   *  or the truncated trace copies. */
  toolTexts?: ReadonlyMap<string, ToolText>;
  /** The model whose prices the dollar figures use (default: DEFAULT_MODEL at DEFAULT_PRICES). */
  pricing?: Pricing;
}

function emptyBreakdown(): TokenBreakdown {
  return { definitions: 0, docs: 0, intermediateResults: 0, arguments: 0, script: 0, finalOutput: 0 };
}

function side(requests: number, input: number, output: number, peak: number, breakdown: TokenBreakdown): TokenSide {
  return { requests, input, output, total: input + output, peakContext: peak, breakdown };
}

function finalOutputText(input: TokenAccountInput): { text: string; approximate: boolean } {
  if (input.sent) return { text: input.sent.text, approximate: false };
  const logs: { text: string }[] = input.result?.logs ?? input.trace.logs;
  const logText = logs.map((l: LogEntry | { text: string }) => l.text).join('\n');
  if (input.result) {
    const main = input.result.ok ? valueText(input.result.value) : `Error: ${input.result.error.message}`;
    return { text: [main, logText].filter(Boolean).join('\n'), approximate: false };
  }
  const v = input.trace.value;
  const main = input.trace.error
    ? `Error: ${input.trace.error.message}`
    : v === undefined
      ? ''
      : v.preview ?? valueText(v.value);
  return { text: [main, logText].filter(Boolean).join('\n'), approximate: v?.truncated === true };
}

/** A count to be made: an index into Plan.texts, or a count known already (span.tokens). */
type Part = { text: number } | { tokens: number };

/** Everything the account counts, gathered once: the texts, and where each count goes. */
interface Plan {
  items: CountItem[];
  classicDefinitions: Part;
  /** Classic's tool calls in the order issued, each with its dependency wave. */
  calls: { args: Part; result: Part[]; wave: number }[];
  codeModeDefinitions: Part;
  docs: Part[];
  script: Part;
  final: Part;
  /** Tool spans whose full texts were given (TokenAccountInput.toolTexts), by id. */
  spanParts: Map<string, { args: Part; result: Part[] }>;
  truncated: boolean;
  notes: string[];
}

function plan(input: TokenAccountInput): Plan {
  const items: CountItem[] = [];
  const add = (text: string, reuse = false): Part => {
    items.push(reuse ? { text, reuse } : { text });
    return { text: items.length - 1 };
  };
  const notes: string[] = [];
  let truncated = false;
  const spanParts = new Map<string, { args: Part; result: Part[] }>();
  const images = (n: number | undefined): Part[] => (n ? [{ tokens: n }] : []);
  for (const [id, t] of input.toolTexts ?? []) spanParts.set(id, { args: add(t.args), result: [add(t.result), ...images(t.imageTokens)] });
  const classicDefinitions = add(definitionsText(catalogDefinitions(input.catalog)), true);
  const scriptText = input.script ?? input.trace.script.source ?? '';
  const spans = input.trace.spans
    .filter((s): s is ToolSpan => s.kind === 'tool' && !s.cached)
    .sort((a, b) => a.startMs - b.startMs);
  const waveCalls: WaveCall[] = [];
  const parts = spans.map((s) => {
    const given = spanParts.get(s.id);
    const text = input.toolTexts?.get(s.id);
    const failed = s.status === 'error' || s.error !== undefined;
    const resultValue = s.result?.value ?? s.result?.preview;
    const fromTrace = toolResultParts(resultValue, s.error);
    waveCalls.push({
      name: `${s.server}/${s.tool}`,
      startMs: s.startMs,
      ...(s.endMs !== undefined ? { endMs: s.endMs } : {}),
      failed,
      args: text && 'argsValue' in text ? text.argsValue : (s.args.value ?? s.args.preview),
      resultText: text ? text.result : fromTrace.text,
    });
    if (given) return given;
    if (s.tokens) return { args: { tokens: s.tokens.args } as Part, result: [{ tokens: s.tokens.result } as Part] };
    if (s.args.truncated || s.result?.truncated) truncated = true;
    return { args: add(toolCallText(s.server, s.tool, s.args.preview ?? s.args.value)), result: [add(fromTrace.text), ...images(fromTrace.imageTokens)] };
  });
  const levels = dependencyLevels(waveCalls, scriptText);
  const calls = parts.map((p, i) => ({ ...p, wave: levels[i] ?? 0 }));
  const codeModeDefinitions = add(definitionsText(input.codeModeToolDefs ?? CODE_MODE_TOOL_DEFS), true);
  const docs = (input.docsRead ?? []).map((d) => add(d, true));
  if (input.script === undefined && input.trace.script.source === undefined) notes.push('Script text unavailable; counted as 0.');
  const script = add(scriptText);
  const finalText = finalOutputText(input);
  if (finalText.approximate) truncated = true;
  const final = add(finalText.text);
  return { items, classicDefinitions, calls, codeModeDefinitions, docs, script, final, spanParts, truncated, notes };
}

/** How the counts were made, for the flag and the notes. */
interface CountQuality {
  estimatedChars: number;
  totalChars: number;
  cutRuns: number;
  budgetMs?: number;
}

/** Classic's conversation over waves of calls (see the file comment): its requests and its side. */
function classicConversation(dCl: number, perWave: readonly { args: number; results: number }[]): { requests: ModelRequest[]; side: TokenSide } {
  const W = perWave.length;
  const cl = emptyBreakdown();
  const requests: ModelRequest[] = [];
  let history = 0;
  for (let r = 0; r <= W; r++) {
    requests.push({ input: dCl + history, output: r < W ? (perWave[r]?.args ?? 0) : 0 });
    cl.definitions += dCl;
    if (r < W) history += (perWave[r]?.args ?? 0) + (perWave[r]?.results ?? 0);
  }
  perWave.forEach((w, i) => {
    const resends = W - i; // requests i+1..W carry wave i+1's calls and results
    cl.arguments += w.args * (1 + resends);
    cl.intermediateResults += w.results * resends;
  });
  return { requests, side: sideOf(requests, cl) };
}

function sideOf(requests: readonly ModelRequest[], breakdown: TokenBreakdown): TokenSide {
  const input = requests.reduce((n, r) => n + r.input, 0);
  const output = requests.reduce((n, r) => n + r.output, 0);
  const peak = Math.max(0, ...requests.map((r) => r.input + r.output));
  return side(requests.length, input, output, peak, breakdown);
}

function assemble(input: TokenAccountInput, p: Plan, counts: readonly number[], q: CountQuality): TokenAccount {
  const tokensOf = (part: Part): number => ('tokens' in part ? part.tokens : (counts[part.text] ?? 0));
  const notes = [...p.notes];

  // classic: conservative (dependency waves) and naive (one call per turn)
  const dCl = tokensOf(p.classicDefinitions);
  const callTokens = p.calls.map((c) => ({ args: tokensOf(c.args), results: c.result.reduce((n, x) => n + tokensOf(x), 0), wave: c.wave }));
  const perWave = groupByLevel(callTokens, callTokens.map((c) => c.wave)).map((w) => ({
    args: w.reduce((n, c) => n + c.args, 0),
    results: w.reduce((n, c) => n + c.results, 0),
  }));
  const conservative = classicConversation(dCl, perWave);
  const naive = classicConversation(dCl, callTokens);

  // code mode
  const dCm = tokensOf(p.codeModeDefinitions);
  const docs = p.docs.reduce((n, d) => n + tokensOf(d), 0);
  const script = tokensOf(p.script);
  const fin = tokensOf(p.final);
  const cm = emptyBreakdown();
  const requests: ModelRequest[] = [];
  if (docs > 0) requests.push({ input: dCm, output: 0 });
  requests.push({ input: dCm + docs, output: script });
  requests.push({ input: dCm + docs + script + fin, output: 0 });
  cm.definitions = dCm * requests.length;
  cm.docs = docs * (requests.length - 1);
  cm.script = script * 2;
  cm.finalOutput = fin;

  const classic = { ...conservative.side, waves: perWave.length, toolCalls: p.calls.length, range: { conservative: conservative.side.total, naive: naive.side.total } };
  const codeMode = sideOf(requests, cm);
  const pricing = input.pricing ?? resolvePricing(undefined);
  const price = (reqs: readonly ModelRequest[], cachedPrefix: number) => dollars(billedTokens(reqs, cachedPrefix), pricing.price);
  const warm = costSides(price(conservative.requests, dCl), price(requests, dCm));
  const cost: Cost = { model: pricing.model, cold: costSides(price(conservative.requests, 0), price(requests, 0)), warm, reduction: warm.reduction };
  const ok = input.trace.status === 'ok';
  const total = classic.total - codeMode.total;
  const definitions = conservative.side.breakdown.definitions - (cm.definitions + cm.docs);
  if (p.truncated) notes.push('Some results were counted from truncated trace values: classic totals are underestimates.');
  if (q.estimatedChars > 0) {
    const share = ((100 * q.estimatedChars) / Math.max(1, q.totalChars)).toFixed(1);
    notes.push(
      `Tokens of ${q.estimatedChars.toLocaleString('en-US')} of ${q.totalChars.toLocaleString('en-US')} characters (${share} %) were estimated from the counted part: counting stops at its ${Math.round(q.budgetMs ?? 0)} ms budget.`,
    );
  }
  if (q.cutRuns > 0) notes.push(`${q.cutRuns} unbroken run(s) of over ${MAX_RUN_CHARS.toLocaleString('en-US')} characters were counted in chunks (a token or so off per chunk).`);
  if (!ok) notes.push(`The run ended as ${input.trace.status}: it claims no saving (its cost belongs to the next attempt); only the calls it made are counted.`);
  const truncatedReply = input.sent?.truncated ?? false;
  const account: TokenAccount = {
    tokenizer: input.tokenizer.name,
    codeMode,
    classic,
    savings: ok
      ? {
          total,
          definitions,
          intermediateResults: total - definitions,
          reduction: reduction(codeMode.total, classic.total),
          peakReduction: reduction(codeMode.peakContext, classic.peakContext),
        }
      : null,
    codeModeCostMore: codeMode.total > classic.total || warm.codeMode > warm.classic,
    cost,
    approximate: p.truncated || q.estimatedChars > 0 || q.cutRuns > 0,
    notes,
    truncated: truncatedReply,
  };
  if (q.estimatedChars > 0) account.estimatedChars = q.estimatedChars;
  if (truncatedReply) notes.push('The value was cut to a structural preview: the final output counts what was sent, not the whole value.');
  return account;
}

/** Computes the account for one run, counting every text at once on this thread. For small inputs
 *  (tests, tools); a finished run is counted with countTokenAccount, which keeps to a budget. */
export function computeTokenAccount(input: TokenAccountInput): TokenAccount {
  const p = plan(input);
  let cutRuns = 0;
  const counts = p.items.map((it) => {
    if (!input.tokenizer.countSlice) return input.tokenizer.count(it.text);
    let n = 0;
    let inRun = false;
    for (let at = 0; at < it.text.length; ) {
      const s = input.tokenizer.countSlice(it.text, at, it.text.length, inRun);
      n += s.tokens;
      cutRuns += s.cutRuns;
      at = s.end;
      inRun = s.inRun;
    }
    return n;
  });
  return assemble(input, p, counts, { estimatedChars: 0, totalChars: 0, cutRuns });
}

export interface CountedTokenAccount {
  account: TokenAccount;
  /** Tokens of each span given in `toolTexts`, by span id (for span.tokens). */
  spanTokens: Map<string, { args: number; result: number }>;
  counts: BoundedCounts;
}

/** Computes the account within a time budget (boundedCount.ts), yielding to the event loop while it
 *  counts; texts it had no time for are estimated and the account is marked approximate. */
export async function countTokenAccount(input: TokenAccountInput, opts?: BoundedCountOptions): Promise<CountedTokenAccount> {
  const p = plan(input);
  const counts = await countBounded(input.tokenizer, p.items, opts);
  const tokensOf = (part: Part): number => ('tokens' in part ? part.tokens : (counts.counts[part.text] ?? 0));
  const spanTokens = new Map<string, { args: number; result: number }>();
  for (const [id, parts] of p.spanParts) spanTokens.set(id, { args: tokensOf(parts.args), result: parts.result.reduce((n, x) => n + tokensOf(x), 0) });
  return { account: assemble(input, p, counts.counts, counts), spanTokens, counts };
}
