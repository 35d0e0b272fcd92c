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
//   reading the final value and logs. Each sends the code-mode definitions and what came before.
import type { Catalog } from '../catalog/types';
import type { LogEntry, RunResult } from '../sandbox/types';
import type { ToolSpan, Trace } from '../trace/schema';
import { CODE_MODE_TOOL_DEFS, type ToolDefinition } from './codeModeTools';
import type { TokenAccount, TokenBreakdown, TokenSide } from './schema';
import { catalogDefinitions, definitionsText, toolCallText, toolResultText, valueText } from './text';
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

/** Computes the account for one run. */
export function computeTokenAccount(input: TokenAccountInput): TokenAccount {
  const { tokenizer } = input;
  const count = (t: string) => tokenizer.count(t);
  const notes: string[] = [];
  let approximate = false;

  // classic
  const dCl = count(definitionsText(catalogDefinitions(input.catalog)));
  const waves = computeWaves(input.trace.spans.filter((s): s is ToolSpan => s.kind === 'tool'));
  const perWave = waves.map((wave) => {
    let args = 0;
    let results = 0;
    for (const s of wave) {
      if (s.tokens) {
        args += s.tokens.args;
        results += s.tokens.result;
        continue;
      }
      if (s.args.truncated || s.result?.truncated) approximate = true;
      args += count(toolCallText(s.server, s.tool, s.args.preview ?? s.args.value));
      results += count(toolResultText(s.result?.preview ?? s.result?.value, s.error));
    }
    return { args, results };
  });
  const W = waves.length;
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
  const dCm = count(definitionsText(input.codeModeToolDefs ?? CODE_MODE_TOOL_DEFS));
  const docs = (input.docsRead ?? []).reduce((n, d) => n + count(d), 0);
  const scriptText = input.script ?? input.trace.script.source ?? '';
  if (input.script === undefined && input.trace.script.source === undefined) notes.push('Script text unavailable; counted as 0.');
  const script = count(scriptText);
  const final = finalOutputText(input);
  if (final.approximate) approximate = true;
  const fin = count(final.text);
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

  const classic = { ...side(W + 1, clIn, clOut, clPeak, cl), waves: W, toolCalls: waves.reduce((n, w) => n + w.length, 0) };
  const codeMode = side(requests.length, cmIn, cmOut, cmPeak, cm);
  const total = classic.total - codeMode.total;
  const definitions = cl.definitions - (cm.definitions + cm.docs);
  if (approximate) notes.push('Some results were counted from truncated trace values: classic totals are underestimates.');
  if (input.trace.status !== 'ok') notes.push(`The run ended as ${input.trace.status}; only the calls it made are counted.`);
  return {
    tokenizer: tokenizer.name,
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
    approximate,
    notes,
  };
}
