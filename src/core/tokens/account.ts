// The context-token account: what one run cost the model in code mode, against the counterfactual
// of classic tool calling over the same tool calls. Pure given a tokenizer.
//
// Conversation models (user prompt and the model's final answer are the same in both and left out):
// - classic: requests 0..W for W waves. Each request sends all catalog definitions plus every earlier
//   call's arguments and result; request i-1 outputs wave i's arguments. A wave is a maximal group of
//   calls issued together: sorted by start, a call joins the current wave when it starts before the
//   wave's latest end or at the wave's start instant; otherwise (it started after everything in the
//   wave had ended, so it may depend on it) it opens the next wave. Cached repeats are left out.
// - code mode: [one request reading docs, when any] + one request writing the script + one request
//   reading the run_code reply (the text really sent: the value's preview, its note, logs, token line,
//   when given as `sent`; else the value and logs). Each sends the code-mode definitions and what came before.
// The texts are gathered first (plan) and counted in one pass, within a budget for finished runs.
import type { Catalog } from '../catalog/types';
import type { LogEntry, RunResult } from '../sandbox/types';
import type { ToolSpan, Trace } from '../trace/schema';
import { CODE_MODE_TOOL_DEFS, type ToolDefinition } from '../codeMode/tools';
import type { TokenAccount, TokenBreakdown, TokenSide } from './schema';
import { catalogDefinitions, definitionsText, toolCallText, toolResultText, valueText } from './text';
import { MAX_RUN_CHARS } from './bpeCounter';
import { countBounded, type BoundedCountOptions, type BoundedCounts, type CountItem } from './boundedCount';
import type { Tokenizer } from './tokenizer';

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
  toolTexts?: ReadonlyMap<string, { args: string; result: string }>;
}

/** Groups tool spans into waves of concurrently issued calls (see the file comment). */
export function computeWaves(spans: readonly ToolSpan[]): ToolSpan[][] {
  const calls = spans.filter((s) => !s.cached).sort((a, b) => a.startMs - b.startMs);
  const waves: ToolSpan[][] = [];
  let current: ToolSpan[] = [];
  let waveStart = 0;
  let waveEnd = 0;
  for (const s of calls) {
    const end = s.endMs ?? s.startMs;
    if (current.length > 0 && (s.startMs < waveEnd || s.startMs === waveStart)) {
      current.push(s);
      waveEnd = Math.max(waveEnd, end);
      continue;
    }
    if (current.length > 0) waves.push(current);
    current = [s];
    waveStart = s.startMs;
    waveEnd = end;
  }
  if (current.length > 0) waves.push(current);
  return waves;
}

function emptyBreakdown(): TokenBreakdown {
  return { definitions: 0, docs: 0, intermediateResults: 0, arguments: 0, script: 0, finalOutput: 0 };
}

function side(requests: number, input: number, output: number, peak: number, breakdown: TokenBreakdown): TokenSide {
  return { requests, input, output, total: input + output, peakContext: peak, breakdown };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((1 - part / whole) * 10_000) / 10_000;
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
  waves: { args: Part[]; results: Part[] }[];
  codeModeDefinitions: Part;
  docs: Part[];
  script: Part;
  final: Part;
  /** Tool spans whose full texts were given (TokenAccountInput.toolTexts), by id. */
  spanParts: Map<string, { args: Part; result: Part }>;
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
  const spanParts = new Map<string, { args: Part; result: Part }>();
  for (const [id, t] of input.toolTexts ?? []) spanParts.set(id, { args: add(t.args), result: add(t.result) });
  const classicDefinitions = add(definitionsText(catalogDefinitions(input.catalog)), true);
  const waves = computeWaves(input.trace.spans.filter((s): s is ToolSpan => s.kind === 'tool')).map((wave) => {
    const args: Part[] = [];
    const results: Part[] = [];
    for (const s of wave) {
      const given = spanParts.get(s.id);
      if (given) {
        args.push(given.args);
        results.push(given.result);
      } else if (s.tokens) {
        args.push({ tokens: s.tokens.args });
        results.push({ tokens: s.tokens.result });
      } else {
        if (s.args.truncated || s.result?.truncated) truncated = true;
        args.push(add(toolCallText(s.server, s.tool, s.args.preview ?? s.args.value)));
        results.push(add(toolResultText(s.result?.preview ?? s.result?.value, s.error)));
      }
    }
    return { args, results };
  });
  const codeModeDefinitions = add(definitionsText(input.codeModeToolDefs ?? CODE_MODE_TOOL_DEFS), true);
  const docs = (input.docsRead ?? []).map((d) => add(d, true));
  const scriptText = input.script ?? input.trace.script.source ?? '';
  if (input.script === undefined && input.trace.script.source === undefined) notes.push('Script text unavailable; counted as 0.');
  const script = add(scriptText);
  const finalText = finalOutputText(input);
  if (finalText.approximate) truncated = true;
  const final = add(finalText.text);
  return { items, classicDefinitions, waves, codeModeDefinitions, docs, script, final, spanParts, truncated, notes };
}

