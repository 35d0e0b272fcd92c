// `$ref` handling for the schema printer: resolves local JSON pointers and detects reference
// cycles TypeScript cannot express. Invariant: pure and total — a bad pointer is a result, never
// an exception, and every walk is bounded.

export type SchemaObject = Record<string, unknown>;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Resolved = { ok: true; target: unknown; defName: string } | { ok: false; reason: string };

function decodeSegment(segment: string): string {
  let s = segment;
  try {
    s = decodeURIComponent(s);
  } catch {
    // not percent-encoded after all; use the raw text
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Resolves a local `$ref` against the document root: `#`, `#/$defs/X`, `#/definitions/X` or any
 * JSON pointer. `defName` is the last pointer segment (the root's is ''), used to name the type.
 */
export function resolveRef(root: unknown, ref: string): Resolved {
  if (!ref.startsWith('#')) return { ok: false, reason: `external $ref "${ref}" is not resolved` };
  const fragment = ref.slice(1);
  if (fragment === '' || fragment === '/') return { ok: true, target: root, defName: '' };
  if (!fragment.startsWith('/')) return { ok: false, reason: `anchor $ref "${ref}" is not supported` };
  let cur: unknown = root;
  let name = '';
  for (const raw of fragment.slice(1).split('/')) {
    name = decodeSegment(raw);
    if (Array.isArray(cur) && /^\d+$/.test(name)) cur = cur[Number(name)];
    else if (isSchemaObject(cur) && Object.prototype.hasOwnProperty.call(cur, name)) cur = cur[name];
    else return { ok: false, reason: `$ref "${ref}" points to nothing` };
  }
  return { ok: true, target: cur, defName: name };
}

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Detects "unguarded" reference cycles: `type A = B | string; type B = A` is an error in TS,
 * while a reference inside an object property, array or tuple element is fine. An unguarded
 * edge is a `$ref` reached from a schema's top level through unions/intersections only.
 */
export function createCycleDetector(root: unknown, maxDepth: number) {
  const edges = new Map<object, object[]>();

  function edgesOf(schema: SchemaObject): object[] {
    let out = edges.get(schema);
    if (out) return out;
    out = [];
    const collect = (s: unknown, depth: number): void => {
      if (!isSchemaObject(s) || depth > maxDepth) return;
      if (typeof s.$ref === 'string') {
        const r = resolveRef(root, s.$ref);
        if (r.ok && isSchemaObject(r.target)) (out as object[]).push(r.target);
      }
      for (const k of COMBINATORS) {
        const members = s[k];
        if (Array.isArray(members)) for (const m of members) collect(m, depth + 1);
      }
    };
    collect(schema, 0);
    edges.set(schema, out);
    return out;
  }

  /** True when `from` reaches `to` through unguarded references only (or is `to`). */
  function reaches(from: SchemaObject, to: object): boolean {
    const seen = new Set<object>();
    const stack: object[] = [from];
    while (stack.length > 0) {
      const cur = stack.pop() as SchemaObject;
      if (cur === to) return true;
      if (seen.has(cur)) continue;
      seen.add(cur);
      stack.push(...edgesOf(cur));
    }
    return false;
  }

  return { reaches };
}
