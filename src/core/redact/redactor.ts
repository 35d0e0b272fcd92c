// Replaces secrets and PII in text and JSON values before anything reaches a trace file or log.
// Pure: no I/O; each call returns the redacted copy and what it found. Invariant: configured secret
// values are replaced wherever they occur, before the patterns run, so no pattern leaves a fragment.
import { BUILTIN_PATTERNS, SECRET_FIELD_RULE, SECRET_KEY_NAME, type RedactionPattern } from './patterns';

export interface RedactorOptions {
  /** Exact values to remove (env values, headers, inputs configured for servers). Values shorter
   *  than `minSecretLength` are ignored: redacting `1` or `true` everywhere would wreck traces. */
  secrets?: readonly string[];
  minSecretLength?: number;
  /** Extra patterns, applied after the built-in ones. */
  patterns?: readonly RedactionPattern[];
  /** Names of built-in patterns to switch off (e.g. `phone`). */
  disable?: readonly string[];
  /** false switches off every PII pattern (email, phone, card, ssn). Default true. */
  pii?: boolean;
  /** false keeps values under secret-ish keys (in JSON values and as `key: "…"` text) unless
   *  another pattern matches. Default true. */
  redactSecretKeys?: boolean;
  /** What stands in for a removed secret; default `[REDACTED:<rule>]`. The privacy firewall
   *  passes one that hands out placeholders (src/core/firewall/vault.ts). */
  marker?: RedactionMarker;
}

/** Writes the text that replaces a removed secret, and recognizes such text so that no later
 *  pattern replaces a replacement. `mark` gets the exact text removed and the rule that found it. */
export interface RedactionMarker {
  mark(secret: string, rule: string, kind: 'secret' | 'pii'): string;
  isMark(text: string): boolean;
}

/** What one redaction removed: replacements per rule (`configured_secret`, `secret_field`, a
 *  pattern name), and their total. Never the removed text. */
export interface RedactionFindings {
  total: number;
  byRule: Record<string, { kind: 'secret' | 'pii'; count: number }>;
}

/** A redacted copy and what was removed from it. */
export interface Redacted<T> {
  value: T;
  found: RedactionFindings;
}

export interface Redactor {
  /** Redacts a text; `found` counts the replacements by rule. */
  text(text: string): Redacted<string>;
  /** Walks a JSON-compatible value and returns a redacted copy (the input is not modified).
   *  Strings and numbers under keys with secret-ish names (`password`, `api_key`, `cookie`,
   *  `session_id`…) are replaced whole; every other string is redacted as text. */
  value(value: unknown): Redacted<unknown>;
  /** `text(t).value`, adding to `count`. */
  redactText(text: string): string;
  /** `value(v).value`, adding to `count`. */
  redactValue(value: unknown): unknown;
  /** Replacements made so far by redactText/redactValue (a run's trace reports this). */
  readonly count: number;
}

export const DEFAULT_MIN_SECRET_LENGTH = 6;

