// The values of the last runs, kept so read_value can page through what a preview left out. Invariant:
// the store never holds more than maxRuns runs nor (by its measure) more than maxBytes; the oldest go
// first, and a value larger than maxBytes on its own is not kept (reading it says so).
import { PreviewError } from './errors';
import { charCost, jsonKeys, jsonKind, jsonSize, serializeJson, stringSize } from './json';
import { formatPath, parsePath, resolvePath } from './path';
import { DEFAULT_PREVIEW_CHARS, previewValue, type Elision } from './previewValue';
import { DEFAULT_READ_TOOL } from './markers';
import { count, groupDigits } from './words';

export const DEFAULT_MAX_RUNS = 20;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Evicted run ids remembered so that reading one says "no longer kept" rather than "unknown". */
const EVICTED_MEMORY = 256;

export interface ValueStoreOptions {
  /** Runs kept (default DEFAULT_MAX_RUNS). */
  maxRuns?: number;
  /** Size kept, measured as the compact JSON length of the values (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
}

/** One run's value as stored. */
export interface StoredValue {
  runId: string;
  /** The value itself (not copied: the caller must not mutate it after put). */
  value: unknown;
  /** Compact JSON length, as counted against maxBytes. */
  bytes: number;
}

export interface ValueStore {
  /** Keeps `value` as the run's value (replacing an earlier one of the same id) and evicts the oldest runs. */
  put(runId: string, value: unknown): void;
  /** The run's value (the newest run when runId is omitted). Throws PreviewError unknown_run / no_runs / value_not_kept. */
  get(runId?: string): StoredValue;
  /** Ids of the kept runs, newest first. */
  runIds(): string[];
  /** Compact JSON characters held. */
  bytes(): number;
  clear(): void;
}

type Slot = StoredValue | { runId: string; tooLarge: true };

/**
 * A memory-bounded store of run values, one per conversation (MCP session, chat, extension host). Put the
 * value as the model may see it (after the privacy firewall's placeholders), so read_value never shows
 * more than run_code would have.
 */
export function createValueStore(opts: ValueStoreOptions = {}): ValueStore {
  const maxRuns = Math.max(1, Math.floor(opts.maxRuns ?? DEFAULT_MAX_RUNS));
  const maxBytes = Math.max(0, Math.floor(opts.maxBytes ?? DEFAULT_MAX_BYTES));
  const slots = new Map<string, Slot>(); // insertion order = age
  const evicted: string[] = [];
  let held = 0;

  const bytesOf = (s: Slot): number => ('bytes' in s ? s.bytes : 0);
  const evict = (id: string): void => {
    const s = slots.get(id);
    if (!s) return;
    held -= bytesOf(s);
    slots.delete(id);
    evicted.push(id);
    if (evicted.length > EVICTED_MEMORY) evicted.shift();
  };

  return {
    put(runId, value) {
      if (slots.has(runId)) {
        held -= bytesOf(slots.get(runId) as Slot);
        slots.delete(runId);
      }
      const i = evicted.indexOf(runId);
      if (i >= 0) evicted.splice(i, 1);
      const bytes = jsonSize(value, maxBytes);
      const slot: Slot = bytes > maxBytes ? { runId, tooLarge: true } : { runId, value, bytes };
      slots.set(runId, slot);
      held += bytesOf(slot);
      for (const id of slots.keys()) {
        if (slots.size <= maxRuns && held <= maxBytes) break;
        if (id !== runId) evict(id);
      }
    },
    get(runId) {
      if (slots.size === 0 && runId === undefined) {
        throw new PreviewError('no_runs', 'No run has returned a value yet, so there is nothing to read. Run code first.');
      }
      const id = runId ?? [...slots.keys()].pop();
      const slot = id === undefined ? undefined : slots.get(id);
      if (!slot) {
        const kept = [...slots.keys()].reverse();
        const keptText = kept.length ? ` Kept runs, newest first: ${kept.slice(0, 10).join(', ')}${kept.length > 10 ? ', …' : ''}.` : '';
        const gone = evicted.includes(id as string);
        throw new PreviewError(
          'unknown_run',
          gone
            ? `The value of run ${id} is no longer kept (only the last ${count(maxRuns, 'run')} and ${groupDigits(maxBytes)} characters are).${keptText} Run the code again to get it.`
            : `There is no stored value for run ${JSON.stringify(id)}.${keptText} Omit runId to read the last run.`,
        );
      }
      if ('tooLarge' in slot) {
        throw new PreviewError(
          'value_not_kept',
          `The value of run ${slot.runId} was larger than ${groupDigits(maxBytes)} characters, so it was not kept. Return a smaller part of it from the script instead.`,
        );
      }
      return slot;
    },
    runIds: () => [...slots.keys()].reverse(),
    bytes: () => held,
    clear() {
      for (const id of [...slots.keys()]) evict(id);
    },
  };
}

export interface ReadValueRequest {
  /** Run whose value to read; the newest run when omitted. */
  runId?: string;
  /** Path into the value (path.ts syntax), e.g. `$.customers[3].notes`; `$` is the whole value. */
  path: string;
  /** First item (array), key (object, in key order) or character (string) of the page; default 0. */
  offset?: number;
  /** Most items/keys/characters on the page; default: as many as fit in maxChars. */
  limit?: number;
  /** Characters of the page's text (default DEFAULT_PREVIEW_CHARS, at least MIN_PREVIEW_CHARS). */
  maxChars?: number;
  /** Tool named in markers and `next` (default 'read_value'). */
  readTool?: string;
}

/** Where the following page starts: pass these to read_value as they are. */
export interface NextPage {
  runId: string;
  path: string;
  offset: number;
}

/** One page of a stored value. */
export interface ValuePage {
  runId: string;
  /** Canonical path of the node paged. */
  path: string;
  type: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  /** Items, keys or characters of the whole node (1 for a scalar). */
  total: number;
  /** First item/key/character on this page, and how many the page holds. */
  offset: number;
  count: number;
  /** JSON text of the page: the slice itself (array of the items, object of the keys, string of the
   *  characters), whole when it fits, else previewed with markers (only when one item alone is too big). */
  text: string;
  /** What the page's text left out inside its items (empty when every item is whole). */
  elided: Elision[];
  /** Undefined when this page reaches the end of the node. */
  next?: NextPage;
}

/**
 * One page of the value at `path` in a stored run: arrays by items, objects by keys, strings by characters.
 * A page holds whole items while they fit in maxChars; an item too large for a page on its own is the
 * page alone, previewed (its markers give full paths). Concatenating the pages' parsed slices rebuilds
 * the node exactly when every page is whole. Throws PreviewError (unknown_run, no_runs, value_not_kept,
 * bad_path with the position, path_not_found with the deepest existing prefix, bad_offset, invalid_option).
 */
export function readValue(store: ValueStore, req: ReadValueRequest): ValuePage {
  const maxChars = req.maxChars ?? DEFAULT_PREVIEW_CHARS;
  const offset = req.offset ?? 0;
  const limit = req.limit ?? Infinity;
  if (!Number.isInteger(offset) || offset < 0) throw new PreviewError('invalid_option', `offset must be a whole number of at least 0; got ${offset}.`);
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw new PreviewError('invalid_option', `limit must be a whole number of at least 1; got ${limit}.`);
  const segments = parsePath(req.path);
  const stored = store.get(req.runId);
  if (stored.value === undefined) {
    throw new PreviewError('path_not_found', `Run ${stored.runId} returned no value (undefined), so there is nothing at ${formatPath(segments)}.`, { deepestPath: '$' });
  }
  const node = resolvePath(stored.value, segments);
  const path = formatPath(segments);
  const kind = jsonKind(node);
  const tool = req.readTool ?? DEFAULT_READ_TOOL;
  const base = { runId: stored.runId, path };
  const preview = (v: unknown, windowTotal?: number) =>
    previewValue(v, { maxChars, readTool: tool, path: segments, offset, total: windowTotal });

  if (kind === 'array' || kind === 'object' || kind === 'string') {
    const keys = kind === 'object' ? jsonKeys(node as object) : undefined;
    const total = kind === 'array' ? (node as unknown[]).length : kind === 'string' ? (node as string).length : (keys as string[]).length;
    if (offset > total) {
      const unit = kind === 'array' ? 'item' : kind === 'object' ? 'key' : 'character';
      throw new PreviewError('bad_offset', `${path} has ${count(total, unit)}; offset ${groupDigits(offset)} is past its end.`);
    }
    const end = Math.min(total, offset + limit);
    const slice = pageSlice(node, kind, keys, offset, end, maxChars);
    const p = slice.count > 0 ? preview(slice.value, total) : { text: serializeJson(slice.value), elided: [] };
    const stop = offset + slice.count;
    return {
      ...base,
      type: kind,
      total,
      offset,
      count: slice.count,
      text: p.text,
      elided: p.elided,
      next: stop < total ? { ...base, offset: stop } : undefined,
    };
  }
  const p = preview(node);
  return { ...base, type: kind === 'skip' ? 'null' : kind, total: 1, offset: 0, count: 1, text: p.text, elided: p.elided, next: undefined };
}

/** The longest run of whole items from `offset` (at most to `end`) whose JSON fits, at least one. */
function pageSlice(node: unknown, kind: 'array' | 'object' | 'string', keys: string[] | undefined, offset: number, end: number, maxChars: number): { value: unknown; count: number } {
  if (kind === 'string') {
    const s = node as string;
    let used = 2;
    let i = offset;
    while (i < end) {
      const [cost, units] = charCost(s, i);
      if (used + cost > maxChars || i + units > end) break;
      used += cost;
      i += units;
    }
    // A page always moves forward, even if the one character does not fit (previewValue then cuts it).
    if (i === offset && end > offset) i = Math.min(end, offset + charCost(s, offset)[1]);
    return { value: s.slice(offset, i), count: i - offset };
  }
  let used = 2;
  let n = 0;
  // A null-prototype object, so a key named __proto__ is an ordinary key here too.
  const out: unknown[] | Record<string, unknown> = kind === 'array' ? [] : (Object.create(null) as Record<string, unknown>);
  for (let i = offset; i < end; i++) {
    const key = keys?.[i];
    const item = kind === 'array' ? (node as unknown[])[i] : (node as Record<string, unknown>)[key as string];
    const cost = (n > 0 ? 1 : 0) + (key === undefined ? 0 : stringSize(key) + 1) + jsonSize(item, maxChars);
    if (n > 0 && used + cost > maxChars) break;
    used += cost;
    n++;
    if (Array.isArray(out)) out.push(item);
    else out[key as string] = item;
    if (used > maxChars) break; // one item too big on its own: it is the page, previewed
  }
  return { value: out, count: n };
}

/** The path and offset a model passes to continue: `{"path":"$.customers","offset":40}` (runId when not the newest). */
export function nextPageArgs(next: NextPage, store: ValueStore): Record<string, unknown> {
  const newest = store.runIds()[0];
  return next.runId === newest ? { path: next.path, offset: next.offset } : { runId: next.runId, path: next.path, offset: next.offset };
}

