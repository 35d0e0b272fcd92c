// The one path syntax of previews and read_value: `$`, `.name` for identifier keys, `[12]` for array
// items, `["any key"]` (a JSON string) for every other key. Invariant: parsePath(formatPath(s)) deep-equals
// s for every segment list, and formatPath writes exactly one canonical text per segment list.
import { PreviewError } from './errors';
import { jsonKeys, jsonKind, jsonView } from './json';
import { count, groupDigits } from './words';

/** One step of a path: a string is an object key, a number an array index. */
export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;

/** One segment as it is appended to a path: `.name`, `[3]` or `["odd key"]`. */
export function formatSegment(seg: PathSegment): string {
  if (typeof seg === 'number') return `[${seg}]`;
  return IDENT.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
}

/** Canonical text of a path: `$` followed by each segment (`$.customers[12]["first name"]`). */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const seg of segments) out += formatSegment(seg);
  return out;
}

function bad(text: string, position: number, what: string): PreviewError {
  return new PreviewError(
    'bad_path',
    `The path ${JSON.stringify(text)} is not valid at position ${position}: ${what}. ` +
      `Write paths like $.customers[12].notes or $["key with spaces"][0] (keys that are not plain identifiers go in ["…"]).`,
    { position },
  );
}

/**
 * Parses path text into segments. Accepts the canonical form plus what models tend to write: a missing
 * leading `$` (`customers[0]`), single-quoted keys (`$['a b']`) and spaces around the whole path.
 * Throws PreviewError 'bad_path' with the position of the first offending character.
 */
export function parsePath(text: string): PathSegment[] {
  const segs: PathSegment[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && /\s/.test(text[i] as string)) i++;
  let end = n;
  while (end > i && /\s/.test(text[end - 1] as string)) end--;
  if (i === end) throw bad(text, i, 'the path is empty (use $ for the whole value)');
  if (text[i] === '$' && (i + 1 === end || text[i + 1] === '.' || text[i + 1] === '[')) i++;
  else if (IDENT_START.test(text[i] as string)) {
    const start = i;
    while (i < end && IDENT_PART.test(text[i] as string)) i++;
    segs.push(text.slice(start, i));
  } else if (text[i] !== '.' && text[i] !== '[') throw bad(text, i, 'a path starts with $');
  while (i < end) {
    const c = text[i];
    if (c === '.') {
      const start = ++i;
      if (i >= end || !IDENT_START.test(text[i] as string)) {
        throw bad(text, i, 'after "." comes a key made of letters, digits, _ or $ (other keys go in ["…"], items in [n])');
      }
      while (i < end && IDENT_PART.test(text[i] as string)) i++;
      segs.push(text.slice(start, i));
    } else if (c === '[') {
      i++;
      const q = text[i];
      if (q === '"' || q === "'") {
        const [key, next] = readQuoted(text, i, end, q);
        segs.push(key);
        i = next;
      } else {
        const start = i;
        while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
        const digits = text.slice(start, i);
        if (digits === '') throw bad(text, start, 'inside [ ] comes an item index (0, 1, …) or a quoted key');
        if (digits.length > 1 && digits[0] === '0') throw bad(text, start, 'an index has no leading zeros');
        const index = Number(digits);
        if (!Number.isSafeInteger(index)) throw bad(text, start, 'the index is too large');
        segs.push(index);
      }
      if (text[i] !== ']') throw bad(text, i, 'expected "]"');
      i++;
    } else {
      throw bad(text, i, 'expected "." or "[" before the next key');
    }
  }
  return segs;
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A quoted key starting at `start` (the quote); JSON escapes plus \' inside single quotes. */
function readQuoted(text: string, start: number, end: number, quote: string): [string, number] {
  let out = '';
  let i = start + 1;
  while (i < end) {
    const c = text[i] as string;
    if (c === quote) return [out, i + 1];
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw bad(text, i, 'a \\u escape needs four hex digits');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const mapped = e === undefined ? undefined : ESCAPES[e];
      if (mapped === undefined || (e === "'" && quote !== "'")) throw bad(text, i, 'unknown escape in the quoted key');
      out += mapped;
      i += 2;
      continue;
    }
    if (text.charCodeAt(i) < 0x20) throw bad(text, i, 'control characters in a key must be escaped');
    out += c;
    i++;
  }
  throw bad(text, end, `the quoted key is not closed with ${quote}`);
}

/** Canonical integer text ("0", "12"): a string segment like this also selects an array item. */
const INDEX_TEXT = /^(0|[1-9][0-9]*)$/;

/**
 * The value at `segments` inside `root` (values seen as JSON sees them: toJSON applied). Lenient where it
 * cannot be ambiguous: `["3"]` selects item 3 of an array and `[3]` selects key "3" of an object.
 * Throws PreviewError 'path_not_found' naming the deepest prefix that exists and what is there.
 */
export function resolvePath(root: unknown, segments: readonly PathSegment[]): unknown {
  let v = jsonView(root, '');
  for (let d = 0; d < segments.length; d++) {
    const seg = segments[d] as PathSegment;
    const kind = jsonKind(v);
    let next: unknown;
    let found = false;
    if (kind === 'array') {
      const arr = v as unknown[];
      const index = typeof seg === 'number' ? seg : INDEX_TEXT.test(seg) ? Number(seg) : -1;
      if (index >= 0 && index < arr.length) {
        next = jsonView(arr[index], index);
        if (jsonKind(next) === 'skip') next = null;
        found = true;
      }
    } else if (kind === 'object') {
      const key = String(seg);
      const rec = v as Record<string, unknown>;
      if (Object.prototype.hasOwnProperty.call(rec, key)) {
        next = jsonView(rec[key], key);
        found = jsonKind(next) !== 'skip';
      }
    }
    if (!found) throw notFound(segments, d, v);
    v = next;
  }
  return v;
}

function notFound(segments: readonly PathSegment[], depth: number, at: unknown): PreviewError {
  const full = formatPath(segments);
  const prefix = formatPath(segments.slice(0, depth));
  const seg = segments[depth] as PathSegment;
  const kind = jsonKind(at);
  let what: string;
  if (kind === 'array') {
    const n = (at as unknown[]).length;
    what =
      typeof seg === 'number' || INDEX_TEXT.test(seg)
        ? `${prefix} is an array of ${count(n, 'item')}${n > 0 ? ` (indexes 0 to ${groupDigits(n - 1)})` : ''}`
        : `${prefix} is an array of ${count(n, 'item')}, so it has items [n], not keys like ${JSON.stringify(seg)}`;
  } else if (kind === 'object') {
    const keys = jsonKeys(at as object);
    const shown = keys.slice(0, 12).map((k) => formatSegment(k).replace(/^\./, '')).join(', ');
    what = `${prefix} is an object without the key ${JSON.stringify(String(seg))} (${count(keys.length, 'key')}${keys.length ? `: ${shown}${keys.length > 12 ? ', …' : ''}` : ''})`;
  } else {
    what = `${prefix} is ${kind === 'null' ? 'null' : `a ${kind}`}, which has no ${typeof seg === 'number' ? 'items' : 'keys'}`;
  }
  return new PreviewError('path_not_found', `There is no value at ${full}: ${what}.`, { deepestPath: prefix });
}
