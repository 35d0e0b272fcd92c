// OpenAPI operations → catalog tools plus the plan the HTTP invoker follows for each. Input: one
// object `{ path?, query?, header?, cookie?, body? }` (each group present only when the operation
// has such parameters); output: the first 2xx JSON response. Invariant: tool names are unique
// (duplicate operationIds are a ConfigError naming both pointers) and every plan has its tool.
import type { JsonSchema, ToolAnnotations } from '../types';
import type { WireTool } from '../wire';
import { isObj, plainLinks, pointerSegment, SchemaConverter } from './schemas';
import { invalid, type LoadedSpec } from './specLoad';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type ParamLocation = 'path' | 'query' | 'header' | 'cookie';
const LOCATIONS: readonly ParamLocation[] = ['path', 'query', 'header', 'cookie'];

/** Longest tool description kept (see describe: one paragraph + `METHOD /path`). */
export const MAX_DESCRIPTION_CHARS = 1000;

export interface ParamPlan {
  name: string;
  in: ParamLocation;
  style?: string;
  explode?: boolean;
}

/** What the invoker needs to turn a call's arguments into a request. */
export interface OperationPlan {
  method: HttpMethod;
  /** The path template as written (`/repos/{owner}/{repo}`). */
  path: string;
  params: ParamPlan[];
  body?: { mediaType: string; kind: 'json' | 'form' | 'multipart' | 'text' | 'binary'; required: boolean };
  /** A `servers` entry of the path item or operation, when it overrides the document's. */
  serverUrl?: string;
  /** The success response has a JSON body (else the result is text, or null without a body). */
  jsonResult: boolean;
}

export interface ConvertedApi {
  tools: WireTool[];
  /** By tool name. */
  plans: Map<string, OperationPlan>;
  /** The document's `servers[0].url` with its variables' defaults, if any. */
  serverUrl?: string;
  title?: string;
  description?: string;
}

/** Converts every operation of `spec` (see the file header). Throws ConfigError 'openapi_invalid'. */
export function convertSpec(spec: LoadedSpec): ConvertedApi {
  const { doc, source, version } = spec;
  const conv = new SchemaConverter(doc, source, version);
  const paths = doc.paths;
  if (paths === undefined && version === '3.0') throw invalid(source, '#/paths', 'is missing: an OpenAPI 3.0 document needs "paths"');
  if (paths !== undefined && !isObj(paths)) throw invalid(source, '#/paths', 'must be an object of path items');
  const tools: WireTool[] = [];
  const plans = new Map<string, OperationPlan>();
  const ids = new Map<string, string>();
  const pending: Array<{ name: string; fromOperationId: boolean; build: (name: string) => void }> = [];

  for (const [route, rawItem] of Object.entries(paths ?? {})) {
    const itemPointer = `#/paths/${pointerSegment(route)}`;
    if (!route.startsWith('/')) throw invalid(source, itemPointer, `is a path "${route}" that does not start with "/"`);
    const { value: item } = conv.deref(rawItem, itemPointer);
    if (!isObj(item)) throw invalid(source, itemPointer, 'must be a path item object');
    const shared = parametersOf(conv, item.parameters, `${itemPointer}/parameters`, source);
    const itemServer = serverUrlOf(item.servers);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const opPointer = `${itemPointer}/${method}`;
      if (!isObj(op)) throw invalid(source, opPointer, 'must be an operation object');
      const build = (name: string): void => {
        const own = parametersOf(conv, op.parameters, `${opPointer}/parameters`, source);
        const params = mergeParams(shared, own);
        checkPathParams(route, params, opPointer, source);
        const body = requestBodyOf(conv, op.requestBody, `${opPointer}/requestBody`, source);
        const result = resultOf(conv, op.responses, `${opPointer}/responses`);
        const inputSchema = conv.root((refs) => inputOf(conv, params, body, refs));
        const { title, description } = describe(op, method, route);
        const tool: WireTool = { name, ...(title ? { title } : {}), description, inputSchema, annotations: annotationsOf(method, title) };
        if (result.schema) tool.outputSchema = conv.root((refs) => conv.schema(result.schema, result.pointer, refs) as JsonSchema);
        tools.push(tool);
        const serverUrl = serverUrlOf(op.servers) ?? itemServer;
        plans.set(name, {
          method,
          path: route,
          params: params.map((p) => ({ name: p.name, in: p.in, ...(p.style ? { style: p.style } : {}), ...(p.explode !== undefined ? { explode: p.explode } : {}) })),
          ...(body ? { body: { mediaType: body.mediaType, kind: body.kind, required: body.required } } : {}),
          ...(serverUrl ? { serverUrl } : {}),
          jsonResult: result.json,
        });
      };
      if (op.operationId !== undefined) {
        if (typeof op.operationId !== 'string' || !op.operationId) throw invalid(source, `${opPointer}/operationId`, 'must be a non-empty string');
        const first = ids.get(op.operationId);
        if (first) throw invalid(source, `${opPointer}/operationId`, `repeats the operationId "${op.operationId}" of ${first}; operationIds must be unique`);
        ids.set(op.operationId, opPointer);
        pending.push({ name: op.operationId, fromOperationId: true, build });
      } else {
        pending.push({ name: `${method}_${route}`, fromOperationId: false, build });
      }
    }
  }
  // Names made from method + path give way to operationIds (an operationId may look like one).
  const taken = new Set(ids.keys());
  for (const p of pending) {
    let name = p.name;
    if (!p.fromOperationId) for (let k = 2; taken.has(name); k++) name = `${p.name}_${k}`;
    taken.add(name);
    p.build(name);
  }
  const info = isObj(doc.info) ? doc.info : {};
  return {
    tools,
    plans,
    ...(serverUrlOf(doc.servers) ? { serverUrl: serverUrlOf(doc.servers) } : {}),
    ...(typeof info.title === 'string' ? { title: info.title } : {}),
    ...(typeof info.description === 'string' ? { description: info.description } : {}),
  };
}

