// Counts BPE tokens over a gpt-tokenizer rank table at a cost linear in the text. The encoding's own
// pre-tokenizer regex cuts the text into pieces; each piece is merged with a heap (O(L log L), where the
// library's merge is O(L²) with a UTF-8 decode per lookup). Invariant: the count equals gpt-tokenizer's
// countTokens (special-token text counted as plain text), except inside an unbroken run of more than
// MAX_RUN_CHARS characters, which is merged in chunks of that size (a few tokens off, and reported).

/** gpt-tokenizer's rank table: index = rank, value = the token's text or, when not UTF-8, its bytes. */
export type RankTable = readonly (string | readonly number[])[];

/** Longest piece merged as one; longer runs (one repeated character, a huge word) are cut. */
export const MAX_RUN_CHARS = 1024;

/** Pieces at least this many bytes long are remembered (repeated chunks of a long run cost nothing). */
const CACHE_MIN_BYTES = 8;
const CACHE_MAX_ENTRIES = 20_000;
/** A piece ending this close to the end of the window the regex saw may be cut short by it (a
 *  contraction suffix is up to 3 characters of lookahead). */
const WINDOW_MARGIN = 4;
/** Up to this length the plain quadratic merge beats the heap's bookkeeping. */
const HEAP_MIN_BYTES = 24;
const NO_RANK = -1;

/** The result of counting part of a text (see BpeCounter.countSlice). */
export interface SliceCount {
  tokens: number;
  /** Where counting stopped: a piece boundary, or inside a cut run. Continue from here. */
  end: number;
  /** Runs longer than MAX_RUN_CHARS that were cut in this slice (a run continued from the previous
   *  slice, see `inRun`, is not counted again). */
  cutRuns: number;
  /** The slice stopped inside a cut run: pass this to the next countSlice. */
  inRun: boolean;
}

