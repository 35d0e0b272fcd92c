// JSON Schema → TypeScript: a focused, pure printer for the schemas MCP servers emit (draft-07 and
// 2020-12, OpenAPI `nullable`). Invariant: it never throws on a schema — whatever TypeScript cannot
// express becomes `unknown` with a comment, and the reason is listed in `warnings`.
import { createCycleDetector, isSchemaObject, resolveRef, type SchemaObject } from './schemaRefs';
import { escapeComment, renderDoc, schemaDocLines } from './jsdoc';
import { claimName, pascalCase, RESERVED_TYPE_NAMES } from './typeNames';
import { element, intersection, literal, NEVER, NULL, propertyKey, union, UNKNOWN, type Printed } from './typeText';

/** Schemas nested deeper than this become `unknown` (guards absurd or cyclic input). */
export const DEFAULT_MAX_DEPTH = 32;
const INDENT = '  ';
const INLINE_MAX_LITERALS = 8;

export interface SchemaToTsOptions {
  /** Name of the root type; `$ref: "#"` refers to it. */
  name: string;
  /** Names already taken in the target file; every name this call declares is added to it. */
  usedNames?: Set<string>;
  /** Nesting limit; deeper parts become `unknown`. Default DEFAULT_MAX_DEPTH. */
  maxDepth?: number;
  /** Doc lines above the root declaration instead of the schema's own annotations. */
  rootDoc?: readonly string[];
}

export interface SchemaToTsResult {
  /** `export interface|type <name>` followed by one declaration per referenced definition. */
  code: string;
  /** The root is an object with no required properties (or unknown): a call may omit it. */
  allOptional: boolean;
  /** What was degraded to `unknown`, each as `<pointer>: <reason>`. */
  warnings: string[];
}

// A Map, not an object literal: a server's `type: "constructor"` must not find Object.prototype.
const PRIMITIVES = new Map<string, Printed>([
  ['string', { text: 'string', prec: 2 }],
  ['number', { text: 'number', prec: 2 }],
  ['integer', { text: 'number', prec: 2 }],
  ['boolean', { text: 'boolean', prec: 2 }],
  ['null', NULL],
  ['any', UNKNOWN],
]);
const OBJECT_KEYWORDS = ['properties', 'additionalProperties', 'patternProperties', 'required'];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'contains'];

interface Ctx {
  root: unknown;
  inline: boolean;
  maxDepth: number;
  /** Inline mode: objects nested deeper than this print as `{...}`. */
  inlineDepth: number;
  /** Inline mode: enums with more values than this are cut to `... | ...`. */
  inlineLiterals: number;
  names: Map<object, string>;
  queue: { target: SchemaObject; name: string; ref: string }[];
  used: Set<string>;
  warnings: string[];
  cycles: ReturnType<typeof createCycleDetector>;
  /** The definition whose body is being printed; unguarded cycles are checked against it. */
  current: unknown;
}

const MAX_PATH_CHARS = 120;

function degrade(c: Ctx, path: string, reason: string): Printed {
  const where = path.length > MAX_PATH_CHARS ? `…${path.slice(-MAX_PATH_CHARS)}` : path;
  c.warnings.push(`${where}: ${reason}`);
  if (c.inline) return UNKNOWN;
  return { text: `unknown /* ${escapeComment(reason.replace(/\s+/g, ' '))} */`, prec: 2, kind: 'unknown' };
}

function typeList(s: SchemaObject): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  if (OBJECT_KEYWORDS.some((k) => k in s)) return ['object'];
  if (ARRAY_KEYWORDS.some((k) => k in s)) return ['array'];
  return [];
}

function isBareObject(s: SchemaObject): boolean {
  return (s.type === 'object' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'object')) &&
    !OBJECT_KEYWORDS.some((k) => k in s);
}

function emitRef(ref: string, c: Ctx, d: number, ind: string, guarded: boolean, path: string): Printed {
  const r = resolveRef(c.root, ref);
  if (!r.ok) return degrade(c, path, r.reason);
  if (!isSchemaObject(r.target) || c.inline) return emit(r.target, c, d + 1, ind, guarded, `${path}/$ref`);
  if (!guarded && c.cycles.reaches(r.target, c.current as object)) {
    return degrade(c, path, `$ref "${ref}" is a type made only of itself`);
  }
  let name = c.names.get(r.target);
  if (name === undefined) {
    name = claimName(pascalCase(r.defName), c.used);
    c.names.set(r.target, name);
    c.queue.push({ target: r.target, name, ref });
  }
  return { text: name, prec: 2 };
}

