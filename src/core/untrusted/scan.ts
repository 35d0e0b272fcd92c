// Scans untrusted tool text (results, descriptions, server instructions) for signs that it talks to
// the model: a heuristic, never a guarantee. Invariant: the work per string is linear and bounded
// by `maxChars` (the tail beyond it is reported as not scanned); scanning never throws on any input.
import { BASE64_BLOCK, PASS_SINK, READ_VERB, SENSITIVE_FILE, SINK_AFTER_CHARS, TEXT_RULES, TURN_MARKER, VERB_BEFORE_CHARS } from './rules';
import {
  DEFAULT_MAX_FINDINGS,
  DEFAULT_MAX_SCAN_CHARS,
  type InjectionFinding,
  type InjectionScan,
  type ScanOptions,
} from './types';
import { analyzeHomoglyphs, analyzeUnicode, isMostlyPrintable } from './unicode';

/** Base64 blocks decoded per string, and characters decoded per block. */
const MAX_BASE64_BLOCKS = 32;
const MAX_BASE64_CHARS = 4096;

/** Maps offsets of a copy with some ranges removed back to the original string. */
interface OffsetMap {
  /** Start of each kept chunk in the copy and in the original (ascending). */
  copy: number[];
  orig: number[];
}

function stripRanges(text: string, ranges: readonly { pos: number; len: number }[]): { out: string; map: OffsetMap | undefined } {
  if (ranges.length === 0) return { out: text, map: undefined };
  const parts: string[] = [];
  const map: OffsetMap = { copy: [], orig: [] };
  let at = 0;
  let copyLen = 0;
  for (const r of ranges) {
    if (r.pos > at) {
      map.copy.push(copyLen);
      map.orig.push(at);
      parts.push(text.slice(at, r.pos));
      copyLen += r.pos - at;
    }
    at = r.pos + r.len;
  }
  map.copy.push(copyLen);
  map.orig.push(at);
  parts.push(text.slice(at));
  return { out: parts.join(''), map };
}

