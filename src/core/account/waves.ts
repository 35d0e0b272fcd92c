// Classic tool calling's waves from data dependencies, not timing: a call can only be made in the
// turn after the results it needs. Invariant: pure and independent of the script's style (serial
// `for … await` and `Promise.all` over the same calls give the same waves) and of timing jitter.
//
// The rule (docs/tokens.md, "Waves"): a call's level is 1 + the highest level among
// - the calls whose result an argument leaf value first appeared in (a leaf not in the script source,
//   not trivial), and
// - the last earlier identical call (same tool, same arguments) that failed: a retry needs its error.
// Calls with neither are level 0: a classic agent issues all of them in its first turn.
// A result "carries" a value when the value is one of its words (split at ASCII separators, see eachWord);
// results are searched up to a size bound (MAX_INDEXED_*): past it a value marks no dependency.

/** One tool call as the wave rule sees it. */
export interface WaveCall {
  /** `server/tool` (or any key that names the tool). */
  name: string;
  /** When the call was issued (ms since the run started): orders the calls only. */
  startMs: number;
  /** When its result arrived; a call cannot use a result that arrived after it was issued. */
  endMs?: number;
  /** The call failed (its `resultText` is the error message). */
  failed: boolean;
  /** The arguments as the script passed them. */
  args: unknown;
  /** The result as the model would read it (JSON text, plain text or `Error: …`). */
  resultText: string;
}

/** A leaf below this many characters is too common to mark a dependency. */
export const MIN_LEAF_CHARS = 2;
/** A word inside a longer string argument must be this long to mark a dependency. */
export const MIN_WORD_CHARS = 4;
/** Integers with |n| below this are too common (page numbers, counts, flags) to mark a dependency. */
export const MIN_DEPENDENCY_INT = 10;
/** How many results per value the index remembers (the earliest ones). */
const MAX_SOURCES_PER_VALUE = 8;
/** Characters of one result searched for wanted values (a longer one: its start). Bounds the time a
 *  huge run's account takes; a value past the bound marks no dependency, which favours classic. */
export const MAX_INDEXED_RESULT_CHARS = 1024 * 1024;
/** Characters of all results searched in one run (the same bound over the whole run). */
export const MAX_INDEXED_RUN_CHARS = 8 * 1024 * 1024;
/** Words of one call's string arguments looked up (the rest mark no dependency). */
const MAX_ARGUMENT_WORDS = 256;

function trivialNumber(n: number): boolean {
  return !Number.isFinite(n) || (Number.isInteger(n) && Math.abs(n) < MIN_DEPENDENCY_INT);
}

/** Characters that end a word (ASCII; every other character, letters and digits of any script
 *  included, is part of one). `.:/#-@_` stay inside words: ids, URLs, paths and emails are one word. */
const SEPARATORS = new Uint8Array(128);
for (const ch of ' \t\r\n"\',;{}[]()<>=&?!*+|\\`~^$%') SEPARATORS[ch.charCodeAt(0)] = 1;
/** Trimmed from both ends of a word (sentence punctuation, not part of an id). */
const isEdge = (c: number) => c === 46 || c === 58 || c === 47 || c === 35 || c === 45; // . : / # -

/** Calls `fn` with the bounds of each word of `text` (one pass over char codes, no allocation).
 *  `json`: the text is JSON, so an escape (`\n`, `\"`, `\u00e9`…) ends a word and is skipped whole. */
function eachWord(text: string, fn: (start: number, end: number) => void, json = false): void {
  let start = -1;
  const n = text.length;
  const flush = (end: number) => {
    if (start < 0) return;
    let a = start;
    let b = end;
    while (a < b && isEdge(text.charCodeAt(a))) a++;
    while (b > a && isEdge(text.charCodeAt(b - 1))) b--;
    if (b > a) fn(a, b);
    start = -1;
  };
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (json && c === 92) {
      flush(i);
      i += text.charCodeAt(i + 1) === 117 ? 5 : 1; // \uXXXX or \x
    } else if (c < 128 && SEPARATORS[c] === 1) flush(i);
    else if (start < 0) start = i;
  }
}

function words(s: string): string[] {
  const out: string[] = [];
  eachWord(s, (a, b) => out.push(s.slice(a, b)));
  return out;
}

