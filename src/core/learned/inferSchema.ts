// Infers a JSON Schema from sample values (a tool's recorded results): merges across samples, so a
// key missing from some is optional, differing kinds become a union, arrays of records get one
// merged item schema, and strings with few values seen repeatedly become an enum. Pure and
// deterministic: the same samples in any order give the same schema (keys and unions are sorted).
import type { JsonSchema } from '../catalog/types';

/** At most this many distinct strings become an enum… */
export const MAX_ENUM_VALUES = 6;
/** …and only when each was seen this many times on average (ids seen once never become enums). */
export const MIN_ENUM_REPEATS = 2;
/** Strings longer than this are never enum members. */
const MAX_ENUM_LENGTH = 40;
/** Depth below which values are typed `{}` (any JSON) rather than walked. */
const MAX_DEPTH = 12;

type Kind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

function kindOf(v: unknown): Kind | undefined {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      return undefined;
  }
}

function isPlaceholder(s: string): boolean {
  return s.startsWith('[REDACTED') || s.startsWith('\u00ab');
}

function stringSchema(values: string[]): JsonSchema {
  const real = values.filter((s) => !isPlaceholder(s));
  const distinct = [...new Set(real)].sort();
  if (
    real.length === values.length &&
    distinct.length > 0 &&
    distinct.length <= MAX_ENUM_VALUES &&
    values.length >= distinct.length * MIN_ENUM_REPEATS &&
    distinct.length < values.length &&
    distinct.every((s) => s.length > 0 && s.length <= MAX_ENUM_LENGTH && !/\s{2}|[\r\n]/.test(s))
  ) {
    return { type: 'string', enum: distinct };
  }
  return { type: 'string' };
}

function objectSchema(samples: Array<Record<string, unknown>>, depth: number): JsonSchema {
  const keys = new Set<string>();
  for (const s of samples) for (const k of Object.keys(s)) keys.add(k);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const k of [...keys].sort()) {
    const present = samples.filter((s) => Object.prototype.hasOwnProperty.call(s, k) && s[k] !== undefined);
    properties[k] = merge(present.map((s) => s[k]), depth + 1);
    if (present.length === samples.length) required.push(k);
  }
  const out: JsonSchema = { type: 'object', properties };
  if (required.length) out.required = required;
  return out;
}

/** One schema for all `values` (none: `{}`, any JSON). */
function merge(values: unknown[], depth: number): JsonSchema {
  if (values.length === 0 || depth > MAX_DEPTH) return {};
  const byKind = new Map<Kind, unknown[]>();
  for (const v of values) {
    const k = kindOf(v);
    if (!k) continue;
    byKind.set(k, [...(byKind.get(k) ?? []), v]);
  }
  // Integers among numbers are numbers.
  if (byKind.has('integer') && byKind.has('number')) {
    byKind.set('number', [...(byKind.get('number') ?? []), ...(byKind.get('integer') ?? [])]);
    byKind.delete('integer');
  }
  const parts: JsonSchema[] = [];
  for (const kind of [...byKind.keys()].sort()) {
    const vs = byKind.get(kind) as unknown[];
    switch (kind) {
      case 'null':
      case 'boolean':
        parts.push({ type: kind });
        break;
      case 'integer':
      case 'number':
        parts.push({ type: 'number' });
        break;
      case 'string':
        parts.push(stringSchema(vs as string[]));
        break;
      case 'array':
        parts.push({ type: 'array', items: merge((vs as unknown[][]).flat(), depth + 1) });
        break;
      case 'object':
        parts.push(objectSchema(vs as Array<Record<string, unknown>>, depth));
        break;
    }
  }
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0] as JsonSchema;
  return { anyOf: parts };
}

/** The schema of a tool's results from samples of them (at least one). */
export function inferSchema(samples: readonly unknown[]): JsonSchema {
  return merge([...samples], 0);
}
