// Counts the texts of one token account within a time budget, in slices that yield to the event loop
// (other MCP sessions and timers keep running). Invariant: the cost never exceeds the budget by more
// than one slice, whatever the texts; what was not counted in time is estimated and reported as such.
import type { SliceCount } from './bpeCounter';
import type { Tokenizer } from './tokenizer';

/** One text to count. `reuse`: remember its count for the next account (the catalog definitions). */
export interface CountItem {
  text: string;
  reuse?: boolean;
}

export interface BoundedCountOptions {
  /** Time for all texts together. Default countBudgetMs(total characters), capped by maxBudgetMs. */
  budgetMs?: number;
  /** Cap on the default budget (e.g. the time left before the run's deadline). */
  maxBudgetMs?: number;
  /** Characters always counted exactly, whatever the time, so ordinary runs never vary (and cost at
   *  most ~20 ms of JSON, ~0.3 s of the slowest text). Default 256 Ki. */
  exactFloorChars?: number;
  /** Milliseconds, monotonic. Default performance.now. */
  now?: () => number;
  /** Lets the event loop run. Default: a setImmediate turn. */
  yieldToLoop?: () => Promise<void>;
}

export interface BoundedCounts {
  /** One count per item, in order (estimated ones rounded). */
  counts: number[];
  /** Characters whose tokens were estimated (not counted) because the budget ran out. */
  estimatedChars: number;
  totalChars: number;
  /** Unbroken runs over MAX_RUN_CHARS that were counted in chunks (a few tokens off each). */
  cutRuns: number;
  /** The budget the counts kept to. */
  budgetMs: number;
  elapsedMs: number;
}

export const COUNT_BUDGET_BASE_MS = 50;
export const COUNT_BUDGET_MS_PER_MIB = 40;
export const MAX_COUNT_BUDGET_MS = 2_000;
export const DEFAULT_EXACT_FLOOR_CHARS = 256 * 1024;
/** Characters counted between two looks at the clock. */
export const SLICE_CHARS = 16 * 1024;
/** Longest stretch without yielding to the event loop. */
export const YIELD_EVERY_MS = 8;
/** Tokens per character when nothing was counted to calibrate on (compact JSON is ~0.27–0.3). */
export const DEFAULT_TOKENS_PER_CHAR = 0.3;
/** A text's own ratio is used for its estimate once this much of it was counted. */
const MIN_CALIBRATION_CHARS = 2048;
const REUSE_MIN_CHARS = 4096;
const REUSE_MAX_ENTRIES = 8;

const MIB = 1024 * 1024;

/** The default budget: 50 ms + 40 ms per MiB of text, at most 2 s. */
export function countBudgetMs(chars: number): number {
  return Math.min(MAX_COUNT_BUDGET_MS, COUNT_BUDGET_BASE_MS + (COUNT_BUDGET_MS_PER_MIB * chars) / MIB);
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Remembered exact counts of reusable texts (the catalog's definitions are the same every run).
const reused = new WeakMap<Tokenizer, Map<string, number>>();

/** Tokenizers without countSlice are cut at whitespace (exact for a word-based count). */
function sliceFor(tokenizer: Tokenizer): (text: string, from: number, maxChars: number, inRun: boolean) => SliceCount {
  if (tokenizer.countSlice) return tokenizer.countSlice.bind(tokenizer);
  return (text, from, maxChars) => {
    let end = Math.min(text.length, from + maxChars);
    if (end < text.length) {
      const ws = text.slice(from, end).search(/\s\S*$/);
      if (ws > 0) end = from + ws;
    }
    return { tokens: tokenizer.count(text.slice(from, end)), end, cutRuns: 0, inRun: false };
  };
}

/** Counts every item; exact while the budget lasts, estimated after (each text gets a share of the
 *  time in proportion to its length, and what one leaves over goes to the next). */
export async function countBounded(tokenizer: Tokenizer, items: readonly CountItem[], opts: BoundedCountOptions = {}): Promise<BoundedCounts> {
  const now = opts.now ?? (() => performance.now());
  const yieldToLoop = opts.yieldToLoop ?? defaultYield;
  const floor = opts.exactFloorChars ?? DEFAULT_EXACT_FLOOR_CHARS;
  const totalChars = items.reduce((n, it) => n + it.text.length, 0);
  const budgetMs = opts.budgetMs ?? Math.min(countBudgetMs(totalChars), opts.maxBudgetMs ?? Infinity);
  const slice = sliceFor(tokenizer);
  const memo = reused.get(tokenizer) ?? new Map<string, number>();
  reused.set(tokenizer, memo);

  const start = now();
  const deadline = start + budgetMs;
  let lastYield = start;
  let exactChars = 0;
  let exactTokens = 0;
  let estimatedChars = 0;
  let cutRuns = 0;
  let charsLeft = totalChars;
  const counts: number[] = [];

  for (const item of items) {
    const text = item.text;
    const n = text.length;
    const remembered = item.reuse && n >= REUSE_MIN_CHARS ? memo.get(text) : undefined;
    if (n === 0 || remembered !== undefined) {
      counts.push(remembered ?? 0);
      charsLeft -= n;
      continue;
    }
    const t = now();
    const textDeadline = t + Math.max(0, deadline - t) * (n / Math.max(1, charsLeft));
    charsLeft -= n;
    let at = 0;
    let tokens = 0;
    let inRun = false;
    while (at < n) {
      if (exactChars >= floor && now() >= textDeadline) break;
      const s = slice(text, at, SLICE_CHARS, inRun);
      tokens += s.tokens;
      cutRuns += s.cutRuns;
      exactChars += s.end - at;
      at = s.end;
      inRun = s.inRun;
      if (now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToLoop();
        lastYield = now();
      }
    }
    exactTokens += tokens;
    if (at < n) {
      const ratio = at >= MIN_CALIBRATION_CHARS ? tokens / at : exactChars > 0 ? exactTokens / exactChars : DEFAULT_TOKENS_PER_CHAR;
      tokens += Math.round((n - at) * ratio);
      estimatedChars += n - at;
    } else if (item.reuse && n >= REUSE_MIN_CHARS) {
      if (memo.size >= REUSE_MAX_ENTRIES) memo.clear();
      memo.set(text, tokens);
    }
    counts.push(tokens);
  }
  return { counts, estimatedChars, totalChars, cutRuns, budgetMs, elapsedMs: now() - start };
}
