// Invisible and deceptive Unicode in untrusted text: tag characters, zero-width runs, words split
// by zero-width characters, bidi controls outside right-to-left text, Latin words with look-alike
// letters. Invariant: ordinary text (emoji ZWJ sequences and flags, ZWNJ in Persian, bidi marks in
// Arabic/Hebrew, soft hyphens) yields no finding and no edit, so `neutralize` leaves it unchanged.
import type { InjectionFinding } from './types';

/** Every invisible formatting character we look at; one regex pass finds them all. */
const SPECIAL =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDC7F\uDD00-\uDDEF]/g;

/** Zero-width characters that have no business between two ASCII letters (soft hyphen and
 *  ZWNJ/ZWJ have typographic uses there, so a split word needs the stronger ones). */
const WORD_SPLITTERS = new Set([0x200b, 0x2060, 0xfeff, 0x180e, 0x034f, 0x200d, 0x3164, 0x115f, 0x1160, 0xffa0]);

/** A run of this many consecutive invisible characters is flagged (emoji sequences have at most 2). */
export const INVISIBLE_RUN_MIN = 3;

/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, presentation forms). */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;
const BIDI_WINDOW = 256;

type Group = 'tag' | 'bidi' | 'other';

/** A replacement of text[start, end) used by `neutralize`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface UnicodeAnalysis {
  findings: InjectionFinding[];
  /** More findings existed than `maxFindings`. */
  findingsCut: boolean;
  edits: Edit[];
  /** Invisible characters the text rules' normalized copy leaves out (sorted, non-overlapping). */
  specials: { pos: number; len: number }[];
}

function groupOf(cp: number): Group {
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  return 'other';
}

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** ASCII spelled by tag characters (U+E0020–E007E ↔ 0x20–0x7E); the others spell nothing. */
export function decodeTags(cps: readonly number[]): string {
  let s = '';
  for (const cp of cps) if (cp >= 0xe0020 && cp <= 0xe007e) s += String.fromCharCode(cp - 0xe0000);
  return s;
}

/** Bytes hidden in variation selectors (FE00–FE0F = 0–15, E0100–E01EF = 16–255), as UTF-8 text,
 *  or undefined when they do not spell printable text. */
function decodeVariationSelectors(cps: readonly number[]): string | undefined {
  const bytes: number[] = [];
  for (const cp of cps) {
    if (cp >= 0xfe00 && cp <= 0xfe0f) bytes.push(cp - 0xfe00);
    else if (cp >= 0xe0100 && cp <= 0xe01ef) bytes.push(cp - 0xe0100 + 16);
    else return undefined;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes));
  return isMostlyPrintable(text) ? text : undefined;
}

/** At least 85 % letters, digits, punctuation or spaces, and no replacement characters. */
export function isMostlyPrintable(text: string): boolean {
  if (text.length === 0 || text.includes('\uFFFD')) return false;
  let ok = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0xa0) ok++;
  }
  return ok / text.length >= 0.85;
}

/** `🏴` followed by 2–7 tag letters/digits and CANCEL TAG: England, Scotland, Wales and other
 *  subdivision flags. These are ordinary emoji. */
function isEmojiFlagTags(text: string, start: number, cps: readonly number[]): boolean {
  if (start < 2 || text.charCodeAt(start - 2) !== 0xd83c || text.charCodeAt(start - 1) !== 0xdff4) return false;
  if (cps.length < 3 || cps.length > 8 || cps[cps.length - 1] !== 0xe007f) return false;
  for (let i = 0; i < cps.length - 1; i++) {
    const c = cps[i] as number;
    if (!((c >= 0xe0030 && c <= 0xe0039) || (c >= 0xe0061 && c <= 0xe007a))) return false;
  }
  return true;
}

/** The visible stand-in for hidden tag characters, e.g. `[U+E0049…: "Ignore all"]`. */
export function tagMarker(cps: readonly number[]): string {
  return `[${hex(cps[0] ?? 0xe0000)}${cps.length > 1 ? '…' : ''}: ${JSON.stringify(decodeTags(cps))}]`;
}

function invisibleMarker(cps: readonly number[], decoded: string | undefined): string {
  const distinct = [...new Set(cps)].slice(0, 4).map(hex).join(' ');
  const more = new Set(cps).size > 4 ? ' …' : '';
  return `[${cps.length} invisible characters ${distinct}${more}${decoded !== undefined ? `: ${JSON.stringify(decoded)}` : ''}]`;
}

