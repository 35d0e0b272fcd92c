// The tokenizer port and its default: gpt-tokenizer's o200k_base, loaded lazily (130 ms) and only
// once per process. Special-token text (`<|endoftext|>`) in tool output is counted as plain text.

/** Counts tokens of text. `name` appears in every token report. */
export interface Tokenizer {
  readonly name: string;
  count(text: string): number;
}

/** Encodings the tokenizer setting offers (`toolweaver.tokens.tokenizer`). */
export type TokenizerEncoding = 'o200k_base' | 'cl100k_base';

export const DEFAULT_TOKENIZER_NAME = 'o200k_base (gpt-tokenizer 4.0.0)';

const loading = new Map<TokenizerEncoding, Promise<Tokenizer>>();

type Encoding = { countTokens(text: string, opts: { disallowedSpecial: Set<string> }): number };

function wrap(encoding: TokenizerEncoding, m: Encoding): Tokenizer {
  const plain = { disallowedSpecial: new Set<string>() };
  return { name: `${encoding} (gpt-tokenizer 4.0.0)`, count: (text: string) => (text.length === 0 ? 0 : m.countTokens(text, plain)) };
}

/** A gpt-tokenizer encoding, loaded on first use and cached per process. */
export function loadTokenizer(encoding: TokenizerEncoding): Promise<Tokenizer> {
  let p = loading.get(encoding);
  if (!p) {
    p =
      encoding === 'cl100k_base'
        ? import('gpt-tokenizer/encoding/cl100k_base').then((m) => wrap(encoding, m))
        : import('gpt-tokenizer/encoding/o200k_base').then((m) => wrap(encoding, m));
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
