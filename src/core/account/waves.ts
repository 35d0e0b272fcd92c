// Classic tool calling's waves from data dependencies, not timing: a call can only be made in the
// turn after the results it needs. Invariant: pure and independent of the script's style (serial
// `for … await` and `Promise.all` over the same calls give the same waves) and of timing jitter.
//
// The rule (docs/tokens.md, "Waves"): a call's level is 1 + the highest level among
// - the calls whose result an argument leaf value first appeared in (a leaf not in the script source,
//   not trivial), and
// - the last earlier identical call (same tool, same arguments) that failed: a retry needs its error.
// Calls with neither are level 0: a classic agent issues all of them in its first turn.

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
const WORD = /[\p{L}\p{N}_.:@/#-]+/gu;

function trivialNumber(n: number): boolean {
  return !Number.isFinite(n) || (Number.isInteger(n) && Math.abs(n) < MIN_DEPENDENCY_INT);
}

function words(s: string): string[] {
  return (s.match(WORD) ?? []).map((w) => w.replace(/^[.:/#-]+|[.:/#-]+$/g, ''));
}

/** Every value a result makes available to a script: JSON leaves (strings and numbers) and the
 *  words inside its strings; for plain text, its words and the whole text. */
function resultValues(text: string): Set<string> {
  const out = new Set<string>();
  const addString = (s: string) => {
    if (s.trim().length >= MIN_LEAF_CHARS) out.add(s);
    for (const w of words(s)) if (w.length >= MIN_LEAF_CHARS) out.add(w);
  };
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') addString(v);
    else if (typeof v === 'number') {
      if (!trivialNumber(v)) out.add(String(v));
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  const t = text.trim();
  if (/^[[{"]/.test(t)) {
    try {
      walk(JSON.parse(t), 0);
      return out;
    } catch {
      // text that merely looks like JSON
    }
  }
  addString(text);
  return out;
}

/** The argument values that may have come from a result: non-trivial leaves (and long words of
 *  string leaves) that the script source does not contain. */
function argumentValues(args: unknown, source: string): string[] {
  const out = new Set<string>();
  const inSource = (s: string) => source.includes(s);
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      if (v.trim().length < MIN_LEAF_CHARS || inSource(v)) return;
      out.add(v);
      for (const w of words(v)) if (w !== v && w.length >= MIN_WORD_CHARS && !inSource(w)) out.add(w);
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
  /** value → indices (into calls) of the earliest results that carry it */
  const sources = new Map<string, number[]>();
  /** argsKey → index of the latest failed call with those arguments */
  const failedBy = new Map<string, number>();
  const arrivedBefore = (j: number, i: number) => (calls[j]?.endMs ?? calls[j]?.startMs ?? 0) <= (calls[i]?.startMs ?? 0);
  for (const i of order) {
    const c = calls[i];
    if (!c) continue;
    let level = 0;
    for (const v of argumentValues(c.args, source)) {
      const from = sources.get(v)?.find((j) => arrivedBefore(j, i));
      if (from !== undefined) level = Math.max(level, (levels[from] ?? 0) + 1);
    }
    const key = argsKey(c);
    const retryOf = failedBy.get(key);
    if (retryOf !== undefined && arrivedBefore(retryOf, i)) level = Math.max(level, (levels[retryOf] ?? 0) + 1);
    levels[i] = level;
    if (c.failed) failedBy.set(key, i);
    for (const v of resultValues(c.resultText)) {
      const list = sources.get(v);
      if (!list) sources.set(v, [i]);
      else if (list.length < MAX_SOURCES_PER_VALUE) list.push(i);
    }
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
