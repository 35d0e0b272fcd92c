// Number, byte and duration formatting for the panel.
import { describeWithheld } from '../core/firewall/words';

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio > -0.1 && ratio < 0.1 ? 2 : 1)} %`;
}

/** The panel's line for a run's trace.withheld, e.g. "Withheld from the model: 1 secret, 2 email
 *  addresses"; undefined when nothing was withheld. Counts and kinds only (the trace has no values). */
export function withheldText(withheld: { total: number; byKind: Record<string, number> } | undefined): string | undefined {
  if (!withheld || withheld.total === 0) return undefined;
  return `Withheld from the model: ${describeWithheld(withheld)} (it saw placeholders such as «email_1»)`;
}
