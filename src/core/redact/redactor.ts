// Replaces secrets and PII in text and JSON values before anything reaches a trace file or log.
// Invariant: configured secret values (ConfigSecrets.values) are replaced wherever they occur,
// before the patterns run, so a pattern can never leave a fragment of one behind.
import { BUILTIN_PATTERNS, SECRET_KEY_NAME, type RedactionPattern } from './patterns';

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
  /** false keeps values under secret-ish JSON keys unless a pattern matches. Default true. */
  redactSecretKeys?: boolean;
}

export interface Redactor {
  redactText(text: string): string;
  /** Walks a JSON-compatible value; returns a redacted copy (the input is not modified). Strings
   *  under keys with secret-ish names (`password`, `api_key`, `authorization`…) are replaced whole. */
  redactValue(value: unknown): unknown;
  /** Replacements made so far by this redactor. */
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

/** Creates a redactor; see RedactorOptions for what it removes. */
export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const disabled = new Set(opts.disable ?? []);
  const pii = opts.pii ?? true;
  const patterns = [...BUILTIN_PATTERNS, ...(opts.patterns ?? [])].filter(
    (p) => !disabled.has(p.name) && (pii || p.kind !== 'pii'),
  );
  for (const p of patterns) {
    if (!p.regex.global) throw new Error(`Redaction pattern "${p.name}" must use the g flag.`);
  }
  // Compiled once with the `d` flag (match indices, for the named group `s`); lastIndex is reset per use.
  const compiled = patterns.map((p) => ({ p, re: new RegExp(p.regex.source, p.regex.flags.includes('d') ? p.regex.flags : p.regex.flags + 'd') }));
  const minLen = opts.minSecretLength ?? DEFAULT_MIN_SECRET_LENGTH;
  const exact = [...new Set(opts.secrets ?? [])].filter((s) => s.length >= minLen).sort((a, b) => b.length - a.length);
  const exactRegex = exact.length > 0 ? new RegExp(exact.map(escapeRegExp).join('|'), 'g') : undefined;
  const redactKeys = opts.redactSecretKeys ?? true;
  let count = 0;

  function applyPattern(text: string, p: RedactionPattern, re: RegExp): string {
    re.lastIndex = 0;
    let out = '';
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const span = m.indices?.groups?.['s'] ?? m.indices?.[0];
      if (!span) continue;
      const [start, end] = span;
      const secret = text.slice(start, end);
      if (secret.startsWith('[REDACTED')) continue;
      if (p.validate && !p.validate(secret)) continue;
      out += text.slice(last, start) + `[REDACTED:${p.name}]`;
      last = end;
      count++;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  function redactText(text: string): string {
    let out = text;
    if (exactRegex) {
      out = out.replace(exactRegex, () => {
        count++;
        return '[REDACTED:configured_secret]';
      });
    }
    for (const { p, re } of compiled) out = applyPattern(out, p, re);
    return out;
  }

  function walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return redactText(value);
    if (value === null || typeof value !== 'object' || depth > 200) return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = redactText(k);
      if (redactKeys && SECRET_KEY_NAME.test(k) && (typeof v === 'string' || typeof v === 'number') && String(v).length > 0) {
        count++;
        out[key] = '[REDACTED:secret_field]';
      } else {
        out[key] = walk(v, depth + 1);
      }
    }
    return out;
  }

  return {
    redactText,
    redactValue: (value) => walk(value, 0),
    get count() {
      return count;
    },
  };
}
