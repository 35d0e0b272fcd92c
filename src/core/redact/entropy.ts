// Decides whether a bare 40-character [A-Za-z0-9/+] run is an AWS secret access key. Pure and
// cheap (one pass over 40 characters); measured against test/fixtures/redactCorpus.ts (docs/redaction.md).
// Invariant: git SHAs (hex in one case), identifiers and base64 of text never count as keys.

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Minimum entropy: 40 random base64 characters measure 4.78 bits/char at the median and fall
 *  below 4.3 about once in 1,000; English-like identifiers and paths measure 3.5–4.1. */
export const AWS_SECRET_MIN_ENTROPY = 4.3;

/** Share of the characters in word-like runs (`Word`, `word`, `WORD`) above which the run is an
 *  identifier or path, not a key: random keys exceed 0.7 about once in 2,000. */
export const AWS_SECRET_MAX_WORDINESS = 0.7;

/** Share of the 40 characters inside word-like runs of letters. */
export function wordiness(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/[A-Z]?[a-z]{3,}|[A-Z]{4,}/g)) n += m[0].length;
  return text.length === 0 ? 0 : n / text.length;
}

/** Random 30 bytes hold 4 or more zero bytes about once in 30,000 tries; small numbers in binary
 *  (Int16Array, Float32Array of integers…) hold many. */
const MIN_ZERO_BYTES_OF_DATA = 4;

/** True when base64 `text` decodes to ordinary data, not random bytes: printable ASCII (base64 of
 *  text) or binary with several zero bytes (base64 of small numbers). */
export function decodesToData(text: string): boolean {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return false;
  let printable = true;
  let zeros = 0;
  for (const b of bytes) {
    if (b === 0) zeros++;
    if (b !== 9 && b !== 10 && b !== 13 && (b < 0x20 || b > 0x7e)) printable = false;
  }
  return printable || zeros >= MIN_ZERO_BYTES_OF_DATA;
}

/** The standalone-key rule: mixed case and digits, not hex, high entropy, not word-like, not
 *  base64 of ordinary data. `candidate` is exactly the 40 characters matched. */
export function looksLikeAwsSecret(candidate: string): boolean {
  if (!/[A-Z]/.test(candidate) || !/[a-z]/.test(candidate) || !/[0-9]/.test(candidate)) return false;
  if (!/[g-zG-Z/+]/.test(candidate)) return false; // hex in mixed case: a hash, not a key
  if (shannonEntropy(candidate) < AWS_SECRET_MIN_ENTROPY) return false;
  if (wordiness(candidate) > AWS_SECRET_MAX_WORDINESS) return false;
  return !decodesToData(candidate);
}