function shorten(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Same class as SPECIAL, separate instance: `replace` must not disturb SPECIAL's lastIndex. */
const SPECIAL_ANY = new RegExp(SPECIAL.source, 'g');

/** One line of context around [start, end) of `text` with `middle` in place of the match. */
function contextExcerpt(text: string, start: number, end: number, middle: string): string {
  const left = text.slice(Math.max(0, start - 30), start).replace(SPECIAL_ANY, '');
  const right = text.slice(end, end + 30).replace(SPECIAL_ANY, '');
  const one = (s: string) => s.replace(/\s+/g, ' ');
  return `${start > 30 ? '…' : ''}${one(left)}${shorten(middle, 120)}${one(right)}${end + 30 < text.length ? '…' : ''}`;
}

/** The code point of an invisible character at `i` (its first code unit), or 0. */
function specialAt(text: string, i: number, c: number): number {
  if (c === 0xdb40) {
    const d = text.charCodeAt(i + 1);
    return (d >= 0xdc00 && d <= 0xdc7f) || (d >= 0xdd00 && d <= 0xddef) ? 0xe0000 + (d - 0xdc00) : 0;
  }
  return c === 0x00ad ||
    c === 0x034f ||
    c === 0x061c ||
    c === 0x115f ||
    c === 0x1160 ||
    c === 0x17b4 ||
    c === 0x17b5 ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x3164 ||
    (c >= 0xfe00 && c <= 0xfe0f) ||
    c === 0xfeff ||
    c === 0xffa0
    ? c
    : 0;
}

export interface UnicodeOptions {
  /** Look at text[0, limit) only. Default: all of it. */
  limit?: number;
  /** Stop creating findings after this many (edits are still made). Default: no cap. */
  maxFindings?: number;
  /** false skips building edits (a scan does not need them). Default true. */
  edits?: boolean;
}

/** Finds the invisible characters of text[0, limit) and decides which are deceptive. Linear: one
 *  pass over the code units, then work proportional to the invisible characters found. */
export function analyzeUnicode(text: string, opts: UnicodeOptions = {}): UnicodeAnalysis {
  const limit = Math.min(opts.limit ?? text.length, text.length);
  const maxFindings = opts.maxFindings ?? Infinity;
  const wantEdits = opts.edits ?? true;
  const findings: InjectionFinding[] = [];
  const edits: Edit[] = [];
  const strip: { pos: number; len: number }[] = [];
  let findingsCut = false;
  const addFinding = (f: () => InjectionFinding) => {
    if (findings.length < maxFindings) findings.push(f());
    else findingsCut = true;
  };

  // Short invisible segments between ASCII letters, grouped by word, for the split-word rule.
  let splitGroup: { start: number; end: number; splitters: number; items: { pos: number; len: number }[] } | undefined;
  const flushSplit = () => {
    const g = splitGroup;
    splitGroup = undefined;
    if (!g || g.splitters < 2) return;
    const start = wordStart(text, g.start);
    const end = wordEnd(text, g.end);
    const word = text.slice(start, end).replace(SPECIAL_ANY, '');
    addFinding(() => ({
      kind: 'invisible_chars',
      rule: 'split_word',
      excerpt: contextExcerpt(text, start, end, `${word} [${g.splitters} zero-width characters inside]`),
      offset: g.start,
      length: g.end - g.start,
      decoded: shorten(word),
    }));
    if (wantEdits) for (const it of g.items) edits.push({ start: it.pos, end: it.pos + it.len, text: '' });
  };

  let bidiCache: { from: number; to: number; rtl: boolean } | undefined;

  const segment = (group: Group, start: number, end: number, cps: number[]) => {
    const before = start > 0 ? text.charCodeAt(start - 1) : 0x20;
    const after = end < text.length ? text.charCodeAt(end) : 0x20;
    // Invisible characters next to ASCII can hide inside English words; the text rules read a
    // copy without them. Between emoji or inside Persian and Thai they are left where they are.
    if (group === 'tag' || cps.length >= INVISIBLE_RUN_MIN || before < 0x80 || after < 0x80) strip.push({ pos: start, len: end - start });
    if (group === 'tag') {
      if (isEmojiFlagTags(text, start, cps)) return;
      const marker = tagMarker(cps);
      addFinding(() => ({
        kind: 'hidden_tags',
        rule: 'unicode_tags',
        excerpt: contextExcerpt(text, start, end, marker),
        offset: start,
        length: end - start,
        decoded: shorten(decodeTags(cps)),
      }));
      if (wantEdits) edits.push({ start, end, text: marker });
      return;
    }
    if (group === 'bidi') {
      // Bidi controls are ordinary inside right-to-left text; elsewhere they reorder what a
      // reader sees (Trojan Source). Look at the line around the control, clipped to a window.
      let rtl: boolean;
      if (bidiCache && start >= bidiCache.from && end <= bidiCache.to) rtl = bidiCache.rtl;
      else {
        const nl = text.lastIndexOf('\n', start);
        const from = Math.max(nl + 1, start - BIDI_WINDOW);
        const nextNl = text.indexOf('\n', end);
        const to = Math.min(nextNl < 0 ? text.length : nextNl, end + BIDI_WINDOW);
        rtl = RTL_LETTER.test(text.slice(from, to));
        bidiCache = { from, to, rtl };
      }
      if (rtl) return;
      const marker = cps.map((c) => `[${hex(c)}]`).join('');
      addFinding(() => ({ kind: 'bidi_control', rule: 'bidi_outside_rtl', excerpt: contextExcerpt(text, start, end, marker), offset: start, length: end - start }));
      if (wantEdits) edits.push({ start, end, text: marker });
      return;
    }
    if (cps.length >= INVISIBLE_RUN_MIN) {
      const decoded = decodeVariationSelectors(cps);
      const marker = invisibleMarker(cps, decoded);
      addFinding(() => ({
        kind: 'invisible_chars',
        rule: decoded !== undefined ? 'variation_selector_payload' : 'invisible_run',
        excerpt: contextExcerpt(text, start, end, marker),
        offset: start,
        length: end - start,
        ...(decoded !== undefined ? { decoded: shorten(decoded) } : {}),
      }));
      if (wantEdits) edits.push({ start, end, text: marker });
      return;
    }
    if (isAsciiLetter(before) && isAsciiLetter(after) && cps.some((c) => WORD_SPLITTERS.has(c))) {
      const splitters = cps.filter((c) => WORD_SPLITTERS.has(c)).length;
      // Same word when only ASCII letters lie between the previous candidate and this one.
      if (splitGroup && lettersOnly(text, splitGroup.end, start)) {
        splitGroup.end = end;
        splitGroup.splitters += splitters;
        splitGroup.items.push({ pos: start, len: end - start });
      } else {
        flushSplit();
        splitGroup = { start, end, splitters, items: [{ pos: start, len: end - start }] };
      }
    }
  };

  let seg: { group: Group; start: number; end: number; cps: number[] } | undefined;
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xad) continue;
    const cp = specialAt(text, i, c);
    if (cp === 0) continue;
    const len = cp > 0xffff ? 2 : 1;
    const g = groupOf(cp);
    if (seg && seg.end === i && seg.group === g) {
      seg.end = i + len;
      seg.cps.push(cp);
    } else {
      if (seg) segment(seg.group, seg.start, seg.end, seg.cps);
      seg = { group: g, start: i, end: i + len, cps: [cp] };
    }
    i += len - 1;
  }
  if (seg) segment(seg.group, seg.start, seg.end, seg.cps);
  flushSplit();

  edits.sort((a, b) => a.start - b.start);
  findings.sort((a, b) => a.offset - b.offset);
  return { findings, findingsCut, edits, specials: strip };
}