interface Param {
  name: string;
  in: ParamLocation;
  required: boolean;
  schema: unknown;
  schemaPointer: string;
  description?: string;
  style?: string;
  explode?: boolean;
}

function parametersOf(conv: SchemaConverter, raw: unknown, pointer: string, source: string): Param[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid(source, pointer, 'must be an array of parameters');
  return raw.map((entry, i) => {
    const { value: p, pointer: at } = conv.deref(entry, `${pointer}/${i}`);
    if (!isObj(p)) throw invalid(source, at, 'must be a parameter object');
    if (typeof p.name !== 'string' || !p.name) throw invalid(source, `${at}/name`, 'must be a non-empty string');
    if (!LOCATIONS.includes(p.in as ParamLocation)) throw invalid(source, `${at}/in`, `must be one of "path", "query", "header", "cookie" (it is ${JSON.stringify(p.in)})`);
    let schema: unknown = p.schema;
    let schemaPointer = `${at}/schema`;
    if (schema === undefined && isObj(p.content)) {
      const [type, media] = Object.entries(p.content)[0] ?? [];
      if (type !== undefined && isObj(media)) {
        schema = media.schema;
        schemaPointer = `${at}/content/${pointerSegment(type)}/schema`;
      }
    }
    return {
      name: p.name,
      in: p.in as ParamLocation,
      required: p.in === 'path' || p.required === true,
      schema: schema ?? {},
      schemaPointer,
      ...(typeof p.description === 'string' ? { description: plainLinks(p.description) } : {}),
      ...(typeof p.style === 'string' ? { style: p.style } : {}),
      ...(typeof p.explode === 'boolean' ? { explode: p.explode } : {}),
    };
  });
}

/** Operation parameters override path-item parameters with the same name and location. */
function mergeParams(shared: Param[], own: Param[]): Param[] {
  const key = (p: Param): string => `${p.in}\u0000${p.name}`;
  const out = new Map(shared.map((p) => [key(p), p]));
  for (const p of own) out.set(key(p), p);
  return [...out.values()];
}

function checkPathParams(route: string, params: Param[], pointer: string, source: string): void {
  for (const m of route.matchAll(/\{([^}]+)\}/g)) {
    if (!params.some((p) => p.in === 'path' && p.name === m[1])) {
      throw invalid(source, `${pointer}/parameters`, `does not declare the path parameter "${m[1]}" that the path "${route}" uses`);
    }
  }
}

interface Body {
  mediaType: string;
  kind: 'json' | 'form' | 'multipart' | 'text' | 'binary';
  required: boolean;
  schema: unknown;
  pointer: string;
  description?: string;
}

function requestBodyOf(conv: SchemaConverter, raw: unknown, pointer: string, source: string): Body | undefined {
  if (raw === undefined) return undefined;
  const { value: rb, pointer: at } = conv.deref(raw, pointer);
  if (!isObj(rb)) throw invalid(source, at, 'must be a request body object');
  if (!isObj(rb.content)) throw invalid(source, `${at}/content`, 'must be an object of media types');
  const types = Object.keys(rb.content);
  const pick =
    types.find((t) => /^application\/(.+\+)?json\b/i.test(t)) ??
    types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t)) ??
    types.find((t) => /^multipart\/form-data\b/i.test(t)) ??
    types.find((t) => /^text\//i.test(t)) ??
    types[0];
  if (pick === undefined) return undefined;
  const media = rb.content[pick];
  const kind = /json/i.test(pick) ? 'json' : /x-www-form-urlencoded/i.test(pick) ? 'form' : /multipart/i.test(pick) ? 'multipart' : /^text\//i.test(pick) ? 'text' : 'binary';
  const declared = isObj(media) ? media.schema : undefined;
  return {
    mediaType: pick,
    kind,
    required: rb.required === true,
    schema: kind === 'text' || kind === 'binary' ? { type: 'string', ...(isObj(declared) && typeof declared.description === 'string' ? { description: declared.description } : {}) } : (declared ?? {}),
    pointer: `${at}/content/${pointerSegment(pick)}/schema`,
    ...(typeof rb.description === 'string' ? { description: rb.description } : {}),
  };
}

