// Observed figures of a tool (from the traces of past runs) as search and describe use them: the
// shape, the one-line text and the ranking factor. Computed on floor 5 (trace/toolFigures.ts) and
// passed in as data, so discovery never reads traces. Invariant: a tool never observed is neutral.

/** What past runs showed about one tool. Latencies and sizes count only calls that reached the tool. */
export interface ObservedTool {
  /** Finished calls, cached ones included. */
  calls: number;
  /** Finished calls that reached the tool (not answered from the run's cache). */
  uncached: number;
  /** Uncached calls that failed (any status but ok). */
  failed: number;
  /** Latency percentiles of the uncached calls, ms. */
  p50Ms: number;
  p95Ms: number;
  /** Mean tokens of a successful result (counted at record time); undefined when never counted. */
  resultTokens?: number;
  /** Mean UTF-8 bytes of a successful result's JSON. */
  resultBytes?: number;
  /** Calls answered from the run's cache / calls. */
  cacheHitRate: number;
  /** Runs the figures come from. */
  runs: number;
}

/** Observed figures by original server and tool name. */
export interface ToolFigures {
  get(server: string, tool: string): ObservedTool | undefined;
}

/** Failure rate of the calls that reached the tool (0 when none did). */
export function failureRate(o: ObservedTool): number {
  return o.uncached > 0 ? o.failed / o.uncached : 0;
}

function compactNumber(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  return `${Math.round(n / 1000)}k`;
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

/** "observed: 41 calls, p50 120 ms, 8 % failed, ~2.1k tokens per result" (+ cache hits when any). */
export function observedLine(o: ObservedTool): string {
  const parts = [`${o.calls} call${o.calls === 1 ? '' : 's'}`];
  if (o.uncached > 0) parts.push(`p50 ${ms(o.p50Ms)}`, `p95 ${ms(o.p95Ms)}`);
  parts.push(`${Math.round(failureRate(o) * 100)} % failed`);
  if (o.resultTokens !== undefined) parts.push(`~${compactNumber(o.resultTokens)} tokens per result`);
  else if (o.resultBytes !== undefined) parts.push(`~${compactNumber(o.resultBytes)} B per result`);
  if (o.cacheHitRate > 0) parts.push(`${Math.round(o.cacheHitRate * 100)} % from cache`);
  return `observed: ${parts.join(', ')}`;
}

/** The short form for a list row: "41 calls · p50 120 ms · 8 % failed". */
export function observedCompact(o: ObservedTool): string {
  const parts = [`${o.calls} call${o.calls === 1 ? '' : 's'}`];
  if (o.uncached > 0) parts.push(`p50 ${ms(o.p50Ms)}`);
  const failed = Math.round(failureRate(o) * 100);
  if (failed > 0) parts.push(`${failed} % failed`);
  return parts.join(' · ');
}

/** Weight of reliability in the ranking factor: a tool that always fails keeps 1 − this of its relevance. */
export const RELIABILITY_WEIGHT = 0.5;
/** Weight of latency and of result size: each can take at most this much off. */
export const LATENCY_WEIGHT = 0.1;
export const TOKENS_WEIGHT = 0.1;
/** Calls at which the observed figures count half (confidence = n / (n + this)). */
export const CONFIDENCE_CALLS = 3;

/**
 * The factor in (0, 1] that multiplies a tool's relevance in search (docs/tool-search.md):
 *
 *   c           = uncached / (uncached + 3)                                  confidence
 *   reliability = 1 − 0.5 · failureRate · c
 *   latency     = min(1, log10(1 + p50Ms / 100) / 2)                           0 at 0 ms, 1 at ~10 s
 *   tokens      = min(1, log10(1 + resultTokens / 500) / 2)                    0 at 0, 1 at ~50k
 *   factor      = reliability · (1 − c · (0.1 · latency + 0.1 · tokens))
 *
 * so relevance decides between tools far apart, and observed reliability then cost decide between
 * tools of similar relevance. A tool never observed gets 1.
 */
export function observedFactor(o: ObservedTool | undefined): number {
  if (!o || o.uncached === 0) return 1;
  const c = o.uncached / (o.uncached + CONFIDENCE_CALLS);
  const reliability = 1 - RELIABILITY_WEIGHT * failureRate(o) * c;
  const latency = Math.min(1, Math.log10(1 + o.p50Ms / 100) / 2);
  const tokens = o.resultTokens === undefined ? 0 : Math.min(1, Math.log10(1 + o.resultTokens / 500) / 2);
  return reliability * (1 - c * (LATENCY_WEIGHT * latency + TOKENS_WEIGHT * tokens));
}
