// Helpers that build the invisible payloads of the corpus the way attackers do.

/** ASCII spelled in Unicode tag characters (U+E0020–E007E), as in "ASCII smuggling". */
export function tags(ascii: string): string {
  return [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}

/** Bytes hidden in variation selectors after a visible base character ("emoji smuggling"). */
export function variationSelectors(base: string, text: string): string {
  const bytes = new TextEncoder().encode(text);
  return base + [...bytes].map((b) => String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16)).join('');
}

/** Bits as zero-width space (0) and zero-width non-joiner (1), one byte per ASCII character. */
export function zeroWidthBits(ascii: string): string {
  return [...ascii].map((c) => c.charCodeAt(0).toString(2).padStart(8, '0').replace(/0/g, '\u200B').replace(/1/g, '\u200C')).join('\u200D');
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
