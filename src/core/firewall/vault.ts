// The per-conversation privacy vault: what a model is shown has secrets and PII replaced by stable
// placeholders (`«email_1»`, `«secret:MY_TOKEN»`), and placeholders in what it sends back are
// restored. Invariant: a placeholder only ever restores to a value this same vault replaced;
// detection is the redactor's (src/core/redact), never a second set of rules.
import type { ConfigSecrets } from '../catalog/types';
import type { RedactionPattern } from '../redact/patterns';
import type { Withheld } from '../trace/schema';
import { createRedactor, type RedactionMarker, type Redactor } from '../redact/redactor';
import { categoryOfRule, disabledPiiRules, FIREWALL_CATEGORIES, labelOfRule, normalizeCategories, type FirewallCategory } from './categories';

/** Distinct values one conversation keeps; past it, new values are withheld without a way back. */
export const DEFAULT_MAX_VAULT_ENTRIES = 50_000;

/** Any text shaped like a placeholder (the vault decides whether it is one of its own). */
const PLACEHOLDER_SHAPE = /«[^«»\s]{1,120}»/g;
/** The exact shape of a placeholder: text of this shape is never withheld again (a model may send
 *  one back; a tool may echo one), whether or not this vault gave it out. */
const PLACEHOLDER_AT_START = /^«(?:[a-z0-9_]{1,60}_(?:\d{1,9}|overflow)|secret:[A-Za-z0-9_.-]{1,64})»/;


/** A copy for the model and the placeholders it contains that this call put in. */
export interface Firewalled<T> {
  value: T;
  /** Placeholder → category, for every value withheld by this call. */
  placeholders: ReadonlyMap<string, FirewallCategory>;
}

export interface PrivacyVaultOptions {
  /** Categories to withhold; 'secrets' is always added. Default: all. A function is read at each
   *  toModel (the extension's settings may change during a conversation). */
  categories?: Iterable<string> | (() => Iterable<string>);
  /** Extra secret patterns (e.g. toolweaver.redaction.extraPatterns), after the built-in ones;
   *  a function is read at each toModel. */
  patterns?: readonly RedactionPattern[] | (() => readonly RedactionPattern[]);
  maxEntries?: number;
}

export interface ToModelOptions {
  /** Configured values (server env, headers, inputs) of the run's catalog; named ones get
   *  `«secret:NAME»`. */
  secrets?: ConfigSecrets;
}

export interface PrivacyVault {
  /** The categories withheld now. */
  categories(): ReadonlySet<FirewallCategory>;
  /** A copy of a JSON-compatible value (or a string) with every finding replaced by its
   *  placeholder; the same real text always gets the same placeholder in this vault. */
  toModel<T>(value: T, opts?: ToModelOptions): Firewalled<T>;
  /** A copy with this vault's placeholders restored, in strings (also inside longer text) and
   *  object keys, at any depth. Unknown placeholders stay as they are. */
  fromModel<T>(value: T): T;
  /** Distinct values held. */
  readonly size: number;
}

/** Counts and kinds of a set of placeholders (what the trace and the panel show). */
export function summarizeWithheld(placeholders: Iterable<[string, FirewallCategory]>): Withheld {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const [, category] of placeholders) {
    total++;
    byKind[category] = (byKind[category] ?? 0) + 1;
  }
  // Keys in display order, so the same run always serializes the same way.
  const ordered: Record<string, number> = {};
  for (const c of FIREWALL_CATEGORIES) if (byKind[c]) ordered[c] = byKind[c];
  return { total, byKind: ordered };
}

/** A configured secret's name as it appears in `«secret:NAME»`. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 50) || 'configured';
}

const DEPTH_LIMIT = 200;
/** Deeper than this, a value is firewalled as its JSON text: the redactor's walk stops at depth
 *  200 and would pass what lies below unchanged. */
const WALK_DEPTH_LIMIT = 150;

