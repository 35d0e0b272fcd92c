// Storing values in a trace: redact, then cut the JSON text to a byte budget while recording the
// original size. Huge values are never redacted whole (a prefix is), so the cost stays bounded.
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

/**
 * Redacts and stores `value` within `maxBytes`. Values whose JSON is over 8× the budget are not
 * walked whole: their JSON prefix is redacted as text (with a 4 KiB margin so a secret straddling
 * the cut is still seen) and cut.
 */
export function storeValue(value: unknown, maxBytes: number, redactor?: Redactor): StoredValue {
  const raw = jsonText(value);
  if (raw === undefined) return { bytes: 0, truncated: false };
  const rawBytes = Buffer.byteLength(raw);
  if (rawBytes > maxBytes * 8) {
    const head = raw.slice(0, maxBytes + 4096);
    const red = redactor ? redactor.redactText(head) : head;
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
