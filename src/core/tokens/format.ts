// Human-readable rendering of a token account (CLI `run`, `traces show`). Plain text, no colour.
import type { TokenAccount } from './schema';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
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
  const lines = [`Tokens (${a.tokenizer}; classic = ${a.classic.toolCalls} calls in ${a.classic.waves} waves):`];
  for (const [c0, c1, c2] of rows) lines.push(`  ${c0.padEnd(w0)}  ${c1.padStart(w1)}  ${c2.padStart(w2)}`);
  const s = a.savings;
  lines.push(
    a.codeModeCostMore
      ? `  Code mode cost MORE: ${n(-s.total)} tokens (${pct(-s.reduction)} more than classic).`
      : `  Saved ${n(s.total)} tokens (${pct(s.reduction)}): definitions ${n(s.definitions)}, intermediate results ${n(s.intermediateResults)}; peak context ${pct(s.peakReduction)} smaller.`,
  );
  for (const note of a.notes) lines.push(`  Note: ${note}`);
  return lines.join('\n');
}
