// The tokenizer port and its default: o200k_base over gpt-tokenizer's rank table, loaded lazily and only
// once per process. Counting is linear in the text (bpeCounter.ts); special-token text (`<|endoftext|>`)
// in tool output is counted as plain text.
import { createBpeCounter, type RankTable, type SliceCount } from './bpeCounter';

/** Counts tokens of text. `name` appears in every token report. */
export interface Tokenizer {
  readonly name: string;
  count(text: string): number;
  /** Counts text[from..] until at least `maxChars` characters are consumed, stopping where counting
   *  can resume (slices add up to count(text)). Lets boundedCount.ts cut big texts and yield between
   *  slices; tokenizers without it are cut at whitespace. `inRun`: the previous slice's SliceCount.inRun. */
  countSlice?(text: string, from: number, maxChars: number, inRun?: boolean): SliceCount;
}

/** Encodings the tokenizer setting offers (`toolweaver.tokens.tokenizer`). */
export type TokenizerEncoding = 'o200k_base' | 'cl100k_base';

export const DEFAULT_TOKENIZER_NAME = 'o200k_base (gpt-tokenizer 4.0.0)';

const loading = new Map<TokenizerEncoding, Promise<Tokenizer>>();

function wrap(encoding: TokenizerEncoding, table: RankTable, splitRegex: RegExp): Tokenizer {
  const counter = createBpeCounter(table, splitRegex);
  return {
    name: `${encoding} (gpt-tokenizer 4.0.0)`,
    count: (text) => (text.length === 0 ? 0 : counter.count(text)),
    countSlice: (text, from, maxChars, inRun) => counter.countSlice(text, from, maxChars, inRun),
  };
}

/**
 * The rank table of a loaded `bpeRanks` module. Bundled, the module is a shared CommonJS file in
 * dist/vendor/ loaded with a native `import()`, whose `default` is the whole `module.exports`
 * (`{ default: table }`); from source it is the table itself.
 */
function rankTable(m: { default: unknown }): RankTable {
  const d = m.default as RankTable | { default: RankTable };
  return Array.isArray(d) ? d : (d as { default: RankTable }).default;
}

/** A gpt-tokenizer encoding, loaded on first use and cached per process. */
export function loadTokenizer(encoding: TokenizerEncoding): Promise<Tokenizer> {
  let p = loading.get(encoding);
  if (!p) {
    const regexes = import('gpt-tokenizer/encodingParams/constants');
    p =
      encoding === 'cl100k_base'
        ? Promise.all([import('gpt-tokenizer/bpeRanks/cl100k_base'), regexes]).then(([r, c]) => wrap(encoding, rankTable(r), c.CL100K_TOKEN_SPLIT_REGEX))
        : Promise.all([import('gpt-tokenizer/bpeRanks/o200k_base'), regexes]).then(([r, c]) => wrap(encoding, rankTable(r), c.O200K_TOKEN_SPLIT_REGEX));
    loading.set(encoding, p);
  }
  return p;
}

/** The default tokenizer (o200k_base, as used by GPT-4o/GPT-5-class models). Cached. */
export function loadDefaultTokenizer(): Promise<Tokenizer> {
  return loadTokenizer('o200k_base');
}

/** A trivial tokenizer (whitespace-separated words) for hand-computable tests. */
export const whitespaceTokenizer: Tokenizer = {
  name: 'whitespace',
  count: (text) => text.split(/\s+/).filter((w) => w.length > 0).length,
};