/** How the counts were made, for the flag and the notes. */
interface CountQuality {
  estimatedChars: number;
  totalChars: number;
  cutRuns: number;
  budgetMs?: number;
}

function assemble(input: TokenAccountInput, p: Plan, counts: readonly number[], q: CountQuality): TokenAccount {
  const tokensOf = (part: Part): number => ('tokens' in part ? part.tokens : (counts[part.text] ?? 0));
  const notes = [...p.notes];

  // classic
  const dCl = tokensOf(p.classicDefinitions);
  const perWave = p.waves.map((w) => ({ args: w.args.reduce((n, x) => n + tokensOf(x), 0), results: w.results.reduce((n, x) => n + tokensOf(x), 0) }));
  const W = perWave.length;
  const cl = emptyBreakdown();
  let clIn = 0;
  let clOut = 0;
  let clPeak = 0;
  let history = 0;
  for (let r = 0; r <= W; r++) {
    const out = r < W ? (perWave[r]?.args ?? 0) : 0;
    const inTok = dCl + history;
    clIn += inTok;
    clOut += out;
    clPeak = Math.max(clPeak, inTok + out);
    cl.definitions += dCl;
    if (r < W) {
      const w = perWave[r] ?? { args: 0, results: 0 };
      history += w.args + w.results;
    }
  }
  perWave.forEach((w, i) => {
    const resends = W - i; // requests i+1..W carry wave i+1's calls and results
    cl.arguments += w.args * (1 + resends);
    cl.intermediateResults += w.results * resends;
  });

  // code mode
  const dCm = tokensOf(p.codeModeDefinitions);
  const docs = p.docs.reduce((n, d) => n + tokensOf(d), 0);
  const script = tokensOf(p.script);
  const fin = tokensOf(p.final);
  const cm = emptyBreakdown();
  const requests: { input: number; output: number }[] = [];
  if (docs > 0) requests.push({ input: dCm, output: 0 });
  requests.push({ input: dCm + docs, output: script });
  requests.push({ input: dCm + docs + script + fin, output: 0 });
  cm.definitions = dCm * requests.length;
  cm.docs = docs * (requests.length - 1);
  cm.script = script * 2;
  cm.finalOutput = fin;
  const cmIn = requests.reduce((n, r) => n + r.input, 0);
  const cmOut = requests.reduce((n, r) => n + r.output, 0);
  const cmPeak = Math.max(...requests.map((r) => r.input + r.output));

  const classic = { ...side(W + 1, clIn, clOut, clPeak, cl), waves: W, toolCalls: p.waves.reduce((n, w) => n + w.args.length, 0) };
  const codeMode = side(requests.length, cmIn, cmOut, cmPeak, cm);
  const total = classic.total - codeMode.total;
  const definitions = cl.definitions - (cm.definitions + cm.docs);
  if (p.truncated) notes.push('Some results were counted from truncated trace values: classic totals are underestimates.');
  if (q.estimatedChars > 0) {
    const share = ((100 * q.estimatedChars) / Math.max(1, q.totalChars)).toFixed(1);
    notes.push(
      `Tokens of ${q.estimatedChars.toLocaleString('en-US')} of ${q.totalChars.toLocaleString('en-US')} characters (${share} %) were estimated from the counted part: counting stops at its ${Math.round(q.budgetMs ?? 0)} ms budget.`,
    );
  }
  if (q.cutRuns > 0) notes.push(`${q.cutRuns} unbroken run(s) of over ${MAX_RUN_CHARS.toLocaleString('en-US')} characters were counted in chunks (a token or so off per chunk).`);
  if (input.trace.status !== 'ok') notes.push(`The run ended as ${input.trace.status}; only the calls it made are counted.`);
  const account: TokenAccount = {
    tokenizer: input.tokenizer.name,
    codeMode,
    classic,
    savings: {
      total,
      definitions,
      intermediateResults: total - definitions,
      reduction: ratio(codeMode.total, classic.total),
      peakReduction: ratio(codeMode.peakContext, classic.peakContext),
    },
    codeModeCostMore: codeMode.total > classic.total,
    approximate: p.truncated || q.estimatedChars > 0 || q.cutRuns > 0,
    notes,
  };
  if (q.estimatedChars > 0) account.estimatedChars = q.estimatedChars;
  if (input.sent) {
    account.truncated = input.sent.truncated;
    if (input.sent.truncated) notes.push('The value was cut to a structural preview: the final output counts what was sent, not the whole value.');
  }
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
  for (const [id, parts] of p.spanParts) spanTokens.set(id, { args: tokensOf(parts.args), result: tokensOf(parts.result) });
  return { account: assemble(input, p, counts.counts, counts), spanTokens, counts };
}
