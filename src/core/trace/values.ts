// Storing values in a trace: redact, then cut the JSON text to a byte budget while recording the
// original size. Invariant: every cut is made in text that is already redacted, with at least
// REDACT_CONTEXT_CHARS of context after the cut; huge values are redacted only as far as needed.
import type { Redactor } from '../redact/redactor';
import type { StoredValue } from './schema';

/** Default per-value budget: arguments, results, the final value, each log line. */
export const DEFAULT_MAX_VALUE_BYTES = 16 * 1024;

/** JSON text of a value; undefined for undefined/functions/unserialisable values. */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The first `maxBytes` UTF-8 bytes of `text` (never splitting a character). */
export function cutUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const buf = Buffer.from(text).subarray(0, maxBytes);
  let s = buf.toString('utf8');
  if (s.endsWith('\uFFFD')) s = s.slice(0, -1);
  return s;
}

/** Context kept after a cut when redacting a prefix: a secret up to this long that straddles the
 *  end of the redacted prefix lies wholly past the cut. */
export const REDACT_CONTEXT_CHARS = 4096;

/**
 * The redacted prefix of `raw` from which a `maxBytes` preview may be cut: at least
 * `maxBytes + REDACT_CONTEXT_CHARS` characters of redacted text, or all of `raw`. Redaction shrinks
 * text (a 200-character JWT becomes 14), so the raw prefix grows until the redacted one is long
 * enough; only the final prefix is counted as redactions.
 */
function redactedPrefix(raw: string, maxBytes: number, redactor: Redactor): string {
  const need = maxBytes + REDACT_CONTEXT_CHARS;
  let window = need;
  while (window < raw.length && redactor.text(raw.slice(0, window)).value.length < need) window *= 2;
  return redactor.redactText(raw.slice(0, window));
}

/**
 * Redacts and stores `value` within `maxBytes`. Values whose JSON is over 8× the budget are not
 * walked whole: their JSON text is redacted (the same rules, key-based ones included, as text)
 * only as far as the preview needs (redactedPrefix), then cut.
 */
export function storeValue(value: unknown, maxBytes: number, redactor?: Redactor): StoredValue {
  const raw = jsonText(value);
  if (raw === undefined) return { bytes: 0, truncated: false };
  const rawBytes = Buffer.byteLength(raw);
  if (rawBytes > maxBytes * 8) {
    const red = redactor ? redactedPrefix(raw, maxBytes, redactor) : raw.slice(0, maxBytes);
    return { preview: cutUtf8(red, maxBytes), bytes: rawBytes, truncated: true };
  }
  const redacted = redactor ? redactor.redactValue(value) : value;
  const text = redactor ? (jsonText(redacted) ?? '') : raw;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { value: redacted, bytes, truncated: false };
  return { preview: cutUtf8(text, maxBytes), bytes, truncated: true };
}

/** Redacts and cuts a text (logs, source, messages). */
export function storeText(text: string, maxBytes: number, redactor?: Redactor): { text: string; bytes: number; truncated: boolean } {
  const red = redactor ? redactor.redactText(text) : text;
  const bytes = Buffer.byteLength(red);
  if (bytes <= maxBytes) return { text: red, bytes, truncated: false };
  return { text: cutUtf8(red, maxBytes), bytes, truncated: true };
}
