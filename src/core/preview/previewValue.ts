// Structural previews: a value too large for the model's budget, cut so that the text is still valid
// JSON of at most maxChars characters, with a marker (markers.ts) wherever something was left out and
// an Elision record per cut. Invariant: JSON.parse(text) always succeeds, text.length ≤ maxChars, and a
// value whose compact JSON fits comes back as exactly that JSON with complete: true.
//
// Wiring (for the surfaces that show a run's value to a model: run_code over MCP, the LM tool, the chat
// participant, the CLI's printed value; docs/previews.md):
//   const preview = previewValue(value, { maxChars: DEFAULT_PREVIEW_CHARS, readTool });
//   store.put(runId, value);            // valueStore.ts; one store per conversation; the firewalled value
//   reply: preview.text in a text block of its own (and JSON.parse(preview.text) as structuredContent),
//          previewNote(preview, { maxChars, runId, readTool }) in a separate block when !preview.complete;
//   token account: count what was sent (preview.text and the note), not the full value.
import { PreviewError } from './errors';
import { jsonKeys, jsonKind, jsonSize, jsonView, scalarText, serializeJson, stringSize, charCost } from './json';
import { DEFAULT_READ_TOOL, OBJECT_TAIL_KEY, tailMarker, valueMarker } from './markers';
import { formatPath, type PathSegment } from './path';

/** The budget run_code used before previews (characters of the value's text). */
export const DEFAULT_PREVIEW_CHARS = 8_000;
/** Smallest maxChars accepted: every scalar and a short marker fit in it. */
export const MIN_PREVIEW_CHARS = 64;
/** Containers nested deeper than this are collapsed to a marker when the value has to be cut. */
export const DEFAULT_MAX_DEPTH = 20;
/** Arrays that must be cut show at least this many items (each cut to fit) when whole ones do not fit. */
const MIN_ARRAY_ITEMS = 3;
/** Characters measured (per character of budget) to report the original size of elided parts; beyond
 *  that, Elision.chars is a lower bound. Keeps a preview's work proportional to maxChars. */
const MEASURE_PER_CHAR = 16;

/** One part of the value a preview left out, and how to read it. */
export interface Elision {
  /** Canonical path (path.ts) of the node that was cut or replaced. */
  path: string;
  /** 'value': the node was replaced by a marker (for a string, only when a marker with its path does not
   *  fit: then the marker is a bare "«… string»"); 'items'/'keys'/'chars': it was shortened. */
  kind: 'value' | 'items' | 'keys' | 'chars';
  type: 'object' | 'array' | 'string';
  /** Items (array), keys (object) or characters (string, UTF-16 units) of the original node. */
  total: number;
  /** How many of them the preview shows (0 for 'value'). */
  shown: number;
  /** The read_value offset that continues where the preview stopped. */
  offset: number;
  /** Compact JSON length of the node as given; a lower bound when charsExact is false (huge values). */
  chars: number;
  charsExact: boolean;
}

/** A preview: JSON text a model can parse, what it leaves out, and whether it is the whole value. */
export interface Preview {
  text: string;
  elided: Elision[];
  /** True when text is the value's full compact JSON (elided is empty). */
  complete: boolean;
}

export interface PreviewOptions {
  /** Most characters (UTF-16 units) of `text`; at least MIN_PREVIEW_CHARS. */
  maxChars: number;
  /** Nesting shown when the value has to be cut (default DEFAULT_MAX_DEPTH). */
  maxDepth?: number;
  /** Tool named in markers: 'read_value' (MCP, default) or 'toolweaver_read_value' (VS Code LM tools). */
  readTool?: string;
  /** Where the value sits in a stored value (read_value pages): markers and elisions carry full paths. */
  path?: readonly PathSegment[];
  /** read_value pages: the value is a window starting at this item/key/character of the node at `path`. */
  offset?: number;
  /** read_value pages: items/keys/characters of the whole node the window comes from. */
  total?: number;
}

/** An elision while the preview is being planned; its size is measured once the plan is final. */
interface PendingElision {
  elision: Omit<Elision, 'chars' | 'charsExact'>;
  node: unknown;
}

interface Ctx {
  /** jsonKeys of an object, computed once per preview (a huge object's keys are costly to list). */
  keysOf: (obj: object) => string[];
  path: PathSegment[];
  elided: PendingElision[];
  maxDepth: number;
  tool: string;
  rootOffset: number;
  rootTotal: number | undefined;
}