function inputOf(conv: SchemaConverter, params: Param[], body: Body | undefined, refs: Set<string>): JsonSchema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const loc of LOCATIONS) {
    const group = params.filter((p) => p.in === loc);
    if (!group.length) continue;
    const props: Record<string, unknown> = {};
    for (const p of group) {
      const s = conv.schema(p.schema, p.schemaPointer, refs);
      props[p.name] = p.description && isObj(s) && s.description === undefined ? { ...s, description: p.description } : s;
    }
    const req = group.filter((p) => p.required).map((p) => p.name);
    properties[loc] = { type: 'object', description: GROUP_DOCS[loc], properties: props, ...(req.length ? { required: req } : {}), additionalProperties: false };
    if (req.length) required.push(loc);
  }
  if (body) {
    const s = conv.schema(body.schema, body.pointer, refs);
    properties.body = body.description && isObj(s) && s.description === undefined ? { ...s, description: body.description } : s;
    if (body.required) required.push('body');
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

const GROUP_DOCS: Record<ParamLocation, string> = {
  path: 'Path parameters (filled into the URL).',
  query: 'Query-string parameters.',
  header: 'Request headers.',
  cookie: 'Cookies.',
};

function resultOf(conv: SchemaConverter, raw: unknown, pointer: string): { schema?: unknown; pointer: string; json: boolean } {
  if (!isObj(raw)) return { pointer, json: true };
  const codes = Object.keys(raw).filter((c) => /^2(\d\d|XX)$/i.test(c)).sort();
  for (const code of codes) {
    const { value: res, pointer: at } = conv.deref(raw[code], `${pointer}/${pointerSegment(code)}`);
    if (!isObj(res) || !isObj(res.content)) continue;
    const type = Object.keys(res.content).find((t) => /json/i.test(t));
    if (!type) return { pointer: at, json: false };
    const media = res.content[type];
    const schema = isObj(media) ? media.schema : undefined;
    return { ...(schema !== undefined ? { schema } : {}), pointer: `${at}/content/${pointerSegment(type)}/schema`, json: true };
  }
  return { pointer, json: true };
}

/**
 * Title and description of an operation. With a description, the title is the summary and the
 * description its first paragraph (the rest is mostly boilerplate — media types, OAuth scopes —
 * that costs the model tokens and drowns the words search ranks on); without one, the summary
 * leads the description and there is no separate title (stubs would print it twice).
 */
function describe(op: Record<string, unknown>, method: string, route: string): { title?: string; description: string } {
  const summary = typeof op.summary === 'string' ? op.summary.trim() : '';
  const first = typeof op.description === 'string' ? (op.description.trim().split(/\n\s*\n/)[0] ?? '').trim() : '';
  const separate = summary !== '' && first !== '' && first !== summary;
  const text = plainLinks(separate ? first : first || summary);
  const tail = `${method.toUpperCase()} ${route}${op.deprecated === true ? ' (deprecated)' : ''}`;
  const room = MAX_DESCRIPTION_CHARS - tail.length - 3;
  const body = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  return { ...(separate ? { title: summary } : {}), description: body ? `${body}\n\n${tail}` : tail };
}

/** GET/HEAD/OPTIONS read-only and idempotent; PUT/DELETE idempotent; DELETE destructive; POST/PATCH neither. */
export function annotationsOf(method: HttpMethod, title?: string): ToolAnnotations {
  const readOnly = method === 'get' || method === 'head' || method === 'options' || method === 'trace';
  const idempotent = readOnly || method === 'put' || method === 'delete';
  return {
    ...(title ? { title } : {}),
    readOnlyHint: readOnly,
    destructiveHint: method === 'delete',
    idempotentHint: idempotent,
    openWorldHint: true,
  };
}

function serverUrlOf(servers: unknown): string | undefined {
  if (!Array.isArray(servers) || !isObj(servers[0]) || typeof servers[0].url !== 'string') return undefined;
  const { url, variables } = servers[0];
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = isObj(variables) ? variables[name] : undefined;
    return isObj(v) && typeof v.default === 'string' ? v.default : whole;
  });
}
