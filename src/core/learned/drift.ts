// Schema drift: a result that does not fit its tool's learned output type. Checked after a run and
// written on the span (`drift`), never an error. The checker covers what inferSchema emits (type,
// properties/required, items, enum, anyOf); anything else in a schema is accepted.
import type { Catalog, JsonSchema } from '../catalog/types';
import type { Trace } from '../trace/schema';

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return true;
  }
}

/** Where `value` does not fit `schema` (`$.a.b: expected string, got number`), or undefined. */
export function misfit(schema: JsonSchema, value: unknown, at = '$', depth = 0): string | undefined {
  if (depth > 32) return undefined;
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf)) {
    const misses = anyOf.map((s) => misfit(s as JsonSchema, value, at, depth + 1));
    return misses.some((m) => m === undefined) ? undefined : misses[0];
  }
  const type = schema.type;
  if (typeof type === 'string' && !typeOk(type, value)) return `${at}: expected ${type}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
  if (Array.isArray(schema.enum) && typeof value === 'string' && !schema.enum.includes(value) && !value.startsWith('[REDACTED')) {
    return `${at}: ${JSON.stringify(value.slice(0, 40))} is not one of the ${schema.enum.length} values seen before`;
  }
  if (type === 'array' && Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    for (let i = 0; i < value.length && i < 1000; i++) {
      const m = misfit(schema.items as JsonSchema, value[i], `${at}[${i}]`, depth + 1);
      if (m) return m;
    }
  }
  if (type === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of Array.isArray(schema.required) ? (schema.required as string[]) : []) if (!(k in obj)) return `${at}.${k}: missing (it was in every result before)`;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [k, v] of Object.entries(obj)) {
      const p = props[k];
      if (!p) return `${at}.${k}: a field never seen before`;
      const m = misfit(p, v, `${at}.${k}`, depth + 1);
      if (m) return m;
    }
  }
  return undefined;
}

/** Marks each tool span whose whole result does not fit its tool's learned output type; returns how many. */
export function markDrift(trace: Trace, catalog: Catalog): number {
  const learned = new Map<string, JsonSchema>();
  for (const s of catalog.servers) for (const t of s.tools) if (t.learnedOutput && !t.outputSchema) learned.set(`${s.name}\u0000${t.name}`, t.learnedOutput.schema);
  if (learned.size === 0) return 0;
  let n = 0;
  for (const span of trace.spans) {
    if (span.kind !== 'tool' || span.status !== 'ok' || !span.result || span.result.value === undefined) continue;
    const schema = learned.get(`${span.server}\u0000${span.tool}`);
    if (!schema) continue;
    const m = misfit(schema, span.result.value);
    if (m) {
      span.drift = m;
      n++;
    }
  }
  return n;
}