export interface BpeCounter {
  /** Tokens of the whole text. */
  count(text: string): number;
  /** Counts pieces from `from` until at least `maxChars` characters are consumed (or the text ends).
   *  Consecutive slices add up to count(text). Reads only about maxChars + 2·MAX_RUN_CHARS characters,
   *  so slicing a huge run costs no more than counting it. */
  countSlice(text: string, from: number, maxChars: number, inRun?: boolean): SliceCount;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Bytes of a token as a binary string (one char per byte, 0–255): the key of every rank lookup. */
function binaryOf(text: string): string {
  return ASCII_ONLY.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Builds a counter for one encoding. ASCII tokens are indexed at once, the rest on first need. */
export function createBpeCounter(table: RankTable, splitRegex: RegExp): BpeCounter {
  const ranks = new Map<string, number>();
  const pairs = new Int32Array(65_536).fill(NO_RANK); // two-byte tokens, the first step of every merge
  const deferred: number[] = [];
  table.forEach((v, rank) => {
    if (typeof v === 'string' && ASCII_ONLY.test(v)) {
      ranks.set(v, rank);
      if (v.length === 2) pairs[(v.charCodeAt(0) << 8) | v.charCodeAt(1)] = rank;
    } else {
      deferred.push(rank);
    }
  });
  let complete = deferred.length === 0;
  const completeTable = (): void => {
    for (const rank of deferred) {
      const v = table[rank] as string | readonly number[];
      const key = typeof v === 'string' ? binaryOf(v) : String.fromCharCode(...v);
      ranks.set(key, rank);
      if (key.length === 2) pairs[(key.charCodeAt(0) << 8) | key.charCodeAt(1)] = rank;
    }
    deferred.length = 0;
    complete = true;
  };

  const re = new RegExp(splitRegex.source, splitRegex.flags.includes('g') ? splitRegex.flags : `${splitRegex.flags}g`);
  const cache = new Map<string, number>();
  const maxBytes = MAX_RUN_CHARS * 4;
  const merge = createMerger(ranks, pairs, maxBytes);

  function countBinary(bin: string): number {
    if (bin.length < CACHE_MIN_BYTES) return merge(bin);
    const hit = cache.get(bin);
    if (hit !== undefined) return hit;
    const n = merge(bin);
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(bin, n);
    return n;
  }

  function countPiece(piece: string): number {
    // Keys are bytes as chars: a non-ASCII piece ("Ã©", U+00C3 U+00A9) could equal another token's
    // key ("é" as bytes C3 A9), so only an ASCII piece may be looked up as it is.
    if (!NON_ASCII.test(piece)) return ranks.has(piece) ? 1 : countBinary(piece);
    if (!complete) completeTable();
    const bin = Buffer.from(piece, 'utf8').toString('latin1');
    return ranks.has(bin) ? 1 : countBinary(bin);
  }

  function countSlice(text: string, from: number, maxChars: number, inRun = false): SliceCount {
    const stop = Math.min(text.length, from + Math.max(1, maxChars));
    // The regex sees a window, not the rest of the text: one huge run would otherwise be scanned to
    // its end by every slice. Offsets stay those of `text` (the window is a prefix of it).
    const windowEnd = Math.min(text.length, stop + 2 * MAX_RUN_CHARS + WINDOW_MARGIN);
    const src = windowEnd < text.length ? text.slice(0, windowEnd) : text;
    const trustedEnd = windowEnd < text.length ? windowEnd - WINDOW_MARGIN : text.length;
    let tokens = 0;
    let cutRuns = 0;
    let end = from;
    let stoppedInRun = false;
    re.lastIndex = from;
    while (end < stop) {
      const m = re.exec(src);
      if (m === null) {
        end = src.length;
        break;
      }
      const piece = m[0];
      const pieceEnd = m.index + piece.length;
      if (piece.length <= MAX_RUN_CHARS) {
        if (pieceEnd > trustedEnd) break; // unreachable while stop + 2 runs < window end; kept as a guard
        tokens += countPiece(piece);
        end = pieceEnd;
        continue;
      }
      // An unbroken run: merge it in chunks, and stop at the slice's end even inside it (the next
      // slice's regex resumes there, which continues the same run).
      if (!(inRun && m.index === from)) cutRuns++;
      let i = 0;
      while (i < piece.length && m.index + i < stop) {
        let j = Math.min(piece.length, i + MAX_RUN_CHARS);
        if (j < piece.length && isHighSurrogate(piece.charCodeAt(j - 1))) j--;
        tokens += countPiece(piece.slice(i, j));
        i = j;
      }
      end = m.index + i;
      if (i < piece.length || pieceEnd > trustedEnd) {
        stoppedInRun = true;
        break;
      }
    }
    return { tokens, end, cutRuns, inRun: stoppedInRun };
  }

  return {
    count(text) {
      let n = 0;
      let inRun = false;
      for (let at = 0; at < text.length; ) {
        const s = countSlice(text, at, text.length, inRun);
        n += s.tokens;
        at = s.end;
        inRun = s.inRun;
      }
      return n;
    },
    countSlice,
  };
}

/** The merge of one piece (its bytes as a binary string) into tokens: how many tokens it becomes.
 *  Same rule as tiktoken: repeatedly merge the adjacent pair of lowest rank, the leftmost on a tie. */
export function createMerger(ranks: ReadonlyMap<string, number>, pairs: Int32Array, maxBytes: number): (bin: string) => number {
  const cap = maxBytes + 2;
  const starts = new Int32Array(cap);
  const rk = new Float64Array(cap);
  const next = new Int32Array(cap);
  const prev = new Int32Array(cap);
  const pr = new Float64Array(cap);
  const heapRank = new Float64Array(cap * 3);
  const heapPos = new Int32Array(cap * 3);

  const rankOf = (bin: string, a: number, b: number): number => {
    if (b - a === 2) {
      const r = pairs[(bin.charCodeAt(a) << 8) | bin.charCodeAt(a + 1)] as number;
      return r === NO_RANK ? Infinity : r;
    }
    return ranks.get(bin.slice(a, b)) ?? Infinity;
  };

  function quadratic(bin: string): number {
    const L = bin.length;
    let n = L + 1;
    for (let i = 0; i <= L; i++) starts[i] = i;
    for (let i = 0; i < L - 1; i++) rk[i] = rankOf(bin, i, i + 2);
    rk[L - 1] = Infinity;
    rk[L] = Infinity;
    while (n > 2) {
      let min = Infinity;
      let at = -1;
      for (let i = 0; i < n - 2; i++) {
        const r = rk[i] as number;
        if (r < min) {
          min = r;
          at = i;
        }
      }
      if (at < 0) break;
      starts.copyWithin(at + 1, at + 2, n);
      rk.copyWithin(at, at + 1, n);
      n--;
      rk[at] = at + 2 < n ? rankOf(bin, starts[at] as number, starts[at + 2] as number) : Infinity;
      if (at > 0) rk[at - 1] = rankOf(bin, starts[at - 1] as number, starts[at + 1] as number);
    }
    return n - 1;
  }

  function heap(bin: string): number {
    const L = bin.length;
    let size = 0;
    const less = (ra: number, ia: number, rb: number, ib: number) => ra < rb || (ra === rb && ia < ib);
    const push = (r: number, i: number): void => {
      let k = size++;
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (!less(r, i, heapRank[p] as number, heapPos[p] as number)) break;
        heapRank[k] = heapRank[p] as number;
        heapPos[k] = heapPos[p] as number;
        k = p;
      }
      heapRank[k] = r;
      heapPos[k] = i;
    };
    const popInto = (out: { r: number; i: number }): void => {
      out.r = heapRank[0] as number;
      out.i = heapPos[0] as number;
      size--;
      const lr = heapRank[size] as number;
      const li = heapPos[size] as number;
      let k = 0;
      for (;;) {
        let c = 2 * k + 1;
        if (c >= size) break;
        if (c + 1 < size && less(heapRank[c + 1] as number, heapPos[c + 1] as number, heapRank[c] as number, heapPos[c] as number)) c++;
        if (!less(heapRank[c] as number, heapPos[c] as number, lr, li)) break;
        heapRank[k] = heapRank[c] as number;
        heapPos[k] = heapPos[c] as number;
        k = c;
      }
      heapRank[k] = lr;
      heapPos[k] = li;
    };
    // A part is named by its first byte; next[i] is the following part (L = none); pr[i] is the rank
    // of part i merged with its successor (-1 once i is merged away).
    const pairRank = (i: number): number => {
      const j = next[i] as number;
      return j >= L ? Infinity : rankOf(bin, i, next[j] as number);
    };
    for (let i = 0; i < L; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    for (let i = 0; i < L; i++) {
      const r = i < L - 1 ? rankOf(bin, i, i + 2) : Infinity;
      pr[i] = r;
      if (r !== Infinity) push(r, i);
    }
    let parts = L;
    const top = { r: 0, i: 0 };
    while (size > 0) {
      popInto(top);
      const i = top.i;
      if (pr[i] !== top.r) continue; // stale entry
      const j = next[i] as number;
      const k = next[j] as number;
      next[i] = k;
      if (k < L) prev[k] = i;
      pr[j] = -1;
      parts--;
      const ri = pairRank(i);
      pr[i] = ri;
      if (ri !== Infinity) push(ri, i);
      const p = prev[i] as number;
      if (p >= 0) {
        const rp = pairRank(p);
        pr[p] = rp;
        if (rp !== Infinity) push(rp, p);
      }
    }
    return parts;
  }

  return (bin) => {
    if (bin.length <= 1) return bin.length;
    if (bin.length > maxBytes) throw new RangeError(`A piece of ${bin.length} bytes is over the ${maxBytes}-byte merge buffer.`);
    return bin.length < HEAP_MIN_BYTES ? quadratic(bin) : heap(bin);
  };
}
