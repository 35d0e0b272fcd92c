// The marker texts a preview puts where it left something out, and their parser. Every marker is a
// JSON string that starts with "«… " and ends with "»", names the path and, for a cut, the offset to
// continue from, so a model can pass both to read_value as they are. Keep in step with docs/previews.md.
import { formatPath, parsePath, type PathSegment } from './path';
import { count, groupDigits } from './words';

/** The tool markers name (the MCP tool; the VS Code LM tool is `toolweaver_read_value`). */
export const DEFAULT_READ_TOOL = 'read_value';

/** Key of the entry that stands for the keys an object preview left out (suffixed 1, 2, … on a clash). */
export const OBJECT_TAIL_KEY = '«…»';

export type TailUnit = 'items' | 'keys' | 'chars';

const UNIT_SINGULAR: Record<TailUnit, string> = { items: 'item', keys: 'key', chars: 'char' };

/** `«… 980 more items (1,000 in all): read_value $.customers offset 20»` */
export function tailMarker(unit: TailUnit, more: number, total: number, tool: string, path: string, offset: number): string {
  return `«… ${count(more, `more ${UNIT_SINGULAR[unit]}`, `more ${unit}`)} (${groupDigits(total)} in all): ${tool} ${path} offset ${groupDigits(offset)}»`;
}

/** `«… object, 12 keys: read_value $.customers[3]»` (with ` offset N` when it is a window from N). */
export function valueMarker(type: 'object' | 'array', size: number, tool: string, path: string, offset = 0): string {
  const what = type === 'object' ? count(size, 'key') : count(size, 'item');
  return `«… ${type}, ${what}: ${tool} ${path}${offset > 0 ? ` offset ${groupDigits(offset)}` : ''}»`;
}

/** What a marker says, parsed back. */
export interface ParsedMarker {
  kind: 'value' | TailUnit;
  /** For a tail: how many were left out; for a value: its items or keys. */
  count: number;
  /** For a tail: items/keys/chars of the whole node. */
  total?: number;
  tool: string;
  path: string;
  segments: PathSegment[];
  offset: number;
}

const num = (s: string | undefined): number => Number((s ?? '0').replace(/,/g, ''));

const MARKER =
  /«… (?:(?<more>[\d,]+) more (?<unit>items?|keys?|chars?) \((?<total>[\d,]+) in all\)|(?<type>object|array), (?<size>[\d,]+) (?:keys?|items?)): (?<tool>[A-Za-z0-9_.-]+) (?<path>\$.*?)(?: offset (?<offset>[\d,]+))?»$/s;

/**
 * The marker at the end of `text` (a whole marker string, or a cut string's last part), or undefined.
 * Only the preview's `elided` list is authoritative: real data may contain text that looks like this.
 */
export function parseMarker(text: string): ParsedMarker | undefined {
  const start = text.lastIndexOf('«… ');
  if (start < 0) return undefined;
  const m = MARKER.exec(text.slice(start));
  const g = m?.groups;
  if (!g) return undefined;
  let segments: PathSegment[];
  try {
    segments = parsePath(g.path as string);
  } catch {
    return undefined;
  }
  const path = formatPath(segments);
  if (g.type) return { kind: 'value', count: num(g.size), tool: g.tool as string, path, segments, offset: num(g.offset) };
  const unit = (g.unit as string).endsWith('s') ? (g.unit as TailUnit) : (`${g.unit}s` as TailUnit);
  return { kind: unit, count: num(g.more), total: num(g.total), tool: g.tool as string, path, segments, offset: num(g.offset) };
}