function emitObject(s: SchemaObject, c: Ctx, d: number, ind: string, path: string): Printed {
  if (c.inline && d > c.inlineDepth) return { text: '{...}', prec: 2, kind: 'object', required: 0 };
  const props = isSchemaObject(s.properties) ? s.properties : undefined;
  const required = new Set(Array.isArray(s.required) ? s.required.filter((k) => typeof k === 'string') : []);
  const inner = ind + INDENT;
  const members: string[] = [];
  const valueTypes: Printed[] = [];
  let anyOptional = false;
  for (const key of Object.keys(props ?? {})) {
    const ps = (props as SchemaObject)[key];
    const optional = !required.has(key);
    anyOptional ||= optional;
    const t = emit(ps, c, d + 1, inner, true, `${path}/properties/${key}`);
    valueTypes.push(t);
    const doc = c.inline || !isSchemaObject(ps) ? '' : renderDoc(schemaDocLines(ps), inner);
    members.push(`${doc}${inner}${propertyKey(key)}${optional ? '?' : ''}: ${t.text}`);
  }
  for (const key of required) {
    if (props && Object.prototype.hasOwnProperty.call(props, key)) continue;
    valueTypes.push(UNKNOWN);
    members.push(`${inner}${propertyKey(key)}: unknown`);
  }
  const ap = s.additionalProperties;
  const pp = isSchemaObject(s.patternProperties) ? s.patternProperties : undefined;
  const extra: Printed[] = [];
  const indexDoc: string[] = [];
  for (const pattern of Object.keys(pp ?? {})) {
    extra.push(emit((pp as SchemaObject)[pattern], c, d + 1, inner, true, `${path}/patternProperties/${pattern}`));
    indexDoc.push(`Keys matching /${pattern}/.`);
  }
  if (isSchemaObject(ap)) {
    extra.push(emit(ap, c, d + 1, inner, true, `${path}/additionalProperties`));
    indexDoc.push(...schemaDocLines(ap));
  } else if (ap === true || (ap === undefined && props === undefined && pp === undefined && required.size === 0)) {
    // Declared properties (or `required` alone) without `additionalProperties` read as closed:
    // that is what the server documents, and it lets the compiler catch misspelled arguments.
    extra.push(UNKNOWN);
  }
  if (extra.length > 0) {
    // Every declared property must fit the index signature's type.
    const all = extra.concat(valueTypes);
    if (anyOptional) all.push({ text: 'undefined', prec: 2 });
    const t = all.some((p) => p.kind === 'unknown') ? UNKNOWN : union(all);
    const doc = c.inline ? '' : renderDoc(indexDoc, inner);
    members.push(`${doc}${inner}[key: string]: ${t.text}`);
  }
  if (members.length === 0) {
    return { text: c.inline ? '{}' : 'Record<string, never>', prec: 2, kind: 'empty', required: 0 };
  }
  const text = c.inline ? `{ ${members.map((m) => m.trimStart()).join('; ')} }` : `{\n${members.join(';\n')};\n${ind}}`;
  return { text, prec: 2, kind: 'object', required: required.size };
}

function emitArray(s: SchemaObject, c: Ctx, d: number, ind: string, path: string): Printed {
  const isPrefix = Array.isArray(s.prefixItems);
  const prefix = isPrefix ? (s.prefixItems as unknown[]) : Array.isArray(s.items) ? s.items : undefined;
  if (prefix) {
    // Without minItems every listed element counts as present (what servers mean in practice).
    const min = typeof s.minItems === 'number' ? s.minItems : prefix.length;
    const elems = prefix.map((e, i) => {
      const t = emit(e, c, d + 1, ind, true, `${path}/${isPrefix ? 'prefixItems' : 'items'}/${i}`);
      return i >= min ? `${element(t)}?` : t.text;
    });
    const rest = isPrefix ? s.items : s.additionalItems;
    if (rest === true || isSchemaObject(rest)) {
      elems.push(`...${element(emit(rest, c, d + 1, ind, true, `${path}/items`))}[]`);
    }
    return { text: `[${elems.join(', ')}]`, prec: 2 };
  }
  if (s.items === undefined) return { text: 'unknown[]', prec: 2 };
  return { text: `${element(emit(s.items, c, d + 1, ind, true, `${path}/items`))}[]`, prec: 2 };
}

function emitBase(s: SchemaObject, c: Ctx, d: number, ind: string, path: string): Printed | undefined {
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) {
    const values = s.enum.map(literal);
    if (c.inline && values.length > c.inlineLiterals) {
      return { text: `${values.slice(0, c.inlineLiterals).map((v) => v.text).join(' | ')} | ...`, prec: 0 };
    }
    return union(values);
  }
  const types = typeList(s);
  if (types.length === 0) return undefined;
  return union(types.map((t) => emitType(t, s, c, d, ind, path)));
}