/** The argument values that may have come from a result: non-trivial leaves that are one word, and
 *  the long words of other string leaves, that the script source does not contain. */
function argumentValues(args: unknown, source: string): string[] {
  const out = new Set<string>();
  const inSource = (s: string) => source.includes(s);
  let wordsLeft = MAX_ARGUMENT_WORDS;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      if (v.trim().length < MIN_LEAF_CHARS || inSource(v)) return;
      const ws = words(v);
      if (ws.length === 1 && ws[0] === v) {
        out.add(v);
        return;
      }
      for (const w of ws) {
        if (wordsLeft-- <= 0) break;
        if (w.length >= MIN_WORD_CHARS && !inSource(w)) out.add(w);
      }
    } else if (typeof v === 'number') {
      if (trivialNumber(v)) return;
      const s = String(v);
      if (!new RegExp(`(?<![\\d.])${s.replace(/[.+-]/g, '\\$&')}(?![\\d])`).test(source)) out.add(s);
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(args, 0);
  return [...out];
}

function argsKey(c: WaveCall): string {
  try {
    return `${c.name} ${JSON.stringify(c.args) ?? ''}`;
  } catch {
    return `${c.name} ?`;
  }
}

/**
 * The dependency level (0-based wave) of each call, in the order given. Calls are considered in
 * the order they were issued (`startMs`, ties in the given order).
 * @param source the script text: values written in it are known to the model without any result.
 */
export function dependencyLevels(calls: readonly WaveCall[], source: string): number[] {
  const order = calls.map((_, i) => i).sort((a, b) => (calls[a]?.startMs ?? 0) - (calls[b]?.startMs ?? 0) || a - b);
  const levels = new Array<number>(calls.length).fill(0);
  const wanted = calls.map((c) => argumentValues(c.args, source));
  /** value some call wants → indices (into calls) of the earliest results that carry it */
  const sources = new Map<string, number[]>();
  for (const vs of wanted) for (const v of vs) sources.set(v, []);
  const lengths = new Set([...sources.keys()].map((v) => v.length));
  /** argsKey → index of the latest failed call with those arguments */
  const failedBy = new Map<string, number>();
  let indexed = 0;
  const arrivedBefore = (j: number, i: number) => (calls[j]?.endMs ?? calls[j]?.startMs ?? 0) <= (calls[i]?.startMs ?? 0);
  for (const i of order) {
    const c = calls[i];
    if (!c) continue;
    let level = 0;
    for (const v of wanted[i] ?? []) {
      const from = sources.get(v)?.find((j) => arrivedBefore(j, i));
      if (from !== undefined) level = Math.max(level, (levels[from] ?? 0) + 1);
    }
    const key = argsKey(c);
    const retryOf = failedBy.get(key);
    if (retryOf !== undefined && arrivedBefore(retryOf, i)) level = Math.max(level, (levels[retryOf] ?? 0) + 1);
    levels[i] = level;
    if (c.failed) failedBy.set(key, i);
    if (indexed >= MAX_INDEXED_RUN_CHARS || sources.size === 0) continue;
    const text = c.resultText.length > MAX_INDEXED_RESULT_CHARS ? c.resultText.slice(0, MAX_INDEXED_RESULT_CHARS) : c.resultText;
    indexed += text.length;
    const seen = new Set<string>();
    const json = /^\s*[[{"]/.test(text.slice(0, 64));
    eachWord(text, (a, b) => {
      if (!lengths.has(b - a)) return; // most words: no slice, no lookup
      const w = text.slice(a, b);
      const list = sources.get(w);
      if (!list || seen.has(w)) return;
      seen.add(w);
      if (list.length < MAX_SOURCES_PER_VALUE) list.push(i);
    }, json);
  }
  return levels;
}

/** Groups items into waves by their levels (wave k = the items of level k, in the given order). */
export function groupByLevel<T>(items: readonly T[], levels: readonly number[]): T[][] {
  const waves: T[][] = [];
  items.forEach((item, i) => {
    const l = levels[i] ?? 0;
    while (waves.length <= l) waves.push([]);
    waves[l]?.push(item);
  });
  return waves.filter((w) => w.length > 0);
}