/**
 * Compact JSON of `value` if it fits in `maxChars`, else a structural preview: small parts whole, the
 * largest cut first (strings keep a prefix, arrays a prefix of items, objects as many keys as fit, each
 * with a marker saying what is missing and the read_value arguments that fetch it), nesting deeper
 * than maxDepth collapsed. Deterministic; work is bounded by maxChars (plus a capped measurement of
 * what was elided), not by the value's size; no recursion on the value's depth beyond maxDepth.
 * Values are seen as JSON.stringify sees them (toJSON, undefined dropped); `undefined` itself is `null`.
 */
export function previewValue(value: unknown, opts: PreviewOptions): Preview {
  const { maxChars } = opts;
  if (!Number.isInteger(maxChars) || maxChars < MIN_PREVIEW_CHARS) {
    throw new PreviewError('invalid_option', `maxChars must be an integer of at least ${MIN_PREVIEW_CHARS}; got ${maxChars}.`);
  }
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new PreviewError('invalid_option', `offset must be a non-negative integer; got ${offset}.`);
  let root = jsonView(value, '');
  if (jsonKind(root) === 'skip') root = null;
  const keyCache = new Map<object, string[]>();
  const keysOf = (obj: object): string[] => {
    let keys = keyCache.get(obj);
    if (!keys) keyCache.set(obj, (keys = jsonKeys(obj)));
    return keys;
  };
  const ctx: Ctx = {
    keysOf,
    path: [...(opts.path ?? [])],
    elided: [],
    maxDepth: Math.max(1, opts.maxDepth ?? DEFAULT_MAX_DEPTH),
    tool: opts.readTool ?? DEFAULT_READ_TOOL,
    rootOffset: offset,
    rootTotal: opts.total,
  };
  if (jsonSize(root, maxChars, keysOf) <= maxChars) return { text: serializeJson(root), elided: [], complete: true };
  let text = render(ctx, root, maxChars, 0, true);
  if (text === undefined) {
    // Not even the root's marker fits (a very long path): say what it is without the path.
    ctx.elided.length = 0;
    const kind = jsonKind(root) as 'object' | 'array' | 'string';
    pushElision(ctx, root, 'value', totalOf(ctx, root, 0), 0, offset);
    text = JSON.stringify(`«… ${kind}»`);
  }
  return { text, elided: measured(ctx.elided, MEASURE_PER_CHAR * maxChars, keysOf), complete: false };
}

/** The final elisions with their sizes, measured within one shared budget (sizes past it are lower bounds). */
function measured(pending: PendingElision[], budget: number, keysOf: (obj: object) => string[]): Elision[] {
  let left = budget;
  return pending.map(({ elision, node }) => {
    const cap = Math.max(0, left);
    const chars = jsonSize(node, cap, keysOf);
    left -= Math.min(chars, cap);
    return { ...elision, chars, charsExact: chars <= cap };
  });
}

function sizeOf(ctx: Ctx, v: unknown): number {
  const kind = jsonKind(v);
  return kind === 'array' ? (v as unknown[]).length : kind === 'object' ? ctx.keysOf(v as object).length : kind === 'string' ? (v as string).length : 0;
}

/** Items/keys/chars of the whole node: a root window reports the total of the node it comes from. */
function totalOf(ctx: Ctx, v: unknown, depth: number, size = sizeOf(ctx, v)): number {
  if (depth === 0 && ctx.rootTotal !== undefined) return ctx.rootTotal;
  return size + (depth === 0 ? ctx.rootOffset : 0);
}

function pushElision(ctx: Ctx, v: unknown, kind: Elision['kind'], total: number, shown: number, offset: number, path = formatPath(ctx.path)): void {
  ctx.elided.push({ elision: { path, kind, type: jsonKind(v) as Elision['type'], total, shown, offset }, node: v });
}

/** Text of `v` (already through jsonView, not skip) in at most `budget` characters, or undefined.
 *  `tooBig`: the caller already knows v does not fit whole. */
function render(ctx: Ctx, v: unknown, budget: number, depth: number, tooBig = false): string | undefined {
  const kind = jsonKind(v);
  if (kind !== 'string' && kind !== 'array' && kind !== 'object') {
    const t = scalarText(v);
    return t.length <= budget ? t : undefined;
  }
  if (!tooBig && jsonSize(v, budget, ctx.keysOf) <= budget) return serializeJson(v);
  if (kind === 'string') return renderString(ctx, v as string, budget, depth);
  const base = depth === 0 ? ctx.rootOffset : 0;
  if (depth >= ctx.maxDepth) return renderValueMarker(ctx, v, kind, budget, depth, base);
  return renderContainer(ctx, v, kind, budget, depth, base);
}

