// Printed TypeScript type expressions and how they combine (unions, intersections, literals,
// array elements), keeping precedence so the printer never emits ambiguous text.

/** A printed type with its precedence (0 union, 1 intersection, 2 primary). */
export interface Printed {
  text: string;
  prec: 0 | 1 | 2;
  kind?: 'unknown' | 'never' | 'object' | 'empty';
  /** For objects: how many properties are required. */
  required?: number;
}

export const UNKNOWN: Printed = { text: 'unknown', prec: 2, kind: 'unknown' };
export const NEVER: Printed = { text: 'never', prec: 2, kind: 'never' };
export const NULL: Printed = { text: 'null', prec: 2 };

/** A union, deduplicated; `unknown` absorbs it, `never` members drop out, empty is `never`. */
export function union(members: Printed[]): Printed {
  if (members.length === 1) return members[0] as Printed;
  const out: Printed[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (m.kind === 'unknown') return m;
    if (m.kind === 'never' || seen.has(m.text)) continue;
    seen.add(m.text);
    out.push(m);
  }
  if (out.length <= 1) return out[0] ?? NEVER;
  return { text: out.map((m) => m.text).join(' | '), prec: 0 };
}

/** An intersection, deduplicated; `unknown` members drop out, any `never` makes it `never`. */
export function intersection(parts: Printed[]): Printed {
  if (parts.length === 1) return parts[0] as Printed;
  const keep: Printed[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    if (p.kind === 'never') return NEVER;
    if (p.kind === 'unknown' || seen.has(p.text)) continue;
    seen.add(p.text);
    keep.push(p);
  }
  if (keep.length === 0) return parts.find((p) => p.kind === 'unknown') ?? UNKNOWN;
  if (keep.length === 1) return keep[0] as Printed;
  return { text: keep.map((p) => (p.prec === 0 ? `(${p.text})` : p.text)).join(' & '), prec: 1 };
}

/** The literal type of a JSON value (JSON text is valid TS literal-type syntax). */
export function literal(value: unknown): Printed {
  if (value === null) return NULL;
  if (typeof value === 'number') return { text: JSON.stringify(value), prec: value < 0 ? 1 : 2 };
  // Strings, booleans, and JSON objects/arrays are valid TS literal types as JSON text.
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? UNKNOWN : { text, prec: 2 };
}

/** Wraps a type for use as an array or optional tuple element. */
export function element(t: Printed): string {
  return t.prec < 2 ? `(${t.text})` : t.text;
}

/** A property key: bare when it is an identifier, otherwise a quoted string. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}
