// Shapes of the demo tools' replies: structuredContent plus the same JSON as text (MCP recommends
// both for tools with an outputSchema), and isError replies whose text tells the caller what to do.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseTime } from './store';

/** A successful reply carrying `value` both as structuredContent and as JSON text. */
export function ok(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A tool-level error (isError: true) with an actionable message. */
export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** The reply for an id that does not exist. */
export function notFound(kind: string, id: string, example: string, hint: string): CallToolResult {
  return fail(`No ${kind} with id "${id}". ${kind[0]?.toUpperCase()}${kind.slice(1)} ids look like "${example}"; ${hint}`);
}

/** The reply for a cursor this list did not hand out. */
export function badCursor(tool: string): CallToolResult {
  return fail(`The cursor passed to ${tool} is not valid for this list. Omit "cursor" to start from the first page, or pass the "nextCursor" of the previous page unchanged.`);
}

/** The reply for a date filter that does not parse. */
export function badDate(field: string, value: string): CallToolResult {
  return fail(`"${field}" must be an ISO 8601 date or date-time such as "2024-03-01" or "2024-03-01T12:00:00Z", not "${value}".`);
}

/** A tool's optional `from`/`to` bounds as epoch ms, or the isError result naming the bad one. */
export function parseDateRange(from: string | undefined, to: string | undefined): { start?: number; end?: number } | { error: CallToolResult } {
  const start = parseTime(from);
  const end = parseTime(to);
  if (Number.isNaN(start)) return { error: badDate('from', from ?? '') };
  if (Number.isNaN(end)) return { error: badDate('to', to ?? '') };
  return { start, end };
}