function renderValueMarker(ctx: Ctx, v: unknown, kind: 'array' | 'object', budget: number, depth: number, base: number, total = totalOf(ctx, v, depth)): string | undefined {
  const text = JSON.stringify(valueMarker(kind, total, ctx.tool, formatPath(ctx.path), base));
  if (text.length > budget) return undefined;
  pushElision(ctx, v, 'value', total, 0, base);
  return text;
}

function renderString(ctx: Ctx, s: string, budget: number, depth: number): string | undefined {
  const base = depth === 0 ? ctx.rootOffset : 0;
  const total = totalOf(ctx, s, depth);
  const path = formatPath(ctx.path);
  // Marker length with the widest numbers it can hold: the real one is never longer.
  const widest = tailMarker('chars', total, total, ctx.tool, path, total);
  const avail = budget - 2 - (stringSize(widest) - 2);
  if (avail < 0) return undefined;
  let used = 0;
  let p = 0;
  while (p < s.length) {
    const [cost, units] = charCost(s, p);
    if (used + cost > avail) break;
    used += cost;
    p += units;
  }
  pushElision(ctx, s, 'chars', total, p, base + p);
  return JSON.stringify(s.slice(0, p) + tailMarker('chars', total - base - p, total, ctx.tool, path, base + p));
}

interface Entry {
  key?: string;
  /** Characters of `"key":` (0 in arrays). */
  keyCost: number;
  value: unknown;
  /** Compact JSON length, capped: a number > budget means "does not fit whole". */
  size: number;
}

function renderContainer(ctx: Ctx, v: unknown, kind: 'array' | 'object', budget: number, depth: number, base: number): string | undefined {
  const isArray = kind === 'array';
  const arr = isArray ? (v as unknown[]) : undefined;
  const keys = isArray ? undefined : ctx.keysOf(v as object);
  const n = arr ? arr.length : (keys as string[]).length;
  const total = totalOf(ctx, v, depth, n);
  const path = formatPath(ctx.path);
  let tailKey = OBJECT_TAIL_KEY;
  if (keys) for (let i = 1; Object.prototype.hasOwnProperty.call(v, tailKey); i++) tailKey = `${OBJECT_TAIL_KEY}${i}`;
  // Characters the tail entry takes after `m` shown entries (comma included), 0 when nothing is left out.
  const tailCost = (m: number): number => {
    if (m >= n) return 0;
    const marker = tailMarker(isArray ? 'items' : 'keys', total - base - m, total, ctx.tool, path, base + m);
    return (m > 0 ? 1 : 0) + stringSize(marker) + (isArray ? 0 : stringSize(tailKey) + 1);
  };

  // Measure entries in order while even their smallest form (a marker) could still be shown.
  const entries: Entry[] = [];
  const leastUpTo: number[] = [2]; // leastUpTo[m]: characters of the first m entries in their smallest forms
  let least = 2;
  let whole = 2;
  for (let i = 0; i < n; i++) {
    const key = keys ? (keys[i] as string) : undefined;
    const raw = arr ? arr[i] : (v as Record<string, unknown>)[key as string];
    let value = jsonView(raw, key ?? i);
    if (jsonKind(value) === 'skip') value = null;
    const keyCost = key === undefined ? 0 : stringSize(key) + 1;
    const size = jsonSize(value, budget, ctx.keysOf);
    let smallest = size;
    if (size > 24) {
      ctx.path.push(key ?? base + i);
      smallest = Math.min(size, smallestForm(ctx, value));
      ctx.path.pop();
    }
    least += (i > 0 ? 1 : 0) + keyCost + smallest;
    if (least > budget) break;
    entries.push({ key, keyCost, value, size });
    leastUpTo.push(least);
    whole += (i > 0 ? 1 : 0) + size;
    // An array shows whole leading items or at most MIN_ARRAY_ITEMS cut ones: no need to look further.
    if (isArray && whole > budget && entries.length >= MIN_ARRAY_ITEMS) break;
  }

  if (isArray) {
    // Arrays keep their order: as many whole leading items as fit (a model can page on from there).
    let fixed = 2;
    let kFit = 0;
    for (const e of entries) {
      const next = fixed + (kFit > 0 ? 1 : 0) + e.size;
      if (next + tailCost(kFit + 1) > budget) break;
      fixed = next;
      kFit++;
    }
    if (kFit > 0) return assemble(ctx, v, kind, entries.slice(0, kFit).map((e) => serializeJson(e.value)), entries, n, total, base, tailKey, path);
  }

  // Not one whole item fits (arrays), or an object: show the first m entries, the largest cut to fit.
  // The largest m that works is found by bisection (fewer entries leave more room for each).
  const mark = ctx.elided.length;
  const attempt = (m: number): string | undefined => {
    ctx.elided.length = mark;
    const text = renderEntries(ctx, v, kind, entries.slice(0, m), n, total, base, tailKey, path, budget - tailCost(m), depth, mark);
    if (text === undefined) ctx.elided.length = mark;
    return text;
  };
  let lo = 0;
  let hi = isArray ? Math.min(entries.length, MIN_ARRAY_ITEMS) : entries.length;
  while (hi > 0 && (leastUpTo[hi] as number) + tailCost(hi) > budget) hi--; // cannot work: skip the attempt
  let best: string | undefined;
  let bestM = 0;
  if (hi > 0 && (best = attempt(hi)) !== undefined) bestM = hi;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (attempt(mid) !== undefined) lo = mid;
      else hi = mid;
    }
    if (lo > 0) {
      best = attempt(lo);
      bestM = lo;
    }
  }
  if (best !== undefined && bestM > 0) return best;
  ctx.elided.length = mark;
  return renderValueMarker(ctx, v, kind, budget, depth, base, total);
}

