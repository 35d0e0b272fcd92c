// Loads a tokenizer by its encoding name (the `toolweaver.tokens.tokenizer` setting, CLI flags).
// Delegates to tokenizer.ts, which imports each encoding lazily and caches it per process.
import { loadTokenizer as loadEncoding, type Tokenizer, type TokenizerEncoding } from './tokenizer';

export const TOKENIZER_NAMES = ['o200k_base', 'cl100k_base'] as const satisfies readonly TokenizerEncoding[];
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export function loadTokenizer(name: TokenizerName): Promise<Tokenizer> {
  return loadEncoding(name);
}
