import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { MAX_RUN_CHARS } from '../../../src/core/tokens/bpeCounter';
import { loadTokenizer, type TokenizerEncoding } from '../../../src/core/tokens/tokenizer';

// The oracle is gpt-tokenizer itself, as the account used it before (special tokens as plain text).
const plain = { disallowedSpecial: new Set<string>() };
const oracle: Record<TokenizerEncoding, (t: string) => number> = {
  o200k_base: (t) => o200k.countTokens(t, plain),
  cl100k_base: (t) => cl100k.countTokens(t, plain),
};

/** Deterministic pseudo-random source (the corpus must be the same on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomText(seed: number, alphabet: string, n: number): string {
  const r = rng(seed);
  const chars = [...alphabet];
  let out = '';
  for (let i = 0; i < n; i++) out += chars[Math.floor(r() * chars.length)];
  return out;
}

function corpus(): [string, string][] {
  const root = path.resolve(__dirname, '../../..');
  const json = JSON.stringify(
    Array.from({ length: 300 }, (_, i) => ({ id: i, name: `User ${i}`, email: `user${i}@example.com`, tags: ['alpha', 'beta'], score: (i * 7) % 1000, active: i % 2 === 0, note: 'Lorem ipsum dolor sit amet, consectetur.' })),
  );
  const r = rng(7);
  const codePoints = Array.from({ length: 4000 }, () => String.fromCodePoint(Math.floor(r() * 0x2ffff) % 0xd800 || 0x41)).join('');
  return [
    ['compact JSON', json],
    ['pretty JSON', JSON.stringify(JSON.parse(json), null, 2)],
    ['TypeScript source', readFileSync(path.join(root, 'src/core/trace/recorder.ts'), 'utf8')],
    ['README', readFileSync(path.join(root, 'README.md'), 'utf8')],
    ['prose with contractions', "It's the user's job; they'll say we'd've DONE it. I'M SURE you'RE right.\r\n\r\nNew paragraph\ttabbed   spaced.\n\n\n"],
    ['multilingual', 'Grüße aus Köln! Привет, мир. 你好世界，这是一个测试。こんにちは世界。 مرحبا بالعالم. 안녕하세요 세계. naïve café résumé façade. Ελληνικά κείμενα.'],
    ['emoji and marks', '👍🏽 family 👨‍👩‍👧‍👦 flags 🇩🇪🇫🇷 e\u0301 a\u0308\u0308\u0308 ✨✨✨ 🚀'.repeat(20)],
    ['special-token text', 'before <|endoftext|> mid <|im_start|>user<|im_sep|> after <|fim_prefix|>'],
    ['base64', randomBytes(6000).toString('base64')],
    ['hex', randomBytes(3000).toString('hex')],
    ['random printable ASCII', randomText(1, Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(''), 8000)],
    ['random lowercase run under the cut', randomText(2, 'abcdefghijklmnopqrstuvwxyz', MAX_RUN_CHARS)],
    // cl100k keeps mixed case in one piece, so words, not one 6000-letter run
    ['random letters, mixed case', randomText(3, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 6000).replace(/(.{60})/g, '$1 ')],
    ['random code points', codePoints],
    ['whitespace runs', `a${' '.repeat(900)}b${'\n'.repeat(500)}c \t \n \r\n${' \n'.repeat(200)}`],
    ['punctuation run under the cut', `x ${'=-'.repeat(400)} y ${'/'.repeat(300)}\n///`],
    ['digits', '1234567890'.repeat(300)],
    ['lone surrogates', 'a\ud800b\udc00c\ud83d'],
    // Latin-1 text whose chars equal the byte keys of other tokens ('Ã©' vs the bytes of 'é')
    ['mojibake', 'Ãª Ãº Ãµ xÃªy Ãªtre FranÃ§ais: Ã© Ã¨ Ã¼Ã¶Ã¤ ÿ þ ¡Hola! ¿Qué? «citation» Â£100 Ã ÃƒÂ©'.repeat(5)],
  ];
}

describe.each(['o200k_base', 'cl100k_base'] as const)('bpe counter (%s)', (encoding) => {
  it('counts exactly what gpt-tokenizer counts for text without runs over the cut', async () => {
    const tk = await loadTokenizer(encoding);
    for (const [name, text] of corpus()) expect({ name, n: tk.count(text) }).toEqual({ name, n: oracle[encoding](text) });
    expect(tk.count('')).toBe(0);
  });

  it('adds up to the same count when a text is counted in slices', async () => {
    const tk = await loadTokenizer(encoding);
    const all = corpus().map(([, t]) => t).join('\n');
    for (const size of [1, 7, 100, 4096]) {
      const text = size === 1 ? all.slice(0, 20_000) : all;
      let n = 0;
      let slices = 0;
      for (let at = 0; at < text.length; slices++) {
        const s = tk.countSlice!(text, at, size);
        expect(s.end).toBeGreaterThan(at);
        n += s.tokens;
        at = s.end;
      }
      expect(n).toBe(tk.count(text));
      expect(slices).toBeGreaterThan(text.length / (size + MAX_RUN_CHARS) - 1);
    }
  });

  it('counts long unbroken runs in chunks: fast, close to the true count, and reported', async () => {
    const tk = await loadTokenizer(encoding);
    // 'x' × 8192 is 1024 tokens of 'xxxxxxxx' in both encodings (checked against the oracle once; the
    // oracle's merge is quadratic, so larger runs are checked against the chunk arithmetic).
    expect(oracle[encoding]('x'.repeat(8192))).toBe(1024);
    const t0 = performance.now();
    expect(tk.count('x'.repeat(200_000))).toBe(25_000);
    expect(tk.count('A'.repeat(2_000_000))).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
    const s = tk.countSlice!('y'.repeat(5000), 0, 5000);
    expect(s).toMatchObject({ end: 5000, cutRuns: 1 });
    // a cut run stays within a token per cut of the true count
    const run = randomText(4, 'abcdefghijklmnopqrstuvwxyz', 3 * MAX_RUN_CHARS);
    expect(Math.abs(tk.count(run) - oracle[encoding](run))).toBeLessThanOrEqual(3);
  });

  it('stops a slice inside a huge run and resumes there', async () => {
    const tk = await loadTokenizer(encoding);
    const text = `head ${'z'.repeat(10 * MAX_RUN_CHARS)} tail`;
    const first = tk.countSlice!(text, 0, 2 * MAX_RUN_CHARS);
    expect(first.end).toBeLessThan(4 * MAX_RUN_CHARS);
    expect(first.cutRuns).toBe(1);
    expect(first.inRun).toBe(true);
    let n = first.tokens;
    let cut = first.cutRuns;
    let inRun = first.inRun;
    for (let at = first.end; at < text.length; ) {
      const s = tk.countSlice!(text, at, 2 * MAX_RUN_CHARS, inRun);
      n += s.tokens;
      cut += s.cutRuns;
      at = s.end;
      inRun = s.inRun;
    }
    expect(n).toBe(tk.count(text));
    expect(cut).toBe(1); // one run, however many slices it spans
  });

  it('reads only a window per slice, so slicing a huge run stays linear', async () => {
    const tk = await loadTokenizer(encoding);
    const text = 'A'.repeat(8 * 1024 * 1024);
    const t0 = performance.now();
    let n = 0;
    let slices = 0;
    let inRun = false;
    for (let at = 0; at < text.length; slices++) {
      const s = tk.countSlice!(text, at, 16 * 1024, inRun);
      n += s.tokens;
      at = s.end;
      inRun = s.inRun;
    }
    expect(slices).toBeGreaterThanOrEqual(512);
    expect(n).toBe(tk.count(text));
    // scanning to the end of the run on every slice would read 512 × 4 MiB on average
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