/** The first entries in `budget` (the tail's room already taken off): water-filling, so entries smaller
 *  than an equal share of what is left stay whole and the larger ones share the rest; undefined when one
 *  of them cannot be shown even as a marker. */
function renderEntries(
  ctx: Ctx,
  v: unknown,
  kind: 'array' | 'object',
  shown: Entry[],
  n: number,
  total: number,
  base: number,
  tailKey: string,
  path: string,
  budget: number,
  depth: number,
  mark: number,
): string | undefined {
  const m = shown.length;
  let left = budget - 2 - (m - 1);
  for (const e of shown) left -= e.keyCost;
  if (left < 0) return undefined;
  const order = shown.map((_, i) => i).sort((a, b) => (shown[a] as Entry).size - (shown[b] as Entry).size || a - b);
  const whole = new Set<number>();
  let bigCount = m;
  for (const i of order) {
    const size = (shown[i] as Entry).size;
    if (size * bigCount > left) break;
    whole.add(i);
    left -= size;
    bigCount--;
  }
  const parts: string[] = [];
  for (let i = 0; i < m; i++) {
    const e = shown[i] as Entry;
    if (whole.has(i)) {
      parts.push(serializeJson(e.value));
      continue;
    }
    const share = Math.floor(left / bigCount);
    ctx.path.push(e.key ?? base + i);
    const text = render(ctx, e.value, share, depth + 1);
    ctx.path.pop();
    if (text === undefined) return undefined;
    parts.push(text);
    left -= text.length;
    bigCount--;
  }
  return assemble(ctx, v, kind, parts, shown, n, total, base, tailKey, path, mark);
}

/** Characters of the smallest text that can stand for `v` in a preview: its marker (a string keeps none of itself). */
function smallestForm(ctx: Ctx, v: unknown): number {
  const kind = jsonKind(v);
  const path = formatPath(ctx.path);
  if (kind === 'string') return stringSize(tailMarker('chars', (v as string).length, (v as string).length, ctx.tool, path, 0));
  if (kind === 'array' || kind === 'object') return stringSize(valueMarker(kind, sizeOf(ctx, v), ctx.tool, path));
  return Infinity;
}

function assemble(
  ctx: Ctx,
  v: unknown,
  kind: 'array' | 'object',
  parts: string[],
  shown: Entry[],
  n: number,
  total: number,
  base: number,
  tailKey: string,
  path: string,
  mark = ctx.elided.length,
): string {
  const m = parts.length;
  const isArray = kind === 'array';
  const body = isArray ? parts : parts.map((p, i) => `${JSON.stringify((shown[i] as Entry).key)}:${p}`);
  if (m < n) {
    const marker = JSON.stringify(tailMarker(isArray ? 'items' : 'keys', total - base - m, total, ctx.tool, path, base + m));
    body.push(isArray ? marker : `${JSON.stringify(tailKey)}:${marker}`);
    // The container's own elision goes before those of its children (document order).
    const children = ctx.elided.splice(mark);
    pushElision(ctx, v, isArray ? 'items' : 'keys', total, m, base + m, path);
    ctx.elided.push(...children);
  }
  return isArray ? `[${body.join(',')}]` : `{${body.join(',')}}`;
}