const LETTERS_STICKY = /[A-Za-z]*/y;
function lettersOnly(text: string, from: number, to: number): boolean {
  LETTERS_STICKY.lastIndex = from;
  LETTERS_STICKY.exec(text);
  return LETTERS_STICKY.lastIndex === to && to - from < 64;
}
function wordStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && pos - i < 64 && isAsciiLetter(text.charCodeAt(i - 1))) i--;
  return i;
}
function wordEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && i - pos < 64 && isAsciiLetter(text.charCodeAt(i))) i++;
  return i;
}

/** Applies sorted, non-overlapping edits. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Makes deceptive invisible characters visible and drops zero-width characters that split words:
 * tag characters become `[U+E0049…: "Ignore all"]`, runs of zero-width or variation-selector
 * characters become `[5 invisible characters U+200B U+200C]` (with the decoded bytes when they
 * spell text), bidi controls outside right-to-left text become `[U+202E]`. Ordinary text —
 * including emoji ZWJ sequences, subdivision flags, ZWNJ in Persian and bidi marks in Arabic or
 * Hebrew — is returned unchanged (the same string). Linear in the length of `text`.
 */
export function neutralize(text: string): string {
  return applyEdits(text, analyzeUnicode(text).edits);
}

// ---- Homoglyphs -------------------------------------------------------------------------------

