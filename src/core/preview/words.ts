// Number and plural wording shared by markers, notes and error messages. Deterministic: no locale
// data (toLocaleString depends on the ICU build), so the same value gives the same text everywhere.

/** 1234567 → "1,234,567" (integers; others are written as String(n)). */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const s = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** "1 item", "1,000 items". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${groupDigits(n)} ${n === 1 ? singular : plural}`;
}
