// Loads a tokenizer by its encoding name (the `toolweaver.tokens.tokenizer` setting, CLI flags).
// Each encoding is imported lazily and only once per process.
import { loadDefaultTokenizer, type Tokenizer } from './tokenizer';

export const TOKENIZER_NAMES = ['o200k_base', 'cl100k_base'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

let cl100k: Promise<Tokenizer> | undefined;

export function loadTokenizer(name: TokenizerName): Promise<Tokenizer> {
  if (name === 'o200k_base') return loadDefaultTokenizer();
  cl100k ??= import('gpt-tokenizer/encoding/cl100k_base').then((m) => {
    const plain = { disallowedSpecial: new Set<string>() };
    return { name: 'cl100k_base (gpt-tokenizer 4.0.0)', count: (text: string) => (text.length === 0 ? 0 : m.countTokens(text, plain)) };
  });
  return cl100k;
}