/** True when `value` nests deeper than `limit` (iterative: deep values must not overflow the stack). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** Creates an empty vault for one conversation. */
export function createPrivacyVault(opts: PrivacyVaultOptions = {}): PrivacyVault {
  const categoriesNow = (): Set<FirewallCategory> => normalizeCategories(typeof opts.categories === 'function' ? opts.categories() : opts.categories);
  const patternsNow = (): readonly RedactionPattern[] => (typeof opts.patterns === 'function' ? opts.patterns() : (opts.patterns ?? []));
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_VAULT_ENTRIES;
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, { value: string; category: FirewallCategory }>();
  const counters = new Map<string, number>();
  const usedNames = new Set<string>();
  /** The placeholders of the toModel call in progress (calls are synchronous). */
  let collecting = new Map<string, FirewallCategory>();
  let configuredNames = new Map<string, string>();
  let cached: { key: string; redactor: Redactor } | undefined;

  function newPlaceholder(secret: string, rule: string, kind: 'secret' | 'pii'): { placeholder: string; category: FirewallCategory } {
    const category = categoryOfRule(rule, kind);
    const name = configuredNames.get(secret);
    if (byPlaceholder.size >= maxEntries) return { placeholder: `«${name !== undefined ? 'secret' : labelOfRule(rule)}_overflow»`, category };
    let placeholder: string;
    if (name !== undefined) {
      const base = safeName(name);
      let n = 1;
      while (usedNames.has(n === 1 ? base : `${base}_${n}`)) n++;
      const unique = n === 1 ? base : `${base}_${n}`;
      usedNames.add(unique);
      placeholder = `«secret:${unique}»`;
    } else {
      const label = rule === 'configured_secret' ? 'secret' : labelOfRule(rule);
      const n = (counters.get(label) ?? 0) + 1;
      counters.set(label, n);
      placeholder = `«${label}_${n}»`;
    }
    byValue.set(secret, placeholder);
    byPlaceholder.set(placeholder, { value: secret, category: name !== undefined ? 'secrets' : category });
    return { placeholder, category: name !== undefined ? 'secrets' : category };
  }

  const marker: RedactionMarker = {
    mark(secret, rule, kind) {
      const known = byValue.get(secret);
      if (known !== undefined) {
        collecting.set(known, byPlaceholder.get(known)!.category);
        return known;
      }
      const { placeholder, category } = newPlaceholder(secret, rule, kind);
      collecting.set(placeholder, category);
      return placeholder;
    },
    isMark: (text) => PLACEHOLDER_AT_START.test(text),
  };

  function redactorFor(secrets: ConfigSecrets | undefined): Redactor {
    const values = secrets?.values ?? [];
    const named = secrets?.named ?? [];
    const categories = categoriesNow();
    const patterns = patternsNow();
    const key = JSON.stringify([values, named, [...categories], patterns.map((p) => [p.name, p.kind, p.regex.source, p.regex.flags])]);
    if (cached?.key === key) return cached.redactor;
    configuredNames = new Map();
    for (const { name, value } of named) if (!configuredNames.has(value)) configuredNames.set(value, name);
    const redactor = createRedactor({
      secrets: [...values, ...named.map((n) => n.value)],
      patterns,
      disable: disabledPiiRules(categories),
      marker,
    });
    cached = { key, redactor };
    return redactor;
  }

  function restoreText(text: string): string {
    if (!text.includes('«')) return text;
    return text.replace(PLACEHOLDER_SHAPE, (p) => byPlaceholder.get(p)?.value ?? p);
  }

  function restore(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return restoreText(value);
    if (value === null || typeof value !== 'object' || depth > DEPTH_LIMIT) return value;
    if (Array.isArray(value)) return value.map((v) => restore(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[restoreText(k)] = restore(v, depth + 1);
    return out;
  }

  return {
    categories: categoriesNow,
    get size() {
      return byPlaceholder.size;
    },
    toModel<T>(value: T, o: ToModelOptions = {}): Firewalled<T> {
      const redactor = redactorFor(o.secrets);
      collecting = new Map();
      let out: unknown;
      if (typeof value === 'string') out = redactor.text(value).value;
      else if (!deeperThan(value, WALK_DEPTH_LIMIT)) out = redactor.value(value).value;
      else out = JSON.parse(redactor.text(JSON.stringify(value)).value) as unknown;
      const placeholders = collecting;
      collecting = new Map();
      return { value: out as T, placeholders };
    },
    fromModel<T>(value: T): T {
      if (byPlaceholder.size === 0) return value;
      return restore(value, 0) as T;
    },
  };
}
