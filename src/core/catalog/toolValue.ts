// The value a script sees for a tools/call result. Invariant: structuredContent wins, then the
// text content (JSON-parsed when it is JSON), then the raw content array.
import type { WireCallToolResult } from './wire';

/** structuredContent → text (JSON-parsed if possible) → content array. */
export function toolValue(result: WireCallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = result.content;
  if (content.length > 0 && content.every((c) => c.type === 'text' && typeof c.text === 'string')) {
    const text = content.map((c) => c.text as string).join('\n');
    const trimmed = text.trim();
    if (/^[[{"]|^-?\d|^(true|false|null)$/.test(trimmed)) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        // plain text that merely looks like JSON
      }
    }
    return text;
  }
  return content;
}