/** Pattern from configuration text (settings / CLI): `{ name, pattern, flags }`. */
export function compilePattern(def: { name: string; pattern: string; flags?: string; kind?: 'secret' | 'pii' }): RedactionPattern {
  const flags = new Set((def.flags ?? '').split(''));
  flags.add('g');
  return { name: def.name, kind: def.kind ?? 'secret', regex: new RegExp(def.pattern, [...flags].join('')) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SPAN_GROUPS = ['s', 's2', 's3', 's4', 's5'] as const;

/** The replaced span of a match: the first named group `s`, `s2`… that took part, else the whole match. */
function spanOf(m: RegExpExecArray): [number, number] | undefined {
  const groups = m.indices?.groups;
  if (groups) {
    for (const g of SPAN_GROUPS) {
      const span = groups[g];
      if (span) return span;
    }
  }
  return m.indices?.[0];
}

/**
 * The text the patterns are matched against: `text` with the letter of each JSON escape `\n`,
 * `\r`, `\t` replaced by the control character it stands for. Same length, so match offsets hold
 * for `text`; in JSON text (a logged JSON.stringify, a huge value redacted as text) `\nghp_…` then
 * has a word boundary before `ghp_`. Patterns keep their leading `\b`, which V8 scans fast (a
 * lookbehind there cost 20–50 ms per MiB per pattern).
 */
function shadowOf(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\[nrt]/g, (m) => (m === '\\n' ? '\\\n' : m === '\\r' ? '\\\r' : '\\\t'));
}

function emptyFindings(): RedactionFindings {
  return { total: 0, byRule: {} };
}

function tally(found: RedactionFindings, rule: string, kind: 'secret' | 'pii'): void {
  found.total++;
  const entry = (found.byRule[rule] ??= { kind, count: 0 });
  entry.count++;
}

/** Creates a redactor; see RedactorOptions for what it removes. */
export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const disabled = new Set(opts.disable ?? []);
  const pii = opts.pii ?? true;
  const redactKeys = opts.redactSecretKeys ?? true;
  const patterns = [...BUILTIN_PATTERNS, ...(opts.patterns ?? [])].filter(
    (p) => !disabled.has(p.name) && (pii || p.kind !== 'pii') && (redactKeys || p.name !== SECRET_FIELD_RULE),
  );
  for (const p of patterns) {
    if (!p.regex.global) throw new Error(`Redaction pattern "${p.name}" must use the g flag.`);
  }
  // Compiled once with the `d` flag (match indices, for the named group `s`); lastIndex is reset per use.
  const compiled = patterns.map((p) => ({ p, re: new RegExp(p.regex.source, p.regex.flags.includes('d') ? p.regex.flags : p.regex.flags + 'd') }));
  // One test for every quick condition: when it finds nothing, the patterns that have one are skipped.
  const quickSources = compiled.flatMap(({ p }) => (p.quick ? [`(?:${p.quick.source})`] : []));
  const quickUnion = quickSources.length > 0 ? new RegExp([...new Set(quickSources)].join('|'), 'i') : undefined;
  const minLen = opts.minSecretLength ?? DEFAULT_MIN_SECRET_LENGTH;
  const exact = [...new Set(opts.secrets ?? [])].filter((s) => s.length >= minLen).sort((a, b) => b.length - a.length);
  const exactRegex = exact.length > 0 ? new RegExp(exact.map(escapeRegExp).join('|'), 'g') : undefined;
  const keyRule = redactKeys && !disabled.has(SECRET_FIELD_RULE);
  const marker = opts.marker;
  const markOf = (secret: string, rule: string, kind: 'secret' | 'pii'): string => (marker ? marker.mark(secret, rule, kind) : `[REDACTED:${rule}]`);
  const isMarked = (text: string): boolean => text.startsWith('[REDACTED') || (marker?.isMark(text) ?? false);
  /** True when `start` lies inside a custom mark («…» of the firewall): `«secret:NAME»` holds
   *  `secret:`, which the key/value rule would otherwise take for a field. */
  const insideMark = (text: string, start: number): boolean => {
    if (!marker) return false;
    const open = text.lastIndexOf('«', start);
    if (open === -1) return false;
    const close = text.indexOf('»', open);
    return close >= start && marker.isMark(text.slice(open, close + 1));
  };
  let count = 0;

  /** One pattern over `text`, matched on its `shadow` (shadowOf); returns both, redacted alike. */
  function applyPattern(text: string, shadow: string, p: RedactionPattern, re: RegExp, found: RedactionFindings): [string, string] {
    re.lastIndex = 0;
    let out = '';
    let outShadow = '';
    let last = 0;
    for (let m = re.exec(shadow); m !== null; m = re.exec(shadow)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const span = spanOf(m);
      if (!span) continue;
      const [start, end] = span;
      const secret = text.slice(start, end);
      if (isMarked(secret) || insideMark(text, start)) continue;
      if (p.validate && !p.validate(secret)) continue;
      const mark = markOf(secret, p.name, p.kind);
      out += text.slice(last, start) + mark;
      if (shadow !== text) outShadow += shadow.slice(last, start) + mark;
      last = end;
      tally(found, p.name, p.kind);
    }
    if (last === 0) return [text, shadow];
    out += text.slice(last);
    return [out, shadow === text ? out : outShadow + shadow.slice(last)];
  }

  function redactText(text: string, found: RedactionFindings): string {
    let out = text;
    if (exactRegex) {
      out = out.replace(exactRegex, (secret) => {
        tally(found, 'configured_secret', 'secret');
        return markOf(secret, 'configured_secret', 'secret');
      });
    }
    let shadow = shadowOf(out);
    const quickHit = quickUnion === undefined || quickUnion.test(shadow);
    for (const { p, re } of compiled) {
      if (p.quick && !quickHit) continue;
      [out, shadow] = applyPattern(out, shadow, p, re, found);
    }
    return out;
  }

  function walk(value: unknown, depth: number, found: RedactionFindings): unknown {
    if (typeof value === 'string') return redactText(value, found);
    if (value === null || typeof value !== 'object' || depth > 200) return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, found));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = redactText(k, found);
      if (keyRule && SECRET_KEY_NAME.test(k) && (typeof v === 'string' || typeof v === 'number') && String(v).length > 0 && !(marker?.isMark(String(v)) ?? false)) {
        tally(found, SECRET_FIELD_RULE, 'secret');
        out[key] = markOf(String(v), SECRET_FIELD_RULE, 'secret');
      } else {
        out[key] = walk(v, depth + 1, found);
      }
    }
    return out;
  }

  function text(t: string): Redacted<string> {
    const found = emptyFindings();
    return { value: redactText(t, found), found };
  }
  function value(v: unknown): Redacted<unknown> {
    const found = emptyFindings();
    return { value: walk(v, 0, found), found };
  }

  return {
    text,
    value,
    redactText(t) {
      const r = text(t);
      count += r.found.total;
      return r.value;
    },
    redactValue(v) {
      const r = value(v);
      count += r.found.total;
      return r.value;
    },
    get count() {
      return count;
    },
  };
}