/** Cyrillic and Greek letters that look like Latin ones, folded to the Latin letter. */
const CONFUSABLE: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ӏ: 'l',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
  І: 'I', Ј: 'J', Ѕ: 'S', Ү: 'Y', Һ: 'H', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I',
  // Greek
  ο: 'o', α: 'a', ι: 'i', ν: 'v', ρ: 'p', υ: 'u', κ: 'k', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

/** CONFUSABLE as a table over U+0370–U+052F: the Latin char code, or 0. */
const FOLD = new Uint8Array(0x0530 - 0x0370);
for (const [k, v] of Object.entries(CONFUSABLE)) FOLD[k.charCodeAt(0) - 0x0370] = v.charCodeAt(0);

/** Words an attacker spells entirely in look-alike letters to slip past an English rule. */
const KEYWORDS = new Set([
  'ignore', 'disregard', 'forget', 'previous', 'prior', 'above', 'instruction', 'instructions', 'system', 'prompt',
  'assistant', 'important', 'override', 'secret', 'password', 'admin', 'execute', 'reveal',
]);

/** Finds Greek/Cyrillic letters; tokens are grown around them, so pure-Latin text costs one regex pass. */
const GREEK_OR_CYRILLIC_G = /[\u0370-\u052F]/g;
const MAX_TOKEN = 40;

function isTokenChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x0370 && code <= 0x052f);
}

export interface HomoglyphAnalysis {
  findings: InjectionFinding[];
  /** Positions (in the analysed string) of look-alike letters and their Latin fold. */
  folds: { pos: number; to: string }[];
}

/** Latin words written with Cyrillic/Greek look-alikes. Pure Cyrillic or Greek words are left
 *  alone unless they spell an English keyword; a Latin word with a Cyrillic ending ("GitHubе")
 *  is not flagged. Cost: one regex pass, then work proportional to the Greek/Cyrillic text. */
export function analyzeHomoglyphs(text: string): HomoglyphAnalysis {
  const findings: InjectionFinding[] = [];
  const folds: { pos: number; to: string }[] = [];
  GREEK_OR_CYRILLIC_G.lastIndex = 0;
  for (let m = GREEK_OR_CYRILLIC_G.exec(text); m; m = GREEK_OR_CYRILLIC_G.exec(text)) {
    let from = m.index;
    while (from > 0 && isTokenChar(text.charCodeAt(from - 1))) from--;
    let to = m.index + 1;
    while (to < text.length && isTokenChar(text.charCodeAt(to))) to++;
    GREEK_OR_CYRILLIC_G.lastIndex = to;
    const token = text.slice(from, to);
    if (token.length < 3 || token.length > MAX_TOKEN) continue;
    const index = from;
    let latin = 0;
    let lookalike = 0;
    let foreign = 0;
    let interior = false;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) latin++;
      else if (code <= 0x052f && FOLD[code - 0x0370] !== 0) {
        lookalike++;
        // A look-alike at the start or with a Latin letter after it is inside the word.
        if (i === from || (i + 1 < to && text.charCodeAt(i + 1) < 0x80)) interior = true;
      } else foreign++;
    }
    if (foreign > 0 || lookalike === 0) continue;
    const mixed = latin > 0 && latin >= lookalike && interior;
    if (!mixed && (latin > 0 || token.length < 4 || token.length > 12)) continue;
    let folded = '';
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      folded += code < 0x80 ? text[i] : String.fromCharCode(FOLD[code - 0x0370] as number);
    }
    const disguised = !mixed && KEYWORDS.has(folded.toLowerCase());
    if (!mixed && !disguised) continue;
    const letters = [...token].filter((c) => c.charCodeAt(0) >= 0x80);
    findings.push({
      kind: 'homoglyphs',
      rule: mixed ? 'mixed_script_word' : 'lookalike_keyword',
      excerpt: `${token} (looks like "${folded}"; ${[...new Set(letters)].map((c) => `${c} ${hex(c.charCodeAt(0))}`).join(', ')})`,
      offset: index,
      length: token.length,
      decoded: folded,
    });
    for (let i = 0; i < token.length; i++) {
      const latin = CONFUSABLE[token[i] as string];
      if (latin !== undefined) folds.push({ pos: index + i, to: latin });
    }
  }
  return { findings, folds };
}
