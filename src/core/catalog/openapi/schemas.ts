// OpenAPI schema objects → self-contained JSON Schemas for tool definitions: `#/components/schemas/X`
// becomes `#/$defs/X` (each tool carries the closure it uses), other local `$ref`s are inlined, and
// OpenAPI 3.0 dialect (nullable, boolean exclusiveMinimum) becomes JSON Schema. Invariant: a `$ref`
// that is external or points nowhere is a ConfigError naming the JSON pointer where it is written.
import type { JsonSchema } from '../types';
import { invalid, type OpenApiDocument } from './specLoad';

type Obj = Record<string, unknown>;

const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;
/** Keys whose value is an object of schemas by name. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);
/** Keys whose value is a schema (or a boolean schema). */
const SCHEMA_KEYS = new Set(['items', 'not', 'additionalProperties', 'propertyNames', 'contains', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems', 'contentSchema']);
/** Keys whose value is an array of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Documentation-only keys dropped to keep definitions small (examples can be megabytes). */
const DROPPED = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator']);
/** Inlined (non-component) references deeper than this become `{}`: a guard against cycles. */
const MAX_INLINE_DEPTH = 16;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Escapes one JSON-pointer segment. */
export function pointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeSegment(s: string): string {
  let t = s;
  try {
    t = decodeURIComponent(t);
  } catch {
    // not percent-encoded
  }
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Converts schemas of one document; memoizes the component schemas it has rewritten. */
export class SchemaConverter {
  private readonly components = new Map<string, { schema: JsonSchema; refs: Set<string> }>();

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly source: string,
    private readonly version: '3.0' | '3.1',
  ) {}

  /** Follows a `$ref` chain on a non-schema object (parameter, request body, response); returns it and its pointer. */
  deref(value: unknown, pointer: string): { value: unknown; pointer: string } {
    let v = value;
    let at = pointer;
    for (let hops = 0; isObj(v) && typeof v.$ref === 'string'; hops++) {
      if (hops > 32) throw invalid(this.source, at, 'is a chain of more than 32 $refs (a cycle?)');
      const ref = v.$ref;
      const target = this.resolve(ref, `${at}/$ref`);
      at = ref;
      v = target;
    }
    return { value: v, pointer: at };
  }

  /** The value at local pointer `ref`, or a ConfigError naming `where` (the `$ref`'s own pointer). */
  resolve(ref: string, where: string): unknown {
    if (!ref.startsWith('#')) {
      throw invalid(this.source, where, `is an external $ref "${ref}", which ToolWeaver does not follow; bundle the document into one file first (for example with \`redocly bundle\`)`);
    }
    let cur: unknown = this.doc;
    const fragment = ref.slice(1);
    for (const raw of fragment === '' ? [] : fragment.replace(/^\//, '').split('/')) {
      const seg = unescapeSegment(raw);
      if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)];
      else if (isObj(cur) && Object.hasOwn(cur, seg)) cur = cur[seg];
      else cur = undefined;
      if (cur === undefined) throw invalid(this.source, where, `is a $ref to "${ref}", which does not exist in the document`);
    }
    return cur;
  }

  /**
   * A self-contained schema: what `parts` builds (rewriting with `schema`, which records the
   * components it refers to), with `$defs` holding the closure of those components.
   */
  root(parts: (refs: Set<string>) => JsonSchema): JsonSchema {
    const refs = new Set<string>();
    const schema = parts(refs);
    const defs = this.closure(refs);
    const out: JsonSchema = { ...(this.version === '3.1' ? { $schema: 'https://json-schema.org/draft/2020-12/schema' } : {}), ...schema };
    if (defs.size) out.$defs = Object.fromEntries([...defs].map((name) => [name, this.component(name, '').schema]));
    return out;
  }

  /** Rewrites one schema found at `pointer`; component names it refers to are added to `refs`. */
  schema(node: unknown, pointer: string, refs: Set<string>, depth = 0): unknown {
    if (typeof node === 'boolean') return node;
    if (!isObj(node)) return {};
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      const m = COMPONENT_SCHEMA.exec(ref);
      const doc = typeof node.description === 'string' ? { description: node.description } : {};
      if (m) {
        const name = unescapeSegment(m[1] as string);
        this.component(name, `${pointer}/$ref`);
        refs.add(name);
        return { $ref: `#/$defs/${pointerSegment(name)}`, ...doc };
      }
      const target = this.resolve(ref, `${pointer}/$ref`);
      if (depth >= MAX_INLINE_DEPTH) return { description: `(a reference to ${ref} nested too deeply to show)` };
      return this.schema(target, ref, refs, depth + 1);
    }
    const out: Obj = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.has(key) || key.startsWith('x-')) continue;
      const at = `${pointer}/${pointerSegment(key)}`;
      if (SCHEMA_MAPS.has(key) && isObj(value)) {
        const map: Obj = {};
        for (const [k, v] of Object.entries(value)) map[k] = this.schema(v, `${at}/${pointerSegment(k)}`, refs, depth);
        out[key] = map;
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
        out[key] = value.map((v, i) => this.schema(v, `${at}/${i}`, refs, depth));
      } else if (SCHEMA_KEYS.has(key) && (isObj(value) || typeof value === 'boolean' || Array.isArray(value))) {
        out[key] = Array.isArray(value) ? value.map((v, i) => this.schema(v, `${at}/${i}`, refs, depth)) : this.schema(value, at, refs, depth);
      } else {
        out[key] = key === 'description' && typeof value === 'string' ? plainLinks(value) : value;
      }
    }
    return this.version === '3.0' ? fromOpenApi30(out) : out;
  }

  /** The rewritten component schema `name` (memoized); `where` names the `$ref` for a missing one. */
  private component(name: string, where: string): { schema: JsonSchema; refs: Set<string> } {
    const known = this.components.get(name);
    if (known) return known;
    const schemas = isObj(this.doc.components) ? this.doc.components.schemas : undefined;
    if (!isObj(schemas) || !Object.hasOwn(schemas, name)) {
      throw invalid(this.source, where, `is a $ref to "#/components/schemas/${pointerSegment(name)}", which does not exist in the document`);
    }
    const entry = { schema: {} as JsonSchema, refs: new Set<string>() };
    // Set before converting: a schema that refers to itself finds the (filling) entry.
    this.components.set(name, entry);
    const converted = this.schema(schemas[name], `#/components/schemas/${pointerSegment(name)}`, entry.refs);
    Object.assign(entry.schema, isObj(converted) ? converted : {});
    return entry;
  }

  private closure(start: Set<string>): Set<string> {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length) {
      const name = queue.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const r of this.component(name, '').refs) if (!seen.has(r)) queue.push(r);
    }
    return new Set([...seen].sort());
  }
}

/**
 * Markdown links reduced to their text: `[Using pagination](https://docs…)` → `Using pagination`.
 * The addresses cost a model tokens on every definition and say nothing a script can use.
 */
export function plainLinks(text: string): string {
  return text.replace(/\[([^\]\n]+)\]\((?:https?:\/\/|\/)[^)\s]*\)/g, '$1');
}

/** OpenAPI 3.0's schema dialect → JSON Schema: `nullable`, boolean `exclusiveMinimum/Maximum`. */
function fromOpenApi30(s: Obj): Obj {
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    s.exclusiveMinimum = s.minimum;
    delete s.minimum;
  } else if (typeof s.exclusiveMinimum === 'boolean') delete s.exclusiveMinimum;
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    s.exclusiveMaximum = s.maximum;
    delete s.maximum;
  } else if (typeof s.exclusiveMaximum === 'boolean') delete s.exclusiveMaximum;
  if (s.nullable === true) {
    delete s.nullable;
    if (typeof s.type === 'string') {
      s.type = [s.type, 'null'];
      if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
      return s;
    }
    if (s.type === undefined) return { anyOf: [s, { type: 'null' }] };
  } else if (s.nullable !== undefined) delete s.nullable;
  return s;
}