function emitType(t: string, s: SchemaObject, c: Ctx, d: number, ind: string, path: string): Printed {
  if (t === 'object') return emitObject(s, c, d, ind, path);
  if (t === 'array') return emitArray(s, c, d, ind, path);
  return PRIMITIVES.get(t) ?? degrade(c, path, `unknown type "${t}"`);
}

function emit(s: unknown, c: Ctx, d: number, ind: string, guarded: boolean, path: string): Printed {
  if (s === true) return UNKNOWN;
  if (s === false) return NEVER;
  if (!isSchemaObject(s)) return degrade(c, path, 'not a JSON Schema object');
  if (d > c.maxDepth) return degrade(c, path, `nested deeper than ${c.maxDepth} levels`);
  const parts: Printed[] = [];
  if (typeof s.$ref === 'string') parts.push(emitRef(s.$ref, c, d, ind, guarded, path));
  else if ('$ref' in s) parts.push(degrade(c, path, '$ref is not a string'));
  const hasCombinator = Array.isArray(s.anyOf) || Array.isArray(s.oneOf) || Array.isArray(s.allOf);
  // `type: "object"` next to anyOf/allOf/$ref only restates what the members say.
  if (!(isBareObject(s) && (hasCombinator || '$ref' in s))) {
    const base = emitBase(s, c, d, ind, path);
    if (base) parts.push(base);
  }
  if (Array.isArray(s.allOf)) s.allOf.forEach((m, i) => parts.push(emit(m, c, d + 1, ind, guarded, `${path}/allOf/${i}`)));
  for (const k of ['anyOf', 'oneOf'] as const) {
    const members = s[k];
    if (Array.isArray(members)) parts.push(union(members.map((m, i) => emit(m, c, d + 1, ind, guarded, `${path}/${k}/${i}`))));
  }
  const t = parts.length === 0 ? UNKNOWN : intersection(parts);
  return s.nullable === true && t.kind !== 'unknown' ? union([t, NULL]) : t;
}

function newCtx(root: unknown, inline: boolean, maxDepth: number, used: Set<string>): Ctx {
  return {
    root,
    inline,
    maxDepth,
    inlineDepth: maxDepth,
    inlineLiterals: INLINE_MAX_LITERALS,
    names: new Map(),
    queue: [],
    used,
    warnings: [],
    cycles: createCycleDetector(root, maxDepth),
    current: root,
  };
}

function isAllOptional(t: Printed): boolean {
  return t.kind === 'unknown' || ((t.kind === 'object' || t.kind === 'empty') && t.required === 0);
}

function declaration(name: string, t: Printed, doc: string): string {
  return t.kind === 'object' ? `${doc}export interface ${name} ${t.text}\n` : `${doc}export type ${name} = ${t.text};\n`;
}

/**
 * Prints `schema` as TypeScript declarations: the root as `export interface <name>` (objects) or
 * `export type <name>`, then every definition it references (`$ref` to `$defs`, `definitions`
 * or any local pointer) as a named type, so recursive schemas become recursive types.
 */
export function schemaToTs(schema: unknown, opts: SchemaToTsOptions): SchemaToTsResult {
  const used = opts.usedNames ?? new Set<string>();
  for (const n of RESERVED_TYPE_NAMES) used.add(n);
  used.add(opts.name);
  const c = newCtx(schema, false, opts.maxDepth ?? DEFAULT_MAX_DEPTH, used);
  if (isSchemaObject(schema)) c.names.set(schema, opts.name);
  const root = emit(schema, c, 0, '', false, '#');
  const rootDoc = opts.rootDoc ?? (isSchemaObject(schema) ? schemaDocLines(schema) : []);
  let code = declaration(opts.name, root, renderDoc(rootDoc, ''));
  for (let next = c.queue.shift(); next; next = c.queue.shift()) {
    c.current = next.target;
    const t = emit(next.target, c, 0, '', false, next.ref);
    code += `\n${declaration(next.name, t, renderDoc(schemaDocLines(next.target), ''))}`;
  }
  return { code, allOptional: isAllOptional(root), warnings: c.warnings };
}

/**
 * Prints `schema` as one line with every reference inlined, for search results and signatures:
 * objects nested deeper than `depth` print as `{...}`, enums with more than `maxLiterals` values
 * are cut (default 8; Infinity keeps them whole). Not meant to compile.
 */
export function schemaToInlineTs(schema: unknown, depth = 2, maxLiterals = INLINE_MAX_LITERALS): { text: string; allOptional: boolean } {
  const c = newCtx(schema, true, depth + 4, new Set());
  c.inlineDepth = depth;
  c.inlineLiterals = maxLiterals;
  const t = emit(schema, c, 0, '', false, '#');
  return { text: t.text, allOptional: isAllOptional(t) };
}
