// The tokenizer port and its default: gpt-tokenizer's o200k_base, loaded lazily (130 ms) and only
// once per process. Special-token text (`<|endoftext|>`) in tool output is counted as plain text.

/** Counts tokens of text. `name` appears in every token report. */
export interface Tokenizer {
  readonly name: string;
  count(text: string): number;
}

export const DEFAULT_TOKENIZER_NAME = 'o200k_base (gpt-tokenizer 4.0.0)';

let loading: Promise<Tokenizer> | undefined;

/** The default tokenizer (o200k_base, as used by GPT-4o/GPT-5-class models). Cached. */
export function loadDefaultTokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => {
    const plain = { disallowedSpecial: new Set<string>() };
    return { name: DEFAULT_TOKENIZER_NAME, count: (text: string) => (text.length === 0 ? 0 : m.countTokens(text, plain)) };
  });
  return loading;
}

/** A trivial tokenizer (whitespace-separated words) for hand-computable tests. */
export const whitespaceTokenizer: Tokenizer = {
  name: 'whitespace',
  count: (text) => text.split(/\s+/).filter((w) => w.length > 0).length,
};
