// Human-readable rendering of a token account (CLI `run`, `traces show`, one-line verdicts). Plain
// text, no colour; the conservative classic figure is the one shown first.
import type { TokenAccount } from './schema';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function usd(x: number): string {
  return x >= 0.1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`;
}

/**
 * The verdict in a few words, for one-line summaries (chat answer, run_code reply, status bar):
 * a failed run claims no saving; otherwise the conservative token reduction and the warm-cache
 * dollar reduction, or that code mode cost more.
 */
export function tokenVerdict(a: TokenAccount): string {
  if (!a.savings) return 'no saving claimed: the run did not finish';
  if (a.codeModeCostMore) return 'code mode cost more';
  const dollars = a.cost ? `; ${pct(a.cost.warm.reduction)} of dollars, warm cache` : '';
  return `${pct(a.savings.reduction)} saved${dollars}`;
}

/** A short table: classic vs code mode, the savings split and the flag. */
export function formatTokenAccount(a: TokenAccount): string {
  const rows: [string, string, string][] = [
    ['', 'classic', 'code mode'],
    ['requests', n(a.classic.requests), n(a.codeMode.requests)],
    ['definitions', n(a.classic.breakdown.definitions), n(a.codeMode.breakdown.definitions + a.codeMode.breakdown.docs)],
    ['intermediate results', n(a.classic.breakdown.intermediateResults), '0'],
    ['arguments', n(a.classic.breakdown.arguments), '0'],
    ['script', '0', n(a.codeMode.breakdown.script)],
    ['final output', '0', n(a.codeMode.breakdown.finalOutput)],
    ['input (cumulative)', n(a.classic.input), n(a.codeMode.input)],
    ['output (cumulative)', n(a.classic.output), n(a.codeMode.output)],
    ['total', n(a.classic.total), n(a.codeMode.total)],
    ['peak context', n(a.classic.peakContext), n(a.codeMode.peakContext)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  const lines = [`Tokens (${a.tokenizer}; classic = ${a.classic.toolCalls} calls in ${a.classic.waves} dependency waves, conservative):`];
  for (const [c0, c1, c2] of rows) lines.push(`  ${c0.padEnd(w0)}  ${c1.padStart(w1)}  ${c2.padStart(w2)}`);
  const range = a.classic.range;
  if (range && range.naive !== range.conservative) {
    lines.push(`  Classic range: ${n(range.conservative)} (parallel calls, the figure above) to ${n(range.naive)} (one call per turn).`);
  }
  const c = a.cost;
  if (c) {
    // A failed run claims no saving, in dollars either: the figures only.
    const saved = (x: number) => (a.savings ? ` (${pct(x)} saved)` : '');
    lines.push(`  Dollars (${c.model}): classic ${usd(c.warm.classic)} vs code mode ${usd(c.warm.codeMode)} with a warm cache${saved(c.warm.reduction)}; cold ${usd(c.cold.classic)} vs ${usd(c.cold.codeMode)}${saved(c.cold.reduction)}.`);
  }
  const s = a.savings;
  const diff = a.classic.total - a.codeMode.total;
  if (!s) lines.push(`  No saving claimed: the run did not finish, so its cost belongs to the next attempt.`);
  else if (a.codeModeCostMore) {
    lines.push(
      diff < 0
        ? `  Code mode cost MORE: ${n(-diff)} tokens (${pct(-s.reduction)} more than classic).`
        : `  Code mode cost MORE in dollars (warm cache), though it used ${n(diff)} fewer tokens (${pct(s.reduction)}).`,
    );
  } else {
    lines.push(`  Saved ${n(s.total)} tokens (${pct(s.reduction)}): definitions ${n(s.definitions)}, intermediate results ${n(s.intermediateResults)}; peak context ${pct(s.peakReduction)} smaller.`);
  }
  for (const note of a.notes) lines.push(`  Note: ${note}`);
  return lines.join('\n');
}