function toOriginal(map: OffsetMap | undefined, offset: number): number {
  if (!map) return offset;
  let lo = 0;
  let hi = map.copy.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((map.copy[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return (map.orig[lo] as number) + offset - (map.copy[lo] as number);
}

function applyFolds(text: string, folds: readonly { pos: number; to: string }[]): string {
  if (folds.length === 0) return text;
  const chars = text.split('');
  for (const f of folds) chars[f.pos] = f.to;
  return chars.join('');
}

/** One line: up to 30 characters before, the match (up to 80), 30 after. */
function excerptOf(text: string, start: number, end: number): string {
  const one = (s: string) => s.replace(/\s+/g, ' ');
  const matchText = text.slice(start, Math.min(end, start + 80));
  return `${start > 30 ? '…' : ''}${one(text.slice(Math.max(0, start - 30), start))}${one(matchText)}${end > start + 80 ? '…' : ''}${one(text.slice(end, end + 30))}${end + 30 < text.length ? '…' : ''}`;
}

/** The text rules (phrases, markup, turn markers, sensitive files) over an already normalized string. */
function textFindings(text: string, cap: number): InjectionFinding[] {
  const out: InjectionFinding[] = [];
  const push = (kind: InjectionFinding['kind'], rule: string, start: number, end: number) =>
    out.push({ kind, rule, offset: start, length: end - start, excerpt: excerptOf(text, start, end) });

  for (const rule of TEXT_RULES) {
    rule.re.lastIndex = 0;
    let n = 0;
    for (let m = rule.re.exec(text); m && n < cap; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      if (rule.accept && !rule.accept(text, m)) continue;
      push(rule.kind, rule.id, m.index, m.index + m[0].length);
      n++;
    }
  }

  // Chat turns: one "Assistant:" line is a job title; a Human/Assistant turn next to another role is a transcript.
  TURN_MARKER.lastIndex = 0;
  const turns: { role: string; start: number; end: number }[] = [];
  for (let m = TURN_MARKER.exec(text); m && turns.length < cap; m = TURN_MARKER.exec(text)) {
    turns.push({ role: (m[1] as string).toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  const roles = new Set(turns.map((t) => t.role));
  if ((roles.has('human') || roles.has('assistant')) && roles.size >= 2) {
    for (const t of turns) push('role_markup', 'turn_markers', t.start, t.end);
  }

  SENSITIVE_FILE.lastIndex = 0;
  let files = 0;
  for (let m = SENSITIVE_FILE.exec(text); m && files < cap; m = SENSITIVE_FILE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    // The verb must be in the same sentence as the path ("Example: .netrc" after a full stop is not).
    const before = text.slice(Math.max(0, start - VERB_BEFORE_CHARS), start);
    const sentence = before.slice(Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n\n'), before.lastIndexOf(': ')) + 1);
    if (READ_VERB.test(sentence) && PASS_SINK.test(text.slice(end, end + SINK_AFTER_CHARS))) {
      push('exfiltration', 'read_sensitive_file', start, end);
      files++;
    }
  }
  return out;
}

/** Base64 blocks that decode to text tripping a text rule. */
function encodedFindings(text: string, cap: number): InjectionFinding[] {
  const out: InjectionFinding[] = [];
  BASE64_BLOCK.lastIndex = 0;
  let blocks = 0;
  for (let m = BASE64_BLOCK.exec(text); m && blocks < MAX_BASE64_BLOCKS && out.length < cap; m = BASE64_BLOCK.exec(text)) {
    const block = m[0];
    // Words and paths are not base64; a real block mixes cases or digits.
    if (!/[0-9+/_-]/.test(block) && !/[a-z][A-Z]|[A-Z][a-z]{0,2}[A-Z]/.test(block)) continue;
    blocks++;
    const chunk = block.slice(0, MAX_BASE64_CHARS - (MAX_BASE64_CHARS % 4));
    let decoded: string;
    try {
      decoded = Buffer.from(chunk, 'base64').toString('utf8');
    } catch {
      continue;
    }
    if (!isMostlyPrintable(decoded) || !/\s/.test(decoded)) continue;
    const inner = textFindings(decoded, 1);
    const first = inner[0];
    if (!first) continue;
    out.push({
      kind: 'encoded_payload',
      rule: `base64:${first.rule}`,
      offset: m.index,
      length: block.length,
      excerpt: excerptOf(text, m.index, m.index + Math.min(block.length, 40)),
      decoded: decoded.length > 200 ? `${decoded.slice(0, 200)}…` : decoded,
    });
  }
  return out;
}

/**
 * Looks for text that addresses the model instead of being data: instruction overrides ("ignore
 * previous instructions"), concealment ("do not tell the user"), exfiltration requests (read
 * ~/.ssh/id_rsa and pass it as a parameter; send the conversation to a URL), chat-template markup
 * (`<system>`, `<|im_start|>`, `[INST]`, turn markers), hidden Unicode (tag characters — decoded in
 * `decoded` —, zero-width runs and split words, bidi controls outside RTL text), look-alike letters
 * and base64 blocks that decode to any of these.
 *
 * A heuristic: a finding is a reason to warn, its absence proves nothing. Phrase rules run on a
 * normalized copy (invisible characters removed, look-alike letters folded), but offsets refer to
 * `text`. Cost is linear; at most `maxChars` characters are read (`truncated` says so).
 */
export function scanForInjection(text: string, opts: ScanOptions = {}): InjectionScan {
  const maxChars = Math.max(0, opts.maxChars ?? DEFAULT_MAX_SCAN_CHARS);
  const maxFindings = Math.max(1, opts.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const length = text.length;
  const truncated = length > maxChars;
  const src = truncated ? text.slice(0, maxChars) : text;

  const uni = analyzeUnicode(src, { maxFindings: maxFindings + 1, edits: false });
  const { out: stripped, map } = stripRanges(src, uni.specials);
  const homo = analyzeHomoglyphs(stripped);
  const normalized = applyFolds(stripped, homo.folds);

  const findings: InjectionFinding[] = [...uni.findings];
  const remap = (f: InjectionFinding): InjectionFinding => {
    if (!map) return f;
    const start = toOriginal(map, f.offset);
    const end = toOriginal(map, f.offset + f.length);
    return { ...f, offset: start, length: Math.max(end - start, 1) };
  };
  for (const f of homo.findings) findings.push(remap(f));
  for (const f of textFindings(normalized, maxFindings + 1)) findings.push(remap(f));
  for (const f of encodedFindings(normalized, maxFindings + 1)) findings.push(remap(f));

  findings.sort((a, b) => a.offset - b.offset || a.kind.localeCompare(b.kind));
  const findingsCut = findings.length > maxFindings || uni.findingsCut;
  return { findings: findingsCut ? findings.slice(0, maxFindings) : findings, length, scanned: src.length, truncated, findingsCut };
}

/** A finding inside a JSON value: where it is. */
export interface ValueFinding extends InjectionFinding {
  /** JSON path of the string, e.g. `$.items[3].body` or `$["odd key"]`. */
  path: string;
  /** True when the text is an object key, not a string value. */
  inKey?: boolean;
}

export interface ValueScanOptions extends ScanOptions {
  /** Characters scanned over all strings of the value together. Default 4 × DEFAULT_MAX_SCAN_CHARS. */
  maxTotalChars?: number;
  /** Findings kept over the whole value. Default 50. */
  maxTotalFindings?: number;
}

export interface ValueScan {
  findings: ValueFinding[];
  /** Strings (values and keys) looked at. */
  strings: number;
  /** Characters scanned, and characters of all strings visited (scanned or not). */
  scannedChars: number;
  totalChars: number;
  /** True when some text was not scanned (a string over `maxChars`, or the total budget ran out). */
  truncated: boolean;
  /** Path of the first string whose text was not (fully) scanned. */
  stoppedAt?: string;
  findingsCut: boolean;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
/** The JSON path of a child: `.name`, `["odd key"]` or `[3]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENT.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

const MAX_DEPTH = 512;

/**
 * Walks the strings (and object keys) of a JSON-compatible value depth-first in document order and
 * scans each with scanForInjection. Bounded: `maxChars` per string, `maxTotalChars` for the whole
 * value (the walk stops when it runs out and says where in `stoppedAt`). Non-JSON parts (functions,
 * symbols, class instances other than arrays/plain objects) are skipped; cycles are not followed.
 */
export function scanValue(value: unknown, opts: ValueScanOptions = {}): ValueScan {
  const perString = opts.maxChars ?? DEFAULT_MAX_SCAN_CHARS;
  let budget = opts.maxTotalChars ?? DEFAULT_MAX_SCAN_CHARS * 4;
  const maxTotalFindings = opts.maxTotalFindings ?? 50;
  const result: ValueScan = { findings: [], strings: 0, scannedChars: 0, totalChars: 0, truncated: false, findingsCut: false };
  const seen = new Set<object>();

  const scanString = (s: string, path: string, inKey: boolean): void => {
    result.strings++;
    result.totalChars += s.length;
    const allowed = Math.min(perString, budget);
    if (allowed <= 0) {
      if (!result.truncated) result.stoppedAt = path;
      result.truncated = true;
      return;
    }
    const scan = scanForInjection(s, { maxChars: allowed, maxFindings: opts.maxFindings });
    budget -= scan.scanned;
    result.scannedChars += scan.scanned;
    if (scan.truncated) {
      if (!result.truncated) result.stoppedAt = path;
      result.truncated = true;
    }
    if (scan.findingsCut) result.findingsCut = true;
    for (const f of scan.findings) {
      if (result.findings.length >= maxTotalFindings) {
        result.findingsCut = true;
        break;
      }
      result.findings.push(inKey ? { ...f, path, inKey } : { ...f, path });
    }
  };

  // Explicit stack (reverse push) so deep values cannot overflow the call stack.
  type Item = { v: unknown; path: string; depth: number; isKey?: boolean };
  const stack: Item[] = [{ v: value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth, isKey } = stack.pop() as Item;
    if (typeof v === 'string') {
      scanString(v, path, isKey === true);
      continue;
    }
    if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: childPath(path, i), depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) continue;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      stack.push({ v: (v as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
      // Keys are scanned before their value (they come first in the text).
      if (key.length >= 4) stack.push({ v: key, path: childPath(path, key), depth, isKey: true });
    }
  }
  return result;
}
